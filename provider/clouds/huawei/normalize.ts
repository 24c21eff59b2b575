/**
 * IMS image records (`GET /v2/cloudimages`, shared by Huawei Cloud and Open Telekom Cloud) → the Image shape.
 * IMS quirks live here: booleans as strings, architecture spread over `__support_arm` and `__os_bit`, GPU
 * support as a model list in `__support_*_gpu_type`, visibility in `__imagetype`. Volatile fields
 * (`updated_at`, `active_at`, `__lazyloading`, sizes of files) stay out.
 */
import { getOwn, scalarNumber, scalarText, setOwn } from '../../core/records';
import { CloudApiError } from '../../core/errors';
import { quoteServerText } from '../../core/text';
import { Architecture, Image, ImageStatus, makeImage, MachineType, OsType, parseBoolean, readCreationTime, Visibility } from '../../core/image';
import { canonicalDistro, distroId, identifyOs } from '../../core/os';
import type { ImsImage } from './types';

export const STATUS_FROM_IMS: Record<string, ImageStatus> = {
  active: 'available',
  queued: 'pending',
  saving: 'pending',
  killed: 'failed',
  deleted: 'unavailable',
  // Glance's other states (`uploading`, `importing`, `deactivated`, `pending_delete`, …) and unknown ones: unavailable.
};

/** `__imagetype` ↔ visibility. Market images are published by third parties through KooGallery. */
export const IMAGETYPE_TO_VISIBILITY: Record<string, Visibility> = { gold: 'public', private: 'private', shared: 'shared', market: 'marketplace' };
export const VISIBILITY_TO_IMAGETYPE: Record<Visibility, string> = { public: 'gold', private: 'private', shared: 'shared', marketplace: 'market' };
/** Glance's own `visibility`, read only where `__imagetype` is missing (`community` images are anyone's: no claim). */
const GLANCE_VISIBILITY: Record<string, Visibility> = { public: 'public', private: 'private', shared: 'shared' };

/** Glance kernel and ramdisk images (`aki`, `ari`) boot nothing on their own: they are not machine images. */
export function isMachineImage(record: ImsImage): boolean {
  const formats = [scalarText(record.disk_format).toLowerCase(), scalarText(record.container_format).toLowerCase()];
  return !formats.includes('aki') && !formats.includes('ari');
}

export const ENV_TYPE_TO_MACHINE: Record<string, MachineType> = { FusionCompute: 'vm', Ironic: 'baremetal' };

/** `__platform` values the IMS documentation lists (Other excluded), keyed by the osDistro they become. */
export const PLATFORMS: readonly string[] = [
  'Windows',
  'Ubuntu',
  'Red Hat',
  'SUSE',
  'CentOS',
  'Debian',
  'OpenSUSE',
  'Oracle Linux',
  'Fedora',
  'CoreOS',
  'EulerOS',
];

/** `Red Hat` → `rhel`, `Oracle Linux` → `ol`, `SUSE` → `sles`, `Other` → null: the os-release ID (core/os.ts). */
export function distroFromPlatform(platform: unknown): string | null {
  return typeof platform === 'string' ? distroId(platform) : null;
}

/** The inverse, for push-down: the documented platform of a distribution (an ID or any alias), if there is one. */
export function platformForDistro(distro: string): string | undefined {
  const id = canonicalDistro(distro);
  return PLATFORMS.find((p) => distroId(p) === id);
}

/**
 * Both clouds mark arm images with `__support_arm` and 32-bit ones with `__os_bit`; any other image is x86_64
 * (Open Telekom Cloud's own x86 images carry no architecture attribute at all, `__support_amd` included).
 */
export function architectureOf(record: ImsImage): Architecture {
  if (parseBoolean(record.__support_arm) === true) return 'arm64';
  if (scalarText(record.__os_bit).trim() === '32') return 'i386';
  return 'x86_64';
}

export function osTypeOf(value: unknown): OsType {
  const v = scalarText(value).toLowerCase();
  return v === 'linux' ? 'linux' : v === 'windows' ? 'windows' : 'unknown';
}

