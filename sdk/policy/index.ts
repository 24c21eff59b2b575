/**
 * `@cloudimages/pulumi/policy`: resource validations for `@pulumi/policy` packs that check image IDs against the
 * clouds' catalogs.
 *
 * ```ts
 * // policies.ts: export the policies from a module of their own (new PolicyPack() starts a server on import)
 * import { imageIdPolicy } from "@cloudimages/pulumi/policy";
 * export const ecsImages = imageIdPolicy({
 *   name: "ecs-approved-images",
 *   resources: { "alicloud:ecs/instance:Instance": "imageId" },
 *   query: { cloud: "alicloud", region: "cn-hangzhou", osDistro: "ubuntu", architecture: "x86_64" },
 *   maxAgeDays: 180,
 * });
 * // index.ts
 * new PolicyPack("images", { policies: [ecsImages] });
 * ```
 *
 * `@pulumi/policy` is not a dependency of this package: the objects built here have the shape of its
 * `ResourceValidationPolicy` and are passed to `new PolicyPack()` as they are.
 */
import type { CloudImagesConfig, Env } from '../../provider/core/config';
import { RequestSharing } from '../../provider/core/share';
import { validateQuery } from '../../provider/core/query';
import { checkImageId, ImageRule, ImageViolation } from './check';
import { SDK_REGISTRY } from '../clouds';
import type { GetImageArgs } from '../types';

export { checkImageId } from './check';
export type { ImageCheckOptions, ImageRule, ImageViolation } from './check';

/** `@pulumi/policy`'s enforcement levels. */
export type EnforcementLevel = 'advisory' | 'mandatory' | 'remediate' | 'disabled';

/** The part of `@pulumi/policy`'s ResourceValidationArgs these policies read. */
export interface PolicyResource {
  type: string;
  /** The resource's inputs. During preview, unknown values throw when read; the policy SDK skips the resource then. */
  props: Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  urn: string;
  name: string;
  /** The resource's provider (its `props` hold e.g. the `region` the resource lives in), as `@pulumi/policy` passes it. */
  provider?: { type: string; props: Record<string, any>; urn: string; name: string }; // eslint-disable-line @typescript-eslint/no-explicit-any
}

/** `@pulumi/policy`'s ReportViolation. */
export type ReportViolation = (message: string, urn?: string) => void;

/** The shape of `@pulumi/policy`'s ResourceValidationPolicy. */
export interface ImageValidationPolicy {
  name: string;
  description: string;
  enforcementLevel?: EnforcementLevel;
  validateResource: (args: PolicyResource, reportViolation: ReportViolation) => Promise<void>;
}

/** Image properties of common resource types, to pass as `resources` (or to pick from). */
export const IMAGE_PROPERTIES = {
  'alicloud:ecs/instance:Instance': 'imageId',
  'pulumi-nodejs:dynamic/cloudimages:ImageLock': 'imageId',
} as const;

export interface ImageIdPolicyArgs {
  /** The policy name (shown with each violation). */
  name: string;
  description?: string;
  /** Default `mandatory`. */
  enforcementLevel?: EnforcementLevel;
  /**
   * Resource types to check, each with the property that holds the image ID (a dotted path for nested ones),
   * e.g. `{ "alicloud:ecs/instance:Instance": "imageId" }`.
   */
  resources: Record<string, string>;
  /**
   * The catalog (cloud, region, zone, endpoint, visibility, filters) where the ID must exist, and the selectors it
   * must match (architecture, gpu, osDistro, …): getImage's arguments, typed and validated as there (a misspelt
   * name or value does not compile, and is refused at run time). A function can derive it from the resource (e.g.
   * its region or zone); returning undefined skips the resource.
   */
  query: GetImageArgs | ((resource: PolicyResource) => GetImageArgs | undefined);
  /** Also fail images created more than this many days ago (images without a creation time fail too). */
  maxAgeDays?: number;
  /** Also fail images that are not the newest for the query (what `mostRecent: true` chooses now). */
  requireMostRecent?: boolean;
  /** Credentials and endpoints for the lookups; unset fields come from the environment, as everywhere. */
  config?: CloudImagesConfig;
  env?: Env;
  /** The clock, for `maxAgeDays`. */
  now?: () => Date;
}

function readPath(props: Record<string, unknown>, dotted: string): unknown {
  let value: unknown = props;
  for (const key of dotted.split('.')) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

/** The message a violation is reported with: the resource, the ID and the rule. */
export function violationMessage(resource: PolicyResource, property: string, violation: ImageViolation): string {
  return `${resource.type} "${resource.name}" (${resource.urn}) ${property}: ${violation.message} [rule: ${violation.rule}]`;
}

/**
 * Builds a resource validation policy that checks the image ID of each resource of the given types: it must be a
 * real image of the cloud and region, available, matching the query, and optionally recent enough or the newest.
 */
export function imageIdPolicy(args: ImageIdPolicyArgs): ImageValidationPolicy {
  if (Object.keys(args.resources).length === 0) throw new Error('imageIdPolicy: resources must name at least one resource type and its image property');
  if (typeof args.query !== 'function') validateQuery(args.query, SDK_REGISTRY); // a bad static query fails when the pack loads
  if (args.maxAgeDays !== undefined && !(Number.isFinite(args.maxAgeDays) && args.maxAgeDays >= 0)) {
    throw new Error(`imageIdPolicy: maxAgeDays must be a number of days (>= 0), got ${String(args.maxAgeDays)}`);
  }
  // One sharing for the pack's run: a hundred instances over one catalog make one fetch.
  const sharing = new RequestSharing();
  const rules: ImageRule[] = ['exists', 'available', 'matches-query'];
  if (args.maxAgeDays !== undefined) rules.push('max-age');
  if (args.requireMostRecent) rules.push('most-recent');
  return {
    name: args.name,
    description: args.description ?? `Image IDs of ${Object.keys(args.resources).join(', ')} must pass: ${rules.join(', ')}.`,
    enforcementLevel: args.enforcementLevel ?? 'mandatory',
    validateResource: async (resource, reportViolation) => {
      const property = args.resources[resource.type];
      if (property === undefined) return;
      const id = readPath(resource.props, property);
      if (id === undefined || id === null) return; // no image set here (e.g. launched from a template)
      if (typeof id !== 'string' || id === '') {
        reportViolation(violationMessage(resource, property, { rule: 'exists', message: `expected an image ID string, got ${JSON.stringify(id)}` }));
        return;
      }
      const query = typeof args.query === 'function' ? args.query(resource) : args.query;
      if (query === undefined) return;
      const violations = await checkImageId(id, {
        query,
        maxAgeDays: args.maxAgeDays,
        requireMostRecent: args.requireMostRecent,
        lookup: { config: args.config, env: args.env, sharing },
        now: args.now,
      });
      for (const violation of violations) reportViolation(violationMessage(resource, property, violation));
    },
  };
}
