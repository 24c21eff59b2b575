/**
 * `npm run demo`: starts the emulator on the built-in offline catalog and runs typical queries for each cloud
 * through the real clients (signing, paging, retries), printing what was chosen and why.
 */
import { BUILT_IN_REGISTRY } from '../clouds';
import { Emulator } from '../emulator/server';
import { lookupImage, lookupImages } from '../lookup';
import { HttpClient } from '../core/http/client';
import { CloudImagesError, NoImageError } from '../core/errors';
import { formatNearMisses } from '../core/select';
import { describeQuery, validateQuery } from '../core/query';
import { sharedRequests } from '../core/share';
import { escapeControls } from '../core/text';

interface DemoQuery {
  title: string;
  args: Record<string, unknown>;
  /** getImages instead of getImage. */
  list?: boolean;
  /** "Now" for minAgeDays and maxAgeDays, so the demo's catalog (fixed dates) gives the same answer every day. */
  now?: string;
  /** Finds nothing on purpose: shows the funnel that says why. */
  noMatch?: boolean;
}

export const DEMO_QUERIES: DemoQuery[] = [
  {
    title: 'Alibaba: newest Ubuntu arm64 system image',
    args: { cloud: 'alicloud', region: 'cn-hangzhou', mostRecent: true, architecture: 'arm64', nameRegex: '^ubuntu' },
  },
  {
    title: 'Alibaba: newest Ubuntu 24.04 arm64 image that has been out a week (minAgeDays, as of 2024-06-30)',
    args: { cloud: 'alicloud', region: 'cn-hangzhou', mostRecent: true, architecture: 'arm64', nameRegex: '^ubuntu_24_04', minAgeDays: 7 },
    now: '2024-06-30T12:00:00Z',
  },
  {
    title: 'Alibaba: Debian 11 for arm64, which does not exist: the funnel says why',
    args: { cloud: 'alicloud', region: 'cn-hangzhou', mostRecent: true, architecture: 'arm64', nameRegex: '^debian_11' },
    noMatch: true,
  },
  { title: 'Alibaba: Windows Server images, newest first', args: { cloud: 'alicloud', region: 'cn-hangzhou', osType: 'windows' }, list: true },
  {
    title: 'Huawei Cloud: newest public Ubuntu x86_64 image',
    args: { cloud: 'huaweicloud', region: 'cn-north-4', mostRecent: true, visibility: 'public', osDistro: 'ubuntu', architecture: 'x86_64' },
  },
  { title: 'Huawei Cloud: newest GPU image', args: { cloud: 'huaweicloud', region: 'cn-north-4', mostRecent: true, gpu: true } },
  {
    title: 'Alibaba: SUSE 12 SP5 (an answer with only the Chinese OSName), asked for as suse / "12 SP5"',
    args: { cloud: 'alicloud', region: 'cn-hangzhou', visibility: 'public', osDistro: 'suse', osVersion: '12 SP5', mostRecent: true },
  },
  {
    title: 'Huawei Cloud: Windows Server 2012 R2 (not 2012)',
    args: { cloud: 'huaweicloud', region: 'cn-north-4', visibility: 'public', osDistro: 'windows', osVersion: '2012 R2', mostRecent: true },
  },
  { title: 'Open Telekom Cloud: newest public image', args: { cloud: 'opentelekomcloud', region: 'eu-de', mostRecent: true, visibility: 'public' } },
  {
    title: 'Open Telekom Cloud: newest x86_64 CentOS (its x86 images carry no architecture attribute)',
    args: { cloud: 'opentelekomcloud', region: 'eu-de', osDistro: 'centos', architecture: 'x86_64', mostRecent: true },
  },
  {
    title: "UCloud UK8S: the account's own node images (CustomImageSet, CustomPHostImageSet)",
    args: { cloud: 'ucloud', region: 'cn-bj2', visibility: 'private' },
    list: true,
  },
  {
    title: 'UCloud UK8S: newest GPU-capable VM image (by version in the name)',
    args: { cloud: 'ucloud', region: 'cn-bj2', mostRecent: true, gpu: true, machineType: 'vm' },
  },
  { title: 'UCloud UK8S: bare-metal images', args: { cloud: 'ucloud', region: 'cn-bj2', machineType: 'baremetal' }, list: true },
  {
    title: 'nscale: newest x86_64 H100 image for Kubernetes 1.29 to 1.30',
    args: { cloud: 'nscale', mostRecent: true, architecture: 'x86_64', gpuModel: 'H100', softwareVersions: { kubernetes: '>=1.29.0 <1.31.0' } },
  },
  { title: 'nscale: NVIDIA images with driver >= 535', args: { cloud: 'nscale', gpuVendor: 'NVIDIA', gpuDriver: '>=535' }, list: true },
];

