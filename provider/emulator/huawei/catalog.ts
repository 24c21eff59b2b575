/**
 * The built-in IMS catalogs of Huawei Cloud and Open Telekom Cloud, generated deterministically: native IMS
 * records per region, with the variety the client must cope with (gold, private, shared and market images;
 * arm on Huawei only; GPU images; queued, saving, killed and deleted records; FusionCompute and Ironic;
 * several images created in the same second). As on the real services, arm images carry `__support_arm` and
 * x86 images no architecture attribute at all (Open Telekom Cloud's own records have neither `__support_amd`
 * nor `__support_arm`). Each region also carries the OS names real answers show: SUSE service packs, CoreOS,
 * Windows Server R2 releases, Huawei Cloud EulerOS and openEuler (`__platform` outside the documented list).
 */
import type { CloudName } from '../../clouds/registry';
import type { CloudCatalog } from '../types';
import type { ImsImage } from '../../clouds/huawei/types';
import { hex, pick, seededRandom, uuid } from '../random';

export interface RegionalImage {
  region: string;
  image: ImsImage;
}

export interface ImsCredentials {
  accessKey: string;
  secretKey: string;
  projectId: string;
  authToken: string;
  /** Temporary AK/SK: requests must carry (and sign) the security token. */
  tempAccessKey: string;
  tempSecretKey: string;
  securityToken: string;
  [name: string]: string;
}

export interface ImsCatalog extends CloudCatalog<RegionalImage> {
  credentials: ImsCredentials;
  regions: string[];
  /** Misbehaviours for tests: `ignoreMarker` answers every page as the first; `ignoreSort` answers in catalog order
   * whatever sort_key/sort_dir say (paging still works, in that order); `ignoreParams` accepts these filters and
   * applies none of them. */
  quirks?: { ignoreMarker?: boolean; ignoreSort?: boolean; ignoreParams?: readonly string[] };
}

interface Family {
  platform: string;
  osType: 'Linux' | 'Windows';
  names: string[];
  bit?: '32';
}

const FAMILIES: Family[] = [
  {
    platform: 'Ubuntu',
    osType: 'Linux',
    names: ['Ubuntu 18.04 server 64bit', 'Ubuntu 20.04 server 64bit', 'Ubuntu 22.04 server 64bit', 'Ubuntu 24.04 server 64bit'],
  },
  { platform: 'CentOS', osType: 'Linux', names: ['CentOS 7.6 64bit', 'CentOS 7.9 64bit', 'CentOS 8.2 64bit'] },
  { platform: 'EulerOS', osType: 'Linux', names: ['EulerOS 2.5 64bit', 'EulerOS 2.9 64bit', 'Huawei Cloud EulerOS 2.0 Standard 64 bit'] },
  { platform: 'Debian', osType: 'Linux', names: ['Debian 11.1.0 64bit', 'Debian 12.0.0 64bit'] },
  { platform: 'OpenSUSE', osType: 'Linux', names: ['OpenSUSE 15.5 64bit'] },
  { platform: 'Oracle Linux', osType: 'Linux', names: ['Oracle Linux 8.6 64bit'] },
  { platform: 'Red Hat', osType: 'Linux', names: ['Red Hat Enterprise Linux 8.4 64bit'] },
  {
    platform: 'Windows',
    osType: 'Windows',
    names: ['Windows Server 2016 Datacenter 64bit English', 'Windows Server 2019 Datacenter 64bit English', 'Windows Server 2022 Datacenter 64bit English'],
  },
  { platform: 'CentOS', osType: 'Linux', names: ['CentOS 6.10 32bit'], bit: '32' },
];

const GPU_TYPES = ['V100', 'T4', 'A100', 'V100,T4', 'P4', 'M60_vGPU'];
const PROFILE: Record<'huaweicloud' | 'opentelekomcloud', { seed: number; regions: [string, number][]; arm: boolean; prefix: string }> = {
  huaweicloud: {
    seed: 0x4857,
    regions: [
      ['cn-north-4', 330],
      ['ap-southeast-3', 140],
    ],
    arm: true,
    prefix: 'HWEMU',
  },
  opentelekomcloud: {
    seed: 0x4f5443,
    regions: [
      ['eu-de', 310],
      ['eu-nl', 120],
    ],
    arm: false,
    prefix: 'OTCEMU',
  },
};

