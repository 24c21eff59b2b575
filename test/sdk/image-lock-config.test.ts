/**
 * ImageLock uses the same configuration as getImage: the stack's `cloudimages:*` configuration, which the engine
 * sends to the dynamic-provider server's Configure (secrets in Pulumi's sentinel), then the environment; or a lock's
 * explicit `config`. Driven over gRPC against @pulumi/pulumi's own dynamic-provider server, as the engine drives it.
 */
import { expect } from '@jest/globals';
import * as pulumi from '@pulumi/pulumi';
import { Emulator } from '../../provider/emulator/server';
import type { NscaleCatalog } from '../../provider/emulator/nscale/catalog';
import { OTHER_ORGANIZATION_ID, OTHER_SERVICE_TOKEN, REGION_IDS } from '../../provider/emulator/nscale/catalog';
import { imageLockProvider, makeShim, packageRoot, PROVIDER_MODULE } from '../../sdk/image-lock';
import { DIFF, DynamicProviderProcess } from './dynamic-provider-harness';
import { ensureBuilt } from '../examples/harness';

const URN = 'urn:pulumi:dev::locks::pulumi-nodejs:dynamic/cloudimages:ImageLock::gpu-node';
const SECRET = { '4dabf18193072939515e22adb298388d': '1b47061264138c4ac30d75fd1eb44270' };
/** No nscale credentials in the provider's environment: only configuration can supply them. */
const NO_ENV = { NSCALE_SERVICE_TOKEN: '', NSCALE_ORGANIZATION_ID: '', NSCALE_REGION_ID: '', NSCALE_REGION_SERVICE_API_ENDPOINT: '' };

let emulator: Emulator;
let serialized: string;
const servers: DynamicProviderProcess[] = [];

function nscaleSettings(): Record<string, string> {
  return emulator.clientConfig().nscale as Record<string, string>;
}

async function startServer(env: Record<string, string> = NO_ENV): Promise<DynamicProviderProcess> {
  const server = await new DynamicProviderProcess().start(env);
  servers.push(server);
  return server;
}

const query = () => ({ cloud: 'nscale', region: REGION_IDS[0], gpuModel: 'H100', mostRecent: true });

beforeAll(async () => {
  ensureBuilt();
  emulator = await new Emulator().start();
  const provider = imageLockProvider();
  serialized = (await pulumi.runtime.serializeFunction(() => provider, { allowSecrets: false })).text;
});

afterAll(async () => {
  await Promise.all(servers.map((s) => s.stop()));
  await emulator?.stop();
});

describe('the stack configuration, through configure', () => {
  test('a secret cloudimages:nscale (as pulumi config set --secret --path sets it) resolves the lock; no credential in inputs or outputs', async () => {
    const server = await startServer();
    const settings = nscaleSettings();
    await server.configure({
      'cloudimages:nscale': { ...SECRET, value: JSON.stringify(settings) },
      'locks:unrelated': 'x',
    });
    const checked = await server.check(URN, {}, { query: query(), pin: true, __provider: serialized });
    expect(checked.failures).toEqual([]);
    expect(checked.inputs.imageId).toMatch(/^[0-9a-f-]{36}$/);
    const created = await server.create(URN, checked.inputs);
    const text = JSON.stringify([checked.inputs, created.properties]);
    expect(text).not.toContain(settings.serviceToken);
    expect(created.properties).not.toHaveProperty('config');
  });

  test('a field the stack leaves unset falls back to the environment', async () => {
    const { serviceToken, ...rest } = nscaleSettings();
    const server = await startServer({ ...NO_ENV, NSCALE_SERVICE_TOKEN: serviceToken });
    await server.configure({ 'cloudimages:nscale': JSON.stringify(rest) });
    const checked = await server.check(URN, {}, { query: query(), pin: false, __provider: serialized });
    expect(checked.failures).toEqual([]);
  });

  test('without configuration or environment the failure names the config key and the variable', async () => {
    const server = await startServer();
    await server.configure({});
    const checked = await server.check(URN, {}, { query: query(), pin: false, __provider: serialized });
    expect(checked.failures).toEqual([{ property: 'query', reason: expect.stringMatching(/cloudimages:nscale\.serviceToken.*NSCALE_SERVICE_TOKEN/) }]);
  });

  test('a malformed stack configuration fails on the config key, not with a crash', async () => {
    const server = await startServer();
    await server.configure({ 'cloudimages:nscale': JSON.stringify({ serviceTokn: 'x' }) });
    const checked = await server.check(URN, {}, { query: query(), pin: false, __provider: serialized });
    expect(checked.failures).toEqual([
      { property: 'cloudimages:nscale.serviceTokn', reason: expect.stringContaining('unknown field; nscale accepts serviceToken') },
    ]);
  });
});

