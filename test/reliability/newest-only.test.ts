/**
 * One choice, whatever the server does (issue 24): Huawei/OTC IMS's "newest only" fast path answers getImage with
 * mostRecent only where it proves its answer is the full listing's first. Differential property: random catalogs
 * × random server misbehaviours (sort ignored, filters ignored, one second shared with different fractions and
 * offsets, unreadable and Go-zero creation times, a shuffled catalog) × random queries: getImage(mostRecent) is
 * getImages()[0] and the listing the fast path would replace, on the same server.
 */
import fc from 'fast-check';
import { lookupImage, lookupImages } from '../../provider/lookup';
import { RequestSharing } from '../../provider/core/share';
import { HttpClient } from '../../provider/core/http/client';
import { Emulator } from '../../provider/emulator/server';
import { imsCatalog } from '../../provider/emulator/huawei/catalog';
import type { ImsImage } from '../../provider/clouds/huawei/types';
import { imsRecords } from '../helpers/ims-records';
import { HUAWEI_CLOUD_PROFILE, newestOnlyAdmits, pushDown } from '../../provider/clouds/huawei';
import { validateQuery } from '../../provider/core/query';
import { BUILT_IN_REGISTRY } from '../../provider/clouds';

const REGION = 'cn-north-4';
const base = imsCatalog('huaweicloud');
let emulator: Emulator;
beforeAll(async () => {
  emulator = await new Emulator({ catalog: { huaweicloud: { ...base, images: [] } } }).start();
});
afterAll(() => emulator.stop());

const misbehaviour = fc.record({
  ignoreSort: fc.boolean(),
  // Filters a server may accept and not apply (each listing's __imagetype and status stay honoured: ignoring those
  // makes listings overlap, which is a PagingError on every path).
  ignoreParams: fc.subarray(['__platform', '__os_type', 'architecture', 'created_at', 'tag', 'name', 'virtual_env_type']),
  shuffle: fc.boolean(),
});

/** Selectors IMS filters exactly (the fast path is admitted), and any selectors (it mostly is not). */
const pushable = fc.record(
  {
    osType: fc.constantFrom('linux', 'windows'),
    osDistro: fc.constantFrom('ubuntu', 'centos'),
    architecture: fc.constant('arm64'),
    tags: fc.constantFrom({ env: 'prod' }, { team: 'a' }),
    status: fc.constantFrom('available', 'failed'),
    visibility: fc.constantFrom('public', 'private', ['public', 'private']),
    nameRegex: fc.constantFrom('^Alpha$', '^beta$'),
    machineType: fc.constant('baremetal'),
  },
  { requiredKeys: [] },
);
const any = fc.record(
  {
    osType: fc.constantFrom('linux', 'windows'),
    osDistro: fc.constantFrom('ubuntu', 'centos'),
    architecture: fc.constantFrom('arm64', 'x86_64'),
    tags: fc.constantFrom({ test: '' }, { env: 'prod' }, { team: 'a' }),
    status: fc.constantFrom('available', 'pending', 'failed', ['available', 'pending']),
    visibility: fc.constantFrom('public', 'private', ['public', 'private']),
    nameRegex: fc.constantFrom('^Alpha$', '^beta$', 'Ubuntu'),
    machineType: fc.constantFrom('vm', 'baremetal'),
  },
  { requiredKeys: [] },
);
// More than two selectors rarely match anything in a catalog this small.
const query = fc.oneof({ arbitrary: pushable, weight: 3 }, { arbitrary: any, weight: 1 }).filter((picked) => Object.keys(picked).length <= 2);

const http = new HttpClient({ retry: { baseDelayMs: 1, maxDelayMs: 5 } });
const settle = <T>(p: Promise<T>) =>
  p.then(
    (value) => ({ value }),
    (error: unknown) => ({ error: error as Error }),
  );

