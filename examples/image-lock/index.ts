// Two locks on one query: `follow` moves with the catalog (pulumi preview shows `~ imageId: "old" => "new"` when a
// newer image is published, and every resource using it shows its replacement); `pinned` stays put and reports
// drift (latestImageId, drifted, and a warning naming both IDs) until you unpin or move it.
// Credentials come from the stack's configuration (pulumi config set --secret --path cloudimages:nscale.serviceToken …)
// or the environment (NSCALE_SERVICE_TOKEN, NSCALE_ORGANIZATION_ID), as for getImage; never from state. Keep secrets
// out of the query (a second account goes in the lock's `config` option).
import * as pulumi from "@pulumi/pulumi";
import * as cloudimages from "@cloudimages/pulumi";

const config = new pulumi.Config();

const query: cloudimages.ImageLockQuery = {
    cloud: "nscale",
    region: config.get("regionId"),
    endpoint: config.get("endpoint"),
    gpu: true,
    gpuModel: "H100",
    softwareVersions: { kubernetes: ">=1.29.0 <1.31.0" },
    mostRecent: true,
};

const follow = new cloudimages.ImageLock("follow", { query, pin: false });
const pinned = new cloudimages.ImageLock("pinned", { query, pin: config.getBoolean("pin") ?? true });

export const followImageId = follow.imageId;
export const pinnedImageId = pinned.imageId;
export const latestImageId = pinned.latestImageId;
export const drifted = pinned.drifted;
export const pinnedImageStatus = pinned.imageStatus;
export const resolvedAt = pinned.resolvedAt;
