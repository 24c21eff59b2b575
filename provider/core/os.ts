/**
 * The one OS vocabulary every cloud's normalizer speaks (knows no cloud by name).
 *
 * - `osDistro` is the distribution's `/etc/os-release` `ID` (`sles`, `rhel`, `ol`, `alinux`, …). Selectors and the
 *   clouds' platform fields may use any listed name or alias, case-insensitively, spaces, dashes and underscores aside.
 * - `osVersion` is its `VERSION_ID` as people select it: `22.04`, `7.9`, SUSE `12 SP2` → `12.2`, Alibaba Cloud
 *   Linux `3.2104 LTS` → `3`; Windows the release name (`2008 R2`, `2019`). Bitness (`64`, `64位`, `64bit`,
 *   `32 bit`) is never a version; no version found is null.
 *
 * Parsing is a linear scan over at most MAX_SCAN characters of words: no regular expression here runs over
 * unbounded server text, and none has nested or overlapping quantifiers.
 */

export interface Distro {
  /** The os-release ID. */
  id: string;
  /** What the vendor calls it (the table in docs/arguments.md). */
  title: string;
  /** Spellings that appear in cloud OS names and platform fields; selectors accept them too. */
  names: readonly string[];
  /** Spellings selectors accept but that are too loose to recognize in free text (`oracle` in `Oracle Database on CentOS`). */
  aliases?: readonly string[];
}

export const DISTROS: readonly Distro[] = [
  { id: 'ubuntu', title: 'Ubuntu', names: ['ubuntu'] },
  { id: 'debian', title: 'Debian', names: ['debian'] },
  { id: 'centos', title: 'CentOS', names: ['centos'] },
  { id: 'rhel', title: 'Red Hat Enterprise Linux', names: ['rhel', 'red hat', 'redhat'] },
  { id: 'sles', title: 'SUSE Linux Enterprise Server', names: ['sles', 'suse'] },
  { id: 'opensuse-leap', title: 'openSUSE Leap', names: ['opensuse leap', 'opensuse'] },
  { id: 'opensuse-tumbleweed', title: 'openSUSE Tumbleweed', names: ['opensuse tumbleweed'] },
  { id: 'rocky', title: 'Rocky Linux', names: ['rocky linux', 'rockylinux', 'rocky'] },
  { id: 'almalinux', title: 'AlmaLinux', names: ['almalinux', 'alma linux'], aliases: ['alma'] },
  { id: 'ol', title: 'Oracle Linux', names: ['oracle linux', 'oraclelinux'], aliases: ['oracle', 'ol'] },
  { id: 'fedora', title: 'Fedora', names: ['fedora'] },
  { id: 'alinux', title: 'Alibaba Cloud Linux', names: ['alibaba cloud linux', 'alinux', 'aliyun linux', 'aliyun'] },
  { id: 'anolis', title: 'Anolis OS', names: ['anolis'] },
  { id: 'openeuler', title: 'openEuler', names: ['openeuler'] },
  { id: 'euleros', title: 'EulerOS', names: ['euleros'], aliases: ['euler'] },
  { id: 'hce', title: 'Huawei Cloud EulerOS', names: ['huawei cloud euleros'], aliases: ['hce'] },
  { id: 'coreos', title: 'CoreOS Container Linux', names: ['coreos', 'container linux'] },
  { id: 'flatcar', title: 'Flatcar Container Linux', names: ['flatcar'] },
  { id: 'opencloudos', title: 'OpenCloudOS', names: ['opencloudos'] },
  { id: 'tlinux', title: 'Tencent Linux', names: ['tlinux', 'tencent linux'] },
  { id: 'kylin', title: 'Kylin Linux Advanced Server', names: ['kylin'] },
  { id: 'uos', title: 'UnionTech OS', names: ['uniontech'], aliases: ['uos'] },
  { id: 'alpine', title: 'Alpine Linux', names: ['alpine'] },
  { id: 'freebsd', title: 'FreeBSD', names: ['freebsd'] },
  { id: 'windows', title: 'Windows Server', names: ['windows'] },
];

/** Longer OS names than this are cut before scanning: OS names are short, hostile ones are not. */
export const MAX_SCAN = 256;
const MAX_TOKENS = 48;
/** Words of OS names: one character class, one quantifier (linear), over at most MAX_SCAN characters. */
const TOKEN = /[a-z0-9.]+|位/g;
/** Words skipped between a distribution's name and its version (`Red Hat` *Enterprise Linux Server* `7.9`). */
const MAX_WORDS_BEFORE_VERSION = 4;

/** `Red Hat` = `red-hat` = `RED_HAT` = `redhat`. */
export function foldName(value: string): string {
  return value.toLowerCase().replace(/[\s_-]+/g, '');
}

/** Folded name or alias → ID. */
const BY_NAME = new Map<string, string>();
/** First word of a name → the names starting with it (word lists, longest first). */
const PHRASES = new Map<string, { id: string; words: string[] }[]>();

