/**
 * Every selector nscale makes possible, alone and combined, checked against an answer key computed from the
 * raw catalog records (oracle.ts) rather than by the core's own selection code.
 */
import type { NscaleImage } from '../../../provider/clouds/nscale/types';
import { AmbiguousImageError, NoImageError } from '../../../provider/core/errors';
import { HttpClient } from '../../../provider/core/http/client';
import { RequestSharing } from '../../../provider/core/share';
import { Emulator } from '../../../provider/emulator/server';
import { nscaleCatalog, ORGANIZATION_ID, REGION_IDS } from '../../../provider/emulator/nscale/catalog';
import { lookupImage, lookupImages } from '../../../provider/lookup';
import { arch, driverAtLeast, hasModel, ids, kubernetes129to131, newestFirst, ready, vendorIs, visible } from './oracle';

const REGION = REGION_IDS[0];
const catalog = nscaleCatalog();
const all = visible(catalog, REGION, ORGANIZATION_ID).filter(ready);
let emulator: Emulator;

beforeAll(async () => {
  emulator = await new Emulator({ catalog: { nscale: nscaleCatalog() } }).start();
});
afterAll(() => emulator.stop());

const options = () => ({
  config: emulator.clientConfig(),
  env: {},
  http: new HttpClient({ retry: { baseDelayMs: 1, maxDelayMs: 5 } }),
  sharing: new RequestSharing(),
});

type Case = [string, Record<string, unknown>, (i: NscaleImage) => boolean];
const H100: Case = ['gpuModel H100', { gpuModel: 'H100' }, hasModel('H100')];
const NVIDIA: Case = ['gpuVendor NVIDIA', { gpuVendor: 'NVIDIA' }, vendorIs('NVIDIA')];
const DRIVER: Case = ['gpuDriver >=525', { gpuDriver: '>=525' }, driverAtLeast(525)];
const K8S: Case = ['kubernetes >=1.29.0 <1.31.0', { softwareVersions: { kubernetes: '>=1.29.0 <1.31.0' } }, kubernetes129to131];
const X86: Case = ['architecture x86_64', { architecture: 'x86_64' }, arch('x86_64')];
const ARM: Case = ['architecture arm64 (aarch64)', { architecture: 'aarch64' }, arch('aarch64')];

function combine(...cases: Case[]): Case {
  return [cases.map((c) => c[0]).join(' + '), Object.fromEntries(cases.flatMap((c) => Object.entries(c[1]))), (i) => cases.every((c) => c[2](i))];
}

const CASES: Case[] = [
  H100,
  NVIDIA,
  DRIVER,
  K8S,
  X86,
  ARM,
  ['gpuModel h100 (case-insensitive)', { gpuModel: 'h100' }, hasModel('H100')],
  ['gpuVendor amd', { gpuVendor: 'amd' }, vendorIs('AMD')],
  ['gpuModel MI300X', { gpuModel: 'MI300X' }, hasModel('MI300X')],
  combine(H100, X86),
  combine(H100, K8S),
  combine(NVIDIA, DRIVER),
  combine(H100, NVIDIA, DRIVER),
  combine(K8S, ARM),
  combine(H100, NVIDIA, DRIVER, K8S),
  combine(H100, NVIDIA, DRIVER, K8S, X86),
  combine(H100, DRIVER, K8S, ARM),
];

describe('nscale selection', () => {
  it('the catalog gives every selector something to do', () => {
    for (const [, , keep] of CASES.slice(0, 9)) {
      const n = all.filter(keep).length;
      expect(n).toBeGreaterThan(1);
      expect(n).toBeLessThan(all.length);
    }
    // The full combination still leaves several candidates, so mostRecent has a choice to make.
    expect(all.filter(combine(H100, NVIDIA, DRIVER, K8S, X86)[2]).length).toBeGreaterThan(1);
  });

  it.each(CASES)('getImages with %s returns exactly the matching images, newest first', async (_name, args, keep) => {
    const { result } = await lookupImages({ cloud: 'nscale', region: REGION, ...args }, options());
    expect(result.ids).toEqual(ids(newestFirst(all.filter(keep))));
  });

  it.each(CASES)('getImage with %s and mostRecent chooses the newest', async (_name, args, keep) => {
    const matching = newestFirst(all.filter(keep));
    const expected = matching[0];
    const { result, reason } = await lookupImage({ cloud: 'nscale', region: REGION, mostRecent: true, ...args }, options());
    expect(result.id).toBe(expected.metadata.id);
    expect(result.createdAt).toBe(expected.metadata.creationTime);
    expect(reason).toMatch(matching.length === 1 ? /^the newest image that matches \(created / : new RegExp(`^the newest of ${matching.length} matches`));
  });

  it('without mostRecent, several matches are an error that gives the count and first IDs', async () => {
    const [, args, keep] = combine(H100, K8S, X86);
    const expected = newestFirst(all.filter(keep));
    const error = (await lookupImage({ cloud: 'nscale', region: REGION, ...args }, options()).catch((e: Error) => e)) as AmbiguousImageError;
    expect(error).toBeInstanceOf(AmbiguousImageError);
    expect(error.count).toBe(expected.length);
    expect(error.ids).toEqual(ids(expected).slice(0, 5));
  });

  it('a range nothing satisfies is a NoImageError that repeats the query', async () => {
    const run = lookupImage({ cloud: 'nscale', region: REGION, gpuModel: 'H100', softwareVersions: { kubernetes: '>=1.40.0' } }, options());
    await expect(run).rejects.toBeInstanceOf(NoImageError);
    await expect(run).rejects.toThrow(/gpuModel=H100 .*softwareVersions=\{"kubernetes":">=1.40.0"\}/);
  });

  it('breaks ties in creation time by name, then ID', async () => {
    const { result } = await lookupImages({ cloud: 'nscale', region: REGION }, options());
    const tied = result.images.filter((image, i, list) => list.some((other, j) => j !== i && other.createdAt === image.createdAt));
    expect(tied.length).toBeGreaterThan(1);
    for (let i = 1; i < result.images.length; i++) {
      const [a, b] = [result.images[i - 1], result.images[i]];
      if (a.createdAt === b.createdAt) expect(a.name! < b.name! || (a.name === b.name && a.id < b.id)).toBe(true);
    }
  });

  it('the seed example image is found by its GPU models, driver and Kubernetes version', async () => {
    const { result } = await lookupImages(
      { cloud: 'nscale', region: REGION, gpuModel: 'H200', gpuDriver: '525.85.5', softwareVersions: { kubernetes: '1.25.6' } },
      options(),
    );
    expect(result.ids).toContain('a64f9269-36e0-4312-b8d1-52d93d569b7b');
  });
});
