/** The one normalized image shape every cloud's answer becomes (contract.md, "The image"). */
import { CloudApiError } from './errors';
import { containsSecret, redact } from './redact';
import { cutText, quoteServerText } from './text';
import { parseCreationTime } from './time';
import { setOwn } from './records';

export const ARCHITECTURES = ['x86_64', 'arm64', 'i386'] as const;
export type Architecture = (typeof ARCHITECTURES)[number] | 'unknown';

export const OS_TYPES = ['linux', 'windows'] as const;
export type OsType = (typeof OS_TYPES)[number] | 'unknown';

export const STATUSES = ['available', 'pending', 'failed', 'deprecated', 'unavailable'] as const;
export type ImageStatus = (typeof STATUSES)[number];

export const VISIBILITIES = ['public', 'private', 'shared', 'marketplace'] as const;
export type Visibility = (typeof VISIBILITIES)[number];

export const MACHINE_TYPES = ['vm', 'baremetal', 'any'] as const;
/** `unknown` where the cloud does not say: never guessed to be `vm`. */
export type MachineType = (typeof MACHINE_TYPES)[number] | 'unknown';

export interface GpuSupport {
  /** True when the image runs on GPU machines; null when the cloud does not say. */
  supported: boolean | null;
  vendor: string | null;
  driver: string | null;
  models: string[];
}

export interface Image {
  id: string;
  /** null for a record without a name (listed with a warning; never guessed from the ID). */
  name: string | null;
  /** The module's name (core/module.ts). */
  cloud: string;
  region: string;
  zone: string | null;
  description: string | null;
  architecture: Architecture;
  osType: OsType;
  osName: string | null;
  osDistro: string | null;
  osVersion: string | null;
  /** ISO-8601 UTC (`2023-02-22T12:04:13Z`), or null where the cloud reports no creation time. */
  createdAt: string | null;
  status: ImageStatus;
  /** null where the cloud has no notion of visibility for this image. */
  visibility: Visibility | null;
  sizeGiB: number | null;
  machineType: MachineType;
  gpu: GpuSupport;
  softwareVersions: Record<string, string>;
  tags: Record<string, string>;
  family: string | null;
  /** Only on lookup results that listed several regions (core/regions.ts): the image's ID in each. */
  regionIds?: Record<string, string>;
}

/**
 * Longest text kept in any string field of an image: 4 KiB. Longer server text is cut (with a warning), so no
 * later pattern, table or log line sees more, however long the server made it.
 */
export const MAX_TEXT_LENGTH = 4096;

/** The fraction of a second of each image's creation time (nine digits), where the server gave one: createdAt
 * stays whole UTC seconds for outputs, while the order compares at the precision the server gave. */
const FRACTIONS = new WeakMap<Image, string>();

/** The fraction of a second of the image's creation time as nine digits (`000000000` when none was given). */
export function creationFraction(image: Image): string {
  return FRACTIONS.get(image) ?? '000000000';
}

/** `2024-05-01T12:00:00.900000000Z` → whole seconds and the fraction: readCreationTime's precise form, taken apart. */
const PRECISE_TIME = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})\.(\d{9})Z$/;

/** What lossy decoding leaves in text: the replacement character, or a UTF-16 surrogate without its pair. */
const NOT_UTF8 = /\uFFFD|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Warnings about how a record was read, kept with the image they concern (lookups report them). */
const WARNINGS = new WeakMap<Image, readonly string[]>();

/** What reading this image's record warned about (cut text, an unreadable creation time); usually nothing. */
export function warningsOf(image: Image): readonly string[] {
  return WARNINGS.get(image) ?? [];
}

/** The reading warnings of these images, at most `limit` of them (then how many more), for a lookup's warnings. */
export function collectWarnings(images: readonly Image[], limit = 20): string[] {
  const out: string[] = [];
  let more = 0;
  for (const image of images) {
    for (const warning of warningsOf(image)) {
      if (out.length < limit) out.push(warning);
      else more++;
    }
  }
  if (more > 0) out.push(`${more} more warning(s) about how image records were read`);
  return out;
}

/**
 * Fills every field a normalizer left out with its "not reported" value, so normalizers state only facts. Every
 * normalizer builds its images here, so here every string field is bounded and masked: text past
 * MAX_TEXT_LENGTH is cut, and a registered secret (which no image may carry) is masked. `notes` are the
 * normalizer's warnings about this record; they are kept with the image, prefixed with its ID.
 */
