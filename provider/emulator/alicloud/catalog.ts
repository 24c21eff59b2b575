/**
 * The built-in Alibaba Cloud catalog: native DescribeImages records (plus the `region` they live in),
 * generated from a fixed seed so every machine gets the same one. Public images follow Alibaba's naming
 * (`ubuntu_22_04_arm64_20G_alibase_20240130.vhd`, ID equal to the name), builds of one date share a creation
 * time across architectures (ties), old builds are Deprecated, and custom images include nightly Kubernetes
 * node builds, enough to need several pages in cn-hangzhou. Older public lines are served as older answers were
 * (real bodies in test/fixtures/real/alicloud): only the Chinese `OSName`, no `OSNameEn` — SUSE with service
 * packs, CoreOS, Windows Server 2008 R2 / 2012 R2 (whose `Platform` says `Windows Server 2008` / `2012`), FreeBSD
 * (`Platform: "Freebsd"`, `OSType: "linux"`, as sent) — and custom images named `Ubuntu_64`.
 */
import type { CloudCatalog } from '../types';
import { hex, pick, seededRandom } from '../random';

export interface AlicloudCatalogRecord {
  region: string;
  /**
   * The image boots GPU instance types only (images with a GPU driver preinstalled): `InstanceType` of a CPU type
   * leaves it out, as the vendor documents the parameter ("the instance type for which the image can be used").
   * Emulator-side, like `region`: never sent.
   */
  gpuInstancesOnly?: boolean;
  ImageId: string;
  ImageName: string;
  [field: string]: unknown;
}

export interface AlicloudInstanceType {
  architecture: 'x86_64' | 'arm64';
  gpu: boolean;
}

export interface AlicloudCatalog extends CloudCatalog<AlicloudCatalogRecord> {
  credentials: { accessKeyId: string; accessKeySecret: string; stsAccessKeyId: string; stsAccessKeySecret: string; securityToken: string };
  regions: string[];
  instanceTypes: Record<string, AlicloudInstanceType>;
}

export const ALICLOUD_CREDENTIALS: AlicloudCatalog['credentials'] = {
  accessKeyId: 'EMUak-alicloud-5c1e8f2a9b7d',
  accessKeySecret: 'emu-secret-alicloud-3f9a61c0d42e8b75',
  stsAccessKeyId: 'STS.EMU-alicloud-temporary-1a2b3c',
  stsAccessKeySecret: 'emu-sts-secret-alicloud-9e8d7c6b5a',
  securityToken: 'emu-sts-token-alicloud-CAIS-7f6e5d4c3b2a19',
};

export const INSTANCE_TYPES: Record<string, AlicloudInstanceType> = {
  'ecs.g7.large': { architecture: 'x86_64', gpu: false },
  'ecs.c7.xlarge': { architecture: 'x86_64', gpu: false },
  'ecs.g6r.large': { architecture: 'arm64', gpu: false },
  'ecs.g8y.large': { architecture: 'arm64', gpu: false },
  'ecs.gn7i-c8g1.2xlarge': { architecture: 'x86_64', gpu: true },
  'ecs.gn6v-c8g1.2xlarge': { architecture: 'x86_64', gpu: true },
  'ecs.sgn7i-vws-m2.xlarge': { architecture: 'x86_64', gpu: true },
  'ecs.ebmgn7e.32xlarge': { architecture: 'x86_64', gpu: true },
};

const REGIONS: { id: string; prefix: string; builds: number; nightlies: number }[] = [
  { id: 'cn-hangzhou', prefix: 'bp', builds: 10, nightlies: 120 },
  { id: 'cn-shanghai', prefix: 'uf', builds: 6, nightlies: 10 },
  { id: 'ap-southeast-1', prefix: 't4', builds: 5, nightlies: 0 },
  { id: 'eu-central-1', prefix: 'gw', builds: 4, nightlies: 0 },
];

interface Line {
  slug: string;
  platform: string;
  osName: (v: string, bits: string) => string;
  version: string;
  arches: ('x86_64' | 'arm64' | 'i386')[];
  osType: 'linux' | 'windows';
  size: number;
  family: string;
  nameTail?: string;
  gpu?: string;
}

