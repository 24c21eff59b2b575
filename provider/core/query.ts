/**
 * The query arguments shared by the SDK, the provider plugin and the CLI (contract.md, "Query arguments").
 * One table drives validation, the CLI's flags and the schema check, so the three cannot drift apart.
 */
import type * as semver from 'semver';
import { ARCHITECTURES, Architecture, MACHINE_TYPES, MachineType, OS_TYPES, OsType, STATUSES, ImageStatus, VISIBILITIES, Visibility } from './image';
import { ValidationError } from './errors';
import { setOwn } from './records';
import { readRange } from './versions';
import { canonicalDistro, distroMatcher, osVersionMatcher } from './os';
import { REGION_PATTERN } from './http/transport';
import type { CloudRegistry } from './module';

export type ArgumentKind = 'string' | 'stringList' | 'boolean' | 'days' | 'enum' | 'enumList' | 'regex' | 'range' | 'rangeMap' | 'stringMap' | 'filterMap';

/**
 * What an argument does: `scope` defines the catalog listed (kept by the wide request that many queries share:
 * core/backend.ts, widen), `selector` picks images within it (each cloud declares whether it pushes it down, checks
 * it locally or refuses it: core/selectors.ts; selection applies it: core/select.ts), `choice` decides among the
 * matches (getImage only).
 */
export type ArgumentRole = 'scope' | 'selector' | 'choice';

export interface ArgumentSpec {
  name: string;
  kind: ArgumentKind;
  role: ArgumentRole;
  /** Long CLI flag, without the dashes. */
  flag: string;
  description: string;
  accepted?: readonly string[];
  /** Alternative spellings accepted for enum values, mapped to the canonical value. */
  aliases?: Record<string, string>;
  /** What depends on the clouds a surface passes (the `cloud` argument's values, what they call a region): queryArguments. */
  forClouds?(clouds: CloudRegistry): Partial<Pick<ArgumentSpec, 'accepted' | 'description'>>;
}

export const ARCHITECTURE_ALIASES: Record<string, Architecture> = { amd64: 'x86_64', x64: 'x86_64', aarch64: 'arm64', arm: 'arm64', x86: 'i386' };

/** `note`: what some clouds call a region (CloudRegistry.regionNote). */
const regionDescription = (note: string) => `The region${note}. Defaults to the cloud's region configuration or environment variable.`;
const regionsDescription = (note: string) =>
  `Several regions${note}, instead of region: the newest image (by name, which copies and public images keep across regions) that every listed region has, its ID in each region in regionIds; id and region are the first listed region's. getImages returns the images every region has. Each region once.`;

/** The one declaration of every argument, whatever the clouds; typed `as const` so the names below are derived from
 * it. Validation, help and the schema use queryArguments (the table for a registry's clouds). */
