/**
 * The lookup pipeline every surface (SDK, plugin, CLI, ImageLock, policy) calls:
 * validate → plan (push-down) → fetch once per identical request → select → choose.
 */
import { BUILT_IN_REGISTRY } from './clouds';
import { CloudImagesConfig, Env } from './core/config';
import { collectWarnings, Image } from './core/image';
import { compileQuery, Query, refuseGetImageOnly, validateQuery } from './core/query';
import { escapeControls } from './core/text';
import { chooseImage, ChoiceRule, explainSelection, SelectionExplanation, selectImages } from './core/select';
import { ValidationError } from './core/errors';
import { HttpClient, ProgressListener } from './core/http/client';
import { readTransportSettings, TransportSettings } from './core/http/settings';
import { readCatalogTtlMs, RequestSharing, sharedRequests } from './core/share';
import { planRequests } from './core/backend';
import type { CloudModule, CloudRegistry } from './core/module';
import { resolveSettings } from './core/settings';
import { pagingHints } from './core/hints';
import { commonImages, noCommonImageError, RegionMatches } from './core/regions';

export interface LookupOptions {
  /** The clouds this lookup may query, as the surface assembled them; default the built-in ones (provider/clouds). */
  registry?: CloudRegistry;
  /** The `cloudimages` configuration (per-cloud credentials and endpoints); unset fields fall back to `env`. */
  config?: CloudImagesConfig;
  /** Defaults to process.env. */
  env?: Env;
  http?: HttpClient;
  sharing?: RequestSharing;
  /** "Now" for minAgeDays and maxAgeDays; defaults to the clock. */
  now?: () => Date;
  /** How long a catalog fetched by an earlier lookup is reused, in seconds; default CLOUDIMAGES_CATALOG_TTL_SECONDS,
   * else an hour (core/share.ts). */
  catalogTtlSeconds?: number;
  /** Also say how selection went (the funnel; for getImage the rule that chose): the CLI's --explain. */
  explain?: boolean;
  /** Told of every request's start and answer (and of the pages a listing learns it needs): the CLI's progress line. */
  onProgress?: ProgressListener;
}

export interface ImagesResult {
  ids: string[];
  images: Image[];
}

export interface LookupOutcome<T> {
  result: T;
  query: Query;
  warnings: string[];
  /** getImage: why this image was chosen. */
  reason?: string;
  /** getImage: which rule chose (the only match, the newest, the tie-break, the version in the name). */
  rule?: ChoiceRule;
  /** With `explain`: the candidates left after the catalog and after each selector. */
  explanation?: SelectionExplanation;
}

const registryOf = (options: LookupOptions): CloudRegistry => options.registry ?? BUILT_IN_REGISTRY;

/** One client per distinct transport setting, so connections (and proxy tunnels) are reused across lookups. */
const clients = new Map<string, HttpClient>();
function clientFor(settings: TransportSettings): HttpClient {
  const key = `${settings.timeoutMs}/${settings.deadlineMs}/${settings.maxResponseBytes}/${settings.maxListingBytes}`;
  let client = clients.get(key);
  if (!client) clients.set(key, (client = new HttpClient(settings)));
  return client;
}

/**
 * `forOneImage`: getImage's checks (mostRecent's guard); `planForOne`: let the backend plan for one image (it may
 * then answer a mostRecent query with the newest match only), which a lookup across regions must not.
 */
async function fetchCandidates(args: unknown, options: LookupOptions, forOneImage: boolean, planForOne = forOneImage) {
  if (!forOneImage) refuseGetImageOnly(args);
  const clouds = registryOf(options);
  const parsed = validateQuery(args, clouds);
  const module = clouds.get(parsed.cloud);
  const query: Query = { ...parsed, visibility: parsed.visibility ?? (module.defaultVisibility ? [...module.defaultVisibility] : undefined) };
  if (forOneImage) guardMostRecent(query, module);
  refuseAgesWithoutCreationTime(query, module);
  const env = options.env ?? process.env;
  // Checked on every lookup, before any request, even when the caller brings its own client.
  const transport = readTransportSettings(env);
  const ttlMs = readCatalogTtlMs(env, options.catalogTtlSeconds);
  const settings = resolveSettings(module, query, options.config ?? {}, env);
  const { narrow, wide, everyStatus } = planRequests(module.backend, query, settings, planForOne);
  const http = options.http ?? clientFor(transport);
  const sharing = options.sharing ?? sharedRequests;
  // Each fetch is one lookup for the transport: one deadline, and one failure aborts all of its requests.
  const context = { hints: pagingHints(env) };
  const wideRequest = { key: wide.key, run: () => wide.run(http.forLookup(transport.deadlineMs, options.onProgress), context) };
  // An explanation counts from the whole catalog, so it asks for the wide request (the narrow one is already filtered).
  const catalog = await sharing.getWithin(
    options.explain ? wideRequest : { key: narrow.key, run: () => narrow.run(http.forLookup(transport.deadlineMs, options.onProgress), context) },
    wideRequest,
    ttlMs,
  );
  const compiled = compileQuery(query, (options.now?.() ?? new Date()).getTime());
  const images = selectImages(catalog, compiled);
  /** The funnel over the whole catalog in every status: for an explanation, or when getImage found nothing (one
   * more listing then, unless it is the one at hand or shared; if that listing fails, the answer at hand is explained). */
  const explain = async (): Promise<SelectionExplanation> => {
    const fetched = options.explain ? wide.key : narrow.key;
    const whole =
      everyStatus.key === fetched
        ? catalog
        : await sharing
            .get(everyStatus.key, () => everyStatus.run(http.forLookup(transport.deadlineMs, options.onProgress), context), ttlMs)
            .catch(() => catalog);
    return explainSelection(whole, compiled);
  };
  return { query, images, explain };
}