for (const distro of DISTROS) {
  for (const name of [distro.id, distro.title, ...distro.names, ...(distro.aliases ?? [])]) {
    const key = foldName(name);
    const known = BY_NAME.get(key);
    if (known !== undefined && known !== distro.id) throw new Error(`OS vocabulary: ${name} names both ${known} and ${distro.id}`);
    BY_NAME.set(key, distro.id);
  }
  for (const name of distro.names) {
    const words = tokenize(name);
    const list = PHRASES.get(words[0]) ?? [];
    list.push({ id: distro.id, words });
    list.sort((a, b) => b.words.length - a.words.length);
    PHRASES.set(words[0], list);
  }
}

/**
 * The os-release ID for a name or alias (`SUSE` → `sles`, `Red Hat` → `rhel`), or null when it is none we know.
 * For selectors and for clouds' platform fields that hold exactly a distribution's name.
 */
export function distroId(value: string | null | undefined): string | null {
  if (typeof value !== 'string') return null;
  return BY_NAME.get(foldName(value.slice(0, MAX_SCAN))) ?? null;
}

/** A selector's distribution in canonical form: a known alias becomes its ID, anything else is kept in lower case. */
export function canonicalDistro(value: string): string {
  return distroId(value) ?? value.trim().toLowerCase();
}

/** A matcher for one osDistro selector: the image's distribution is the one asked for (IDs, names or aliases). */
export function distroMatcher(wanted: string): (actual: string | null) => boolean {
  const key = distroKey(wanted);
  return (actual) => actual !== null && distroKey(actual) === key;
}

/** The folded ID of a known name, else the folded name: equal keys are one distribution. */
function distroKey(value: string): string {
  const folded = foldName(value.slice(0, MAX_SCAN));
  const id = BY_NAME.get(folded);
  return id === undefined ? folded : foldName(id);
}

export interface OsFacts {
  distro: string | null;
  version: string | null;
}

/**
 * Reads the distribution and version from a cloud's OS name fields, most specific first (`OSNameEn`, `OSName`),
 * with an optional platform field (`Platform`, `__platform`) that names only the distribution. The first text that
 * names a distribution decides both; otherwise the platform gives the distribution and the texts only a version.
 */
export function identifyOs(texts: readonly (string | null | undefined)[], platform?: string | null): OsFacts {
  // Catalogs repeat a few dozen OS names over thousands of images: remember the answers (a bounded memo).
  const key = `${platform ?? ''}\u0000${texts.join('\u0001')}`;
  const known = MEMO.get(key);
  if (known) return { ...known };
  const facts = identify(texts, platform);
  if (MEMO.size >= MEMO_SIZE) MEMO.clear();
  if (key.length <= 4 * MAX_SCAN) MEMO.set(key, facts);
  return { ...facts };
}

const MEMO = new Map<string, OsFacts>();
const MEMO_SIZE = 2048;

function identify(texts: readonly (string | null | undefined)[], platform?: string | null): OsFacts {
  const present = texts.filter((t): t is string => typeof t === 'string' && t !== '');
  for (const text of present) {
    const tokens = tokenize(text);
    const found = findDistro(tokens);
    if (found) return { distro: found.id, version: versionAfter(tokens, found.end, found.id, found.rest) };
  }
  const fromPlatform = typeof platform === 'string' ? (distroId(platform) ?? findDistro(tokenize(platform))?.id ?? null) : null;
  if (fromPlatform === null) return { distro: null, version: null };
  for (const text of present) {
    const version = versionAfter(tokenize(text), 0, fromPlatform);
    if (version !== null) return { distro: fromPlatform, version };
  }
  return { distro: fromPlatform, version: null };
}

/**
 * A version as a selector gives it, in the form images carry for that distribution: `12 SP2` → `12.2`,
 * `2008r2` → `2008 R2`, `3.2104` → `3` for alinux. Text that is not a version is kept as it is (lower case).
 */
export function canonicalVersion(value: string, distro: string | null): string {
  return (versionAfter(tokenize(value), 0, distro, undefined, true) ?? value.trim()).toLowerCase();
}

/**
 * A matcher for one osVersion selector: its dot-separated components are a prefix of the image's, so `8` selects
 * `8.0` and `8.4`, `22.04` selects `22.04` but not `22.10`, and `1` does not select `12`. Remembers the canonical
 * form per distribution.
 */
export function osVersionMatcher(wanted: string): (distro: string | null, version: string | null) => boolean {
  const forms = new Map<string | null, string[]>();
  return (distro, version) => {
    if (version === null) return false;
    let form = forms.get(distro);
    if (form === undefined) forms.set(distro, (form = canonicalVersion(wanted, distro).split('.')));
    const parts = version.toLowerCase().split('.');
    return form.length <= parts.length && form.every((component, i) => component === parts[i]);
  };
}

/** Lower-case words of letters, digits and dots; `位` (Chinese "bit") is a word of its own; the rest separates. */
export function tokenize(text: string): string[] {
  const tokens = text.slice(0, MAX_SCAN).toLowerCase().match(TOKEN) ?? [];
  return tokens.length > MAX_TOKENS ? tokens.slice(0, MAX_TOKENS) : tokens;
}

