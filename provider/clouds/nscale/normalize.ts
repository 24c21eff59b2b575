/**
 * nscale image records → the normalized Image. The records are validated field by field: the answer comes
 * from the network, and a record without an ID or with a garbage creation time must fail loudly rather than
 * sort as "oldest" or vanish.
 */
import { getOwn, scalarText, setOwn } from '../../core/records';
import { Architecture, Image, ImageStatus, MachineType, makeImage, readCreationTime, Visibility } from '../../core/image';
import { CloudApiError } from '../../core/errors';
import { canonicalDistro } from '../../core/os';
import { NscaleState, OPERATION } from './types';

const ARCHITECTURES: Readonly<Record<string, Architecture>> = { x86_64: 'x86_64', aarch64: 'arm64' };
const MACHINE_TYPES: Readonly<Record<string, MachineType>> = { virtualized: 'vm', baremetal: 'baremetal', any: 'any' };
export const STATES: Readonly<Record<NscaleState, ImageStatus>> = { ready: 'available', pending: 'pending', creating: 'pending', failed: 'failed' };

export interface NormalizeContext {
  /** The region ID the images were listed in. */
  regionId: string;
  /** `private` for images the organization owns, `public` for nscale's global images. */
  visibility: Visibility;
}

/** Normalizes one record; throws CloudApiError naming the record and field when the record is unusable. */
export function normalizeImage(record: unknown, context: NormalizeContext): Image {
  const r = asObject(record, 'image');
  const metadata = asObject(r.metadata, 'metadata');
  const spec = r.spec === undefined ? {} : asObject(r.spec, 'spec');
  const status = r.status === undefined ? {} : asObject(r.status, 'status');
  const id = requiredString(metadata.id, 'metadata.id');
  const where = `image ${id}`;
  const os = spec.os === undefined ? undefined : asObject(spec.os, `${where} spec.os`);
  const gpu = spec.gpu === undefined || spec.gpu === null ? undefined : asObject(spec.gpu, `${where} spec.gpu`);
  const notes: string[] = [];
  const createdAt = readCreationTime(metadata.creationTime, 'metadata.creationTime', notes);
  const state = optionalString(status.state, `${where} status.state`);
  return makeImage(
    {
      id,
      // A record without a name is listed (name null, with makeImage's warning), not a failed region.
      name: optionalString(metadata.name, `${where} metadata.name`) ?? null,
      cloud: 'nscale',
      region: context.regionId,
      description: optionalString(metadata.description, `${where} metadata.description`) ?? null,
      createdAt,
      tags: tagMap(metadata.tags, where),
      architecture: getOwn(ARCHITECTURES, optionalString(spec.architecture, `${where} spec.architecture`) ?? '') ?? 'unknown',
      // 0 is Go's zero value (a size never set), not an empty image.
      sizeGiB: typeof spec.sizeGiB === 'number' && Number.isFinite(spec.sizeGiB) && spec.sizeGiB > 0 ? spec.sizeGiB : null,
      // The schema requires `virtualization`; missing or a value it does not list is unknown, never guessed `vm`.
      machineType: getOwn(MACHINE_TYPES, optionalString(spec.virtualization, `${where} spec.virtualization`) ?? '') ?? 'unknown',
      ...(os ? normalizeOs(os, where) : {}),
      // The schema describes `gpu` as "the GPU driver if installed": its absence says the image has none.
      gpu: gpu
        ? {
            // A `gpu` of Go zero values only (no vendor, driver or model) says nothing: unknown, not "has a GPU".
            supported:
              [gpu.vendor, gpu.driver].some((v) => typeof v === 'string' && v.trim() !== '') || (Array.isArray(gpu.models) && gpu.models.length > 0)
                ? true
                : null,
            vendor: optionalString(gpu.vendor, `${where} spec.gpu.vendor`) ?? null,
            driver: optionalString(gpu.driver, `${where} spec.gpu.driver`) ?? null,
            models: stringList(gpu.models, `${where} spec.gpu.models`),
          }
        : { supported: false, vendor: null, driver: null, models: [] },
      softwareVersions: stringMap(spec.softwareVersions, `${where} spec.softwareVersions`),
      // An unknown state is not one we can vouch for; `unavailable` keeps it out of default queries.
      // Own keys only: a state `constructor` or `toString` is unknown, never a prototype member.
      status: getOwn(STATES, state ?? '') ?? 'unavailable',
      visibility: context.visibility,
    },
    notes,
  );
}

function normalizeOs(os: Record<string, unknown>, where: string): Partial<Image> {
  const kernel = optionalString(os.kernel, `${where} spec.os.kernel`);
  const distro = optionalString(os.distro, `${where} spec.os.distro`) ?? null;
  const version = optionalString(os.version, `${where} spec.os.version`) ?? null;
  const variant = optionalString(os.variant, `${where} spec.os.variant`);
  const codename = optionalString(os.codename, `${where} spec.os.codename`);
  const words = [distro, version, variant].filter((w): w is string => Boolean(w));
  return {
    osType: kernel === 'linux' ? 'linux' : 'unknown',
    // The schema's distro is already an os-release ID (`ubuntu`); an alias is still read as its ID.
    osDistro: distro === null ? null : canonicalDistro(distro),
    osVersion: version,
    osName: words.length ? `${words.join(' ')}${codename ? ` (${codename})` : ''}` : null,
    family: optionalString(os.family, `${where} spec.os.family`) ?? null,
  };
}

function tagMap(value: unknown, where: string): Record<string, string> {
  if (value === undefined || value === null) return {};
  if (!Array.isArray(value)) throw invalid(`${where} metadata.tags: expected a list of {name, value}`);
  const tags: Record<string, string> = {};
  for (const entry of value) {
    const tag = asObject(entry, `${where} metadata.tags entry`);
    setOwn(tags, requiredString(tag.name, `${where} metadata.tags[].name`), scalarText(tag.value));
  }
  return tags;
}

function stringMap(value: unknown, field: string): Record<string, string> {
  if (value === undefined || value === null) return {};
  const out: Record<string, string> = {};
  for (const [key, v] of Object.entries(asObject(value, field))) setOwn(out, key, requiredString(v, `${field}.${key}`));
  return out;
}

function stringList(value: unknown, field: string): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw invalid(`${field}: expected a list of strings`);
  return value.map((v, i) => requiredString(v, `${field}[${i}]`));
}

function asObject(value: unknown, field: string): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw invalid(`${field}: expected an object`);
  return value as Record<string, unknown>;
}

function requiredString(value: unknown, field: string): string {
  if (typeof value !== 'string' || value === '') throw invalid(`${field}: expected a non-empty string`);
  return value;
}

function optionalString(value: unknown, field: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw invalid(`${field}: expected a string`);
  return value;
}

function invalid(message: string, cause?: unknown): CloudApiError {
  return new CloudApiError(`unusable image record: ${message}`, { cloud: 'nscale', operation: OPERATION, cause });
}
