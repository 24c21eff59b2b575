/**
 * The checks behind the policy helpers, on one image ID: is it a real image of the cloud and region, is it
 * available, does it match the query, is it recent enough, is it the newest for the query. Each failed rule is one
 * violation with a stable rule name and a message that names the ID and says what was expected.
 */
import { lookupImage, LookupOptions } from '../../provider/lookup';
import { Image, STATUSES } from '../../provider/core/image';
import { compileQuery, Query, QUERY_ARGUMENTS, validateQuery } from '../../provider/core/query';
import { ageInDays, matches, testNamesBounded } from '../../provider/core/select';
import { CloudImagesError, NoImageError, ValidationError } from '../../provider/core/errors';
import { findImageById } from '../pinned-image';
import { SDK_REGISTRY } from '../clouds';
import { escapeControls } from '../../provider/core/text';
import type { GetImageArgs } from '../types';

/** The rules, as named in violations. */
export type ImageRule = 'exists' | 'available' | 'matches-query' | 'max-age' | 'most-recent' | 'lookup';

export interface ImageViolation {
  rule: ImageRule;
  /** What is wrong, naming the ID (without the resource; the policy adds it). */
  message: string;
}

export interface ImageCheckOptions {
  /**
   * The catalog (cloud, region, …) and the selectors the image must match: getImage's arguments, with the same
   * closed values and the same run-time validation (`mostRecent` is ignored here; `requireMostRecent` asks for it).
   */
  query: GetImageArgs;
  /** Fail images created more than this many days before now: the same measure as the query's `maxAgeDays`. */
  maxAgeDays?: number;
  /** Fail images that are not the one `getImage({...query, mostRecent: true})` chooses now. */
  requireMostRecent?: boolean;
  /** Where lookups go (credentials and endpoints); defaults to the environment. Its registry defaults to the SDK's. */
  lookup?: LookupOptions;
  /** The clock, for max-age. */
  now?: () => Date;
}

/** Selectors whose mismatch is explained one by one (the catalog-addressing arguments are not selectors). */
const SELECTORS = QUERY_ARGUMENTS.map((a) => a.name).filter(
  (name) => !['cloud', 'region', 'endpoint', 'filters', 'mostRecent', 'allowUnsafeMostRecent', 'status', 'visibility'].includes(name),
);

/** Checks one image ID; returns every violated rule (empty: the image passes). Never throws for cloud errors. */
export async function checkImageId(id: string, options: ImageCheckOptions): Promise<ImageViolation[]> {
  const { mostRecent: _ignored, ...rest } = options.query;
  const clouds = options.lookup?.registry ?? SDK_REGISTRY;
  const lookup: LookupOptions = { ...options.lookup, registry: clouds };
  const query = validateQuery(rest, clouds);
  const now = (options.now?.() ?? new Date()).getTime();
  let found: Awaited<ReturnType<typeof findImageById>>;
  try {
    found = await findImageById(rest, id, lookup);
  } catch (err) {
    return [{ rule: 'lookup', message: `image ${id} could not be checked: ${(err as Error).message}` }];
  }
  const image = found.image;
  if (!image) return [{ rule: 'exists', message: `image ${id} is not an image of ${found.where}` }];

  const violations: ImageViolation[] = [];
  if (image.status !== 'available') {
    violations.push({ rule: 'available', message: `image ${id} (${image.name}) is ${image.status}, not available` });
  }
  const mismatches = explainMismatches(image, query, now);
  if (mismatches.length) {
    violations.push({ rule: 'matches-query', message: `image ${id} (${image.name}) does not match the query: ${mismatches.join('; ')}` });
  }
  if (options.maxAgeDays !== undefined) {
    const age = ageInDays(image.createdAt, now);
    if (age === null) {
      violations.push({
        rule: 'max-age',
        message: `image ${id} (${image.name}) has no creation time on ${image.cloud}, so it cannot be shown to be at most ${options.maxAgeDays} days old`,
      });
    } else if (age > options.maxAgeDays) {
      violations.push({
        rule: 'max-age',
        message: `image ${id} (${image.name}) was created ${image.createdAt}, ${formatDays(age)} days ago; at most ${options.maxAgeDays} days are allowed`,
      });
    }
  }
  if (options.requireMostRecent) {
    try {
      const newest = (await lookupImage({ ...rest, mostRecent: true }, { now: options.now, ...lookup })).result;
      if (newest.id !== id) {
        violations.push({
          rule: 'most-recent',
          message: `image ${id} (${image.name}) is not the most recent for the query; the newest is ${newest.id} (${newest.name}${newest.createdAt ? `, created ${newest.createdAt}` : ''})`,
        });
      }
    } catch (err) {
      if (err instanceof NoImageError) {
        violations.push({ rule: 'most-recent', message: `image ${id} cannot be the most recent for the query: ${err.message}` });
      } else if (err instanceof CloudImagesError) {
        violations.push({ rule: 'lookup', message: `the most recent image for the query could not be looked up: ${err.message}` });
      } else throw err;
    }
  }
  // Messages quote image names from the catalog: never a terminal escape in the policy report.
  return violations.map((v) => ({ ...v, message: escapeControls(v.message) }));
}

