/**
 * DescribeImages records → Images. The API's quirks live here: arrays wrapped in an object (`Images.Image[]`,
 * `Tags.Tag[]`), booleans as strings (`"False"`), sizes as numbers or strings, OS type in either case.
 * The distribution and version come from `OSNameEn`, then `OSName`, then `Platform` (core/os.ts).
 * Volatile fields (Usage, Progress, IsSubscribed, RemainTime…) are deliberately not read.
 */
import { getOwn, scalarNumber, scalarText, setOwn } from '../../core/records';
import { Architecture, Image, ImageStatus, makeImage, OsType, readCreationTime, Visibility } from '../../core/image';
import { identifyOs } from '../../core/os';
import type { AlicloudImageRecord } from './types';

export const STATUS_MAP: Readonly<Record<string, ImageStatus>> = {
  Available: 'available',
  Creating: 'pending',
  Waiting: 'pending',
  CreateFailed: 'failed',
  UnAvailable: 'unavailable',
  Deprecated: 'deprecated',
};

/** Query status → the API's Status values (several are joined with commas). */
export const STATUS_PARAMS: Readonly<Record<ImageStatus, string[]>> = {
  available: ['Available'],
  pending: ['Creating', 'Waiting'],
  failed: ['CreateFailed'],
  unavailable: ['UnAvailable'],
  deprecated: ['Deprecated'],
};

export const OWNER_ALIAS_TO_VISIBILITY: Readonly<Record<string, Visibility>> = {
  system: 'public',
  self: 'private',
  others: 'shared',
  marketplace: 'marketplace',
};

export const VISIBILITY_TO_OWNER_ALIAS: Readonly<Record<Visibility, string>> = {
  public: 'system',
  private: 'self',
  shared: 'others',
  marketplace: 'marketplace',
};

const ARCHITECTURE_MAP: Readonly<Record<string, Architecture>> = { x86_64: 'x86_64', i386: 'i386', arm64: 'arm64', aarch64: 'arm64' };

export interface NormalizeContext {
  region: string;
  /** The request asked for images that run on a GPU instance type: every answer does. */
  gpuInstanceType?: string;
}

/** Unwraps `Images.Image[]` of one DescribeImages answer; anything else is not a list. */
export function unwrapImages(body: unknown): AlicloudImageRecord[] | undefined {
  const images = (body as { Images?: { Image?: unknown } } | null)?.Images;
  if (images === undefined || images === null) return undefined;
  // An empty page may arrive as `"Images": {}` or `"Images": {"Image": []}`.
  const list = images.Image ?? [];
  return Array.isArray(list) ? (list as AlicloudImageRecord[]) : undefined;
}

export function normalizeImage(record: AlicloudImageRecord, context: NormalizeContext): Image {
  // Older answers carry only the Chinese OSName (`Windows Server  2008 R2 企业版 64位英文版`); distribution names stay Latin in it.
  const osNameEn = text(record.OSNameEn);
  const osNameZh = text(record.OSName);
  const osName = osNameEn ?? osNameZh;
  const { distro, version } = identifyOs([osNameEn, osNameZh], text(record.Platform));
  const notes: string[] = [];
  const createdAt = readCreationTime(record.CreationTime, 'CreationTime', notes);
  return makeImage(
    {
      id: record.ImageId,
      name: text(record.ImageName),
      cloud: 'alicloud',
      region: context.region,
      description: text(record.Description),
      architecture: getOwn(ARCHITECTURE_MAP, scalarText(record.Architecture).toLowerCase()) ?? 'unknown',
      osType: osTypeOf(record.OSType),
      osName,
      osDistro: distro,
      osVersion: version,
      createdAt,
      // An unknown status must never be chosen as if it were usable.
      status: getOwn(STATUS_MAP, scalarText(record.Status)) ?? 'unavailable',
      visibility: getOwn(OWNER_ALIAS_TO_VISIBILITY, scalarText(record.ImageOwnerAlias)) ?? null,
      sizeGiB: sizeOf(record.Size),
      // ECS images boot on both VM and ECS Bare Metal instance families; InstanceType narrows it down.
      machineType: 'any',
      gpu: context.gpuInstanceType ? { supported: true, vendor: null, driver: null, models: [] } : undefined,
      tags: tagsOf(record.Tags),
      family: text(record.ImageFamily),
    },
    notes,
  );
}

/** Whitespace to collapse: at either end, a run of two, or any but a plain space (most names have none). */
const UNTIDY_SPACE = /^\s|\s$|\s\s|[^\S ]/;

function text(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const collapsed = UNTIDY_SPACE.test(value) ? value.replace(/\s+/g, ' ').trim() : value;
  return collapsed === '' ? null : collapsed;
}

function osTypeOf(value: unknown): OsType {
  const v = scalarText(value).toLowerCase();
  return v === 'linux' || v === 'windows' ? v : 'unknown';
}

function sizeOf(value: unknown): number | null {
  const n = scalarNumber(value);
  return Number.isFinite(n) && n >= 0 ? n : null;
}

function tagsOf(tags: AlicloudImageRecord['Tags']): Record<string, string> {
  const out: Record<string, string> = {};
  for (const tag of Array.isArray(tags?.Tag) ? tags.Tag : []) {
    if (typeof tag?.TagKey === 'string' && tag.TagKey !== '') setOwn(out, tag.TagKey, typeof tag.TagValue === 'string' ? tag.TagValue : '');
  }
  return out;
}
