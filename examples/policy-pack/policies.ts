// The policies, in a module of their own: `new PolicyPack()` (index.ts) starts a server as soon as it is
// imported, so tests import this module instead and call the validations directly.
import type { GetImageArgs } from "@cloudimages/pulumi";
import { IMAGE_PROPERTIES, imageIdPolicy, ImageIdPolicyArgs } from "@cloudimages/pulumi/policy";

/** Lookup settings (credentials and endpoints): by default the clouds' environment variables. */
export type PolicySettings = Pick<ImageIdPolicyArgs, "config" | "env" | "now">;

export function makePolicies(settings: PolicySettings = {}) {
    return [
        // ECS instances boot public Ubuntu x86_64 images of their region that are available and at most 180 days old.
        imageIdPolicy({
            name: "ecs-approved-images",
            description: "ECS instances must use an available public Ubuntu x86_64 image of the region, at most 180 days old.",
            enforcementLevel: "mandatory",
            resources: { "alicloud:ecs/instance:Instance": IMAGE_PROPERTIES["alicloud:ecs/instance:Instance"] },
            // Each instance against its own region: the one its provider (explicit, or the stack's default) deploys
            // to. Without one, the region comes from ALIBABA_CLOUD_REGION / ALICLOUD_REGION, as the provider's does.
            query: (instance) => ({
                cloud: "alicloud",
                region: (instance.provider?.props.region as string | undefined) || undefined,
                visibility: "public",
                osDistro: "ubuntu",
                architecture: "x86_64",
            }),
            maxAgeDays: 180,
            ...settings,
        }),
        // Pinned GPU images (ImageLock) must still be the newest H100 image: advisory, so drift is visible, not blocking.
        imageIdPolicy({
            name: "gpu-locks-current",
            enforcementLevel: "advisory",
            resources: { "pulumi-nodejs:dynamic/cloudimages:ImageLock": "imageId" },
            query: (lock) => {
                const query = lock.props.query as GetImageArgs | undefined;
                return query?.cloud === "nscale" ? { ...query, gpu: true, gpuModel: "H100" } : undefined;
            },
            requireMostRecent: true,
            ...settings,
        }),
    ];
}

/**
 * The pack's clock for ages: now, or the time in POLICY_AS_OF (ISO 8601). The emulator's built-in catalog is a
 * snapshot published at the end of June 2024, so against it every image is older than 180 days today; try the pack
 * there with POLICY_AS_OF=2024-07-01, and the current builds pass while the old ones are flagged.
 */
export function packClock(env: Record<string, string | undefined> = process.env): (() => Date) | undefined {
    const asOf = env.POLICY_AS_OF;
    if (asOf === undefined || asOf === "") return undefined;
    const time = /^\d{4}-\d\d-\d\d(T[\d:.]+(Z|[+-]\d\d:\d\d))?$/.test(asOf) ? Date.parse(asOf) : NaN;
    if (Number.isNaN(time)) throw new Error(`POLICY_AS_OF must be an ISO 8601 date or UTC time (e.g. 2024-07-01), got ${JSON.stringify(asOf.slice(0, 40))}`);
    return () => new Date(time);
}