const ARGUMENT_TABLE = [
  // Their cloud-dependent parts come from the registry a surface passes (queryArguments), not from this table.
  {
    name: 'cloud',
    kind: 'enum',
    role: 'scope',
    flag: 'cloud',
    description: 'The cloud whose catalog to query.',
    forClouds: (clouds) => ({ accepted: clouds.names() }),
  },
  {
    name: 'region',
    kind: 'string',
    role: 'scope',
    flag: 'region',
    description: regionDescription(''),
    forClouds: (clouds) => ({ description: regionDescription(clouds.regionNote()) }),
  },
  // On the command line `--region a,b` (one flag for both: the CLI maps a list to regions).
  {
    name: 'regions',
    kind: 'stringList',
    role: 'scope',
    flag: 'region',
    description: regionsDescription(''),
    forClouds: (clouds) => ({ description: regionsDescription(clouds.regionNote()) }),
  },
  { name: 'zone', kind: 'string', role: 'scope', flag: 'zone', description: 'The availability zone (UCloud).' },
  {
    name: 'mostRecent',
    kind: 'boolean',
    role: 'choice',
    flag: 'most-recent',
    description: 'When several images match, choose the newest instead of failing (getImage).',
  },
  {
    name: 'allowUnsafeMostRecent',
    kind: 'boolean',
    role: 'choice',
    flag: 'allow-unsafe-most-recent',
    description:
      "Allow mostRecent over images that other accounts can publish (shared, marketplace). Off by default: choosing the newest of strangers' images is how people boot an untrusted image.",
  },
  {
    name: 'architecture',
    kind: 'enum',
    role: 'selector',
    flag: 'architecture',
    accepted: ARCHITECTURES,
    aliases: ARCHITECTURE_ALIASES,
    description: 'CPU architecture: x86_64, arm64 or i386 (aliases: amd64 and x64 for x86_64, aarch64 and arm for arm64, x86 for i386).',
  },
  { name: 'gpu', kind: 'boolean', role: 'selector', flag: 'gpu', description: 'true: only images that run on GPU machines; false: only images that do not.' },
  { name: 'gpuVendor', kind: 'string', role: 'selector', flag: 'gpu-vendor', description: 'GPU vendor, case-insensitive (e.g. NVIDIA).' },
  { name: 'gpuModel', kind: 'string', role: 'selector', flag: 'gpu-model', description: 'A GPU model the image supports (e.g. H100), case-insensitive.' },
  { name: 'gpuDriver', kind: 'range', role: 'selector', flag: 'gpu-driver', description: 'A semver range on the GPU driver version (e.g. ">=525").' },
  { name: 'nameRegex', kind: 'regex', role: 'selector', flag: 'name-regex', description: 'A JavaScript regular expression the image name must match.' },
  { name: 'osType', kind: 'enum', role: 'selector', flag: 'os-type', accepted: OS_TYPES, description: 'Operating system type: linux or windows.' },
  {
    name: 'osDistro',
    kind: 'string',
    role: 'selector',
    flag: 'os-distro',
    description:
      'Operating system distribution: its os-release ID (ubuntu, rhel, sles, ol, alinux, …); common names and aliases are accepted case-insensitively (suse, Red Hat, oracle-linux, aliyun).',
  },
  {
    name: 'osVersion',
    kind: 'string',
    role: 'selector',
    flag: 'os-version',
    description:
      "Operating system version as os-release's VERSION_ID (22.04, 7.9, 12.2); Windows the release name (2008 R2, 2019). The vendor's form is accepted too (12 SP2).",
  },
  {
    name: 'machineType',
    kind: 'enum',
    role: 'selector',
    flag: 'machine-type',
    accepted: MACHINE_TYPES.filter((m) => m !== 'any'),
    description: 'vm or baremetal.',
  },
  {
    name: 'visibility',
    kind: 'enumList',
    role: 'scope',
    flag: 'visibility',
    accepted: VISIBILITIES,
    description:
      "Who publishes the image: public (the cloud vendor), private (your account), shared, marketplace. One value or a list; defaults to each cloud's safe set.",
  },
  {
    name: 'status',
    kind: 'enumList',
    role: 'scope',
    flag: 'status',
    accepted: STATUSES,
    description: 'Image status, one value or a list; default available, so unusable images are never chosen unless asked for.',
  },
  {
    name: 'minAgeDays',
    kind: 'days',
    role: 'selector',
    flag: 'min-age-days',
    description:
      'Only images created at least this many days before now (a soak period: with mostRecent, the newest image that has been out that long). A non-negative number; refused on clouds that report no creation time.',
  },
  {
    name: 'maxAgeDays',
    kind: 'days',
    role: 'selector',
    flag: 'max-age-days',
    description:
      'Only images created at most this many days before now (a freshness window). A non-negative number; refused on clouds that report no creation time.',
  },
  {
    name: 'softwareVersions',
    kind: 'rangeMap',
    role: 'selector',
    flag: 'software',
    description: 'Semver ranges on preinstalled software, e.g. {kubernetes: ">=1.29.0 <1.31.0"}.',
  },
  { name: 'tags', kind: 'stringMap', role: 'selector', flag: 'tag', description: 'Tags the image must carry (all must match).' },
  { name: 'filters', kind: 'filterMap', role: 'scope', flag: 'filter', description: 'Cloud-native request parameters, passed through to the API as they are.' },
  {
    name: 'endpoint',
    kind: 'string',
    role: 'scope',
    flag: 'endpoint',
    description: 'Base URL override (plain http:// only for loopback hosts). May contain {region}.',
  },
] as const satisfies readonly ArgumentSpec[];