const LINES: Line[] = [
  {
    slug: 'ubuntu_24_04',
    platform: 'Ubuntu',
    osName: (_v, b) => `Ubuntu  24.04 ${b}`,
    version: '24.04',
    arches: ['x86_64', 'arm64'],
    osType: 'linux',
    size: 20,
    family: 'acs:ubuntu_24_04',
  },
  {
    slug: 'ubuntu_22_04',
    platform: 'Ubuntu',
    osName: (_v, b) => `Ubuntu  22.04 ${b}`,
    version: '22.04',
    arches: ['x86_64', 'arm64'],
    osType: 'linux',
    size: 20,
    family: 'acs:ubuntu_22_04',
  },
  {
    slug: 'ubuntu_22_04',
    platform: 'Ubuntu',
    osName: (_v, b) => `Ubuntu  22.04 ${b}`,
    version: '22.04',
    arches: ['x86_64'],
    osType: 'linux',
    size: 40,
    family: 'acs:ubuntu_22_04_nvidia',
    nameTail: 'nvidia_535',
    gpu: 'NVIDIA driver 535.154.05, CUDA 12.2',
  },
  {
    slug: 'aliyun_3',
    platform: 'Aliyun',
    osName: (_v, b) => `Alibaba Cloud Linux  3.2104 LTS ${b}`,
    version: '3',
    arches: ['x86_64', 'arm64'],
    osType: 'linux',
    size: 40,
    family: 'acs:alibaba_cloud_linux_3_2104_lts',
  },
  {
    slug: 'aliyun_3',
    platform: 'Aliyun',
    osName: (_v, b) => `Alibaba Cloud Linux  3.2104 LTS ${b}`,
    version: '3',
    arches: ['x86_64'],
    osType: 'linux',
    size: 40,
    family: 'acs:alibaba_cloud_linux_3_ai',
    nameTail: 'gpu_nvidia_550',
    gpu: 'NVIDIA driver 550.54.15, CUDA 12.4',
  },
  {
    slug: 'centos_7_9',
    platform: 'CentOS',
    osName: (_v, b) => `CentOS  7.9 ${b}`,
    version: '7.9',
    arches: ['x86_64'],
    osType: 'linux',
    size: 20,
    family: 'acs:centos_7_9',
  },
  {
    slug: 'centos_6_10',
    platform: 'CentOS',
    osName: (_v, b) => `CentOS  6.10 ${b}`,
    version: '6.10',
    arches: ['i386'],
    osType: 'linux',
    size: 20,
    family: 'acs:centos_6_10_32',
  },
  {
    slug: 'debian_12_5',
    platform: 'Debian',
    osName: (_v, b) => `Debian  12.5 ${b}`,
    version: '12.5',
    arches: ['x86_64', 'arm64'],
    osType: 'linux',
    size: 20,
    family: 'acs:debian_12',
  },
  {
    slug: 'debian_11_9',
    platform: 'Debian',
    osName: (_v, b) => `Debian  11.9 ${b}`,
    version: '11.9',
    arches: ['x86_64', 'i386'],
    osType: 'linux',
    size: 20,
    family: 'acs:debian_11',
  },
  {
    slug: 'rockylinux_9_3',
    platform: 'Rocky Linux',
    osName: (_v, b) => `Rocky Linux  9.3 ${b}`,
    version: '9.3',
    arches: ['x86_64', 'arm64'],
    osType: 'linux',
    size: 20,
    family: 'acs:rockylinux_9',
  },
  {
    slug: 'anolisos_8_8',
    platform: 'Anolis',
    osName: (_v, b) => `Anolis OS  8.8 RHCK ${b}`,
    version: '8.8',
    arches: ['x86_64', 'arm64'],
    osType: 'linux',
    size: 40,
    family: 'acs:anolisos_8',
    nameTail: 'rhck',
  },
  {
    slug: 'win2022_21H2',
    platform: 'Windows Server 2022',
    osName: () => 'Windows Server  2022 Data Center Edition 64bit English Edition',
    version: '2022',
    arches: ['x86_64'],
    osType: 'windows',
    size: 40,
    family: 'acs:windows_server_2022_en',
    nameTail: 'dtc_en-us',
  },
  {
    slug: 'win2019_1809',
    platform: 'Windows Server 2019',
    osName: () => 'Windows Server  2019 Data Center Edition 64bit Chinese Edition',
    version: '2019',
    arches: ['x86_64'],
    osType: 'windows',
    size: 40,
    family: 'acs:windows_server_2019_zh',
    nameTail: 'dtc_zh-cn',
  },
];

