/**
 * What every backend shares: refusing filters that set what the client manages and answers with duplicate IDs, and
 * the pair of requests a lookup plans (its own narrow one and the wide one for the same catalog). The contract
 * itself is in module.ts; what each cloud does with each selector, in selectors.ts.
 */
import { argumentsOf, Query, queryDefaults } from './query';
import { PagingError } from './errors';
import { Image, STATUSES } from './image';
import { quoteServerText } from './text';
import type { CloudImagesConfig, Env } from './config';
import type { CloudBackend, CloudModule, PlannedFetch } from './module';
import { resolveSettings, ResolvedSettings } from './settings';

/**
 * The parameter a filter name would set among those the client signs or manages, compared without letter case (a
 * server may read `signature` as `Signature`, `pagenumber` as `PageNumber`) and including dotted members
 * (`Signature.1`); undefined when the filter is the caller's to set.
 */
export function managedParameter(filterName: string, managed: Iterable<string>): string | undefined {
  const lower = filterName.toLowerCase();
  for (const name of managed) {
    const own = name.toLowerCase();
    if (lower === own || lower.startsWith(`${own}.`)) return name;
  }
  return undefined;
}

/**
 * Refuses duplicate IDs in one answer, the same way on every cloud: a record listed twice means the catalog moved
 * while it was paged (so another may have been skipped) or the server repeats itself, and neither is a complete
 * listing. Lists a cloud documents as overlapping (UCloud's VM and bare-metal sets, nscale's two scopes) are merged
 * by its backend before this check.
 */
export function refuseDuplicateIds(images: readonly Image[], cloud: string): Image[] {
  const seen = new Set<string>();
  for (const image of images) {
    if (seen.has(image.id)) {
      throw new PagingError(
        `image ${quoteServerText(image.id, 80)} appears twice in one answer: the catalog changed while it was listed or the server repeats records, so the listing cannot be trusted; retry`,
        { cloud },
      );
    }
    seen.add(image.id);
  }
  return images as Image[];
}

/** A planned fetch whose answer is checked for completeness (no duplicate IDs) before anyone sees it. */
function checked(fetch: PlannedFetch, cloud: string): PlannedFetch {
  return { key: fetch.key, run: async (http, context) => refuseDuplicateIds(await fetch.run(http, context), cloud) };
}

/**
 * The same catalog without the selectors a backend may push down: what one fetch for many queries asks for.
 * Kept: the arguments the table marks as the catalog's scope (cloud, region, zone, endpoint, visibility, status, and
 * the cloud-native `filters`, which selection cannot re-check locally); everything else takes its default.
 */
export function widen(query: Query): Query {
  const wide: Record<string, unknown> = queryDefaults();
  for (const { name } of argumentsOf('scope')) wide[name] = query[name];
  return wide as unknown as Query;
}

/**
 * The lookup's own request, the wide one for its catalog, and the same catalog in every status (what a lookup that
 * found nothing counts, so "check the region" is never said of a region that holds the image in another status),
 * all from the settings resolved once. Backends may answer a mostRecent query with only the newest image, so a
 * listing (`forOneImage` false) plans without it.
 */
export function planRequests(
  backend: CloudBackend,
  query: Query,
  settings: ResolvedSettings,
  forOneImage: boolean,
): { narrow: PlannedFetch; wide: PlannedFetch; everyStatus: PlannedFetch } {
  return {
    narrow: checked(backend.plan(forOneImage ? query : { ...query, mostRecent: false }, settings), query.cloud),
    wide: checked(backend.plan(widen(query), settings), query.cloud),
    everyStatus: checked(backend.plan({ ...widen(query), status: [...STATUSES] }, settings), query.cloud),
  };
}

/** One request for one query, settings resolved from `config` and `env`: what a module plans, without sharing. */
export function planFetch(module: CloudModule, query: Query, config: CloudImagesConfig, env: Env): PlannedFetch {
  return checked(module.backend.plan(query, resolveSettings(module, query, config, env)), module.name);
}
