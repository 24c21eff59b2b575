/** The one normalized image shape every cloud's answer becomes (contract.md, "The image"). */
import { sortKeys } from './keys';

export const ARCHITECTURES = ['x86_64', 'arm64', 'i386'] as const;
export type Architecture = (typeof ARCHITECTURES)[number] | 'unknown';

export const OS_TYPES = ['linux', 'windows'] as const;
export type OsType = (typeof OS_TYPES)[number] | 'unknown';

export const STATUSES = ['available', 'pending', 'failed', 'deprecated', 'unavailable'] as const;
export type ImageStatus = (typeof STATUSES)[number];

export const VISIBILITIES = ['public', 'private', 'shared', 'marketplace'] as const;
export type Visibility = (typeof VISIBILITIES)[number];

export const MACHINE_TYPES = ['vm', 'baremetal', 'any'] as const;
export type MachineType = (typeof MACHINE_TYPES)[number];

export interface GpuSupport {
  /** True when the image runs on GPU machines; null when the cloud does not say. */
  supported: boolean | null;
  vendor: string | null;
  driver: string | null;
  models: string[];
}

export interface Image {
  id: string;
  name: string;
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
}

/** Fills every field a normalizer left out with its "not reported" value, so normalizers state only facts. */
export function makeImage(fields: Pick<Image, 'id' | 'name' | 'cloud' | 'region'> & Partial<Image>): Image {
  return {
    zone: null,
    description: null,
    architecture: 'unknown',
    osType: 'unknown',
    osName: null,
    osDistro: null,
    osVersion: null,
    createdAt: null,
    status: 'available',
    visibility: null,
    sizeGiB: null,
    machineType: 'vm',
    family: null,
    ...fields,
    gpu: { supported: null, vendor: null, driver: null, models: [], ...fields.gpu },
    softwareVersions: sortKeys(fields.softwareVersions ?? {}),
    tags: sortKeys(fields.tags ?? {}),
  };
}

/** Parses a cloud timestamp into canonical ISO-8601 UTC without milliseconds; null for missing, throws for garbage
 * (a bad date silently sorting as "oldest" is how Terraform's aws_ami picks the wrong image). */
export function toIsoUtc(value: unknown): string | null {
  if (value === undefined || value === null || value === '') return null;
  const ms = Date.parse(String(value));
  if (Number.isNaN(ms)) throw new Error(`unparseable creation time ${JSON.stringify(value)}`);
  // Whole seconds: `…00.500Z` would sort before `…00Z` as text, and clouds differ in sub-second precision anyway.
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(/\.000Z$/, 'Z');
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