export function makeImage(fields: Pick<Image, 'id' | 'cloud' | 'region'> & Partial<Image>, notes: readonly string[] = []): Image {
  if (typeof fields.id !== 'string' || fields.id === '') {
    throw new CloudApiError(`an image record has no ID${typeof fields.name === 'string' ? ` (name ${quoteServerText(fields.name, 80)})` : ''}`, {
      cloud: fields.cloud,
    });
  }
  if (NOT_UTF8.test(fields.id)) {
    // Bytes that are not UTF-8 were decoded as U+FFFD (or arrived as lone surrogates): the ID we would hand on names another image, or none.
    throw new CloudApiError(`an image ID (${quoteServerText(fields.id, 80)}) is not valid UTF-8, so it cannot name the image it stood for`, {
      cloud: fields.cloud,
    });
  }
  if (fields.id.length > MAX_TEXT_LENGTH) {
    // An ID cannot be cut: the cut one would name another image, or none.
    throw new CloudApiError(
      `an image ID of ${fields.id.length} characters (starting ${quoteServerText(fields.id, 40)}) is longer than ${MAX_TEXT_LENGTH}, so it is not an image ID`,
      { cloud: fields.cloud },
    );
  }
  const cuts: string[] = [];
  const gpu = fields.gpu;
  const precise = typeof fields.createdAt === 'string' ? PRECISE_TIME.exec(fields.createdAt) : null;
  const image: Image = {
    id: boundText(fields.id, 'id', cuts),
    name: boundOptional(fields.name, 'name', cuts),
    cloud: fields.cloud,
    region: boundText(fields.region, 'region', cuts),
    zone: boundOptional(fields.zone, 'zone', cuts),
    description: boundOptional(fields.description, 'description', cuts),
    architecture: fields.architecture ?? 'unknown',
    osType: fields.osType ?? 'unknown',
    osName: boundOptional(fields.osName, 'osName', cuts),
    osDistro: boundOptional(fields.osDistro, 'osDistro', cuts),
    osVersion: boundOptional(fields.osVersion, 'osVersion', cuts),
    createdAt: precise ? `${precise[1]}Z` : (fields.createdAt ?? null),
    status: fields.status ?? 'available',
    visibility: fields.visibility ?? null,
    sizeGiB: fields.sizeGiB ?? null,
    machineType: fields.machineType ?? 'unknown',
    gpu: {
      supported: gpu?.supported ?? null,
      vendor: boundOptional(gpu?.vendor, 'gpu.vendor', cuts),
      driver: boundOptional(gpu?.driver, 'gpu.driver', cuts),
      models: gpu?.models ? gpu.models.map((m, i) => boundText(m, `gpu.models[${i}]`, cuts)) : [],
    },
    softwareVersions: boundedMap(fields.softwareVersions, 'softwareVersions', cuts),
    tags: boundedMap(fields.tags, 'tags', cuts),
    family: boundOptional(fields.family, 'family', cuts),
  };
  if (precise) FRACTIONS.set(image, precise[2]);
  const all = [...(image.name === null ? ['the record has no name; it is listed with name null'] : []), ...notes, ...cuts];
  if (all.length > 0)
    WARNINGS.set(
      image,
      all.map((note) => `image ${quoteServerText(image.id, 80)}: ${note}`),
    );
  return image;
}

function boundText(value: string, field: string, cuts: string[]): string {
  let out = containsSecret(value) ? redact(value) : value;
  if (out.length > MAX_TEXT_LENGTH) {
    cuts.push(`${field} is ${out.length} characters long; cut to ${MAX_TEXT_LENGTH}`);
    out = cutText(out, MAX_TEXT_LENGTH - 1);
  }
  return out;
}

/** Text a server left empty (a Go zero value, `""`) is unknown, not data: null, like a missing field. */
function boundOptional(value: string | null | undefined, field: string, cuts: string[]): string | null {
  return typeof value === 'string' && value.trim() !== '' ? boundText(value, field, cuts) : null;
}

/** Sorted own keys: `__proto__` and `constructor` are keys like any other (core/records.ts). */
function boundedMap(record: Record<string, string> | undefined, field: string, cuts: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  if (!record) return out;
  for (const key of Object.keys(record).sort()) {
    setOwn(out, boundText(key, `${field} key`, cuts), boundText(record[key], `${field}[${JSON.stringify(key.slice(0, 40))}]`, cuts));
  }
  return out;
}

/**
 * Reads a creation time (core/time.ts: strict RFC 3339, no zone is UTC). Anything else is no creation time, with
 * a note naming the field: never a guess, never a failed listing. A fraction of a second is kept
 * (`…T12:00:00.900000000Z`) for makeImage, which orders by it and outputs whole seconds.
 */
export function readCreationTime(value: unknown, field: string, notes: string[]): string | null {
  const read = parseCreationTime(value);
  if (read.ok) return read.createdAt !== null && read.fraction !== undefined ? `${read.createdAt.slice(0, -1)}.${read.fraction}Z` : read.createdAt;
  const shown = typeof value === 'string' ? quoteServerText(value, 60) : `a ${typeof value}`;
  notes.push(`${field} ${shown} is ${read.reason}; it is treated as no creation time`);
  return null;
}

/** Clouds send booleans as `true`, `"true"`, `"True"`, `"False"`: read them all. */
export function parseBoolean(value: unknown): boolean | null {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string') {
    const v = value.trim().toLowerCase();
    if (v === 'true') return true;
    if (v === 'false') return false;
  }
  return null;
}