it('getImage(mostRecent) is getImages()[0], fast path or not, under any server misbehaviour (differential property)', async () => {
  let compared = 0;
  let fastPaths = 0;
  await fc.assert(
    fc.asyncProperty(imsRecords(REGION), misbehaviour, query, fc.context(), async (images, quirks, picked, ctx) => {
      const entries = quirks.shuffle ? [...images].reverse() : images;
      emulator.catalog.huaweicloud = { ...base, images: entries, quirks: { ignoreSort: quirks.ignoreSort, ignoreParams: quirks.ignoreParams } };
      const args = { cloud: 'huaweicloud', region: REGION, ...picked };
      const options = () => ({ config: emulator.clientConfig(), env: {}, http, sharing: new RequestSharing() });
      const before = emulator.requests.length;
      const chosen = await settle(lookupImage({ ...args, mostRecent: true }, options()));
      fastPaths += emulator.requests.slice(before).some((r) => r.query.limit === '1') ? 1 : 0;
      const listed = await settle(lookupImages(args, options()));
      ctx.log(
        JSON.stringify({
          chosen: 'value' in chosen ? chosen.value.result.id : chosen.error.message,
          listed: 'value' in listed ? listed.value.result.ids : listed.error.message,
        }),
      );
      if ('error' in listed) {
        expect('error' in chosen && chosen.error.constructor).toBe(listed.error.constructor);
        return;
      }
      if (listed.value.result.ids.length === 0) {
        expect('error' in chosen && chosen.error.name).toBe('NoImageError');
        return;
      }
      compared++;
      expect('value' in chosen && chosen.value.result.id).toBe(listed.value.result.ids[0]);
    }),
    { numRuns: 150 },
  );
  expect(compared).toBeGreaterThan(20);
  expect(fastPaths).toBeGreaterThan(20);
});

it('the newest of one second is the one with the later fraction, in any zone, on both paths', async () => {
  const mk = (id: string, name: string, created_at: string) => ({
    region: REGION,
    image: { id, name, created_at, status: 'active', __imagetype: 'gold', __platform: 'Ubuntu', __os_type: 'Linux' } as unknown as ImsImage,
  });
  for (const ignoreSort of [false, true]) {
    emulator.catalog.huaweicloud = {
      ...base,
      quirks: { ignoreSort },
      images: [mk('a', 'Alpha', '2030-05-01T10:00:00.100Z'), mk('b', 'Beta', '2030-05-01T18:00:00.9+08:00'), mk('c', 'Gamma', '2030-05-01T10:00:00Z')],
    };
    const args = { cloud: 'huaweicloud', region: REGION, visibility: 'public', osDistro: 'ubuntu' };
    const options = () => ({ config: emulator.clientConfig(), env: {}, http, sharing: new RequestSharing() });
    const { result, rule } = await lookupImage({ ...args, mostRecent: true }, options());
    expect([result.id, rule, result.createdAt]).toEqual(['b', 'newest', '2030-05-01T10:00:00Z']);
    expect((await lookupImages(args, options())).result.ids).toEqual(['b', 'a', 'c']);
  }
});

it('a server that ignores status: the fast path never answers with an image of another status', async () => {
  const mk = (id: string, status: string, created_at: string) => ({
    region: REGION,
    image: { id, name: id, created_at, status, __imagetype: 'gold', __platform: 'Ubuntu', __os_type: 'Linux' } as unknown as ImsImage,
  });
  emulator.catalog.huaweicloud = {
    ...base,
    quirks: { ignoreParams: ['status'] },
    images: [mk('queued-new', 'queued', '2030-05-02T00:00:00Z'), mk('active-old', 'active', '2030-01-01T00:00:00Z')],
  };
  const { result } = await lookupImage(
    { cloud: 'huaweicloud', region: REGION, visibility: 'public', mostRecent: true },
    { config: emulator.clientConfig(), env: {}, http, sharing: new RequestSharing() },
  );
  expect(result.id).toBe('active-old');
});

describe('fast-path admission is deny-by-default', () => {
  const admitted = (extra: Record<string, unknown>) => {
    const query = {
      ...validateQuery({ cloud: 'huaweicloud', region: REGION, visibility: 'public', mostRecent: true, osType: 'linux' }, BUILT_IN_REGISTRY),
      ...extra,
    };
    return newestOnlyAdmits(query, pushDown(query, HUAWEI_CLOUD_PROFILE, ['public']));
  };
  it('admits a query whose every selector IMS filters exactly', () => {
    expect(admitted({})).toBe(true);
    expect(admitted({ tags: { env: 'prod' }, nameRegex: '^Alpha$', osDistro: 'ubuntu', architecture: 'arm64' })).toBe(true);
  });
  it.each([
    ['a selector IMS does not filter', { osVersion: '22.04' }],
    ['an age', { minAgeDays: 7 }],
    ['a plain tag (never sent)', { tags: { test: '' } }],
    ['an unanchored regex', { nameRegex: 'Ubuntu' }],
    ['a caller created_at filter', { filters: { created_at: 'gt:2020-01-01T00:00:00Z' } }],
    ['an argument no one has added yet', { minRamGiB: 4 }],
  ])('refuses %s', (_what, extra) => {
    expect(admitted(extra)).toBe(false);
  });
});
