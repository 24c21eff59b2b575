/**
 * The proof that adding a cloud means one module and one registry line: a made-up cloud (./examplecloud.ts, with its
 * own loopback server), in a registry of this test's own passed to each surface as the built-in one is (the SDK's
 * functions over it, the lookup's `registry`, the plugin's provider, the CLI's `registry`), is queried through getImage
 * and getImages (SDK), the plugin's schema, configuration and invoke (gRPC, in process), and the CLI, and its settings,
 * secrets and refusals follow the same rules as the built-in clouds'. Nothing else in the package is touched.
 */
import * as grpc from '@grpc/grpc-js';
import { ResourceProviderClient } from '@pulumi/pulumi/proto/provider_grpc_pb';
import * as providerPb from '@pulumi/pulumi/proto/provider_pb';
import * as cloudimages from '../../sdk';
import { testRegistry } from '../helpers/registry';
import { BUILT_IN_REGISTRY } from '../../provider/clouds';
import { createRegistry } from '../../provider/core/module';
import { imageFunctions } from '../../sdk/functions';
import { ConfigurationError } from '../../provider/core/errors';
import { isSensitiveName, redactHeaders } from '../../provider/core/redact';
import { sharedRequests } from '../../provider/core/share';
import { lookupImages } from '../../provider/lookup';
import { CloudImagesProvider, serve } from '../../provider/plugin/server';
import { captureCli, captureCliWith } from '../helpers/cli';
import { call, secret, struct } from '../plugin/harness';
import { exampleCloudModule, startExampleServer, TOKEN } from './examplecloud';

let server: Awaited<ReturnType<typeof startExampleServer>>;
/** The built-in clouds and the made-up one: this test's own registry (the one registry line), passed where a surface passes the built-in one. */
const withExampleCloud = testRegistry({}, [exampleCloudModule]);
/** The SDK's functions over it. */
const sdk = imageFunctions(withExampleCloud);

beforeAll(async () => {
  server = await startExampleServer();
});
afterAll(async () => {
  await server?.stop();
});
beforeEach(() => {
  sharedRequests.clear();
  server.requests.length = 0;
});

/** The SDK's config type is generated from the built-in modules (`npm run gen`); one registered at run time is not in it. */
const sdkConfig = (section: Record<string, string>) => ({ examplecloud: section }) as cloudimages.CloudImagesConfig;
/** Likewise the SDK's `Cloud` union (schema.json's enum): a cloud registered at run time is cast into it. */
const EXAMPLECLOUD = 'examplecloud' as cloudimages.Cloud;
/** The parts of the provider's schema.json the schema test reads. */
type ProviderSchema = {
  config: { variables: Record<string, { $ref?: string }> };
  types: Record<string, { properties?: Record<string, unknown>; enum?: { value: string }[] }>;
  functions: Record<string, { inputs: { properties: Record<string, { $ref?: string }> } }>;
  keywords: string[];
};
const config = () => sdkConfig({ endpoint: server.url, apiToken: TOKEN });