const BASE_TIME = Date.UTC(2021, 0, 4, 8, 0, 0);

function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function imsCatalog(cloud: CloudName): ImsCatalog {
  if (cloud !== 'huaweicloud' && cloud !== 'opentelekomcloud') throw new Error(`no IMS catalog for ${cloud}`);
  const profile = PROFILE[cloud];
  const random = seededRandom(profile.seed);
  const projectId = hex(random, 32);
  const upper = (n: number) => hex(random, n).toUpperCase();
  const credentials: ImsCredentials = {
    accessKey: `${profile.prefix}${upper(20 - profile.prefix.length)}`,
    secretKey: hex(random, 40),
    projectId,
    authToken: `MIIEMUL${hex(random, 96)}`,
    tempAccessKey: `${profile.prefix}T${upper(19 - profile.prefix.length)}`,
    tempSecretKey: hex(random, 40),
    securityToken: `gQpjbi1ub3J0aC00${hex(random, 64)}`,
  };
  const images: RegionalImage[] = [];
  for (const [region, count] of profile.regions) {
    let time = BASE_TIME;
    let previous: string | undefined;
    for (let i = 0; i < count; i++) {
      // Mostly a few hours apart; every ninth image shares the previous one's second (batch publishing).
      const tied = previous !== undefined && i % 9 === 4;
      if (!tied) time += Math.floor(1 + random() * 72) * 3600_000 + Math.floor(random() * 3600) * 1000;
      const created = tied ? previous! : isoSeconds(time);
      previous = created;
      images.push({ region, image: makeRecord(random, cloud, profile.arm, projectId, created, i) });
    }
  }
  // Drawn from a stream of their own, so the records above stay as they were.
  const releases = seededRandom(profile.seed ^ 0x5e1ea5e);
  for (const [region] of profile.regions) {
    RELEASES.forEach((release, i) => {
      if (release.arm && !profile.arm) return;
      const created = isoSeconds(BASE_TIME + (40 + i * 37) * 86_400_000 + Math.floor(releases() * 86_400) * 1000);
      images.push({ region, image: releaseRecord(releases, cloud, release, created) });
    });
  }
  return { credentials, regions: profile.regions.map(([r]) => r), images };
}

interface Release {
  platform: string;
  osType: 'Linux' | 'Windows';
  osVersion: string;
  arm?: boolean;
}

/** Gold images with the OS names real IMS answers carry (see test/fixtures/real/SOURCES.md). */
const RELEASES: Release[] = [
  { platform: 'SUSE', osType: 'Linux', osVersion: 'SUSE Linux Enterprise Server 12 SP5 64bit' },
  { platform: 'SUSE', osType: 'Linux', osVersion: 'SUSE Linux Enterprise Server 15 SP4 64bit' },
  { platform: 'CoreOS', osType: 'Linux', osVersion: 'CoreOS 1465.8.0 64bit' },
  { platform: 'Windows', osType: 'Windows', osVersion: 'Windows Server 2008 R2 Enterprise 64bit English' },
  { platform: 'Windows', osType: 'Windows', osVersion: 'Windows Server 2012 R2 Standard 64bit English' },
  { platform: 'Windows', osType: 'Windows', osVersion: 'Windows Server 2012 Datacenter 64bit English' },
  { platform: 'openEuler', osType: 'Linux', osVersion: 'openEuler 20.03 64bit', arm: true },
  { platform: 'openEuler', osType: 'Linux', osVersion: 'openEuler 22.03 64bit' },
];

function releaseRecord(random: () => number, cloud: string, release: Release, created: string): ImsImage {
  const id = uuid(random);
  const stamp = created.slice(0, 10).replace(/-/g, '');
  const record: ImsImage = {
    schema: '/v2/schemas/image',
    id,
    name: `${release.osVersion}${release.arm ? ' for ARM' : ''}(${stamp})`,
    status: 'active',
    created_at: created,
    updated_at: created,
    visibility: 'public',
    owner: hex(random, 32),
    protected: true,
    min_disk: release.osType === 'Windows' ? 40 : 20,
    min_ram: 0,
    container_format: 'bare',
    disk_format: 'zvhd2',
    file: `/v2/images/${id}/file`,
    self: `/v2/images/${id}`,
    tags: [],
    virtual_env_type: 'FusionCompute',
    __imagetype: 'gold',
    __os_type: release.osType,
    __platform: release.platform,
    __os_version: release.osVersion,
    __os_bit: '64',
    __isregistered: 'true',
    __lazyloading: 'true',
    __image_source_type: 'uds',
    hw_firmware_type: release.arm ? 'uefi' : 'bios',
    __support_kvm: 'true',
    __description: `${release.osVersion} public image published by ${cloud === 'huaweicloud' ? 'Huawei Cloud' : 'Open Telekom Cloud'}.`,
  };
  if (release.arm) record.__support_arm = 'true';
  return record;
}

