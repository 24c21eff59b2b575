/**
 * Looking up one image by ID, for ImageLock (is the pinned image still there?) and the policy helpers (is this
 * ID a real image of the cloud and region?). The clouds have no common "get image by ID" call, so this lists the
 * catalog the query addresses (same cloud, region, zone, endpoint, publishers and cloud-native filters) in every
 * status, and finds the ID in it: a deprecated or failed image is found and reported as such, not as missing.
 */
import { lookupImages, LookupOptions } from '../provider/lookup';
import { Image, STATUSES } from '../provider/core/image';
import { validateQuery } from '../provider/core/query';
import { stableJson } from '../provider/core/keys';
import type { CloudRegistry } from '../provider/core/module';

/** The query arguments that say which catalog is addressed (as opposed to which images in it are wanted). */
const SCOPE_ARGUMENTS = ['cloud', 'region', 'zone', 'endpoint', 'visibility', 'filters'] as const;

/** The part of a query that addresses a catalog, with every status allowed. */
export function catalogScope(args: Record<string, unknown>): Record<string, unknown> {
  const scope: Record<string, unknown> = {};
  for (const name of SCOPE_ARGUMENTS) {
    if (args[name] !== undefined && args[name] !== null) scope[name] = args[name];
  }
  scope.status = [...STATUSES];
  return scope;
}

export interface FoundImage {
  /** The image, in whatever status it is; undefined when the catalog has no image with that ID. */
  image?: Image;
  /** Where it was looked for, for messages: `nscale region 3f8a… (private, public images)`. */
  where: string;
}

/** Finds an image by ID in the catalog the query addresses. Throws what the lookup throws (bad query, cloud errors). */
export async function findImageById(args: Record<string, unknown>, id: string, options: LookupOptions = {}): Promise<FoundImage> {
  const outcome = await lookupImages(catalogScope(args), options);
  const query = outcome.query;
  const where = `${query.cloud}${query.region ? ` region ${query.region}` : ''}${query.zone ? ` zone ${query.zone}` : ''}${query.visibility ? ` (${query.visibility.join(', ')} images)` : ''}`;
  return { image: outcome.result.images.find((image) => image.id === id), where };
}

/** A canonical text of a query (validated and normalized), so equal queries compare equal however they were written. */
export function canonicalQuery(args: unknown, clouds: CloudRegistry): string {
  const query = validateQuery(args, clouds) as unknown as Record<string, unknown>;
  return stableJson(query);
}
