/**
 * The emulator's built-in UCloud UK8S catalog, generated deterministically: VM and bare-metal node images in
 * several regions and zones. Names carry the distribution, its version and a build number, and both include
 * pairs whose natural order differs from text order (`rocky-8.9` / `rocky-8.10`, `b9` / `b10`), because
 * UCloud reports no creation time and `mostRecent` orders by those numbers.
 *
 * Zone `cn-bj2-02` carries every image line (tests rely on it); other zones carry a seeded subset. Every region
 * also has the account's own node images in `CustomImageSet` and `CustomPHostImageSet` (read as private), one of
 * them in the shape of the vendor CLI's fixture: no ZoneId, NotSupportGPU or OsName, only `Features`.
 */
import type { CloudCatalog } from '../types';
import { hex, seededRandom } from '../random';

/** One ImageInfo as DescribeUK8SImage returns it (the optional fields appear on some images only). */
export interface UcloudImageInfo {
  /** Absent on some custom images (served in every zone of their region). */
  ZoneId?: number;
  ImageId: string;
  ImageName: string;
  NotSupportGPU?: boolean;
  Features?: string[];
  OsType?: string;
  OsName?: string;
  ImageSize?: number;
  SupportedGPUTypes?: string[];
}

export interface UcloudCatalogImage {
  Region: string;
  /** The answer list it is served in (ImageSetnew: the undocumented extra VM list). */
  Set: 'ImageSet' | 'PHostImageSet' | 'ImageSetnew' | 'CustomImageSet' | 'CustomPHostImageSet';
  Info: UcloudImageInfo;
}

export interface UcloudCatalog extends CloudCatalog<UcloudCatalogImage> {
  credentials: { PublicKey: string; PrivateKey: string; ProjectId: string };
  /** Region → zone name → numeric ZoneId. */
  regions: Record<string, Record<string, number>>;
  /** Projects the account can see (ProjectId values the API accepts). */
  projects: string[];
}

export const UCLOUD_REGIONS: Record<string, Record<string, number>> = {
  'cn-bj2': { 'cn-bj2-02': 4001, 'cn-bj2-03': 4002, 'cn-bj2-04': 4003, 'cn-bj2-05': 4004 },
  'cn-sh2': { 'cn-sh2-01': 7001, 'cn-sh2-02': 7002, 'cn-sh2-03': 7003 },
  'cn-gd': { 'cn-gd-02': 9002 },
  hk: { 'hk-02': 5002 },
  'us-ca': { 'us-ca-01': 6001 },
  'th-bkk': { 'th-bkk-01': 11001 },
};

/** The zone that carries every image line. */
export const FULL_ZONE = { region: 'cn-bj2', zone: 'cn-bj2-02' };

interface Line {
  distro: string;
  osName: string;
  version: string;
  arch: 'x86_64' | 'aarch64';
  gpu: boolean;
  set: UcloudCatalogImage['Set'];
}

const OS_LINES: readonly { distro: string; osName: string; versions: string[] }[] = [
  { distro: 'ubuntu', osName: 'Ubuntu', versions: ['20.04', '22.04', '24.04'] },
  { distro: 'centos', osName: 'CentOS', versions: ['7.9'] },
  { distro: 'rocky', osName: 'Rocky Linux', versions: ['8.9', '8.10'] },
  { distro: 'almalinux', osName: 'AlmaLinux', versions: ['9.3', '9.4'] },
  { distro: 'debian', osName: 'Debian', versions: ['11', '12'] },
];

const GPU_TYPES = ['T4', 'P40', 'V100S', 'A100', 'A800', 'H100', '4090'];

function vmLines(): Line[] {
  const lines: Line[] = [];
  for (const os of OS_LINES) {
    for (const version of os.versions) {
      for (const gpu of [false, true]) {
        // The newest Ubuntu is listed in the undocumented ImageSetnew, as the published example suggests.
        const set = os.distro === 'ubuntu' && version === '24.04' ? 'ImageSetnew' : 'ImageSet';
        lines.push({ distro: os.distro, osName: os.osName, version, arch: 'x86_64', gpu, set });
      }
    }
  }
  lines.push({ distro: 'ubuntu', osName: 'Ubuntu', version: '22.04', arch: 'aarch64', gpu: false, set: 'ImageSet' });
  return lines;
}

