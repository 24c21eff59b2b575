/**
 * Every fault injected at the emulator, for every cloud, with the outcome asserted: retried where safe, else a
 * typed error that says what happened; never a crash, never a short list passed off as complete.
 */
import { Emulator } from '../../provider/emulator/server';
import { lookupImages } from '../../provider/lookup';
import { HttpClient } from '../../provider/core/http/client';
import { RequestSharing } from '../../provider/core/share';
import { AuthenticationError, CloudApiError, ConfigurationError, ThrottlingError, TimeoutError } from '../../provider/core/errors';
import type { CloudImagesConfig } from '../../provider/core/config';
import type { CloudName } from '../../provider/clouds/registry';
import { runCli } from '../../provider/cli/main';
import { BUILT_IN_REGION } from '../helpers/regions';

/** Per cloud: the config field that holds the secret credential, and the variables a missing one names. */
const CASES: { cloud: CloudName; secretField: string; variable: RegExp }[] = [
  { cloud: 'alicloud', secretField: 'accessKeySecret', variable: /ALIBABA_CLOUD_ACCESS_KEY_ID|ALICLOUD_ACCESS_KEY/ },
  { cloud: 'huaweicloud', secretField: 'secretKey', variable: /HW_ACCESS_KEY|OS_ACCESS_KEY/ },
  { cloud: 'opentelekomcloud', secretField: 'secretKey', variable: /OS_ACCESS_KEY/ },
  { cloud: 'ucloud', secretField: 'privateKey', variable: /UCLOUD_PUBLIC_KEY|UCLOUD_PRIVATE_KEY/ },
  { cloud: 'nscale', secretField: 'serviceToken', variable: /NSCALE_SERVICE_TOKEN/ },
];

/** Some clouds ask several requests at once (one per visibility or scope): count attempts per distinct request. */
function mostAttemptsOfOneRequest(emulator: Emulator): number {
  const attempts = new Map<string, number>();
  for (const r of emulator.requests) {
    const { Signature: _s, SignatureNonce: _n, Timestamp: _t, ...stable } = r.query; // fresh on every attempt
    const key = JSON.stringify([r.path, stable]);
    attempts.set(key, (attempts.get(key) ?? 0) + 1);
  }
  return Math.max(...attempts.values());
}

describe.each(CASES)('fault matrix: $cloud', ({ cloud, secretField, variable }) => {
  const region = BUILT_IN_REGION[cloud];
  let emulator: Emulator;
  let config: CloudImagesConfig;
  const http = () => new HttpClient({ timeoutMs: 2000, retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 4 } });
  const query = () => ({ cloud, region: region(emulator) });
  const run = (options: { config?: CloudImagesConfig; http?: HttpClient } = {}) =>
    lookupImages(query(), { config: options.config ?? config, env: {}, http: options.http ?? http(), sharing: new RequestSharing() });

  beforeAll(async () => {
    emulator = await new Emulator().start();
    config = emulator.clientConfig();
  });
  afterAll(() => emulator.stop());
  beforeEach(async () => {
    // Sibling requests of a failed query may still be finishing their back-off: let them land first.
    await new Promise((r) => setTimeout(r, 50));
    emulator.clearFaults();
    emulator.resetCounts();
  });

  let baseline: string[];
  it('answers the query without faults (the baseline every recovery must equal)', async () => {
    baseline = (await run()).result.ids;
    expect(baseline.length).toBeGreaterThan(0);
  });

  it.each(['server-error', 'reset', 'truncate', 'invalid-json', 'throttle'] as const)('recovers from one %s with the complete answer', async (kind) => {
    emulator.inject({ cloud, kind, times: 1 });
    const { result } = await run();
    expect(result.ids).toEqual(baseline);
    expect(emulator.requests.some((r) => r.fault === kind)).toBe(true);
  });

  it('reports throttling that outlasts the retry budget as a ThrottlingError naming the cloud and request ID', async () => {
    emulator.inject({ cloud, kind: 'throttle', times: Infinity });
    const failure = run();
    await expect(failure).rejects.toBeInstanceOf(ThrottlingError);
    await expect(failure).rejects.toThrow(new RegExp(`^${cloud}\\b.*still throttled after 3 attempts.*request ID \\S+`));
  });

  it('reports a body that is never valid JSON as a typed error, after retrying', async () => {
    emulator.inject({ cloud, kind: 'invalid-json', times: Infinity });
    await expect(run()).rejects.toThrow(CloudApiError);
    expect(mostAttemptsOfOneRequest(emulator)).toBe(3);
  });

  it('reports a JSON answer of the wrong shape as a typed error, not a crash', async () => {
    emulator.inject({ cloud, kind: 'wrong-shape', times: Infinity });
    const failure = run();
    await expect(failure).rejects.toBeInstanceOf(CloudApiError);
    await expect(failure).rejects.toThrow(new RegExp(`^${cloud}\\b`));
  });

  it('times out a slow server with a message that says which request and how long', async () => {
    emulator.inject({ cloud, kind: 'delay', delayMs: 1500, times: Infinity });
    const failure = run({ http: new HttpClient({ timeoutMs: 150, retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 2 } }) });
    await expect(failure).rejects.toBeInstanceOf(TimeoutError);
    await expect(failure).rejects.toThrow(/no answer within 150 ms from http:\/\/127\.0\.0\.1:\d+\//);
  });

  it('reports wrong credentials as an authentication error naming the config key, without retrying', async () => {
    const wrong = { ...config, [cloud]: { ...(config[cloud] as object), [secretField]: 'wrong-secret-value-0000' } };
    const failure = run({ config: wrong });
    await expect(failure).rejects.toBeInstanceOf(AuthenticationError);
    await expect(failure).rejects.toThrow(`cloudimages:${cloud}.`);
    await expect(failure).rejects.not.toThrow('wrong-secret-value-0000');
    expect(mostAttemptsOfOneRequest(emulator)).toBe(1);
  });

  it('reports missing credentials before any request, naming the variables to set', async () => {
    const endpointOnly = { [cloud]: { endpoint: (config[cloud] as { endpoint: string }).endpoint } };
    const failure = run({ config: endpointOnly });
    await expect(failure).rejects.toBeInstanceOf(ConfigurationError);
    await expect(failure).rejects.toThrow(variable);
    expect(emulator.count(cloud)).toBe(0);
  });

  it('the CLI turns a failure into one line on stderr and exit 1, never a stack trace', async () => {
    emulator.inject({ cloud, kind: 'wrong-shape', times: Infinity });
    let stderr = '';
    const env = { ...emulator.clientEnv([cloud]), CLOUDIMAGES_TIMEOUT_MS: '2000' };
    const code = await runCli(['images', '--cloud', cloud, '--region', region(emulator), '--endpoint', emulator.endpoint(cloud)], {
      env,
      stdout: () => undefined,
      stderr: (t) => (stderr += t),
    });
    expect(code).toBe(1);
    expect(stderr).toMatch(new RegExp(`^cloudimages: ${cloud}\\b`));
    expect(stderr).not.toMatch(/\n\s+at /);
  });
});