function makeRecord(random: () => number, cloud: string, armAllowed: boolean, projectId: string, created: string, index: number): ImsImage {
  const family = pick(random, FAMILIES);
  const base = pick(random, family.names);
  const kindRoll = random();
  const imagetype = kindRoll < 0.55 ? 'gold' : kindRoll < 0.8 ? 'private' : kindRoll < 0.9 ? 'shared' : 'market';
  const arm = armAllowed && family.osType === 'Linux' && !family.bit && random() < 0.2;
  const gpu = !arm && family.osType === 'Linux' && !family.bit && random() < 0.12 ? pick(random, GPU_TYPES) : undefined;
  const ironic = !gpu && family.osType === 'Linux' && random() < 0.08;
  const statusRoll = random();
  const status = statusRoll < 0.86 ? 'active' : statusRoll < 0.9 ? 'queued' : statusRoll < 0.93 ? 'saving' : statusRoll < 0.96 ? 'killed' : 'deleted';
  const stamp = created.slice(0, 10).replace(/-/g, '');
  let name = base;
  if (arm) name = `${base.replace(/ 64 ?bit/, '')} for ARM 64bit`;
  if (gpu) name = `${base} for GPU with Tesla Driver and CUDA`;
  if (ironic) name = `${base} for BareMetal`;
  if (imagetype === 'gold') name = `${name}(${stamp})`;
  else if (imagetype === 'private') name = `${pick(random, ['web', 'k8s-node', 'db', 'ci-runner', 'bastion'])}-${base.split(' ')[0].toLowerCase()}-${stamp}`;
  else if (imagetype === 'shared') name = `partner-hardened-${base.split(' ').slice(0, 2).join('-').toLowerCase()}-v${1 + (index % 7)}`;
  else name = `${pick(random, ['LAMP', 'WordPress', 'GitLab CE', 'Magento'])} on ${base} (KooGallery)`;
  const id = uuid(random);
  const record: ImsImage = {
    schema: '/v2/schemas/image',
    id,
    name,
    status,
    created_at: created,
    updated_at: created,
    visibility: imagetype === 'private' ? 'private' : imagetype === 'shared' ? 'shared' : 'public',
    owner: imagetype === 'private' ? projectId : hex(random, 32),
    protected: imagetype === 'gold',
    min_disk: family.osType === 'Windows' ? 40 : pick(random, [10, 20, 40, 100]),
    min_ram: 0,
    container_format: 'bare',
    disk_format: 'zvhd2',
    file: `/v2/images/${id}/file`,
    self: `/v2/images/${id}`,
    tags: imagetype === 'private' ? [`env=${pick(random, ['prod', 'staging', 'dev'])}`, `team.${pick(random, ['platform', 'data'])}`] : [],
    virtual_env_type: ironic ? 'Ironic' : 'FusionCompute',
    __imagetype: imagetype,
    __os_type: family.osType,
    __platform: family.platform,
    __os_version: base.replace(/ for .*$/, ''),
    __os_bit: family.bit ?? '64',
    __isregistered: 'true',
    __lazyloading: 'true',
    __image_source_type: 'uds',
    hw_firmware_type: arm ? 'uefi' : 'bios',
    __support_kvm: gpu ? undefined : 'true',
    __description: imagetype === 'gold' ? `${base} public image published by ${cloud === 'huaweicloud' ? 'Huawei Cloud' : 'Open Telekom Cloud'}.` : '',
  };
  if (arm) record.__support_arm = 'true';
  if (gpu) record[random() < 0.8 ? '__support_kvm_gpu_type' : '__support_xen_gpu_type'] = gpu;
  if (record.__support_kvm === undefined) delete record.__support_kvm;
  return record;
}