export const QUERY_ARGUMENTS: readonly ArgumentSpec[] = ARGUMENT_TABLE;

type ArgumentEntry = (typeof ARGUMENT_TABLE)[number];
export type ArgumentName = ArgumentEntry['name'];
/** The arguments that pick images within the catalog: what each cloud declares a capability for. */
export type SelectorName = NameOf<'selector'>;
export type ScopeName = NameOf<'scope'>;

/** The names of the arguments of one role. */
export type NameOf<Role extends ArgumentRole> = Extract<ArgumentEntry, { role: Role }>['name'];

/** The table's arguments of one role, in table order. */
export function argumentsOf<Role extends ArgumentRole>(role: Role): readonly (ArgumentSpec & { name: NameOf<Role> })[] {
  return QUERY_ARGUMENTS.filter((spec) => spec.role === role) as unknown as readonly (ArgumentSpec & { name: NameOf<Role> })[];
}

/** The spec of an argument name, or undefined for a name the table does not have. */
export function argumentSpec(name: string): ArgumentSpec | undefined {
  return QUERY_ARGUMENTS.find((spec) => spec.name === name);
}

/** Whether a query sets an argument: given, and not an empty map (an empty map of tags asks for nothing). */
export function isSet(value: unknown): boolean {
  return value !== undefined && value !== null && !(typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length === 0);
}

const ARGUMENT_NAMES = QUERY_ARGUMENTS.map((a) => a.name);

/** Each registry's table, built once: validation runs on every lookup. */
const TABLES = new WeakMap<CloudRegistry, readonly ArgumentSpec[]>();

/** The argument table for the clouds of `clouds`: `cloud` accepts their names, and the region arguments say what they call a region. */
export function queryArguments(clouds: CloudRegistry): readonly ArgumentSpec[] {
  let table = TABLES.get(clouds);
  if (!table) TABLES.set(clouds, (table = QUERY_ARGUMENTS.map((spec) => (spec.forClouds ? { ...spec, ...spec.forClouds(clouds) } : spec))));
  return table;
}

/** Arguments that only make sense when choosing one image: getImages does not take them. */
export const GET_IMAGE_ONLY: readonly string[] = ['mostRecent', 'allowUnsafeMostRecent'];

/** getImages' rule, for every surface alike: refuses the arguments only getImage takes (set to anything, even false). */
export function refuseGetImageOnly(args: unknown): void {
  if (args === null || typeof args !== 'object') return;
  for (const name of GET_IMAGE_ONLY) {
    const value = (args as Record<string, unknown>)[name];
    if (value !== undefined && value !== null) throw new ValidationError(name, 'only getImage chooses one image; getImages returns every match');
  }
}
const MAX_STRING = 256;
const MAX_REGEX = 512;
const MAX_MAP_ENTRIES = 64;
/** Regions in one lookup: far more than any cloud has, few enough to list concurrently. */
const MAX_LIST = 64;
/** A century: past that, a day count is a typo, and milliseconds would leave the range of dates. */
const MAX_DAYS = 36_500;

/** A validated, normalized query. */
export interface Query {
  cloud: string;
  region?: string;
  /** Several regions, in the caller's order (the first one's image is the answer); never together with region. */
  regions?: string[];
  zone?: string;
  mostRecent: boolean;
  allowUnsafeMostRecent: boolean;
  architecture?: Exclude<Architecture, 'unknown'>;
  gpu?: boolean;
  gpuVendor?: string;
  gpuModel?: string;
  gpuDriver?: string;
  nameRegex?: string;
  osType?: Exclude<OsType, 'unknown'>;
  osDistro?: string;
  osVersion?: string;
  machineType?: Exclude<MachineType, 'any' | 'unknown'>;
  /** Unset means "the cloud's safe default", which the backend fills in. */
  visibility?: Visibility[];
  status: ImageStatus[];
  /** Days since creation, at least / at most (fractions allowed). */
  minAgeDays?: number;
  maxAgeDays?: number;
  softwareVersions: Record<string, string>;
  tags: Record<string, string>;
  filters: Record<string, string | string[]>;
  endpoint?: string;
}

