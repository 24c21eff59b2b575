/** ImageLock's provider functions called directly: how a pin survives a lookup that cannot answer. */
import { check, setImageLockRuntime } from '../../sdk/image-lock-provider';
import { Emulator } from '../../provider/emulator/server';
import { HttpClient } from '../../provider/core/http/client';
import { REGION_IDS } from '../../provider/emulator/nscale/catalog';

describe('ImageLock check', () => {
  let emulator: Emulator;
  const warnings: string[] = [];
  const query = { cloud: 'nscale', region: REGION_IDS[0], gpuModel: 'H100', mostRecent: true };

  beforeAll(async () => {
    emulator = await new Emulator().start();
    setImageLockRuntime({
      lookup: { config: emulator.clientConfig(), env: {}, http: new HttpClient({ timeoutMs: 1000, retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 2 } }) },
      warn: (m) => warnings.push(m),
    });
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
    expect(warnings.join('\n')).toMatch(new RegExp(`keeps pinned image ${first.inputs.imageId}: the query could not be re-resolved now \\(nscale`));
  });

  it('a lock that follows the query fails on the query when the cloud cannot answer', async () => {
    const first = await check({}, { query, pin: false });
    emulator.inject({ cloud: 'nscale', kind: 'server-error', times: Infinity });
    const again = await check(first.inputs, { query, pin: false });
    expect(again.failures).toHaveLength(1);
    expect(again.failures[0].property).toBe('query');
  });

  it('a refusal raised by the lookup (unsafe mostRecent) is a failure on the argument, not a crash', async () => {
    const result = await check({}, { query: { cloud: 'alicloud', region: 'cn-hangzhou', visibility: 'marketplace', mostRecent: true }, pin: false });
    expect(result.failures).toEqual([{ property: 'query.mostRecent', reason: expect.stringMatching(/refusing to choose the most recent image among marketplace images/) }]);
  });
});