describe('a sixth cloud through the SDK', () => {
  test('getImage pushes the architecture down and chooses the newest match', async () => {
    const image = await sdk.getImage(
      { cloud: EXAMPLECLOUD, region: 'ex-1', architecture: 'x86_64', osVersion: '24.04', mostRecent: true },
      { config: config() },
    );
    expect(image).toMatchObject({ id: 'ex-ubuntu-2404', cloud: 'examplecloud', region: 'ex-1', architecture: 'x86_64', createdAt: '2025-06-01T00:00:00Z' });
    expect(server.requests.map((u) => u.search)).toEqual(['?region=ex-1&arch=amd64']);
  });

  test('getImages lists newest first and refuses what only getImage takes, before any request', async () => {
    const { ids } = await sdk.getImages({ cloud: EXAMPLECLOUD, region: 'ex-1' }, { config: config() });
    expect(ids).toEqual(['ex-ubuntu-2404-arm', 'ex-ubuntu-2404', 'ex-ubuntu-2204']);
    server.requests.length = 0;
    await expect(
      sdk.getImages({ cloud: EXAMPLECLOUD, region: 'ex-1', mostRecent: true } as cloudimages.GetImagesArgs, { config: config() }),
    ).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', argument: 'mostRecent' });
    expect(server.requests).toHaveLength(0);
  });

  test('its settings are resolved by the core: config, then its variables; a missing token names its setting', async () => {
    const env = { EXAMPLECLOUD_TOKEN: TOKEN, EXAMPLECLOUD_REGION: 'ex-1', EXAMPLECLOUD_ENDPOINT: server.url };
    expect((await lookupImages({ cloud: 'examplecloud' }, { registry: withExampleCloud, config: {}, env })).result.ids).toHaveLength(3);
    const missing = lookupImages(
      { cloud: 'examplecloud', region: 'ex-1' },
      { registry: withExampleCloud, config: { examplecloud: { endpoint: server.url } }, env: {} },
    );
    await expect(missing).rejects.toBeInstanceOf(ConfigurationError);
    await expect(missing).rejects.toMatchObject({
      setting: 'cloudimages:examplecloud.apiToken',
      message: 'examplecloud: no API token; set config cloudimages:examplecloud.apiToken or environment variable EXAMPLECLOUD_TOKEN',
    });
  });

  test('a refused token is an authentication error naming where it came from, never the token', async () => {
    const wrong = 'wrong-token-9876543210';
    const failure = sdk.getImage({ cloud: EXAMPLECLOUD, region: 'ex-1', mostRecent: true }, { config: sdkConfig({ endpoint: server.url, apiToken: wrong }) });
    await expect(failure).rejects.toMatchObject({ code: 'AUTHENTICATION' });
    const message = String(((await failure.catch((e: unknown) => e)) as Error).message);
    expect(message).toContain('the token from cloudimages:examplecloud.apiToken was refused');
    expect(message).not.toContain(wrong);
  });

  test('its credential parameter is masked by name once a registry holds it', () => {
    expect(isSensitiveName('X-Example-Token')).toBe(true);
    expect(redactHeaders({ 'x-example-token': 'abc' })).toEqual({ 'x-example-token': '***' });
  });
});

describe('a sixth cloud through the provider plugin', () => {
  let plugin: { server: grpc.Server; port: number };
  let client: ResourceProviderClient;
  beforeAll(async () => {
    plugin = await serve(new CloudImagesProvider(withExampleCloud));
    client = new ResourceProviderClient(`127.0.0.1:${plugin.port}`, grpc.credentials.createInsecure());
  });
  afterAll(async () => {
    client?.close();
    await new Promise<void>((resolve) => (plugin ? plugin.server.tryShutdown(() => resolve()) : resolve()));
  });

  test('the schema carries its configuration object (token secret) and accepts it as a cloud', async () => {
    const response = await call<providerPb.GetSchemaRequest, providerPb.GetSchemaResponse>(client, 'getSchema', new providerPb.GetSchemaRequest());
    const schema = JSON.parse(response.getSchema()) as ProviderSchema;
    expect(schema.config.variables.examplecloud.$ref).toBe('#/types/cloudimages:index:ExamplecloudConfig');
    expect(schema.types['cloudimages:index:ExamplecloudConfig'].properties).toMatchObject({
      apiToken: { type: 'string', secret: true },
      region: { type: 'string' },
    });
    expect(schema.functions['cloudimages:index:getImage'].inputs.properties.cloud.$ref).toBe('#/types/cloudimages:index:Cloud');
    expect(schema.types['cloudimages:index:Cloud'].enum).toContainEqual({ value: 'examplecloud' });
    expect(schema.keywords).toContain('examplecloud');
  });

  test('configure with a secret token, then invoke getImage', async () => {
    const check = await call<providerPb.CheckRequest, providerPb.CheckResponse>(
      client,
      'checkConfig',
      new providerPb.CheckRequest().setNews(struct({ examplecloud: { endpoint: server.url, apiToken: secret(TOKEN) } })),
    );
    expect(check.getFailuresList()).toEqual([]);
    await call(client, 'configure', new providerPb.ConfigureRequest().setArgs(struct({ examplecloud: { endpoint: server.url, apiToken: secret(TOKEN) } })));
    const response = await call<providerPb.InvokeRequest, providerPb.InvokeResponse>(
      client,
      'invoke',
      new providerPb.InvokeRequest()
        .setTok('cloudimages:index:getImage')
        .setArgs(struct({ cloud: 'examplecloud', region: 'ex-1', architecture: 'arm64', mostRecent: true })),
    );
    expect(response.getFailuresList()).toEqual([]);
    expect(response.getReturn()!.toJavaScript()).toMatchObject({ id: 'ex-ubuntu-2404-arm', cloud: 'examplecloud' });
  });
});