/** The values of arguments left unset, as every validated query has them (fresh objects each call). */
export function queryDefaults(): Pick<Query, 'mostRecent' | 'allowUnsafeMostRecent' | 'status' | 'softwareVersions' | 'tags' | 'filters'> {
  return { mostRecent: false, allowUnsafeMostRecent: false, status: ['available'], softwareVersions: {}, tags: {}, filters: {} };
}

/** What users pass: the same names, looser types (a single value or a list, numbers for strings in maps). */
export type QueryArgs = { [K in keyof Query]?: unknown } & { cloud: string };

/** Parsed forms of the arguments that need compiling; built once per query. */
export interface CompiledQuery {
  query: Query;
  /** "Now" for minAgeDays and maxAgeDays, in milliseconds since the epoch (injectable: LookupOptions.now). */
  now: number;
  nameRegex?: RegExp;
  gpuDriver?: semver.Range;
  softwareVersions: Record<string, semver.Range>;
  osDistro?: (actual: string | null) => boolean;
  osVersion?: (distro: string | null, version: string | null) => boolean;
}

/**
 * Validates every argument and returns the normalized query. Throws ValidationError naming the argument and
 * what is accepted; never touches the network.
 */
export function validateQuery(args: unknown, clouds: CloudRegistry): Query {
  if (args === null || typeof args !== 'object' || Array.isArray(args)) {
    throw new ValidationError('args', `expected an object of query arguments (${ARGUMENT_NAMES.join(', ')}), got ${describe(args)}`);
  }
  const input = args as Record<string, unknown>;
  for (const key of Object.keys(input)) {
    if (!ARGUMENT_NAMES.includes(key)) {
      throw new ValidationError(key, `unknown argument; accepted arguments are ${ARGUMENT_NAMES.join(', ')}`);
    }
  }
  if (input.cloud === undefined || input.cloud === null) {
    throw new ValidationError('cloud', `required; one of ${clouds.names().join(', ')}`);
  }
  const out: Record<string, unknown> = queryDefaults();
  for (const spec of queryArguments(clouds)) {
    const value = input[spec.name];
    if (value === undefined || value === null) continue;
    out[spec.name] = validateArgument(spec, value);
  }
  // One vocabulary: `suse` is asked for as `sles`, so push-down and messages speak the IDs images carry.
  if (typeof out.osDistro === 'string') out.osDistro = canonicalDistro(out.osDistro);
  const query = out as unknown as Query;
  for (const name of ['region', 'zone'] as const) {
    if (query[name] !== undefined && !REGION_PATTERN.test(query[name])) {
      throw new ValidationError(name, `${JSON.stringify(query[name].slice(0, 40))} is not a ${name} name (letters, digits, '-', '_' and '.' only)`);
    }
  }
  for (const region of query.regions ?? []) {
    if (!REGION_PATTERN.test(region))
      throw new ValidationError('regions', `${JSON.stringify(region.slice(0, 40))} is not a region name (letters, digits, '-', '_' and '.' only)`);
  }
  if (query.regions !== undefined && query.region !== undefined) {
    throw new ValidationError('regions', 'give region or regions, not both: regions lists every region, the first one included');
  }
  if (query.minAgeDays !== undefined && query.maxAgeDays !== undefined && query.minAgeDays > query.maxAgeDays) {
    throw new ValidationError(
      'minAgeDays',
      `${query.minAgeDays} is more than maxAgeDays ${query.maxAgeDays}, so no image could match; minAgeDays must be at most maxAgeDays`,
    );
  }
  compileQuery(query); // surfaces regex and range errors now, before any request
  return query;
}