/** Older lines, as answers before OSNameEn existed show them. */
interface LegacyLine {
  slug: string;
  platform: string;
  osName: string;
  osType: 'linux' | 'windows';
  arch: 'x86_64' | 'i386';
  size: number;
}

const LEGACY_LINES: LegacyLine[] = [
  { slug: 'sles_12_sp5_x64', platform: 'SUSE', osName: 'SUSE Linux  Enterprise Server 12 SP5 64位', osType: 'linux', arch: 'x86_64', size: 40 },
  { slug: 'sles_15_sp2_x64', platform: 'SUSE', osName: 'SUSE Linux  Enterprise Server 15 SP2 64位', osType: 'linux', arch: 'x86_64', size: 40 },
  { slug: 'coreos_1465_8_0_64', platform: 'CoreOS', osName: 'CoreOS  1465.8.0 64位', osType: 'linux', arch: 'x86_64', size: 30 },
  { slug: 'freebsd_11_1_64', platform: 'Freebsd', osName: 'FreeBSD  11.1 64位', osType: 'linux', arch: 'x86_64', size: 30 },
  {
    slug: 'win2008r2_64_ent_sp1_en-us',
    platform: 'Windows Server 2008',
    osName: 'Windows Server  2008 R2 企业版 64位英文版',
    osType: 'windows',
    arch: 'x86_64',
    size: 40,
  },
  {
    slug: 'win2012r2_64_dtc_9600_zh-cn',
    platform: 'Windows Server 2012',
    osName: 'Windows Server 2012 R2 数据中心版 64位中文版',
    osType: 'windows',
    arch: 'x86_64',
    size: 40,
  },
  {
    slug: 'win2012_64_dtc_9200_zh-cn',
    platform: 'Windows Server 2012',
    osName: 'Windows Server 2012 数据中心版 64位中文版',
    osType: 'windows',
    arch: 'x86_64',
    size: 40,
  },
  { slug: 'ubuntu_16_04_32', platform: 'Ubuntu', osName: 'Ubuntu  16.04 32位', osType: 'linux', arch: 'i386', size: 40 },
];
const LEGACY_EPOCH = Date.UTC(2019, 8, 20, 2, 0, 0);

const ARCH_IN_NAME = { x86_64: 'x64', arm64: 'arm64', i386: '32' } as const;
const BITS = { x86_64: '64 bit', arm64: '64 bit', i386: '32 bit' } as const;
const DAY = 86_400_000;
const EPOCH = Date.UTC(2024, 5, 30, 2, 0, 0);

const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
const ymd = (ms: number) => iso(ms).slice(0, 10).replace(/-/g, '');

/** The common shape of every record; fields a record type does not use are empty, as the service sends them. */
function record(
  fields: Partial<AlicloudCatalogRecord> & { region: string; ImageId: string; ImageName: string; Size: number; Architecture: string; CreationTime: string },
): AlicloudCatalogRecord {
  return {
    ImageFamily: '',
    ImageVersion: '',
    Description: '',
    OSName: '',
    OSNameEn: '',
    OSType: 'linux',
    Platform: '',
    Status: 'Available',
    Progress: '100%',
    ImageOwnerAlias: 'system',
    ProductCode: '',
    ResourceGroupId: '',
    IsSupportCloudinit: true,
    IsSupportIoOptimized: true,
    IsSelfShared: 'False',
    IsCopied: false,
    IsSubscribed: false,
    Usage: 'none',
    BootMode: 'BIOS',
    Tags: { Tag: [] },
    DiskDeviceMappings: {
      DiskDeviceMapping: [
        { Device: '/dev/xvda', Type: 'system', Size: String(fields.Size), SnapshotId: '', Format: '', ImportOSSBucket: '', ImportOSSObject: '', Progress: '' },
      ],
    },
    ...fields,
  };
}