describe('a sixth cloud through the CLI', () => {
  const env = { EXAMPLECLOUD_TOKEN: TOKEN };

  test('image --most-recent prints the chosen image', async () => {
    const { code, stdout, stderr } = await captureCliWith(
      { env, registry: withExampleCloud },
      'image',
      '--cloud',
      'examplecloud',
      '--region',
      'ex-1',
      '--endpoint',
      server.url,
      '--most-recent',
      '--json',
    );
    expect([code, stderr]).toEqual([0, '']);
    expect(JSON.parse(stdout)).toMatchObject({ id: 'ex-ubuntu-2404-arm' });
  });

  test('images lists them; --most-recent is refused by the same core rule', async () => {
    const listed = await captureCliWith(
      { env, registry: withExampleCloud },
      'images',
      '--cloud',
      'examplecloud',
      '--region',
      'ex-1',
      '--endpoint',
      server.url,
      '--json',
    );
    expect((JSON.parse(listed.stdout) as { ids: string[] }).ids).toEqual(['ex-ubuntu-2404-arm', 'ex-ubuntu-2404', 'ex-ubuntu-2204']);
    const refused = await captureCliWith(
      { env, registry: withExampleCloud },
      'images',
      '--cloud',
      'examplecloud',
      '--region',
      'ex-1',
      '--endpoint',
      server.url,
      '--most-recent',
    );
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/invalid --most-recent: only cloudimages image chooses one image/);
  });
});

describe('the registry seam', () => {
  test('a name already registered is refused; the surfaces given no registry of their own know only the built-in clouds', async () => {
    expect(() => createRegistry([...withExampleCloud.modules, exampleCloudModule])).toThrow(/already registered/);
    expect(BUILT_IN_REGISTRY.find('examplecloud')).toBeUndefined(); // the test's registry is its own: nothing was added to the built-in one
    await expect(
      lookupImages({ cloud: 'examplecloud', region: 'ex-1' }, { config: { examplecloud: { endpoint: server.url, apiToken: TOKEN } } }),
    ).rejects.toThrow(/invalid argument "cloud": "examplecloud" is not accepted/);
    await expect(cloudimages.getImages({ cloud: EXAMPLECLOUD, region: 'ex-1' }, { config: config() })).rejects.toThrow(
      /examplecloud: unknown configuration variable; accepted variables are alicloud, /,
    );
    const cli = await captureCli({ EXAMPLECLOUD_TOKEN: TOKEN }, 'images', '--cloud', 'examplecloud', '--region', 'ex-1', '--endpoint', server.url);
    expect([cli.code, cli.stderr]).toEqual([2, expect.stringContaining('"examplecloud" is not accepted')]);
    // Masking only grows: a parameter some registry's module carries stays masked whichever registry a call uses.
    expect(isSensitiveName('X-Example-Token')).toBe(true);
    expect(server.requests).toHaveLength(0);
  });
});
