/**
 * Push-down never changes the answer (issue 24): a selector goes to the server only where the server's meaning
 * equals ours. Differential property per cloud, over the real-answer corpus (test/fixtures/real, loaded into the
 * emulator, which filters as the real API does) and the emulator's generated catalogs: every query gives the same
 * result with push-down on (the lookup's own request) and off (`explain`, which lists the catalog without it).
 */
import fc from 'fast-check';
import { lookupImage, lookupImages, LookupOptions } from '../../provider/lookup';
import { RequestSharing } from '../../provider/core/share';
import { HttpClient } from '../../provider/core/http/client';
import { builtInCatalog, Emulator } from '../../provider/emulator/server';
import type { Catalog } from '../../provider/emulator/types';
import type { CloudName } from '../../provider/clouds/registry';
import { REGION_IDS } from '../../provider/emulator/nscale/catalog';
import { adapterOf } from '../clouds/adapters';
import { imsRecords as generatedImsCatalog } from '../helpers/ims-records';
import type { ImsCatalog } from '../../provider/emulator/huawei/catalog';

const REGION: Record<CloudName, string> = {
  alicloud: 'cn-hangzhou',
  huaweicloud: 'cn-north-4',
  opentelekomcloud: 'eu-de',
  ucloud: 'cn-bj2',
  nscale: REGION_IDS[0],
};

/** The cloud's built-in catalog with its real-answer corpus (from its test adapter) added. */
function withCorpus(cloud: CloudName): Catalog {
  const catalog = builtInCatalog([cloud]);
  const own = catalog[cloud]!;
  own.images = [...own.images, ...adapterOf(cloud).pushDownCorpus(REGION[cloud])];
  return catalog;
}

const selectors = fc
  .record(
    {
      architecture: fc.constantFrom('x86_64', 'arm64', 'i386'),
      osType: fc.constantFrom('linux', 'windows'),
      osDistro: fc.constantFrom('ubuntu', 'centos', 'sles', 'windows', 'debian', 'coreos', 'openeuler', 'freebsd'),
      osVersion: fc.constantFrom('7', '22.04', '12', '7.3', '2016'),
      nameRegex: fc.constantFrom(
        '^CentOS 7.3 64bit$',
        '^Tagged 0$',
        '^Ubuntu 22\\.04 server 64bit$',
        'ubuntu',
        '^ubu2204-v1\\.25\\.6-gpu-525\\.85\\.05-7ced4154$',
        '2',
      ),
      tags: fc.constantFrom({ test: '' }, { env: 'prod' }, { team: '' }, { DTS: 'Oracle' }, { test: '', env: 'dev' }),
      status: fc.constantFrom('available', 'pending', 'unavailable', 'failed', ['available', 'unavailable']),
      visibility: fc.constantFrom('public', 'private', ['public', 'private'], 'marketplace', 'shared'),
      gpu: fc.boolean(),
      machineType: fc.constantFrom('vm', 'baremetal'),
    },
    { requiredKeys: [] },
  )
  .filter((picked) => Object.keys(picked).length <= 2);

const CLOUDS: CloudName[] = ['alicloud', 'huaweicloud', 'opentelekomcloud', 'ucloud', 'nscale'];
const settle = <T>(p: Promise<T>) =>
  p.then(
    (value) => ({ value }),
    (error: unknown) => ({ error: error as Error }),
  );
const outcome = (settled: { value: { result: { ids?: string[]; id?: string } } } | { error: Error }) =>
  'error' in settled ? { error: settled.error.name } : { ids: settled.value.result.ids ?? [settled.value.result.id] };

describe.each(CLOUDS)('%s', (cloud) => {
  let emulator: Emulator;
  beforeAll(async () => {
    emulator = await new Emulator({ catalog: withCorpus(cloud) }).start();
  });
  afterAll(() => emulator.stop());
  const options = (explain: boolean): LookupOptions => ({
    config: emulator.clientConfig(),
    env: {},
    http: new HttpClient({ retry: { baseDelayMs: 1, maxDelayMs: 5 } }),
    sharing: new RequestSharing(),
    explain,
  });

  it('every query gives the same images with push-down on and off, and getImage(mostRecent) the same choice (property)', async () => {
    let nonEmpty = 0;
    await fc.assert(
      fc.asyncProperty(selectors, async (picked) => {
        const args = { cloud, region: REGION[cloud], ...picked };
        const pushed = outcome(await settle(lookupImages(args, options(false))));
        const listed = outcome(await settle(lookupImages(args, options(true))));
        expect(pushed).toEqual(listed);
        if ('ids' in pushed && (pushed.ids?.length ?? 0) > 0) nonEmpty++;
        const one = { ...args, mostRecent: true, allowUnsafeMostRecent: true };
        expect(outcome(await settle(lookupImage(one, options(false))))).toEqual(outcome(await settle(lookupImage(one, options(true)))));
      }),
      { numRuns: 30 },
    );
    expect(nonEmpty).toBeGreaterThan(3);
  }, 120_000);
});

