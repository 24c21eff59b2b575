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

/** Strict grammar (no `loose`), and semver's own rule for pre-releases (includePrerelease off): `1.30.2-rc.0`
 * satisfies a range only when the range names a pre-release of 1.30.2 (`>=1.30.2-rc.0`); `>=1.29.0 <1.31.0` never
 * chooses a release candidate. */
const RANGE_OPTIONS = { includePrerelease: false };

/**
 * Reads a range by semver's strict grammar. Loose parsing drops a comparator it cannot read without a word
 * (`>=1.29 <<1.31` became `>=1.29`), and semver reads empty text or an empty alternative (`>=1.29 ||`) as "any
 * version": all three are refused here (`*` still says "any version", on purpose). The spellings versions have are
 * accepted (`>=v1.29`, `>=525`, `>=525.85.05`): numeric components lose their leading zeros, as versions do, since
 * strict semver would refuse them. Returns the range, or what is wrong with the text.
 */
export function readRange(range: string): semver.Range | { problem: string } {
  if (range.trim() === '') return { problem: 'is empty' };
  if (range.split('||').some((alternative) => alternative.trim() === '')) {
    return { problem: 'has an empty alternative beside "||" (which semver would read as any version)' };
  }
  const normalized = range.replace(
    /(^|[\s<>=~^|])v?(\d+(?:\.\d+){0,2})(?=$|[\s.<>=|xX*+-])/g,
    (_m, before: string, version: string) =>
      before +
      version
        .split('.')
        .map((n) => n.replace(/^0+(?=\d)/, ''))
        .join('.'),
  );
  try {
    return new semver.Range(normalized, RANGE_OPTIONS);
  } catch (err) {
    // semver names the comparator it could not read: `Invalid comparator: <<1.31`.
    const comparator = /^Invalid comparator: (.*)$/s.exec((err as Error).message)?.[1];
    const part = comparator === undefined || comparator === normalized.trim() ? '' : `: ${JSON.stringify(comparator)} is not a comparator`;
    return { problem: `is not a semver range${part}` };
  }
}

/** The range, or null when readRange refuses the text. */
export function parseRange(range: string): semver.Range | null {
  const read = readRange(range);
  return read instanceof semver.Range ? read : null;
}

export function versionSatisfies(version: string | null | undefined, range: semver.Range): boolean {
  const normalized = normalizeVersion(version);
  // range.test keeps the options the range was built with (satisfies() with other options would re-parse it strictly).
  return normalized !== null && range.test(normalized);
}

/**
 * Words in image names whose digits are no version: architectures (`x86_64`, `aarch64`, `amd64`, `arm64`, `x64`,
 * `i386`), bitness (`64bit`, `64 bit`, `64位`) and sizes (`40G`, `20GB`). Matched as whole words only; one pass, no
 * nested quantifiers, so a hostile 4 KiB name is read in linear time.
 */
const NOT_VERSIONS = /(?<![A-Za-z0-9])(?:x86[-_]64|x86|amd64|arm64|aarch64|x64|i[3-6]86|ppc64le|s390x|\d+ ?(?:bits?|位)|\d+(?:[GTM]i?B?))(?![A-Za-z0-9])/gi;

/**
 * The version numbers in a name: the digits of its words that end in a number (`8`, `04`, `b12`, `v2`, `el8`),
 * in order, whatever text lies between them (`CentOS 7.10 64位` → 7, 10; `uk8s-ubuntu-24.04-x86_64-b12` → 24, 04,
 * 12; `itWRmsMy` → none). Not versions: the words above, and digits inside a word (`uk8s`, `k8s`, `gn7i`: product
 * names).
 */
export function nameVersionNumbers(name: string): string[] {
  // A hand-written scan (getImages computes this for every image without a creation time): a word is letters,
  // then digits to its end (`b12`, `8`) for a number; digits anywhere else in a word (`uk8s`) are none.
  const text = name.replace(NOT_VERSIONS, ' ');
  const numbers: string[] = [];
  let i = 0;
  while (i < text.length) {
    if (!isAlphanumeric(text.charCodeAt(i))) {
      i++;
      continue;
    }
    while (i < text.length && isLetter(text.charCodeAt(i))) i++;
    const digitsFrom = i;
    while (i < text.length && isDigit(text.charCodeAt(i))) i++;
    const digitsTo = i;
    const more = i < text.length && isAlphanumeric(text.charCodeAt(i));
    while (i < text.length && isAlphanumeric(text.charCodeAt(i))) i++;
    if (!more && digitsTo > digitsFrom) numbers.push(text.slice(digitsFrom, digitsTo));
  }
  return numbers;
}

const isDigit = (c: number) => c >= 48 && c <= 57;
const isLetter = (c: number) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
const isAlphanumeric = (c: number) => isDigit(c) || isLetter(c);

/**
 * A sort key for a list of numbers: plain string comparison of two keys orders the lists as tuples of numbers
 * (`7.10` above `7.9`, `7.9.1` above `7.9`, no numbers lowest). Each number is written as its length (one UTF-16
 * unit, never 0) followed by its digits without leading zeros, so the first differing number decides, and a longer
 * number is a larger one.
 */
function numbersKey(numbers: readonly string[]): string {
  let key = '';
  for (const digits of numbers) {
    let from = 0;
    while (from < digits.length - 1 && digits.charCodeAt(from) === 48) from++; // leading zeros
    key += String.fromCharCode(Math.min(digits.length - from, 0xffff)) + digits.slice(from);
  }
  return key;
}

/** A sort key for the version numbers in a name (see nameVersionNumbers). */
export function nameVersionKey(name: string): string {
  return numbersKey(nameVersionNumbers(name));
}

/**
 * The order of images without a creation time: the OS version first (its numbers: `24.04` above `22.04`, `2008 R2`
 * above `2008`; none lowest), then the version numbers in the name. `\0` sorts below every number's length unit, so
 * the OS version decides wherever the two differ. Computed once per image, so sorting thousands stays cheap.
 */
export function imageVersionKey(osVersion: string | null, name: string): string {
  return `${numbersKey(osVersion?.match(/\d+/g) ?? [])}\0${nameVersionKey(name)}`;
}

/** Ascending order of the version numbers in two names (0 when they carry the same numbers). */
export function compareNameVersions(a: string, b: string): number {
  const x = nameVersionKey(a);
  const y = nameVersionKey(b);
  return x < y ? -1 : x > y ? 1 : 0;
}
