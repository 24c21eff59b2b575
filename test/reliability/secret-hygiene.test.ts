/**
 * Recognizable fake credentials go through every cloud's success and failure paths; none may appear in stdout,
 * stderr, debug logs, error messages, thrown objects' enumerable fields or results.
 */
import { execFile } from 'child_process';
import * as path from 'path';
import { Emulator } from '../../provider/emulator/server';
import { lookupImage, lookupImages } from '../../provider/lookup';
import { HttpClient } from '../../provider/core/http/client';
import { RequestSharing } from '../../provider/core/share';
import { CloudImagesConfig } from '../../provider/core/config';
import { BUILT_IN_REGISTRY } from '../../provider/clouds';
import { BUILT_IN_REGION } from '../helpers/regions';
import { CLOUD_NAMES as CLOUDS, CloudName } from '../../provider/clouds/registry';
import type { FaultKind } from '../../provider/emulator/server';

const ROOT = path.resolve(__dirname, '../..');
const REGIONS = BUILT_IN_REGION;

/** The secret values in a cloud's emulator configuration (fields marked secret in the config table). */
function secretsOf(cloud: CloudName, config: CloudImagesConfig): string[] {
  const section = config[cloud] as Record<string, string>;
  return BUILT_IN_REGISTRY.get(cloud)
    .fields.filter((f) => f.secret && section[f.name])
    .map((f) => section[f.name]);
}

function everythingAbout(err: unknown): string {
  const e = err as Error & Record<string, unknown>;
  return [String(e), e.message, e.stack, JSON.stringify(e), JSON.stringify(Object.fromEntries(Object.entries(e)))].join('\n');
}

function runCliProcess(args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [path.join(ROOT, 'bin/cloudimages.js'), ...args],
      { env: { PATH: process.env.PATH, ...env }, timeout: 20_000 },
      (error, stdout, stderr) => {
        resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
      },
    );
  });
}

describe.each(CLOUDS)('secret hygiene: %s', (cloud) => {
  let emulator: Emulator;
  let config: CloudImagesConfig;
  let secrets: string[];
  const logs: string[] = [];
  const http = () => new HttpClient({ debug: true, log: (line) => logs.push(line), timeoutMs: 1000, retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 2 } });
  const assertClean = (text: string) => {
    for (const secret of secrets) expect(text).not.toContain(secret);
  };

  beforeAll(async () => {
    emulator = await new Emulator().start();
    config = emulator.clientConfig();
    secrets = secretsOf(cloud, config);
    expect(secrets.length).toBeGreaterThan(0);
  });
  afterAll(() => emulator.stop());
  beforeEach(() => {
    emulator.clearFaults();
    logs.length = 0;
  });

  it('a successful lookup with debug logging leaks nothing, and the log really shows the requests', async () => {
    const { result } = await lookupImages({ cloud, region: REGIONS[cloud](emulator) }, { config, env: {}, http: http(), sharing: new RequestSharing() });
    const one = await lookupImage(
      { cloud, region: REGIONS[cloud](emulator), mostRecent: true },
      { config, env: {}, http: http(), sharing: new RequestSharing() },
    ).catch((e: unknown) => e);
    expect(logs.length).toBeGreaterThan(0);
    expect(logs.join('\n')).toMatch(/\[cloudimages\] (GET|POST) http:\/\/127\.0\.0\.1/);
    assertClean(logs.join('\n'));
    assertClean(JSON.stringify(result));
    assertClean(everythingAbout(one));
  });

  it.each(['throttle', 'server-error', 'invalid-json', 'wrong-shape', 'truncate'] as FaultKind[])('a failure after %s leaks nothing', async (kind) => {
    emulator.inject({ cloud, kind, times: Infinity });
    const err = await lookupImages({ cloud, region: REGIONS[cloud](emulator) }, { config, env: {}, http: http(), sharing: new RequestSharing() }).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(Error);
    assertClean(everythingAbout(err));
    assertClean(logs.join('\n'));
  });

  it('refused credentials leak neither the right nor the wrong secret', async () => {
    const wrongSecret = `wrong-${cloud}-credential-recognizable-9f8e7d`;
    const section = { ...(config[cloud] as Record<string, string>) };
    for (const field of BUILT_IN_REGISTRY.get(cloud).fields)
      if (field.secret && section[field.name] && /secret|private|token/i.test(field.name)) section[field.name] = wrongSecret;
    const err = await lookupImages(
      { cloud, region: REGIONS[cloud](emulator) },
      { config: { [cloud]: section }, env: {}, http: http(), sharing: new RequestSharing() },
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    secrets.push(wrongSecret);
    try {
      assertClean(everythingAbout(err));
      assertClean(logs.join('\n'));
    } finally {
      secrets.pop();
    }
  });

  it('the CLI with CLOUDIMAGES_DEBUG=1 prints no credential on stdout or stderr, on success and on failure', async () => {
    const env = { ...emulator.clientEnv([cloud]), CLOUDIMAGES_DEBUG: '1' };
    const args = ['images', '--cloud', cloud, '--region', REGIONS[cloud](emulator), '--endpoint', emulator.endpoint(cloud), '--json'];
    const ok = await runCliProcess(args, env);
    expect(ok.code).toBe(0);
    expect(ok.stderr).toContain('[cloudimages]');
    assertClean(ok.stdout + ok.stderr);
    emulator.inject({ cloud, kind: 'server-error', times: Infinity });
    const failed = await runCliProcess(args, { ...env, CLOUDIMAGES_TIMEOUT_MS: '1000' });
    expect(failed.code).toBe(1);
    assertClean(failed.stdout + failed.stderr);
  });
});
