/**
 * Selection on normalized images: the pipeline is filter → sort → (for getImage) choose one.
 * Every selector is applied here, even when a backend already pushed it down to the API, so a cached
 * wider catalog answers a narrower query correctly.
 */
import * as vm from 'vm';
import { creationFraction, Image, ImageStatus, STATUSES } from './image';
import { CompiledQuery, describeQuery, Query, ScopeName, SelectorName } from './query';
import { AmbiguousImageError, NoImageError, NoImageFunnelStep, NoImageNearMiss, ValidationError } from './errors';
import { imageVersionKey, nameVersionNumbers, versionSatisfies } from './versions';
import { canonicalDistro } from './os';
import { getOwn } from './records';

const DAY_MS = 86_400_000;

/** Days from a creation time to `now` (fractional; negative for a time after now); null without a creation time.
 * minAgeDays, maxAgeDays and the policy helper's maxAgeDays all measure with this. */
export function ageInDays(createdAt: string | null, now: number): number | null {
  return createdAt === null ? null : (now - Date.parse(createdAt)) / DAY_MS;
}

/** A regular expression may backtrack catastrophically; it runs under this budget for the whole catalog. */
export const REGEX_BUDGET_MS = 1000;

/**
 * The total order of getImages (and so of getImage with mostRecent, which takes the first): createdAt descending;
 * images without one after those with one, by OS version, then the version numbers in the name, highest first
 * (`24.04` above `22.04`, `7.10` above `7.9`, unknown versions and names without numbers last); then name, then id
 * (code-unit order).
 */
export function compareImages(a: Image, b: Image): number {
  return compareKeyed(keyed(a), keyed(b));
}

/** An image with the sort key of its OS and name versions, computed once (only where it decides: no createdAt). */
interface Keyed {
  image: Image;
  version: string;
}

/** Catalogs are shared between lookups in a process, so each image's key is computed once, not once per lookup. */
const versionKeys = new WeakMap<Image, string>();

function versionKey(image: Image): string {
  let key = versionKeys.get(image);
  if (key === undefined) versionKeys.set(image, (key = imageVersionKey(image.osVersion, image.name ?? '')));
  return key;
}

const keyed = (image: Image): Keyed => ({ image, version: image.createdAt === null ? versionKey(image) : '' });

function compareKeyed(x: Keyed, y: Keyed): number {
  if (x.image.createdAt === null && y.image.createdAt === null && x.version !== y.version) return x.version < y.version ? 1 : -1;
  return compareByTimeNameId(x.image, y.image);
}

/** createdAt descending at the precision the server gave (none last), then name, then id: the whole order where
 * versions do not decide. */
function compareByTimeNameId(a: Image, b: Image): number {
  return compareCreation(a, b) || compareNames(a.name, b.name) || compareStrings(a.id, b.id);
}

/** Newest first: whole seconds, then the fraction the server gave (`…00.900Z` before `…00.100Z`); none last. */
function compareCreation(a: Image, b: Image): number {
  if (a.createdAt !== b.createdAt) {
    if (a.createdAt === null) return 1;
    if (b.createdAt === null) return -1;
    return a.createdAt < b.createdAt ? 1 : -1;
  }
  if (a.createdAt === null) return 0;
  const x = creationFraction(a);
  const y = creationFraction(b);
  return x === y ? 0 : x < y ? 1 : -1;
}