export function buildAlicloudCatalog(seed = 3): AlicloudCatalog {
  const random = seededRandom(seed);
  const images: AlicloudCatalogRecord[] = [];
  const customId = (prefix: string) => `m-${prefix}${hex(random, 18)}`;
  for (const region of REGIONS) {
    // Public images: one build a month per line, newest first; all architectures of a build share its time.
    for (const line of LINES) {
      for (let b = 0; b < region.builds; b++) {
        const created = EPOCH - b * 30 * DAY - Math.floor(random() * 5) * DAY;
        const date = ymd(created);
        for (const arch of line.arches) {
          const name = `${line.slug}_${ARCH_IN_NAME[arch]}_${line.size}G_${line.nameTail ? `${line.nameTail}_` : ''}alibase_${date}.vhd`;
          const status = b >= 7 ? 'Deprecated' : b === 4 && random() < 0.3 ? 'UnAvailable' : 'Available';
          images.push(
            record({
              region: region.id,
              ...(line.gpu ? { gpuInstancesOnly: true } : {}),
              ImageId: name,
              ImageName: name,
              ImageFamily: line.family,
              ImageVersion: date,
              Description: line.gpu ? `${line.osName(line.version, BITS[arch])} with ${line.gpu} preinstalled, for GPU instances` : '',
              OSName: line.osName(line.version, BITS[arch]).replace(/ {2}/g, ' '),
              OSNameEn: line.osName(line.version, BITS[arch]),
              OSType: line.osType,
              Platform: line.platform,
              Architecture: arch,
              Size: line.size,
              Status: status,
              CreationTime: iso(created),
              ImageOwnerAlias: 'system',
              BootMode: arch === 'arm64' ? 'UEFI' : 'BIOS',
              Usage: random() < 0.5 ? 'instance' : 'none',
            }),
          );
        }
      }
    }
    // Custom images: nightly Kubernetes node builds for both architectures (same creation time for both),
    // a few in progress or failed, and some team images with tags.
    for (let n = 0; n < region.nightlies; n++) {
      const created = EPOCH - n * DAY + 3600_000;
      for (const arch of ['x86_64', 'arm64'] as const) {
        const k8s = `1.${29 + (n % 3)}.${n % 7}`;
        const name = `k8s-node-${arch === 'arm64' ? 'arm64' : 'amd64'}-v${k8s}-${ymd(created)}`;
        images.push(
          record({
            region: region.id,
            ImageId: customId(region.prefix),
            ImageName: name,
            ImageFamily: `k8s-node-${arch === 'arm64' ? 'arm64' : 'amd64'}`,
            Description: `Kubernetes ${k8s} node built by CI`,
            OSName: 'Alibaba Cloud Linux 3.2104 LTS 64 bit',
            OSNameEn: 'Alibaba Cloud Linux  3.2104 LTS 64 bit',
            Platform: 'Aliyun',
            Architecture: arch,
            Size: 40,
            Status: n === 0 && arch === 'arm64' ? 'Creating' : n === 2 && arch === 'x86_64' ? 'CreateFailed' : 'Available',
            Progress: n === 0 && arch === 'arm64' ? '45%' : '100%',
            CreationTime: iso(created),
            ImageOwnerAlias: 'self',
            Tags: {
              Tag: [
                { TagKey: 'team', TagValue: 'platform' },
                { TagKey: 'kubernetes', TagValue: k8s },
              ],
            },
          }),
        );
      }
    }
    for (let t = 0; t < 12; t++) {
      const created = EPOCH - Math.floor(random() * 200) * DAY;
      const arch = pick(random, ['x86_64', 'x86_64', 'arm64'] as const);
      const team = pick(random, ['web', 'data', 'ml'] as const);
      images.push(
        record({
          region: region.id,
          ImageId: customId(region.prefix),
          ImageName: `${team}-base-${arch === 'arm64' ? 'arm64-' : ''}${ymd(created)}`,
          ImageFamily: `${team}-base`,
          Description: `${team} team base image`,
          OSName: 'Ubuntu 22.04 64 bit',
          OSNameEn: 'Ubuntu  22.04 64 bit',
          Platform: 'Ubuntu',
          Architecture: arch,
          Size: 40,
          Status: t === 11 ? 'Waiting' : 'Available',
          CreationTime: iso(created),
          ImageOwnerAlias: 'self',
          IsSelfShared: t % 4 === 0 ? 'True' : 'False',
          Tags: { Tag: [{ TagKey: 'team', TagValue: team }, ...(team === 'ml' ? [{ TagKey: 'gpu', TagValue: 'true' }] : [])] },
        }),
      );
    }
    // Shared by other accounts: newest of these is exactly what mostRecent must not pick blindly.
    for (let s = 0; s < 6; s++) {
      const created = EPOCH + (s + 1) * DAY;
      images.push(
        record({
          region: region.id,
          ImageId: customId(region.prefix),
          ImageName: `partner-hardened-ubuntu-22.04-arm64-${ymd(created)}`,
          Description: 'CIS hardened Ubuntu shared by a partner account',
          OSName: 'Ubuntu 22.04 64 bit',
          OSNameEn: 'Ubuntu  22.04 64 bit',
          Platform: 'Ubuntu',
          Architecture: s % 2 ? 'x86_64' : 'arm64',
          Size: 20,
          CreationTime: iso(created),
          ImageOwnerAlias: 'others',
          IsCopied: true,
        }),
      );
    }
    // Marketplace images (IDs of the m- form, with a product code).
    for (let k = 0; k < 8; k++) {
      const created = EPOCH - Math.floor(random() * 300) * DAY;
      const product = pick(random, ['LNMP php8.2', 'WordPress 6.5', 'Docker CE 26', 'GitLab CE 16', 'NVIDIA AI Enterprise 5.0'] as const);
      images.push(
        record({
          region: region.id,
          ImageId: customId(region.prefix),
          ImageName: `${product.replace(/ /g, '-')}-ubuntu22.04-${ymd(created)}`,
          Description: `${product} on Ubuntu 22.04`,
          OSName: 'Ubuntu 22.04 64 bit',
          OSNameEn: 'Ubuntu  22.04 64 bit',
          Platform: 'Ubuntu',
          Architecture: 'x86_64',
          Size: 40,
          CreationTime: iso(created),
          ImageOwnerAlias: 'marketplace',
          ProductCode: `cmjj0${hex(random, 5)}`,
          Status: k === 7 ? 'Deprecated' : 'Available',
        }),
      );
    }
  }
  // The older lines draw from a stream of their own, so the records above stay as they were.
  const legacy = seededRandom(seed ^ 0x1e9ac7);
  for (const region of REGIONS) {
    for (const line of LEGACY_LINES) {
      for (let b = 0; b < 3; b++) {
        const created = LEGACY_EPOCH - b * 120 * DAY - Math.floor(legacy() * 20) * DAY;
        const name = `${line.slug}_${line.size}G_alibase_${ymd(created)}.vhd`;
        const old = record({
          region: region.id,
          ImageId: name,
          ImageName: name,
          OSName: line.osName,
          OSType: line.osType,
          Platform: line.platform,
          Architecture: line.arch,
          Size: line.size,
          Status: b === 2 ? 'Deprecated' : 'Available',
          CreationTime: iso(created),
          ImageOwnerAlias: 'system',
        });
        delete old.OSNameEn;
        images.push(old);
      }
    }
    // Custom images whose OSName names no version, bitness glued on (bosh stemcells in a real answer).
    for (const alias of ['self', 'others'] as const) {
      const created = LEGACY_EPOCH + Math.floor(legacy() * 300) * DAY;
      const stemcell = record({
        region: region.id,
        ImageId: customId(region.prefix),
        ImageName: `stemcell-ubuntu-xenial-${alias}-${ymd(created)}`,
        OSName: 'Ubuntu_64',
        OSType: 'linux',
        Platform: 'Ubuntu',
        Architecture: 'x86_64',
        Size: 20,
        CreationTime: iso(created),
        ImageOwnerAlias: alias,
        Usage: 'none',
      });
      delete stemcell.OSNameEn;
      images.push(stemcell);
    }
  }
  return {
    credentials: { ...ALICLOUD_CREDENTIALS },
    images,
    regions: REGIONS.map((r) => r.id),
    instanceTypes: { ...INSTANCE_TYPES },
  };
}
