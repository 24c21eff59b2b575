/**
 * Selection on normalized images: the pipeline is filter → sort → (for getImage) choose one.
 * Every selector is applied here, even when a backend already pushed it down to the API, so a cached
 * wider catalog answers a narrower query correctly.
 */
import * as vm from 'vm';
import { Image } from './image';
import { CompiledQuery, describeQuery, Query } from './query';
import { AmbiguousImageError, NoImageError, ValidationError } from './errors';
import { compareNatural, versionSatisfies } from './versions';

/** A regular expression may backtrack catastrophically; it runs under this budget for the whole catalog. */
export const REGEX_BUDGET_MS = 1000;

/** The total order of getImages: createdAt descending (unknown last), then name, then id (code-unit order). */
export function compareImages(a: Image, b: Image): number {
  if (a.createdAt !== b.createdAt) {
    if (a.createdAt === null) return 1;
    if (b.createdAt === null) return -1;
    return a.createdAt < b.createdAt ? 1 : -1;
  }
  return compareStrings(a.name, b.name) || compareStrings(a.id, b.id);
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Newest by the version numbers in the name (`7.10` after `7.9`), for clouds without creation times. */
export function compareByNameVersionDescending(a: Image, b: Image): number {
  return compareNatural(b.name, a.name) || compareStrings(a.name, b.name) || compareStrings(a.id, b.id);
}

export function matches(image: Image, compiled: CompiledQuery): boolean {
  const q = compiled.query;
  if (q.architecture && image.architecture !== q.architecture) return false;
  if (q.gpu === true && image.gpu.supported !== true) return false;
  // "Does not run on GPU machines" is a fact only where the cloud says so; unknown is not "no".
  if (q.gpu === false && image.gpu.supported !== false) return false;
  if (q.gpuVendor && !sameText(image.gpu.vendor, q.gpuVendor)) return false;
  if (q.gpuModel && !image.gpu.models.some((m) => modelMatches(m, q.gpuModel!))) return false;
  if (compiled.gpuDriver && !versionSatisfies(image.gpu.driver, compiled.gpuDriver)) return false;
  if (q.osType && image.osType !== q.osType) return false;
  if (q.osDistro && !sameName(image.osDistro, q.osDistro)) return false;
  if (q.osVersion && !sameText(image.osVersion, q.osVersion)) return false;
  if (q.machineType && image.machineType !== q.machineType && image.machineType !== 'any') return false;
  if (q.visibility && (image.visibility === null || !q.visibility.includes(image.visibility))) return false;
  if (!q.status.includes(image.status)) return false;
  if (q.zone && image.zone !== null && image.zone !== q.zone) return false;
  for (const [name, range] of Object.entries(compiled.softwareVersions)) {
    if (!versionSatisfies(image.softwareVersions[name], range)) return false;
  }
  for (const [key, value] of Object.entries(q.tags)) {
    if (image.tags[key] !== value) return false;
  }
  return true;
}

function sameText(actual: string | null, wanted: string): boolean {
  return actual !== null && actual.toLowerCase() === wanted.toLowerCase();
}

/** Distribution names: case, spaces, dashes and underscores aside (`Red Hat` = `redhat` = `red-hat`). */
function sameName(actual: string | null, wanted: string): boolean {
  const fold = (s: string) => s.toLowerCase().replace(/[\s_-]+/g, '');
  return actual !== null && fold(actual) === fold(wanted);
}

/** `H100` matches `H100` and `NVIDIA H100 80GB HBM3`, not `H1000`. */
function modelMatches(model: string, wanted: string): boolean {
  const escaped = wanted.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(^|[^A-Za-z0-9])${escaped}($|[^A-Za-z0-9])`, 'i').test(model);
}

/** Filters and sorts: the result of getImages. */
export function selectImages(images: readonly Image[], compiled: CompiledQuery): Image[] {
  let candidates = images.filter((image) => matches(image, compiled));
  if (compiled.nameRegex) {
    const keep = testNamesBounded(compiled.nameRegex, candidates.map((i) => i.name));
    candidates = candidates.filter((_, i) => keep[i]);
  }
  return dedupeById(candidates).sort(compareImages);
}

/** Two records with one ID (a catalog that changed between pages) must not become two results. */
function dedupeById(images: Image[]): Image[] {
  const seen = new Set<string>();
  return images.filter((image) => (seen.has(image.id) ? false : (seen.add(image.id), true)));
}

export interface Choice {
  image: Image;
  /** Why this one: shown by the CLI and the demo. */
  reason: string;
  warnings: string[];
}

/** getImage's rule: exactly one, or the newest with mostRecent; errors that say what to change. */
export function chooseImage(sorted: readonly Image[], query: Query): Choice {
  if (sorted.length === 0) {
    throw new NoImageError(`no image matches the query (${describeQuery(query)}); loosen a selector, or check the region and status`);
  }
  if (sorted.length === 1) {
    // With mostRecent a backend may have asked the server for the newest match only, so "only" would mislead.
    const reason = query.mostRecent ? `the newest image that matches${sorted[0].createdAt ? ` (created ${sorted[0].createdAt})` : ''}` : 'the only image that matches';
    return { image: sorted[0], reason, warnings: [] };
  }
  if (!query.mostRecent) {
    const ids = sorted.slice(0, 5).map((i) => i.id);
    throw new AmbiguousImageError(
      `${sorted.length} images match the query (${describeQuery(query)}), e.g. ${ids.join(', ')}; narrow the query or set mostRecent to true`,
      sorted.length,
      ids,
    );
  }
  if (sorted.every((i) => i.createdAt === null)) {
    // One pass for the maximum: sorting thousands of names by natural order is needlessly slow.
    const image = sorted.reduce((best, candidate) => (compareByNameVersionDescending(candidate, best) < 0 ? candidate : best));
    return {
      image,
      reason: `the highest version in the name among ${sorted.length} matches`,
      warnings: [`${query.cloud} reports no creation time: mostRecent chose ${image.id} (${image.name}) by the version numbers in image names`],
    };
  }
  const image = sorted[0];
  const tied = sorted.filter((i) => i.createdAt === image.createdAt).length;
  return {
    image,
    reason: `the newest of ${sorted.length} matches (created ${image.createdAt}${tied > 1 ? `; ${tied} share that time, first by name then ID` : ''})`,
    warnings: [],
  };
}

const regexContext = vm.createContext({});
const regexScript = new vm.Script('(() => { const p = new RegExp(source, flags); return names.map((n) => { p.lastIndex = 0; return p.test(n); }); })()');

/**
 * Tests the names in a separate V8 context with a time limit, so a catastrophically backtracking pattern
 * (`(a+)+$`) fails with a clear error instead of hanging the program.
 */
export function testNamesBounded(pattern: RegExp, names: string[]): boolean[] {
  regexContext.source = pattern.source;
  regexContext.flags = pattern.flags;
  regexContext.names = names;
  try {
    return Array.from(regexScript.runInContext(regexContext, { timeout: REGEX_BUDGET_MS }) as boolean[]);
  } catch (err) {
    if ((err as { code?: string }).code === 'ERR_SCRIPT_EXECUTION_TIMEOUT') {
      throw new ValidationError('nameRegex', `took longer than ${REGEX_BUDGET_MS} ms on ${names.length} names (catastrophic backtracking?); simplify the expression, e.g. avoid nested quantifiers like (a+)+`);
    }
    throw err;
  } finally {
    regexContext.names = undefined;
  }
}
