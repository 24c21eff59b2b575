/** ImageLock's provider functions called directly: how a pin survives a lookup that cannot answer. */
import { expect } from '@jest/globals';
import { check, setImageLockRuntime } from '../../sdk/image-lock-provider';
import { Emulator } from '../../provider/emulator/server';
import { HttpClient } from '../../provider/core/http/client';
import { REGION_IDS } from '../../provider/emulator/nscale/catalog';
import { lookupImages } from '../../provider/lookup';

describe('ImageLock check', () => {
  let emulator: Emulator;
  const warnings: string[] = [];
  const query = { cloud: 'nscale', region: REGION_IDS[0], gpuModel: 'H100', mostRecent: true };

  const runtime = () => ({
    lookup: { config: emulator.clientConfig(), env: {}, http: new HttpClient({ timeoutMs: 1000, retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 2 } }) },
    warn: (m: string) => warnings.push(m),
  });

  beforeAll(async () => {
    emulator = await new Emulator().start();
    setImageLockRuntime(runtime());
  });
  afterAll(async () => {
    setImageLockRuntime({});
    await emulator.stop();
  });
  beforeEach(() => {
    emulator.clearFaults();
    warnings.length = 0;
  });

  it('a pinned lock keeps its image and warns when the cloud cannot answer, instead of failing the deployment', async () => {
    const first = await check({}, { query, pin: true });
    expect(first.failures).toEqual([]);
    emulator.inject({ cloud: 'nscale', kind: 'server-error', times: Infinity });
    const again = await check(first.inputs, { query, pin: true });
    expect(again.failures).toEqual([]);
    for (const key of ['imageId', 'image', 'imageStatus', 'latestImageId', 'drifted', 'resolvedAt']) expect(again.inputs[key]).toEqual(first.inputs[key]);
    expect(warnings.join('\n')).toMatch(new RegExp(`keeps pinned image ${first.inputs.imageId as string}: the query could not be re-resolved now \\(nscale`));
  });

  it('a lock that follows the query fails on the query when the cloud cannot answer', async () => {
    const first = await check({}, { query, pin: false });
    emulator.inject({ cloud: 'nscale', kind: 'server-error', times: Infinity });
    const again = await check(first.inputs, { query, pin: false });
    expect(again.failures).toHaveLength(1);
    expect(again.failures[0].property).toBe('query');
  });

  it("minAgeDays holds the lock on the newest image that has been out that long, from the runtime's now", async () => {
    const all = (await lookupImages({ ...query, mostRecent: undefined }, { config: emulator.clientConfig(), env: {} })).result.images;
    const [newest, second] = all;
    expect(second.createdAt! < newest.createdAt!).toBe(true);
    // "Now" is one day after the newest: with a soak period of a day and a half, the newest is too young.
    setImageLockRuntime({ ...runtime(), now: () => new Date(Date.parse(newest.createdAt!) + 86_400_000) });
    const soaked = await check({}, { query: { ...query, minAgeDays: 1.5 }, pin: false });
    expect(soaked.failures).toEqual([]);
    expect(soaked.inputs.imageId).toBe(all.find((i) => Date.parse(i.createdAt!) <= Date.parse(newest.createdAt!) - 0.5 * 86_400_000)!.id);
    expect((await check({}, { query, pin: false })).inputs.imageId).toBe(newest.id);
    setImageLockRuntime(runtime());
  });

  it('ages on a cloud without creation times fail the check on the argument', async () => {
    const result = await check({}, { query: { cloud: 'ucloud', region: 'cn-bj2', mostRecent: true, maxAgeDays: 30 }, pin: false });
    expect(result.failures).toEqual([{ property: 'query.maxAgeDays', reason: expect.stringContaining('ucloud reports no creation time') }]);
  });

  it('a refusal raised by the lookup (unsafe mostRecent) is a failure on the argument, not a crash', async () => {
    const result = await check({}, { query: { cloud: 'alicloud', region: 'cn-hangzhou', visibility: 'marketplace', mostRecent: true }, pin: false });
    expect(result.failures).toEqual([
      { property: 'query.mostRecent', reason: expect.stringMatching(/refusing to choose the most recent image among marketplace images/) },
    ]);
  });
});