/** One line per selector the image fails: `architecture is x86_64, wanted arm64`. */
function explainMismatches(image: Image, query: Query, now: number): string[] {
  const out: string[] = [];
  for (const name of SELECTORS) {
    const wanted = (query as unknown as Record<string, unknown>)[name];
    if (wanted === undefined || (typeof wanted === 'object' && wanted !== null && Object.keys(wanted).length === 0)) continue;
    if (name === 'nameRegex') {
      // The same time-bounded runner as selection: a backtracking pattern fails the check instead of hanging it.
      try {
        if (!testNamesBounded(compileQuery(query).nameRegex!, [image.name])[0])
          out.push(`name ${JSON.stringify(image.name)} does not match /${wanted as string}/`);
      } catch (err) {
        if (!(err instanceof ValidationError)) throw err;
        out.push(`name ${JSON.stringify(image.name)} could not be matched against /${wanted as string}/: ${err.message}`);
      }
      continue;
    }
    const single = {
      cloud: query.cloud,
      mostRecent: false,
      allowUnsafeMostRecent: false,
      status: [...STATUSES],
      softwareVersions: {},
      tags: {},
      filters: {},
      [name]: wanted,
    } as Query;
    if (matches(image, compileQuery(single, now))) continue;
    if (name === 'minAgeDays' || name === 'maxAgeDays') {
      const age = ageInDays(image.createdAt, now);
      out.push(
        `${age === null ? 'no creation time is reported' : `created ${image.createdAt}, ${formatDays(age)} days ago`}, wanted ${name === 'minAgeDays' ? 'at least' : 'at most'} ${wanted as number} days`,
      );
    } else out.push(`${name} is ${actual(image, name)}, wanted ${typeof wanted === 'string' ? wanted : JSON.stringify(wanted)}`);
  }
  return out;
}

/** `3`, `30.5`: whole days as they are, otherwise one decimal (floored, so "30.9" never reads as 31). */
function formatDays(days: number): string {
  const tenths = Math.floor(days * 10) / 10;
  return Number.isInteger(tenths) ? String(tenths) : tenths.toFixed(1);
}

function actual(image: Image, selector: string): string {
  const gpu: Record<string, unknown> = { gpu: image.gpu.supported, gpuVendor: image.gpu.vendor, gpuModel: image.gpu.models, gpuDriver: image.gpu.driver };
  const value = selector in gpu ? gpu[selector] : (image as unknown as Record<string, unknown>)[selector];
  if (value === null || value === undefined) return 'not reported';
  return typeof value === 'string' ? value : JSON.stringify(value);
}