/** Names in code-unit order; an image without a name after those with one. */
function compareNames(a: string | null, b: string | null): number {
  if (a === null || b === null) return a === b ? 0 : a === null ? 1 : -1;
  return compareStrings(a, b);
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Sorts in place into the getImages order; version keys are computed once per image, and only if some lack a time. */
function sortImages(images: Image[]): Image[] {
  if (!images.some((i) => i.createdAt === null)) return images.sort(compareByTimeNameId);
  const decorated = images.map(keyed).sort(compareKeyed);
  for (let i = 0; i < decorated.length; i++) images[i] = decorated[i].image;
  return images;
}

/** One selector of a query, as applied: its argument name as users write it (`architecture`, `tags.team`). */
interface AppliedSelector {
  selector: string;
  /** The wanted value as shown in messages (`arm64`). */
  shown: string;
  test(image: Image): boolean;
}

type Add = (selector: string, shown: unknown, test: (image: Image) => boolean) => void;
type Matcher = (compiled: CompiledQuery, add: Add) => void;

/**
 * How selection applies each argument that narrows the images, in the order applied: what defines the catalog
 * first (status, visibility, zone), then the image's facts. Keyed by every selector of the argument table
 * (core/query.ts), so a selector without its matcher does not compile. Each adds the tests of what the query sets.
 */
const MATCHERS: { readonly [Name in SelectorName | Extract<ScopeName, 'status' | 'visibility' | 'zone'>]: Matcher } = {
  status: ({ query: q }, add) => add('status', q.status, (i) => q.status.includes(i.status)),
  visibility: ({ query: q }, add) => {
    if (q.visibility) add('visibility', q.visibility, (i) => i.visibility !== null && q.visibility!.includes(i.visibility));
  },
  zone: ({ query: q }, add) => {
    if (q.zone) add('zone', q.zone, (i) => i.zone === null || i.zone === q.zone);
  },
  architecture: ({ query: q }, add) => {
    if (q.architecture) add('architecture', q.architecture, (i) => i.architecture === q.architecture);
  },
  gpu: ({ query: q }, add) => {
    if (q.gpu === true) add('gpu', true, (i) => i.gpu.supported === true);
    // "Does not run on GPU machines" is a fact only where the cloud says so; unknown is not "no".
    if (q.gpu === false) add('gpu', false, (i) => i.gpu.supported === false);
  },
  gpuVendor: ({ query: q }, add) => {
    if (q.gpuVendor) add('gpuVendor', q.gpuVendor, (i) => sameText(i.gpu.vendor, q.gpuVendor!));
  },
  gpuModel: ({ query: q }, add) => {
    if (!q.gpuModel) return;
    const model = modelPattern(q.gpuModel);
    add('gpuModel', q.gpuModel, (i) => i.gpu.models.some((m) => model.test(m)));
  },
  gpuDriver: (compiled, add) => {
    if (compiled.gpuDriver) add('gpuDriver', compiled.query.gpuDriver, (i) => versionSatisfies(i.gpu.driver, compiled.gpuDriver!));
  },
  osType: ({ query: q }, add) => {
    if (q.osType) add('osType', q.osType, (i) => i.osType === q.osType);
  },
  // One OS vocabulary (core/os.ts): aliases and the vendor's version forms match the IDs images carry.
  osDistro: (compiled, add) => {
    if (compiled.osDistro) add('osDistro', compiled.query.osDistro, (i) => compiled.osDistro!(i.osDistro));
  },
  osVersion: (compiled, add) => {
    if (compiled.osVersion) add('osVersion', compiled.query.osVersion, (i) => compiled.osVersion!(i.osDistro, i.osVersion));
  },
  machineType: ({ query: q }, add) => {
    if (q.machineType) add('machineType', q.machineType, (i) => i.machineType === q.machineType || i.machineType === 'any');
  },
  softwareVersions: (compiled, add) => {
    for (const [name, range] of Object.entries(compiled.softwareVersions)) {
      add(`softwareVersions.${name}`, compiled.query.softwareVersions[name], (i) => versionSatisfies(getOwn(i.softwareVersions, name), range));
    }
  },
  // Own keys only: a tag named `constructor` or `toString` is matched literally, never found on a prototype.
  tags: ({ query: q }, add) => {
    for (const [key, value] of Object.entries(q.tags)) add(`tags.${key}`, value, (i) => getOwn(i.tags, key) === value);
  },
  // Ages: an image without a creation time cannot be shown to be old or new enough (and such clouds are refused).
  minAgeDays: ({ query: q, now }, add) => {
    if (q.minAgeDays !== undefined) add('minAgeDays', q.minAgeDays, (i) => (ageInDays(i.createdAt, now) ?? -Infinity) >= q.minAgeDays!);
  },
  maxAgeDays: ({ query: q, now }, add) => {
    if (q.maxAgeDays !== undefined) add('maxAgeDays', q.maxAgeDays, (i) => (ageInDays(i.createdAt, now) ?? Infinity) <= q.maxAgeDays!);
  },
  // Applied last, over the survivors only, in bulk under a time budget (selectImages, testNamesBounded).
  nameRegex: () => undefined,
};

/** The selectors a query sets, in the order they are applied (MATCHERS); nameRegex is not among them. */
function appliedSelectors(compiled: CompiledQuery): AppliedSelector[] {
  const out: AppliedSelector[] = [];
  const add: Add = (selector, shown, test) => out.push({ selector, shown: Array.isArray(shown) ? shown.join(',') : String(shown), test });
  for (const matcher of Object.values(MATCHERS)) matcher(compiled, add);
  return out;
}

/** Every selector except nameRegex (which runs in bulk under a time budget: testNamesBounded). */
export function matches(image: Image, compiled: CompiledQuery): boolean {
  return appliedSelectors(compiled).every((s) => s.test(image));
}

function sameText(actual: string | null, wanted: string): boolean {
  return actual !== null && actual.toLowerCase() === wanted.toLowerCase();
}

/** `H100` matches `H100` and `NVIDIA H100 80GB HBM3`, not `H1000`. */
function modelPattern(wanted: string): RegExp {
  const escaped = wanted.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(^|[^A-Za-z0-9])${escaped}($|[^A-Za-z0-9])`, 'i');
}

/** Filters and sorts: the result of getImages. */
export function selectImages(images: readonly Image[], compiled: CompiledQuery): Image[] {
  const selectors = appliedSelectors(compiled);
  let candidates = images.filter((image) => {
    for (const s of selectors) if (!s.test(image)) return false;
    return true;
  });
  if (compiled.nameRegex) {
    const keep = testNamesBounded(
      compiled.nameRegex,
      candidates.map((i) => i.name),
    );
    candidates = candidates.filter((_, i) => keep[i]);
  }
  return sortImages(dedupeById(candidates));
}

/** Two records with one ID (a catalog that changed between pages) must not become two results. */
function dedupeById(images: readonly Image[]): Image[] {
  const seen = new Set<string>();
  return images.filter((image) => (seen.has(image.id) ? false : (seen.add(image.id), true)));
}

export interface SelectionExplanation {
  /** The candidates left after the catalog itself (`catalog`), then after each selector in the order applied. */
  funnel: NoImageFunnelStep[];
  /** Up to three images that fail the fewest selectors, newest first (empty when some image passes them all). */
  nearMisses: NoImageNearMiss[];
  /** The wanted value of each selector as shown in messages (`architecture` → `arm64`). */
  shown: Record<string, string>;
  /** How many images of the catalog are in each status (those with none left out). */
  statuses: Partial<Record<ImageStatus, number>>;
}

const NEAR_MISSES = 3;
const onlyStatus = (failed: readonly string[]) => Number(failed.length === 1 && failed[0] === 'status');

/**
 * Why selection kept what it kept: the funnel and the near misses. Not on the measured paths: it runs when
 * getImage found nothing, or when asked (--explain). Every selector is tested on every image, nameRegex included
 * (under the same time budget).
 */
export function explainSelection(catalog: readonly Image[], compiled: CompiledQuery): SelectionExplanation {
  const images = dedupeById(catalog);
  const applied = appliedSelectors(compiled);
  const steps = applied.map((s) => ({ selector: s.selector, shown: s.shown }));
  const regexKeeps = compiled.nameRegex
    ? testNamesBounded(
        compiled.nameRegex,
        images.map((i) => i.name),
      )
    : undefined;
  if (compiled.nameRegex) steps.push({ selector: 'nameRegex', shown: compiled.nameRegex.source });
  const remaining = new Array<number>(steps.length).fill(0);
  const misses: { image: Image; failed: string[] }[] = [];
  images.forEach((image, i) => {
    const passes = applied.map((s) => s.test(image));
    if (regexKeeps) passes.push(regexKeeps[i]);
    const firstFailure = passes.indexOf(false);
    for (let k = 0; k < (firstFailure === -1 ? passes.length : firstFailure); k++) remaining[k]++;
    if (firstFailure !== -1) misses.push({ image, failed: steps.filter((_, k) => !passes[k]).map((s) => s.selector) });
  });
  const someMatch = misses.length < images.length;
  const nameCounts = new Map<Image['name'], number>();
  for (const image of images) nameCounts.set(image.name, (nameCounts.get(image.name) ?? 0) + 1);
  // A name that does not single the image out (another has it, or there is none) comes with the ID.
  const nameShared = (name: Image['name']) => typeof name !== 'string' || nameCounts.get(name)! > 1;
  const nearMisses = someMatch
    ? []
    : misses
        // Fewest failures first; among those, an image that fails only status (the image asked for, in another status).
        .sort((x, y) => x.failed.length - y.failed.length || onlyStatus(y.failed) - onlyStatus(x.failed) || compareImages(x.image, y.image))
        .slice(0, NEAR_MISSES)
        .map(({ image, failed }) => ({ id: image.id, name: image.name, ...(nameShared(image.name) ? { nameShared: true as const } : {}), failed }));
  return {
    funnel: [{ selector: 'catalog', remaining: images.length }, ...steps.map((s, k) => ({ selector: s.selector, remaining: remaining[k] }))],
    nearMisses,
    shown: Object.fromEntries(steps.map((s) => [s.selector, s.shown])),
    statuses: Object.fromEntries(STATUSES.map((s) => [s, images.filter((i) => i.status === s).length] as const).filter(([, n]) => n !== 0)),
  };
}

const count = (n: number) => n.toLocaleString('en-US');
const clip = (s: string | null, max = 40) => (s === null ? '(no name)' : s.length > max ? `${s.slice(0, max)}…` : s);

/**
 * The funnel in one line: `1,204 in the catalog → architecture=arm64: 164 → nameRegex: 0`. nameRegex is shown by
 * name only: the query, repeated in every message, already spells it out.
 */
export function formatFunnel(explanation: SelectionExplanation): string {
  return explanation.funnel
    .map((step, k) => {
      if (k === 0) return `${count(step.remaining)} in the catalog${statusCounts(explanation)}`;
      const label = step.selector === 'nameRegex' ? step.selector : `${step.selector}=${clip(explanation.shown[step.selector] ?? '', 24)}`;
      return `${label}: ${count(step.remaining)}`;
    })
    .join(' → ');
}

/** ` (12 available, 1 pending)`: what the catalog holds in each status, where the status selector cut some. */
function statusCounts(explanation: SelectionExplanation): string {
  const [catalog, status] = explanation.funnel;
  if (status?.selector !== 'status' || status.remaining === catalog.remaining) return '';
  return ` (${STATUSES.filter((s) => explanation.statuses[s])
    .map((s) => `${count(explanation.statuses[s]!)} ${s}`)
    .join(', ')})`;
}

/**
 * The near misses in one line: `debian_12_5_x64 (fails architecture), debian-11 (fails architecture, nameRegex)`;
 * a name other images in the catalog share comes with the ID, so the two can be told apart:
 * `k8s-node (ID m-a1, fails gpu), k8s-node (ID m-b2, fails gpu)`.
 */
export function formatNearMisses(nearMisses: readonly NoImageNearMiss[]): string {
  return nearMisses.map((m) => `${clip(m.name)} (${m.nameShared ? `ID ${clip(m.id, 64)}, ` : ''}fails ${m.failed.join(', ')})`).join(', ');
}

/** How getImage chose: the only match, the newest by creation time, the name-then-ID tie-break among the newest,
 * or the version numbers in the names (clouds without creation times). */
export type ChoiceRule = 'only-match' | 'newest' | 'tie-break' | 'name-version';

export interface Choice {
  image: Image;
  rule: ChoiceRule;
  /** Why this one: shown by the CLI and the demo. */
  reason: string;
  warnings: string[];
}

/**
 * getImage's rule: exactly one, or with mostRecent the first of the getImages order; errors that say what to change.
 * `explain` is called only when nothing matched, to say which selector emptied the list and what came closest.
 */
export function chooseImage(sorted: readonly Image[], query: Query, explain?: () => SelectionExplanation): Choice {
  if (sorted.length === 0) throw noImageError(query, explain?.());
  if (sorted.length === 1) {
    // With mostRecent a backend may have asked the server for the newest match only, so "only" would mislead.
    const reason = query.mostRecent
      ? `the newest image that matches${sorted[0].createdAt ? ` (created ${sorted[0].createdAt})` : ''}`
      : 'the only image that matches';
    return { image: sorted[0], rule: 'only-match', reason, warnings: [] };
  }
  if (!query.mostRecent) {
    const ids = sorted.slice(0, 5).map((i) => i.id);
    throw new AmbiguousImageError(
      `${sorted.length} images match the query (${describeQuery(query)}), e.g. ${ids.join(', ')}; narrow the query or set mostRecent to true`,
      sorted.length,
      ids,
    );
  }
  const image = sorted[0];
  if (image.createdAt === null) return chooseByNameVersion(sorted, query);
  const tied = sorted.filter((i) => compareCreation(i, image) === 0).length;
  return {
    image,
    rule: tied > 1 ? 'tie-break' : 'newest',
    reason: `the newest of ${sorted.length} matches (created ${image.createdAt}${tied > 1 ? `; ${tied} share that time, first by name then ID` : ''})`,
    warnings: [],
  };
}

/** No creation times (they sort last, so the first has none means none has): the order came from names. */
function chooseByNameVersion(sorted: readonly Image[], query: Query): Choice {
  const [image, next] = sorted;
  const numbers = (i: Image) =>
    `${clip(i.name)} (OS ${i.osVersion === null ? 'unknown' : clip(i.osVersion)}; name ${nameVersionNumbers(i.name ?? '').join(', ') || 'no numbers'})`;
  const compared = `${numbers(image)} over ${numbers(next)}${next.name === image.name ? ` ${next.id}` : ''}`;
  const tie =
    versionKey(image) !== versionKey(next) ? '' : next.name === image.name ? '; the same name, so the first by ID' : '; the same numbers, so the first by name';
  const distros = [...new Set(sorted.map((i) => i.osDistro && canonicalDistro(i.osDistro)).filter((d): d is string => !!d))].sort();
  const spread =
    distros.length > 1
      ? `; the ${sorted.length} candidates span several distributions (${distros.slice(0, 5).join(', ')}${distros.length > 5 ? ', …' : ''}), whose version numbers say nothing about which is newer: narrow with osDistro or nameRegex`
      : '';
  return {
    image,
    rule: 'name-version',
    reason: `the highest OS version, then version numbers in the name, among ${sorted.length} matches: ${compared}${tie}`,
    warnings: [
      `${query.cloud} reports no creation time: mostRecent chose ${image.id} by OS version, then the version numbers in image names, ${compared}${tie}${spread}`,
    ],
  };
}

function noImageError(query: Query, explanation: SelectionExplanation | undefined): NoImageError {
  const head = `no image matches the query (${describeQuery(query)})`;
  if (!explanation) return new NoImageError(`${head}; loosen a selector, or check the region and status`, [], []);
  const emptied = explanation.funnel.find((step) => step.remaining === 0);
  const closest = explanation.nearMisses.length ? `; closest: ${formatNearMisses(explanation.nearMisses)}` : '';
  // The image asked for exists in another status: say so, not "loosen" what it already passes.
  const inOtherStatus = explanation.nearMisses.length > 0 && onlyStatus(explanation.nearMisses[0].failed) === 1;
  const advice = inOtherStatus
    ? 'loosen status'
    : emptied && emptied.selector !== 'catalog'
      ? `loosen ${emptied.selector}`
      : 'check the region, visibility and filters';
  return new NoImageError(`${head}; ${formatFunnel(explanation)}${closest}; ${advice}`, explanation.funnel, explanation.nearMisses);
}

const regexContext = vm.createContext({});
const regexScript = new vm.Script('(() => { const p = new RegExp(source, flags); return names.map((n) => { p.lastIndex = 0; return p.test(n); }); })()');

/**
 * Tests the names in a separate V8 context with a time limit, so a catastrophically backtracking pattern
 * (`(a+)+$`) fails with a clear error instead of hanging the program. An image without a name (null) matches no
 * pattern: what its name would be is not known.
 */
export function testNamesBounded(pattern: RegExp, names: readonly (string | null)[]): boolean[] {
  regexContext.source = pattern.source;
  regexContext.flags = pattern.flags;
  regexContext.names = names;
  try {
    return Array.from(regexScript.runInContext(regexContext, { timeout: REGEX_BUDGET_MS }) as boolean[], (kept, i) => kept && names[i] !== null);
  } catch (err) {
    if ((err as { code?: string }).code === 'ERR_SCRIPT_EXECUTION_TIMEOUT') {
      throw new ValidationError(
        'nameRegex',
        `took longer than ${REGEX_BUDGET_MS} ms on ${names.length} names (catastrophic backtracking?); simplify the expression, e.g. avoid nested quantifiers like (a+)+`,
      );
    }
    throw err;
  } finally {
    regexContext.names = undefined;
  }
}
