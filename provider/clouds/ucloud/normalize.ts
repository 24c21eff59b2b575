/**
 * DescribeUK8SImage answer → Images. UCloud's quirks live here, each with the reason:
 *
 * - `ImageSet` holds virtual-machine images (machineType `vm`), `PHostImageSet` bare-metal ones (`baremetal`):
 *   UCloud's own, visibility `public`. `CustomImageSet` (VM) and `CustomPHostImageSet` (bare metal) hold the
 *   account's own node images: visibility `private` (the current documentation's table; its example shows bare
 *   strings under misspelled keys, `CustomIImageSet`, which are not read, and the vendor CLI reads these four).
 * - `ImageSetnew` is not in the documentation, but the published example answer carries it with the same
 *   ImageInfo shape. We take it to be a further list of VM images (its name extends `ImageSet`): its entries
 *   join the VM images, and where an ImageId is in both lists the `ImageSet` entry wins. Since its shape is not
 *   a documented contract, an `ImageSetnew` that is not a list, or entries in it without ImageId/ImageName,
 *   are skipped rather than failing the query. An ImageId listed for both VM and bare metal gets machineType
 *   `any`; an ImageId in two lists otherwise keeps its first entry; an ImageId twice in one list fails the query. Every other undocumented key (top level or per image) is ignored.
 * - `ImageSet` or `PHostImageSet` that is not a list, or an entry in them without ImageId/ImageName, fails the
 *   query: an answer we cannot read completely is never turned into a shorter list. An entry without ImageName is
 *   listed with name null and a warning. In the custom sets, entries
 *   that are not objects with an ImageId and an ImageName are skipped (the documentation's example has bare
 *   strings there); a custom set that is not a list fails the query like the others.
 * - `NotSupportGPU` is inverted into `gpu.supported` (missing or unreadable: null, unknown).
 * - `ZoneId` is UCloud's numeric zone ID; the API does not say which zone name it belongs to. When the query
 *   names a zone the answer is scoped to it, so `zone` is that name; otherwise `zone` is the numeric ID as text.
 * - There is no creation time (`createdAt` null) and no status (these are the images the service offers, so
 *   `available`).
 * - `OsType`, `OsName`, `ImageSize` (GB) and `SupportedGPUTypes` are read where present; the distribution and
 *   its version come from `OsName`, else from `ImageName` (core/os.ts). GPU vendor and driver are not reported:
 *   null. `IntegratedSoftware` is documented only as a free-text string ("NVIDIA driver version, CUDA version")
 *   and no public answer shows a value, so it is not read: driver and software selectors stay refused.
 */
import { scalarNumber } from '../../core/records';
import { CloudApiError, PagingError } from '../../core/errors';
import { quoteServerText } from '../../core/text';
import { Architecture, Image, makeImage, MachineType, OsType, parseBoolean, Visibility } from '../../core/image';
import { identifyOs } from '../../core/os';
import { OPERATION } from './types';

export interface NormalizeContext {
  region: string;
  /** The Zone the request was scoped to, if any. */
  zone?: string;
}

/**
 * Top-level keys holding image lists, and what each means. Order matters: earlier lists win on duplicate IDs.
 * `strict`: an unreadable entry fails the answer (else it is skipped); `documented`: a value that is not a list fails.
 */
const IMAGE_SETS: readonly { key: string; machineType: MachineType; visibility: Visibility; documented: boolean; strict: boolean }[] = [
  { key: 'ImageSet', machineType: 'vm', visibility: 'public', documented: true, strict: true },
  { key: 'PHostImageSet', machineType: 'baremetal', visibility: 'public', documented: true, strict: true },
  { key: 'ImageSetnew', machineType: 'vm', visibility: 'public', documented: false, strict: false },
  { key: 'CustomImageSet', machineType: 'vm', visibility: 'private', documented: true, strict: false },
  { key: 'CustomPHostImageSet', machineType: 'baremetal', visibility: 'private', documented: true, strict: false },
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
    const inThisSet = new Set<string>();
    list.forEach((entry, index) => {
      const image = normalizeImage(entry, set, context);
      if (!image) {
        if (!set.strict) return;
        throw shapeError(`${set.key}[${index}] has no ImageId`);
      }
      // One list naming an ID twice (`5` and `"5"`, `"a"` and `"a "` are one ID) is no complete answer.
      if (inThisSet.has(image.id)) {
        throw new PagingError(
          `image ${quoteServerText(image.id, 80)} appears twice in ${set.key}: the server repeats records, so the listing cannot be trusted; retry`,
          { cloud: 'ucloud', operation: OPERATION },
        );
      }
      inThisSet.add(image.id);
      const earlier = images.get(image.id);
      if (!earlier) images.set(image.id, image);
      else if (earlier.machineType !== image.machineType && earlier.visibility === image.visibility) earlier.machineType = 'any';
    });
  }
  return [...images.values()];
}

/** One ImageInfo; null when it lacks an ID (one without a name is listed with name null and a warning). */
export function normalizeImage(entry: unknown, set: { machineType: MachineType; visibility: Visibility }, context: NormalizeContext): Image | null {
  if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) return null;
  const info = entry as Record<string, unknown>;
  const id = text(info.ImageId);
  const name = text(info.ImageName);
  if (!id) return null;
  const notSupported = parseBoolean(info.NotSupportGPU);
  const osName = text(info.OsName);
  const { distro, version } = identifyOs([osName, name ?? undefined]);
  const size = scalarNumber(info.ImageSize);
  return makeImage({
    id,
    name,
    cloud: 'ucloud',
    region: context.region,
    zone: context.zone ?? text(info.ZoneId),
    architecture: parseArchitecture(`${name ?? ''} ${osName ?? ''}`),
    osType: parseOsType(text(info.OsType), distro),
    osName,
    osDistro: distro,
    osVersion: version,
    createdAt: null,
    status: 'available',
    visibility: set.visibility,
    sizeGiB: info.ImageSize !== undefined && info.ImageSize !== null && Number.isFinite(size) && size > 0 ? size : null,
    machineType: set.machineType,
    gpu: {
      supported: notSupported === null ? null : !notSupported,
      vendor: null,
      driver: null,
      models: gpuModels(info.SupportedGPUTypes),
    },
  });
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