export async function runDemo(writeLine: (line: string) => void = (l) => process.stdout.write(`${l}\n`)): Promise<number> {
  // Lines quote server text (names, IDs, messages): escaped like the CLI's.
  const write = (line: string) => writeLine(escapeControls(line));
  const emulator = await new Emulator().start();
  const config = emulator.clientConfig();
  const http = new HttpClient();
  let failures = 0;
  write(`cloudimages demo: the emulator serves the built-in catalog at ${emulator.url}`);
  for (const cloud of Object.keys(emulator.catalog) as (keyof typeof emulator.catalog)[]) {
    write(`  ${cloud}: ${emulator.catalog[cloud]!.images.length} images`);
  }
  try {
    for (const demo of DEMO_QUERIES) {
      const args = { ...demo.args };
      // nscale's region is a UUID; take the first one the built-in catalog has.
      if (args.cloud === 'nscale' && !args.region) args.region = (emulator.catalog.nscale?.regions as string[] | undefined)?.[0];
      write('');
      write(`▸ ${demo.title}`);
      write(`  query: ${describeQuery(validateQuery(args, BUILT_IN_REGISTRY))}`);
      const before = emulator.count();
      const started = Date.now();
      const options = { registry: BUILT_IN_REGISTRY, config, env: {}, http, now: demo.now ? () => new Date(demo.now!) : undefined };
      try {
        if (demo.list) {
          const { result } = await lookupImages(args, options);
          write(`  ${result.images.length} images; the first ${Math.min(3, result.images.length)}:`);
          for (const image of result.images.slice(0, 3)) write(`    ${image.id}  ${image.name}  ${image.createdAt ?? '(no creation time)'}`);
        } else {
          const { result, reason, warnings } = await lookupImage(args, options);
          if (demo.noMatch) throw new Error(`expected no match, got ${result.id}`);
          write(`  chose ${result.id}  ${result.name}`);
          write(`  why:  ${reason}`);
          for (const warning of warnings) write(`  note: ${warning}`);
        }
      } catch (err) {
        if (demo.noMatch && err instanceof NoImageError) {
          write('  no image matches; how many each selector left, and what came closest:');
          for (const step of err.funnel)
            write(`    ${step.remaining.toLocaleString('en-US').padStart(6)}  ${step.selector === 'catalog' ? 'in the catalog' : `after ${step.selector}`}`);
          write(`  closest: ${formatNearMisses(err.nearMisses)}`);
        } else {
          if (!(err instanceof CloudImagesError)) throw err;
          failures++;
          write(`  failed: ${err.message}`);
        }
      }
      write(`  (${emulator.count() - before} request(s) to the emulator, ${Date.now() - started} ms)`);
    }
    write('');
    write(
      `${DEMO_QUERIES.length - failures} of ${DEMO_QUERIES.length} queries answered; ${sharedRequests.fetches} catalog fetch(es), ${emulator.count()} request(s) in all.`,
    );
  } finally {
    await emulator.stop();
  }
  return failures === 0 ? 0 : 1;
}

if (require.main === module) {
  void runDemo().then((code) => (process.exitCode = code));
}