const PHOST_LINES: readonly Line[] = [
  { distro: 'centos', osName: 'CentOS', version: '7.9', arch: 'x86_64', gpu: false, set: 'PHostImageSet' },
  { distro: 'ubuntu', osName: 'Ubuntu', version: '22.04', arch: 'x86_64', gpu: true, set: 'PHostImageSet' },
  { distro: 'rocky', osName: 'Rocky Linux', version: '8.10', arch: 'x86_64', gpu: true, set: 'PHostImageSet' },
];

export function buildUcloudCatalog(seed = 0x0c10d): UcloudCatalog {
  const random = seededRandom(seed);
  const ids = new Set<string>();
  const newId = (prefix: string): string => {
    for (;;) {
      const id = `${prefix}-${hex(random, 8)}`;
      if (ids.has(id)) continue;
      ids.add(id);
      return id;
    }
  };
  const images: UcloudCatalogImage[] = [];
  for (const [region, zones] of Object.entries(UCLOUD_REGIONS)) {
    for (const [zone, zoneId] of Object.entries(zones)) {
      const full = region === FULL_ZONE.region && zone === FULL_ZONE.zone;
      const lines = [...vmLines(), ...PHOST_LINES];
      for (const line of lines) {
        if (!full && random() < 0.3) continue;
        const baremetal = line.set === 'PHostImageSet';
        // Builds: one to three consecutive numbers from 8 to 10 upwards, so b9 and b10 meet often.
        const first = 8 + Math.floor(random() * 3);
        const count = full ? 3 : 1 + Math.floor(random() * 3);
        const described = random() < 0.7;
        const size = baremetal ? 100 : line.gpu ? 60 : 40;
        const gpuTypes = line.gpu && random() < 0.8 ? GPU_TYPES.filter(() => random() < 0.5) : undefined;
        for (let build = first; build < first + count; build++) {
          const name = ['uk8s', ...(baremetal ? ['phost'] : []), line.distro, line.version, line.arch, ...(line.gpu ? ['gpu'] : []), `b${build}`].join('-');
          const info: UcloudImageInfo = { ZoneId: zoneId, ImageId: newId(baremetal ? 'pimg' : 'uimage'), ImageName: name, NotSupportGPU: !line.gpu };
          if (described) {
            info.OsType = 'Linux';
            info.OsName = `${line.osName} ${line.version} ${line.arch === 'aarch64' ? 'ARM64' : '64位'}`;
            info.ImageSize = size;
          }
          if (gpuTypes && gpuTypes.length > 0) info.SupportedGPUTypes = gpuTypes;
          images.push({ Region: region, Set: line.set, Info: info });
        }
      }
    }
  }
  // The account's own images, drawn from a stream of their own so the public lines above stay as they were.
  const own = seededRandom(seed ^ 0xc05701);
  const ownId = (prefix: string) => {
    for (;;) {
      const id = `${prefix}-${hex(own, 8)}`;
      if (!ids.has(id)) return (ids.add(id), id);
    }
  };
  for (const [region, zones] of Object.entries(UCLOUD_REGIONS)) {
    const zoneId = Object.values(zones)[0];
    images.push({ Region: region, Set: 'CustomImageSet', Info: { ImageId: ownId('uimage'), ImageName: 'custom-ubuntu', Features: ['CloudInit'] } });
    for (const version of [2 + Math.floor(own() * 3), 10]) {
      images.push({
        Region: region,
        Set: 'CustomImageSet',
        Info: {
          ZoneId: zoneId,
          ImageId: ownId('uimage'),
          ImageName: `custom-k8s-node-rocky-8.10-v${version}`,
          NotSupportGPU: true,
          Features: ['CloudInit'],
          OsType: 'Linux',
          OsName: 'Rocky Linux 8.10 64位',
          ImageSize: 40,
        },
      });
    }
    if (region === FULL_ZONE.region) {
      images.push({
        Region: region,
        Set: 'CustomPHostImageSet',
        Info: {
          ZoneId: zones[FULL_ZONE.zone],
          ImageId: ownId('pimg'),
          ImageName: 'custom-phost-ubuntu-22.04-gpu-v2',
          NotSupportGPU: false,
          SupportedGPUTypes: ['A800'],
          OsType: 'Linux',
          OsName: 'Ubuntu 22.04 64位',
          ImageSize: 100,
        },
      });
    }
  }
  return {
    credentials: {
      PublicKey: 'emulator-ucloud-public-key-2b7e151628aed2a6',
      PrivateKey: 'emulator-ucloud-private-key-abf7158809cf4f3c762e7160f38b4da5',
      ProjectId: 'org-emu42a',
    },
    regions: UCLOUD_REGIONS,
    projects: ['org-emu42a', 'org-emu42b'],
    images,
  };
}