describe('an explicit config input (a second account)', () => {
  test('replaces the stack configuration, is dropped from the recorded inputs, and rotating it causes no diff', async () => {
    const server = await startServer();
    await server.configure({ 'cloudimages:nscale': JSON.stringify({ serviceToken: 'the-stack-account', organizationId: 'nope' }) });
    const settings = nscaleSettings();
    const first = await server.check(URN, {}, { query: query(), pin: true, config: { nscale: settings }, __provider: serialized });
    expect(first.failures).toEqual([]);
    expect(first.inputs).not.toHaveProperty('config');
    const created = await server.create(URN, first.inputs);
    expect(JSON.stringify(created.properties)).not.toContain(settings.serviceToken);

    // The account rotates its token: the program passes the new one; nothing the lock records changes.
    const catalog = emulator.catalog.nscale as NscaleCatalog;
    const oldToken = catalog.credentials.serviceToken;
    catalog.credentials.serviceToken = 'rotated-token-0123456789';
    try {
      const again = await server.check(URN, first.inputs, {
        query: query(),
        pin: true,
        config: { nscale: { ...settings, serviceToken: 'rotated-token-0123456789' } },
        __provider: serialized,
      });
      expect(again.failures).toEqual([]);
      expect(again.inputs).toEqual(first.inputs);
      expect((await server.diff(URN, created.id, created.properties, again.inputs)).changes).toBe(DIFF.NONE);
    } finally {
      catalog.credentials.serviceToken = oldToken;
    }
  });

  test("refresh keeps a lock resolved with its own config as recorded (the stack's account cannot see its image)", async () => {
    // Found under the real engine: refresh re-resolved another account's private image with the stack's account,
    // and recorded it as missing.
    const server = await startServer();
    await server.configure({ 'cloudimages:nscale': JSON.stringify(nscaleSettings()) });
    const theirs = { endpoint: nscaleSettings().endpoint, organizationId: OTHER_ORGANIZATION_ID, serviceToken: OTHER_SERVICE_TOKEN };
    const theirQuery = { cloud: 'nscale', region: REGION_IDS[0], visibility: 'private', mostRecent: true };
    const checked = await server.check(URN, {}, { query: theirQuery, pin: true, config: { nscale: theirs }, __provider: serialized });
    expect(checked.failures).toEqual([]);
    expect(checked.inputs).toMatchObject({ explicitConfig: true, imageStatus: 'available' });
    const created = await server.create(URN, checked.inputs);
    const refreshed = await server.read(URN, created.id, created.properties, checked.inputs);
    expect(refreshed.properties).toEqual(created.properties);
    const warned = /resolved with the lock's own config, which refresh cannot use/;
    expect(await server.stderrMatching(warned)).toMatch(warned);
    expect(server.stderr).not.toContain(OTHER_SERVICE_TOKEN);
    // A lock on the stack's configuration records no such flag, and refresh re-reads it.
    const own = await server.check(URN, {}, { query: query(), pin: true, __provider: serialized });
    expect(own.inputs).not.toHaveProperty('explicitConfig');
  });

  test('an unknown field fails on config.<cloud>.<field>', async () => {
    const server = await startServer();
    const checked = await server.check(URN, {}, { query: query(), config: { nscale: { token: 'x' } }, __provider: serialized });
    expect(checked.failures).toEqual([{ property: 'config.nscale.token', reason: expect.stringContaining('unknown field') }]);
  });
});

describe('upgrading from a release whose shim had no configure', () => {
  test('the new provider text is no replacement (the server diffs with the new provider), and the pin holds', async () => {
    // The earlier shim: the same methods without configure.
    const { configure: _configure, ...earlier } = makeShim(packageRoot(), PROVIDER_MODULE);
    const older = (await pulumi.runtime.serializeFunction(() => earlier, { allowSecrets: false })).text;
    expect(older).not.toContain('configure');
    const server = await startServer({ ...NO_ENV, ...emulator.clientEnv(['nscale']) });
    await server.configure({});
    const first = await server.check(URN, {}, { query: { ...query(), endpoint: emulator.endpoint('nscale') }, pin: true, __provider: older });
    const created = await server.create(URN, first.inputs);
    // A newer image appears before the upgrade.
    const catalog = emulator.catalog.nscale as NscaleCatalog;
    const entry = structuredClone(catalog.images.find((e) => e.image.metadata.id === first.inputs.imageId)!);
    entry.image.metadata.id = '00000000-aaaa-4bbb-8ccc-0000000000aa';
    entry.image.metadata.creationTime = '2032-01-01T00:00:00Z';
    catalog.images.push(entry);
    try {
      const checked = await server.check(URN, first.inputs, {
        query: { ...query(), endpoint: emulator.endpoint('nscale') },
        pin: true,
        __provider: serialized,
      });
      expect(checked.inputs).toMatchObject({ imageId: first.inputs.imageId, latestImageId: entry.image.metadata.id, drifted: true });
      const diff = await server.diff(URN, created.id, { ...created.properties, __provider: older }, checked.inputs);
      expect(diff).toEqual({ changes: DIFF.SOME, replaces: [] }); // latestImageId and drifted changed
      const updated = await server.update(URN, created.id, { ...created.properties, __provider: older }, checked.inputs);
      expect(updated).toMatchObject({ imageId: first.inputs.imageId, drifted: true });
    } finally {
      catalog.images.pop();
    }
  });
});
