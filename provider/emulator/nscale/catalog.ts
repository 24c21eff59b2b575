/**
 * The built-in nscale catalog: a few hundred images over two region IDs, generated from a fixed seed so every
 * machine sees the same one. Each record is the API's own JSON plus where it lives (region) and who owns it
 * (null: a global image published by nscale).
 */
import type { CloudCatalog } from '../types';
import { hex, pick, seededRandom, uuid } from '../random';
import type { NscaleImage, NscaleState } from '../../clouds/nscale/types';

export interface NscaleCatalogEntry {
  regionId: string;
  /** The owning organization, or null for a global image. */
  organizationId: string | null;
  image: NscaleImage;
}

export interface NscaleCatalog extends CloudCatalog<NscaleCatalogEntry> {
  credentials: { serviceToken: string; organizationId: string };
  regions: string[];
  /** Service tokens the emulator accepts, with the organization each may read. */
  tokens: Record<string, string>;
}

export const REGION_IDS = ['3f8a1c52-6b1d-4e0f-9a7c-2d5e8b4c1a90', 'c7d2e941-0a3b-4f6c-8e15-9b2a7d4f3c68'];
export const ORGANIZATION_ID = 'org-7a2f9c41';
/** Another organization: its images must never be visible to ours. */
export const OTHER_ORGANIZATION_ID = 'org-1b3d5e7f';
export const SERVICE_TOKEN = 'nscale-emulator-service-token-0c9d8e7f6a5b';
export const OTHER_SERVICE_TOKEN = 'nscale-emulator-other-token-1a2b3c4d5e6f';

/** The seed document's example response, served as a global image in the first region. */
export const SEED_IMAGE: NscaleImage = {
  metadata: { id: 'a64f9269-36e0-4312-b8d1-52d93d569b7b', name: 'ubu2204-v1.25.6-gpu-525.85.05-7ced4154', creationTime: '2023-02-22T12:04:13Z' },
  spec: {
    architecture: 'x86_64',
    sizeGiB: 10,
    virtualization: 'virtualized',
    os: { kernel: 'linux', family: 'debian', distro: 'ubuntu', variant: 'server', codename: 'noble', version: '24.04' },
    softwareVersions: { kubernetes: 'v1.25.6' },
    gpu: { vendor: 'NVIDIA', driver: '525.85.05', models: ['A100', 'H100', 'H200'] },
  },
  status: { state: 'ready' },
};

const OSES = [
  { short: 'ubu2204', distro: 'ubuntu', version: '22.04', codename: 'jammy', family: 'debian' },
  { short: 'ubu2404', distro: 'ubuntu', version: '24.04', codename: 'noble', family: 'debian' },
  { short: 'rocky9', distro: 'rocky', version: '9.4', codename: 'blue onyx', family: 'redhat' },
] as const;
const KUBERNETES = ['1.27.16', '1.28.13', '1.28.15', '1.29.4', '1.29.10', '1.30.2', '1.30.8', '1.31.1', '1.31.4', '1.32.0', '1.32.2'];
const NVIDIA_DRIVERS = ['470.239.06', '525.85.05', '535.183.01', '550.90.07', '560.35.03', '570.124.06'];
const NVIDIA_MODELS = ['A100', 'H100', 'H200', 'L40S'];
const AMD_DRIVERS = ['6.7.0', '6.10.5', '6.12.12'];
const AMD_MODELS = ['MI250X', 'MI300X', 'MI325X'];
const STATES: NscaleState[] = ['ready', 'ready', 'ready', 'ready', 'ready', 'ready', 'ready', 'pending', 'creating', 'failed'];
const VIRTUALIZATION = ['virtualized', 'virtualized', 'virtualized', 'baremetal', 'baremetal', 'any'] as const;
const IMAGES_PER_REGION = 160;
const START = Date.UTC(2023, 0, 1);

export function nscaleCatalog(seed = 0x5ca1e): NscaleCatalog {
  const random = seededRandom(seed);
  const images: NscaleCatalogEntry[] = [{ regionId: REGION_IDS[0], organizationId: null, image: SEED_IMAGE }];
  for (const regionId of REGION_IDS) {
    let previous: string | undefined;
    for (let i = 0; i < IMAGES_PER_REGION; i++) {
      // About one in eight shares its creation time with the one before: ties are ordered by name, then ID.
      const creationTime =
        previous && random() < 0.125 ? previous : new Date(START + Math.floor(random() * 800 * 86_400) * 1000).toISOString().replace(/\.000Z$/, 'Z');
      previous = creationTime;
      const owner = random();
      images.push({
        regionId,
        organizationId: owner < 0.7 ? null : owner < 0.93 ? ORGANIZATION_ID : OTHER_ORGANIZATION_ID,
        image: generateImage(random, creationTime),
      });
    }
  }
  return {
    credentials: { serviceToken: SERVICE_TOKEN, organizationId: ORGANIZATION_ID },
    tokens: { [SERVICE_TOKEN]: ORGANIZATION_ID, [OTHER_SERVICE_TOKEN]: OTHER_ORGANIZATION_ID },
    regions: [...REGION_IDS],
    images,
  };
}

function generateImage(random: () => number, creationTime: string): NscaleImage {
  const os = pick(random, OSES);
  const kind = random();
  const kubernetes = random() < 0.8 ? pick(random, KUBERNETES) : undefined;
  let gpu: NscaleImage['spec']['gpu'];
  if (kind < 0.55) {
    gpu = { vendor: 'NVIDIA', driver: pick(random, NVIDIA_DRIVERS), models: NVIDIA_MODELS.filter(() => random() < 0.5) };
  } else if (kind < 0.75) {
    gpu = { vendor: 'AMD', driver: pick(random, AMD_DRIVERS), models: AMD_MODELS.filter(() => random() < 0.6) };
  }
  if (gpu && gpu.models!.length === 0) gpu.models = [gpu.vendor === 'NVIDIA' ? pick(random, NVIDIA_MODELS) : pick(random, AMD_MODELS)];
  const architecture = random() < 0.75 ? 'x86_64' : 'aarch64';
  const suffix = hex(random, 8);
  const name = [
    os.short,
    kubernetes && `v${kubernetes}`,
    gpu && (gpu.vendor === 'NVIDIA' ? 'gpu' : 'rocm'),
    gpu?.driver,
    architecture === 'aarch64' && 'arm64',
    suffix,
  ]
    .filter(Boolean)
    .join('-');
  const image: NscaleImage = {
    metadata: { id: uuid(random), name, creationTime },
    spec: {
      architecture,
      sizeGiB: pick(random, [10, 20, 40, 50]),
      virtualization: pick(random, VIRTUALIZATION),
      os: { kernel: 'linux', family: os.family, distro: os.distro, variant: 'server', codename: os.codename, version: os.version },
      ...(kubernetes ? { softwareVersions: { kubernetes: `v${kubernetes}` } } : {}),
      ...(gpu ? { gpu } : {}),
    },
    status: { state: pick(random, STATES) },
  };
  if (random() < 0.2)
    image.metadata.description = `${os.distro} ${os.version}${kubernetes ? ` with Kubernetes ${kubernetes}` : ''}${gpu ? ` and ${gpu.vendor} ${gpu.driver}` : ''}`;
  if (random() < 0.25)
    image.metadata.tags = [
      { name: 'team', value: pick(random, ['ml', 'platform']) },
      { name: 'channel', value: pick(random, ['stable', 'beta']) },
    ];
  if (random() < 0.3) Object.assign(image.metadata, { modifiedTime: creationTime, modifiedBy: 'image-pipeline' });
  return image;
}
