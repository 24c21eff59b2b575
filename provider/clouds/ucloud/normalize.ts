/**
 * DescribeUK8SImage answer → Images. UCloud's quirks live here, each with the reason:
 *
 * - `ImageSet` holds virtual-machine images (machineType `vm`), `PHostImageSet` bare-metal ones (`baremetal`).
 * - `ImageSetnew` is not in the documentation, but the published example answer carries it with the same
 *   ImageInfo shape. We take it to be a further list of VM images (its name extends `ImageSet`): its entries
 *   join the VM images, and where an ImageId is in both lists the `ImageSet` entry wins. Since its shape is not
 *   a documented contract, an `ImageSetnew` that is not a list, or entries in it without ImageId/ImageName,
 *   are skipped rather than failing the query. An ImageId listed for both VM and bare metal gets machineType
 *   `any`; a repeated ImageId otherwise keeps its first entry. Every other undocumented key (top level or per image) is ignored.
 * - A documented list that is not a list, or a documented entry without ImageId/ImageName, fails the query:
 *   an answer we cannot read completely is never turned into a shorter list.
 * - `NotSupportGPU` is inverted into `gpu.supported` (missing or unreadable: null, unknown).
 * - `ZoneId` is UCloud's numeric zone ID; the API does not say which zone name it belongs to. When the query
 *   names a zone the answer is scoped to it, so `zone` is that name; otherwise `zone` is the numeric ID as text.
 * - There is no creation time (`createdAt` null) and no status (these are the images the service offers, so
 *   `available`). The vendor publishes them, so `visibility` is `public`.
 * - `OsType`, `OsName`, `ImageSize` (GB) and `SupportedGPUTypes` are read where present; the distribution and
 *   its version come from `OsName`, else from `ImageName`. GPU vendor and driver are not reported: null.
 */
import { CloudApiError } from '../../core/errors';
import { Architecture, Image, makeImage, MachineType, OsType, parseBoolean } from '../../core/image';
import { OPERATION } from './errors';

export interface NormalizeContext {
  region: string;
  /** The Zone the request was scoped to, if any. */
  zone?: string;
}

/** Top-level keys holding image lists, and what each means. Order matters: earlier lists win on duplicate IDs. */
const IMAGE_SETS: readonly { key: string; machineType: MachineType; documented: boolean }[] = [
  { key: 'ImageSet', machineType: 'vm', documented: true },
  { key: 'PHostImageSet', machineType: 'baremetal', documented: true },
  { key: 'ImageSetnew', machineType: 'vm', documented: false },
];

/** Distribution names as they appear in UCloud image and OS names, lower case → canonical. */
const DISTROS: readonly [RegExp, string][] = [
  [/\bubuntu\b/, 'ubuntu'],
  [/\bcentos\b/, 'centos'],
  [/\brocky(?:\s*linux)?\b/, 'rocky'],
  [/\balma(?:\s*linux)?\b/, 'almalinux'],
  [/\bdebian\b/, 'debian'],
  [/\bopencloudos\b/, 'opencloudos'],
  [/\banolis\b/, 'anolis'],
  [/\bopeneuler\b/, 'openeuler'],
  [/\btlinux\b/, 'tlinux'],
  [/\bwindows\b/, 'windows'],
];

function shapeError(message: string): CloudApiError {
  return new CloudApiError(message, { cloud: 'ucloud', operation: OPERATION });
}

function text(value: unknown): string | null {
  if (typeof value === 'string' && value.trim() !== '') return value.trim();
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return null;
}

export function normalizeAnswer(body: Record<string, unknown>, context: NormalizeContext): Image[] {
  const images = new Map<string, Image>();
  for (const set of IMAGE_SETS) {
    const list = body[set.key];
    if (list === undefined || list === null) continue;
    if (!Array.isArray(list)) {
      if (!set.documented) continue;
      throw shapeError(`${set.key} is not a list (got ${typeof list})`);
    }
    list.forEach((entry, index) => {
      const image = normalizeImage(entry, set.machineType, context);
      if (!image) {
        if (!set.documented) return;
        throw shapeError(`${set.key}[${index}] has no ImageId or ImageName`);
      }
      const earlier = images.get(image.id);
      if (!earlier) images.set(image.id, image);
      else if (earlier.machineType !== image.machineType) earlier.machineType = 'any';
    });
  }
  return [...images.values()];
}

/** One ImageInfo; null when it lacks an ID or a name. */
export function normalizeImage(entry: unknown, machineType: MachineType, context: NormalizeContext): Image | null {
  if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) return null;
  const info = entry as Record<string, unknown>;
  const id = text(info.ImageId);
  const name = text(info.ImageName);
  if (!id || !name) return null;
  const notSupported = parseBoolean(info.NotSupportGPU);
  const osName = text(info.OsName);
  const { distro, version } = parseDistro(osName ?? name);
  const size = Number(info.ImageSize);
  return makeImage({
    id,
    name,
    cloud: 'ucloud',
    region: context.region,
    zone: context.zone ?? text(info.ZoneId),
    architecture: parseArchitecture(`${name} ${osName ?? ''}`),
    osType: parseOsType(text(info.OsType), distro),
    osName,
    osDistro: distro,
    osVersion: version,
    createdAt: null,
    status: 'available',
    visibility: 'public',
    sizeGiB: info.ImageSize !== undefined && info.ImageSize !== null && Number.isFinite(size) && size > 0 ? size : null,
    machineType,
    gpu: {
      supported: notSupported === null ? null : !notSupported,
      vendor: null,
      driver: null,
      models: gpuModels(info.SupportedGPUTypes),
    },
  });
}

export function parseDistro(source: string): { distro: string | null; version: string | null } {
  const lower = source.toLowerCase();
  for (const [pattern, distro] of DISTROS) {
    const match = pattern.exec(lower);
    if (!match) continue;
    const after = lower.slice(match.index + match[0].length);
    const version = /^[\s_-]*(\d+(?:\.\d+)*)/.exec(after);
    return { distro, version: version ? version[1] : null };
  }
  return { distro: null, version: null };
}

function parseArchitecture(source: string): Architecture {
  const lower = source.toLowerCase();
  if (/(^|[^a-z0-9])(aarch64|arm64)($|[^a-z0-9])/.test(lower)) return 'arm64';
  if (/(^|[^a-z0-9])(x86_64|x86-64|amd64)($|[^a-z0-9])/.test(lower)) return 'x86_64';
  if (/(^|[^a-z0-9])(i386|i686)($|[^a-z0-9])/.test(lower)) return 'i386';
  return 'unknown';
}

function parseOsType(osType: string | null, distro: string | null): OsType {
  const lower = osType?.toLowerCase();
  if (lower === 'linux' || lower === 'windows') return lower;
  if (distro === 'windows') return 'windows';
  if (distro) return 'linux';
  return 'unknown';
}

function gpuModels(value: unknown): string[] {
  if (!Array.isArray(value)) return [];
  return [...new Set(value.map(text).filter((m): m is string => m !== null))];
}
