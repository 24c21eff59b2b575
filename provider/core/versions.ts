import * as semver from 'semver';

/**
 * Normalizes the version strings clouds publish into semver: a leading `v` is dropped and numeric components
 * are read as numbers, so `v1.25.6` → `1.25.6`, `525.85.05` → `525.85.5`, `1.29` → `1.29.0`.
 * (`semver.coerce("525.85.05")` is null, which is why this runs first.) Returns null when there is no version.
 */
export function normalizeVersion(value: string | null | undefined): string | null {
  if (!value) return null;
  const match = /^\s*[vV]?(\d+)(?:\.(\d+))?(?:\.(\d+))?([-+][0-9A-Za-z.+-]*)?/.exec(value);
  if (!match) return null;
  const [, major, minor = '0', patch = '0', rest = ''] = match;
  const core = [major, minor, patch].map((n) => String(Number(n))).join('.');
  return semver.valid(core + rest) ?? semver.valid(core);
}

/** semver's own rule for pre-releases (includePrerelease off): `1.30.2-rc.0` satisfies a range only when the range
 * names a pre-release of 1.30.2 (`>=1.30.2-rc.0`); `>=1.29.0 <1.31.0` never chooses a release candidate. */
const RANGE_OPTIONS = { loose: true, includePrerelease: false };

/**
 * Ranges accept the same spellings as versions (`>=v1.29`, `>=525`, `>=525.85.05`): the `v` is dropped and numeric
 * components lose their leading zeros, which strict semver would refuse (and then match nothing).
 */
export function parseRange(range: string): semver.Range | null {
  const normalized = range.replace(/(^|[\s<>=~^|])v?(\d+(?:\.\d+){0,2})(?=$|[\s.<>=|xX*+-])/g, (_m, before: string, version: string) =>
    before + version.split('.').map((n) => n.replace(/^0+(?=\d)/, '')).join('.'));
  try {
    return new semver.Range(normalized, RANGE_OPTIONS);
  } catch {
    return null;
  }
}

export function versionSatisfies(version: string | null | undefined, range: semver.Range): boolean {
  const normalized = normalizeVersion(version);
  // range.test keeps the options the range was built with (satisfies() with other options would re-parse it strictly).
  return normalized !== null && range.test(normalized);
}

/**
 * The version numbers in a name: its digit runs, in order, whatever text lies between them
 * (`CentOS 7.10 64位` → 7, 10, 64; `itWRmsMy` → none). This is the order of images without a creation time.
 */
export function nameVersionNumbers(name: string): string[] {
  return name.match(/\d+/g) ?? [];
}

/**
 * A sort key for the version numbers in a name: plain string comparison of two keys orders the versions as
 * numbers (`7.10` above `7.9`, `7.9.1` above `7.9`, no numbers lowest). Each number is written as its length
 * (one UTF-16 unit) followed by its digits without leading zeros, so the first differing number decides, and
 * a longer number is a larger one. Computed once per image, so sorting thousands of names stays cheap.
 */
export function nameVersionKey(name: string): string {
  // A hand-written scan: three times faster than a regex loop, and getImages computes this for every image.
  let key = '';
  const isDigit = (c: number) => c >= 48 && c <= 57;
  for (let i = 0; i < name.length; i++) {
    if (!isDigit(name.charCodeAt(i))) continue;
    while (name.charCodeAt(i) === 48 && isDigit(name.charCodeAt(i + 1))) i++; // leading zeros
    const start = i;
    while (isDigit(name.charCodeAt(i + 1))) i++;
    key += String.fromCharCode(Math.min(i + 1 - start, 0xffff)) + name.slice(start, i + 1);
  }
  return key;
}

/** Ascending order of the version numbers in two names (0 when they carry the same numbers). */
export function compareNameVersions(a: string, b: string): number {
  const x = nameVersionKey(a);
  const y = nameVersionKey(b);
  return x < y ? -1 : x > y ? 1 : 0;
}