/** Ages are measured from creation times: on a cloud without them every image would fail, which reads as "none". */
function refuseAgesWithoutCreationTime(query: Query, module: CloudModule): void {
  if (module.reportsCreationTime) return;
  for (const argument of ['minAgeDays', 'maxAgeDays'] as const) {
    if (query[argument] !== undefined) {
      throw new ValidationError(
        argument,
        `${query.cloud} reports no creation time, so no image could be shown to be old or new enough; leave ${argument} unset (mostRecent there orders by OS version, then the version numbers in names)`,
      );
    }
  }
}

/**
 * `mostRecent` over images that strangers can publish picks whoever uploaded last (CVE-2018-15869 was this
 * mistake in AWS's provider), so it needs an explicit opt-in.
 */
function guardMostRecent(query: Query, module: CloudModule): void {
  if (!query.mostRecent || query.allowUnsafeMostRecent) return;
  const untrusted = (query.visibility ?? []).filter((v) => !module.trustedVisibilities.includes(v));
  if (untrusted.length > 0) {
    throw new ValidationError(
      'mostRecent',
      `refusing to choose the most recent image among ${untrusted.join(', ')} images, which other accounts can publish on ${query.cloud}; narrow visibility to ${module.trustedVisibilities.join(' or ') || 'your own images'}, or set allowUnsafeMostRecent: true if you trust every publisher`,
    );
  }
}

/** Whether the arguments list regions (validated with the rest: an empty list is refused, not ignored). */
function listsRegions(args: unknown): boolean {
  return (
    args !== null && typeof args === 'object' && (args as Record<string, unknown>).regions !== undefined && (args as Record<string, unknown>).regions !== null
  );
}

/**
 * A lookup in each listed region, all at once (each region's catalog is shared like any other, so a program lists it
 * once), and what they have in common (core/regions.ts).
 */
async function acrossRegions(args: unknown, options: LookupOptions, forOneImage: boolean) {
  if (!forOneImage) refuseGetImageOnly(args);
  const parsed = validateQuery(args, registryOf(options));
  const regions = parsed.regions!;
  const perRegion = await Promise.all(
    regions.map((region) => fetchCandidates({ ...(args as object), regions: undefined, region }, options, forOneImage, false)),
  );
  const matches: RegionMatches[] = perRegion.map((c, i) => ({ region: regions[i], images: c.images, explain: c.explain }));
  const query: Query = { ...perRegion[0].query, region: undefined, regions };
  const warnings = perRegion.flatMap((c) => collectWarnings(c.images));
  // --explain shows the first region's funnel: the one whose image answers id and region.
  const explanation = options.explain ? await perRegion[0].explain() : undefined;
  return { query, matches, common: commonImages(matches), warnings, explanation };
}

export async function lookupImages(args: unknown, options: LookupOptions = {}): Promise<LookupOutcome<ImagesResult>> {
  if (listsRegions(args)) {
    const { query, common, warnings, explanation } = await acrossRegions(args, options, false);
    return { result: { ids: common.map((i) => i.id), images: common }, query, warnings: warnings.map(escapeControls), explanation };
  }
  const { query, images, explain } = await fetchCandidates(args, options, false);
  const explanation = options.explain ? await explain() : undefined;
  return { result: { ids: images.map((i) => i.id), images }, query, warnings: collectWarnings(images).map(escapeControls), explanation };
}

export async function lookupImage(args: unknown, options: LookupOptions = {}): Promise<LookupOutcome<Image>> {
  if (listsRegions(args)) {
    const { query, matches, common, warnings, explanation } = await acrossRegions(args, options, true);
    if (common.length === 0) throw await noCommonImageError(query, matches);
    const choice = chooseImage(common, query);
    const reason = `${choice.reason}, among the images all of ${query.regions!.join(', ')} have`;
    return {
      result: choice.image,
      query,
      warnings: [...warnings, ...choice.warnings].map(escapeControls),
      reason: escapeControls(reason),
      rule: choice.rule,
      explanation,
    };
  }
  const { query, images, explain } = await fetchCandidates(args, options, true);
  const explanation = options.explain || images.length === 0 ? await explain() : undefined;
  const choice = chooseImage(images, query, explanation && (() => explanation));
  // What was odd about the candidates (an unreadable creation time changes which one is newest), then the choice.
  // Warnings and the reason quote image names and IDs: escaped here, for every surface that prints them.
  return {
    result: choice.image,
    query,
    warnings: [...collectWarnings(images), ...choice.warnings].map(escapeControls),
    reason: escapeControls(choice.reason),
    rule: choice.rule,
    explanation,
  };
}