export function compileQuery(query: Query, now: number = Date.now()): CompiledQuery {
  const compiled: CompiledQuery = { query, now, softwareVersions: {} };
  if (query.nameRegex !== undefined) {
    try {
      compiled.nameRegex = new RegExp(query.nameRegex);
    } catch (err) {
      throw new ValidationError('nameRegex', `not a valid JavaScript regular expression (${(err as Error).message})`, { cause: err });
    }
  }
  if (query.osDistro !== undefined) compiled.osDistro = distroMatcher(query.osDistro);
  if (query.osVersion !== undefined) compiled.osVersion = osVersionMatcher(query.osVersion);
  if (query.gpuDriver !== undefined) compiled.gpuDriver = rangeOrThrow('gpuDriver', query.gpuDriver);
  for (const [name, range] of Object.entries(query.softwareVersions)) {
    setOwn(compiled.softwareVersions, name, rangeOrThrow(`softwareVersions.${name}`, range));
  }
  return compiled;
}

/** An example for messages about ranges. */
export const RANGE_EXAMPLES = '">=1.29.0 <1.31.0", "^1.30", ">=525" or "*" for any version';

function rangeOrThrow(argument: string, range: string): semver.Range {
  const read = readRange(range);
  if ('problem' in read) throw new ValidationError(argument, `${JSON.stringify(range)} ${read.problem}; use e.g. ${RANGE_EXAMPLES}`);
  return read;
}

function validateArgument(spec: ArgumentSpec, value: unknown): unknown {
  switch (spec.kind) {
    case 'boolean':
      if (typeof value === 'boolean') return value;
      if (value === 'true' || value === 'false') return value === 'true';
      throw new ValidationError(spec.name, `expected true or false, got ${describe(value)}`);
    case 'string':
      return boundedString(spec.name, value, MAX_STRING);
    case 'stringList': {
      if (!Array.isArray(value)) throw new ValidationError(spec.name, `expected a list of strings, e.g. ["cn-hangzhou", "cn-beijing"], got ${describe(value)}`);
      if (value.length === 0) throw new ValidationError(spec.name, 'expected at least one; leave it unset to use region');
      if (value.length > MAX_LIST) throw new ValidationError(spec.name, `too many (${value.length}; at most ${MAX_LIST})`);
      const list = value.map((v, i) => boundedString(`${spec.name}[${i}]`, v, MAX_STRING));
      const repeated = list.find((v, i) => list.indexOf(v) !== i);
      if (repeated !== undefined) throw new ValidationError(spec.name, `${JSON.stringify(truncate(repeated))} is listed twice; list each once`);
      return list; // the order is the caller's: the first one answers id and region
    }
    case 'days':
      return days(spec.name, value);
    case 'regex':
      return boundedString(spec.name, value, MAX_REGEX);
    case 'range':
      // Empty text goes on to the range parser too, which refuses it with an example (compileQuery).
      return value === '' ? value : boundedString(spec.name, value, MAX_STRING);
    case 'enum':
      return enumValue(spec, value);
    case 'enumList': {
      const list = Array.isArray(value) ? value : [value];
      if (list.length === 0) throw new ValidationError(spec.name, `expected at least one of ${spec.accepted!.join(', ')}`);
      return [...new Set(list.map((v) => enumValue(spec, v)))].sort();
    }
    case 'rangeMap':
    case 'stringMap':
      return stringMap(spec.name, value, false);
    case 'filterMap':
      return stringMap(spec.name, value, true);
  }
}

function enumValue(spec: ArgumentSpec, value: unknown): string {
  const accepted = spec.accepted!;
  const hint = `accepted values are ${accepted.join(', ')}${spec.aliases ? ` (aliases: ${Object.keys(spec.aliases).join(', ')})` : ''}`;
  if (typeof value !== 'string') throw new ValidationError(spec.name, `expected a string; ${hint}; got ${describe(value)}`);
  const lower = value.trim().toLowerCase();
  const canonical = spec.aliases?.[lower] ?? lower;
  if (!accepted.includes(canonical)) throw new ValidationError(spec.name, `${JSON.stringify(truncate(value))} is not accepted; ${hint}`);
  return canonical;
}