/** A GPU attribute given as a boolean (`true`, `"true"`) says "runs on GPU machines" without naming a model. */
export function gpuFlagged(record: ImsImage): boolean {
  return parseBoolean(record.__support_kvm_gpu_type) === true || parseBoolean(record.__support_xen_gpu_type) === true;
}

/** `"V100,T4"` (comma or semicolon separated) from the KVM and Xen attributes, without duplicates. */
export function gpuModelsOf(record: ImsImage): string[] {
  const models: string[] = [];
  for (const field of ['__support_kvm_gpu_type', '__support_xen_gpu_type'] as const) {
    const value = record[field];
    // `true`/`false` (a boolean, or text) is a flag, not a model list: gpuFlagged reads it.
    if (typeof value !== 'string' || parseBoolean(value) !== null) continue;
    for (const model of value
      .split(/[,;]/)
      .map((m) => m.trim())
      .filter(Boolean))
      if (!models.includes(model)) models.push(model);
  }
  return models;
}

/** IMS GPU types are NVIDIA data-centre models (`V100`, `T4`, `A100`, `M60_vGPU`, …); say so only when every model is one. */

/** `["env=prod", "owner.team"]` → `{env: "prod", owner: "team"}` (`Key.Value` is the pre-upgrade tag format). */
export function tagsOf(tags: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!Array.isArray(tags)) return out;
  for (const tag of tags) {
    if (typeof tag !== 'string' || tag === '') continue;
    const eq = tag.indexOf('=');
    const dot = tag.indexOf('.');
    const cut = eq >= 0 ? eq : dot;
    // `__proto__` and `constructor` are tag keys like any other (core/records.ts).
    if (cut > 0) setOwn(out, tag.slice(0, cut), tag.slice(cut + 1));
    else setOwn(out, tag, '');
  }
  return out;
}

function sizeOf(value: unknown): number | null {
  const n = scalarNumber(value);
  return Number.isFinite(n) && n > 0 ? n : null;
}

/** One IMS record → one Image. Throws on a record without an ID or with an unparseable creation time. */
export function normalizeImage(record: ImsImage, cloud: string, region: string): Image {
  if (typeof record.id !== 'string' || record.id === '')
    throw new CloudApiError(`an image record has no id (name ${quoteServerText(scalarText(record.name), 80)})`, { cloud });
  const models = gpuModelsOf(record);
  const description = typeof record.__description === 'string' && record.__description.trim() !== '' ? record.__description : null;
  const osName = typeof record.__os_version === 'string' && record.__os_version !== '' ? record.__os_version : null;
  // `__os_version` (`SUSE Linux Enterprise Server 12 SP2 64bit`) names distribution and version; `__platform` the distribution only.
  const os = identifyOs([osName], typeof record.__platform === 'string' ? record.__platform : null);
  const notes: string[] = [];
  return makeImage(
    {
      id: record.id,
      name: typeof record.name === 'string' ? record.name : null,
      cloud,
      region,
      description,
      architecture: architectureOf(record),
      osType: osTypeOf(record.__os_type),
      osName,
      osDistro: os.distro,
      osVersion: os.version,
      createdAt: readCreationTime(record.created_at, 'created_at', notes),
      status: getOwn(STATUS_FROM_IMS, scalarText(record.status).toLowerCase()) ?? 'unavailable',
      visibility: getOwn(IMAGETYPE_TO_VISIBILITY, scalarText(record.__imagetype)) ?? getOwn(GLANCE_VISIBILITY, scalarText(record.visibility)) ?? null,
      sizeGiB: sizeOf(record.min_disk),
      // FusionCompute and Ironic are documented; other types (IsoImage, DataImage) or none are not known: unknown.
      machineType: getOwn(ENV_TYPE_TO_MACHINE, scalarText(record.virtual_env_type)) ?? 'unknown',
      gpu: {
        supported: models.length > 0 || gpuFlagged(record),
        vendor: null, // IMS reports GPU types, not vendors
        driver: null,
        models,
      },
      tags: tagsOf(record.tags),
    },
    notes,
  );
}
