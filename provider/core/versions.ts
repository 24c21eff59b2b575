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

const RANGE_OPTIONS = { loose: true, includePrerelease: true };

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
 * Natural order of names: digit runs compare as numbers, so `ubuntu-7.10` sorts after `ubuntu-7.9`.
 * Used to find the newest image where a cloud reports no creation time.
 */
export function compareNatural(a: string, b: string): number {
  const chunksA = a.match(/\d+|\D+/g) ?? [];
  const chunksB = b.match(/\d+|\D+/g) ?? [];
  for (let i = 0; i < Math.min(chunksA.length, chunksB.length); i++) {
    const x = chunksA[i];
    const y = chunksB[i];
    if (x === y) continue;
    const numeric = /^\d/.test(x) && /^\d/.test(y);
    if (numeric) {
      const diff = compareDigits(x, y);
      if (diff !== 0) return diff;
    } else {
      return x < y ? -1 : 1;
    }
  }
  return chunksA.length - chunksB.length;
}

function compareDigits(x: string, y: string): number {
  const a = x.replace(/^0+(?=\d)/, '');
  const b = y.replace(/^0+(?=\d)/, '');
  if (a.length !== b.length) return a.length - b.length;
  return a < b ? -1 : a > b ? 1 : 0;
}