/** A non-negative, finite number of days; the CLI passes text (`7`, `0.5`). */
function days(name: string, value: unknown): number {
  const n = typeof value === 'number' ? value : typeof value === 'string' && /^\s*\d+(\.\d+)?\s*$/.test(value) ? Number(value) : NaN;
  if (!Number.isFinite(n) || n < 0 || n > MAX_DAYS)
    throw new ValidationError(name, `expected a non-negative number of days (at most ${MAX_DAYS}, e.g. 7 or 0.5), got ${describe(value)}`);
  return n;
}

function boundedString(name: string, value: unknown, max: number): string {
  if (typeof value !== 'string') throw new ValidationError(name, `expected a string, got ${describe(value)}`);
  if (value.length === 0) throw new ValidationError(name, 'must not be empty');
  if (value.length > max) throw new ValidationError(name, `too long (${value.length} characters; at most ${max})`);
  return value;
}

function stringMap(name: string, value: unknown, allowLists: boolean): Record<string, string | string[]> {
  const shape = allowLists ? 'an object of names to strings (or lists of strings)' : 'an object of names to strings';
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new ValidationError(name, `expected ${shape}, got ${describe(value)}`);
  }
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length > MAX_MAP_ENTRIES) throw new ValidationError(name, `too many entries (${entries.length}; at most ${MAX_MAP_ENTRIES})`);
  // `__proto__`, `constructor` and `toString` are keys like any other (core/records.ts).
  const out: Record<string, string | string[]> = {};
  for (const [key, raw] of entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (key.length === 0 || key.length > MAX_STRING) throw new ValidationError(`${name}`, `keys must be 1 to ${MAX_STRING} characters`);
    const scalar = (v: unknown): string => {
      if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') {
        const s = String(v);
        if (s.length > MAX_STRING) throw new ValidationError(`${name}.${truncate(key)}`, `value too long (at most ${MAX_STRING} characters)`);
        return s;
      }
      throw new ValidationError(`${name}.${truncate(key)}`, `expected ${allowLists ? 'a string or a list of strings' : 'a string'}, got ${describe(v)}`);
    };
    setOwn(out, key, allowLists && Array.isArray(raw) ? raw.map(scalar) : scalar(raw));
  }
  return out;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'string') return JSON.stringify(truncate(value));
  if (typeof value === 'object') return 'an object';
  // What is left has a String form of its own.
  const scalar = value as number | bigint | boolean | symbol | undefined | ((...args: never[]) => unknown);
  return `${typeof scalar} ${truncate(String(scalar))}`;
}

function truncate(s: string): string {
  return s.length > 40 ? `${s.slice(0, 40)}…` : s;
}

/** A one-line rendering of the query for messages ("cloud=ucloud region=cn-bj2 gpu=true"). */
export function describeQuery(query: Query): string {
  const parts: string[] = [];
  for (const spec of QUERY_ARGUMENTS) {
    const value = (query as unknown as Record<string, unknown>)[spec.name];
    if (value === undefined || value === false) continue;
    if (typeof value === 'object' && !Array.isArray(value) && Object.keys(value as object).length === 0) continue;
    if (spec.name === 'status' && Array.isArray(value) && value.length === 1 && value[0] === 'available') continue;
    parts.push(`${spec.name}=${typeof value === 'string' ? value : JSON.stringify(value)}`);
  }
  return parts.join(' ');
}

/**
 * `^Ubuntu 22\.04 server 64bit$` → `Ubuntu 22.04 server 64bit`: the one name a regular expression anchored at both
 * ends matches when nothing in it is special (escaped punctuation allowed); undefined otherwise, or when empty.
 * Clouds that filter by exact name push this down.
 */
export function anchoredLiteral(source: string | undefined): string | undefined {
  const m = source === undefined ? null : /^\^((?:[^\\^$.*+?()[\]{}|]|\\[\\^$.*+?()[\]{}|/\-_])+)\$$/.exec(source);
  return m ? m[1].replace(/\\(.)/g, '$1') : undefined;
}