interface Found {
  id: string;
  /** Index of the first token after the name. */
  end: number;
  /** A version glued to the name (`centos7.9` → `7.9`). */
  rest?: string;
}

/** The distribution named earliest in the words (the longest name at that place: `Huawei Cloud EulerOS`). */
function findDistro(tokens: readonly string[]): Found | null {
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    for (const phrase of PHRASES.get(token) ?? []) {
      if (phrase.words.every((w, k) => tokens[i + k] === w)) return { id: phrase.id, end: i + phrase.words.length };
    }
    // `centos7.9`, `sles12sp2`: a one-word name with the version glued on.
    let letters = 0;
    while (letters < token.length && token[letters] >= 'a' && token[letters] <= 'z') letters++;
    if (letters === 0 || letters === token.length || !isDigit(token[letters])) continue;
    const glued = (PHRASES.get(token.slice(0, letters)) ?? []).find((p) => p.words.length === 1);
    if (glued) return { id: glued.id, end: i + 1, rest: token.slice(letters) };
  }
  return null;
}

const ARCHITECTURE_WORDS = new Set(['x86', 'x64', 'x86.64', 'amd64', 'arm64', 'aarch64', 'i386', 'i686', 'ia64']);
const BIT_WORDS = new Set(['bit', 'bits', '位']);
/** `12`, `22.04`, `1465.8.0`, `v7.9`, `12sp2`, `2008r2`: at most four numeric parts of at most six digits. */
const VERSION_WORD = /^v?(\d{1,6}(?:\.\d{1,6}){0,3})\.?(?:sp(\d{1,2}))?(r2)?$/;

/**
 * The version in the words from `start` on: alphabetic words are skipped (a few), the first word with a digit
 * decides. Bitness or anything else that is not a version means no version (null).
 */
function versionAfter(tokens: readonly string[], start: number, distro: string | null, rest?: string, selector = false): string | null {
  const words = rest === undefined ? tokens.slice(start) : [rest, ...tokens.slice(start)];
  let skipped = 0;
  for (let i = 0; i < words.length; i++) {
    const word = words[i];
    if (!hasDigit(word)) {
      if (++skipped > MAX_WORDS_BEFORE_VERSION && !selector) return null;
      continue;
    }
    if (ARCHITECTURE_WORDS.has(word)) continue;
    const next = words[i + 1];
    if (isBitness(word, next, distro)) return null;
    const match = VERSION_WORD.exec(word);
    if (!match) return null;
    const [, number, gluedSp, gluedR2] = match;
    // `12 SP2`, `12-SP2`, `12 SP 2`; `2008 R2`.
    let sp: string | undefined = gluedSp;
    if (sp === undefined && next !== undefined) {
      const after = words[i + 2];
      sp = /^sp(\d{1,2})$/.exec(next)?.[1] ?? (next === 'sp' && after !== undefined && /^\d{1,2}$/.test(after) ? after : undefined);
    }
    const r2 = gluedR2 !== undefined || next === 'r2';
    return shapeVersion(number, distro, sp, r2, selector);
  }
  return null;
}

function shapeVersion(number: string, distro: string | null, sp: string | undefined, r2: boolean, selector: boolean): string {
  if (r2 && (distro === 'windows' || distro === null || selector)) return `${number} R2`;
  if (distro === 'windows') return number;
  if (sp !== undefined && !number.includes('.')) {
    // Service packs are SUSE's minor versions (os-release VERSION_ID `12.2`); no SP is the GA release.
    if (distro === 'sles' || distro === null) return `${number}.${Number(sp)}`;
    // A selector's `12 SP2` is no version of another distribution: keep it whole, so it matches nothing.
    if (selector) return `${number} sp${Number(sp)}`;
  }
  const parts = number.split('.');
  // Ubuntu's VERSION_ID is YY.MM (point releases `22.04.3` are the same release).
  if (distro === 'ubuntu' && parts.length > 2) return parts.slice(0, 2).join('.');
  // Alibaba Cloud Linux 3 is VERSION_ID `3` (`3.2104` is its build); Alibaba Cloud Linux 2 is `2.1903`.
  if (distro === 'alinux' && Number(parts[0]) >= 3) return parts[0];
  return number;
}

/** `64bit`, `32bits`, `64 位`, `64 bit`; a bare `64` (no distribution has a release 64). A bare `32` is Fedora 32 on Fedora only. */
function isBitness(word: string, next: string | undefined, distro: string | null): boolean {
  if (!/^(?:32|64)(?:bits?)?$/.test(word)) return false;
  if (word.length > 2) return true;
  if (next !== undefined && BIT_WORDS.has(next)) return true;
  return !(word === '32' && distro === 'fedora');
}

function isDigit(ch: string | undefined): boolean {
  return ch !== undefined && ch >= '0' && ch <= '9';
}

function hasDigit(word: string): boolean {
  for (const ch of word) if (isDigit(ch)) return true;
  return false;
}