it('IMS: a plain tag "test" is read as test="" and found with push-down on as with it off (images, image --most-recent)', async () => {
  const emulator = await new Emulator({ catalog: withCorpus('huaweicloud') }).start();
  try {
    const options = (explain: boolean): LookupOptions => ({
      config: emulator.clientConfig(),
      env: {},
      http: new HttpClient({ retry: { baseDelayMs: 1, maxDelayMs: 5 } }),
      sharing: new RequestSharing(),
      explain,
    });
    const args = { cloud: 'huaweicloud', region: REGION.huaweicloud, visibility: 'public', tags: { test: '' } };
    expect((await lookupImages(args, options(false))).result.ids).toEqual(['tagged-4', 'tagged-0']);
    expect((await lookupImages(args, options(true))).result.ids).toEqual(['tagged-4', 'tagged-0']);
    expect((await lookupImage({ ...args, mostRecent: true }, options(false))).result.id).toBe('tagged-4');
    // A value is sent (IMS matches `env=prod` and `env.prod`, as we read them); an empty one never is.
    const prod = { ...args, visibility: ['public', 'private'], tags: { env: 'prod' } };
    expect((await lookupImages(prod, options(false))).result.ids.slice(0, 2)).toEqual(['tagged-2', 'tagged-1']);
    expect((await lookupImages(prod, options(false))).result.ids).toEqual((await lookupImages(prod, options(true))).result.ids);
    const sent = emulator.requests.map((r) => r.query.tag).filter((t) => t !== undefined);
    expect(sent).toEqual(expect.arrayContaining(['env=prod']));
    expect(sent).not.toContain('test=');
  } finally {
    await emulator.stop();
  }
});

it('IMS, generated catalogs (plain, key=value and key.value tags, odd times): push-down on and off agree (property)', async () => {
  const base = builtInCatalog(['huaweicloud']).huaweicloud as ImsCatalog;
  const emulator = await new Emulator({ catalog: { huaweicloud: { ...base, images: [] } } }).start();
  try {
    const options = (explain: boolean): LookupOptions => ({
      config: emulator.clientConfig(),
      env: {},
      http: new HttpClient({ retry: { baseDelayMs: 1, maxDelayMs: 5 } }),
      sharing: new RequestSharing(),
      explain,
    });
    const query = fc
      .record(
        {
          tags: fc.constantFrom({ test: '' }, { env: 'prod' }, { team: 'a' }, { test: '', env: 'prod' }, { env: '' }),
          visibility: fc.constantFrom('public', 'private', ['public', 'private']),
          osDistro: fc.constantFrom('ubuntu', 'centos'),
          nameRegex: fc.constantFrom('^Alpha$', '^beta$'),
          status: fc.constantFrom('available', 'available', 'pending', 'unavailable'),
        },
        { requiredKeys: ['tags'] },
      )
      .filter((picked) => Object.keys(picked).length <= 2);
    let nonEmpty = 0;
    await fc.assert(
      fc.asyncProperty(generatedImsCatalog(REGION.huaweicloud), query, async (images, picked) => {
        emulator.catalog.huaweicloud = { ...base, images };
        const args = { cloud: 'huaweicloud', region: REGION.huaweicloud, ...picked };
        const pushed = outcome(await settle(lookupImages(args, options(false))));
        expect(pushed).toEqual(outcome(await settle(lookupImages(args, options(true)))));
        if ((pushed.ids?.length ?? 0) > 0) nonEmpty++;
      }),
      { numRuns: 80 },
    );
    expect(nonEmpty).toBeGreaterThan(5);
  } finally {
    await emulator.stop();
  }
}, 120_000);
