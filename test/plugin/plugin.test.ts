/**
 * The provider plugin, driven exactly as the engine drives it: started as a child process (`bin/` executable, and
 * through Pulumi's own Node plugin runner as PulumiPlugin.yaml makes the CLI do), port read from the first stdout
 * line, then GetPluginInfo → GetSchema → CheckConfig → DiffConfig → Configure (secrets in the sentinel) → Invoke both
 * functions against the emulator → check failures for bad arguments → Cancel.
 */
import { expect } from '@jest/globals';
import * as fs from 'fs';
import * as path from 'path';
import * as grpc from '@grpc/grpc-js';
import * as providerPb from '@pulumi/pulumi/proto/provider_pb';
import * as pluginPb from '@pulumi/pulumi/proto/plugin_pb';
import * as enginePb from '@pulumi/pulumi/proto/engine_pb';
import { EngineService } from '@pulumi/pulumi/proto/engine_grpc_pb';
import { Empty } from 'google-protobuf/google/protobuf/empty_pb';
import { Emulator } from '../../provider/emulator/server';
import { lookupImage, lookupImages } from '../../provider/lookup';
import type { CloudImagesConfig } from '../../provider/core/config';
import { Plugin, ROOT, UNKNOWN, call, ensureBuilt, secret, startPlugin, struct } from './harness';

const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string };

let emulator: Emulator;
let config: CloudImagesConfig;
let nscaleRegion: string;
let plugin: Plugin;
/** The engine's side of logging: the plugin sends warnings to the address it was started with. */
let engine: grpc.Server;
const engineLogs: { severity: number; message: string }[] = [];

async function startEngine(): Promise<number> {
  engine = new grpc.Server();
  engine.addService(EngineService, {
    log: (call: grpc.ServerUnaryCall<enginePb.LogRequest, Empty>, callback: grpc.sendUnaryData<Empty>) => {
      engineLogs.push({ severity: call.request.getSeverity(), message: call.request.getMessage() });
      callback(null, new Empty());
    },
  });
  return new Promise((resolve, reject) => engine.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (e, p) => (e ? reject(e) : resolve(p))));
}

beforeAll(async () => {
  ensureBuilt();
  emulator = await new Emulator().start();
  config = emulator.clientConfig();
  nscaleRegion = (emulator.catalog.nscale!.regions as string[])[0];
  const enginePort = await startEngine();
  // The arguments the engine passes: logging flags, a tracing endpoint, then its own address.
  plugin = await startPlugin(process.execPath, [
    path.join(ROOT, 'bin/pulumi-resource-cloudimages'),
    '--logtostderr',
    '-v=9',
    '--tracing',
    '127.0.0.1:9',
    `127.0.0.1:${enginePort}`,
  ]);
}, 120000);

afterAll(async () => {
  await plugin?.stop();
  await emulator?.stop();
  engine?.forceShutdown();
});

function invokeRequest(tok: string, args: Record<string, unknown>) {
  return new providerPb.InvokeRequest().setTok(tok).setArgs(struct(args));
}

async function invoke(tok: string, args: Record<string, unknown>) {
  const response = await call<providerPb.InvokeRequest, providerPb.InvokeResponse>(plugin.client, 'invoke', invokeRequest(tok, args));
  return {
    result: (response.getReturn()?.toJavaScript() ?? {}) as Record<string, unknown>,
    failures: response.getFailuresList().map((f) => ({ property: f.getProperty(), reason: f.getReason() })),
  };
}

/** Provider config as the engine sends it in `args`: each credential wrapped in the secret sentinel. */
function engineArgs(clouds: (keyof CloudImagesConfig)[], credentialFields: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = { version: pkg.version };
  for (const cloud of clouds) {
    const section = config[cloud] as Record<string, string>;
    out[cloud] = Object.fromEntries(Object.entries(section).map(([k, v]) => [k, credentialFields.includes(k) ? secret(v) : v]));
  }
  return out;
}

const CREDENTIALS = ['accessKeyId', 'accessKeySecret', 'accessKey', 'secretKey', 'publicKey', 'privateKey', 'serviceToken'];

describe('start-up', () => {
  test('prints the port alone on the first stdout line', () => {
    expect(plugin.stdout()).toBe(`${plugin.port}\n`);
  });

  test('Handshake is UNIMPLEMENTED, which the engine accepts', async () => {
    await expect(call(plugin.client, 'handshake', new providerPb.ProviderHandshakeRequest())).rejects.toMatchObject({ code: grpc.status.UNIMPLEMENTED });
  });

  test('GetPluginInfo reports the package version', async () => {
    const info = await call<Empty, pluginPb.PluginInfo>(plugin.client, 'getPluginInfo', new Empty());
    expect(info.getVersion()).toBe(pkg.version);
  });

  test('GetSchema returns schema.json', async () => {
    const response = await call<providerPb.GetSchemaRequest, providerPb.GetSchemaResponse>(plugin.client, 'getSchema', new providerPb.GetSchemaRequest());
    const schema = JSON.parse(response.getSchema()) as { functions: Record<string, unknown> };
    expect(schema).toEqual(JSON.parse(fs.readFileSync(path.join(ROOT, 'schema.json'), 'utf8')));
    expect(Object.keys(schema.functions)).toEqual(['cloudimages:index:getImage', 'cloudimages:index:getImages']);
  });
});

describe('configuration', () => {
  test('CheckConfig accepts the engine form (secrets in sentinels, a version key) and returns the inputs', async () => {
    const news = struct(engineArgs(['alicloud', 'nscale'], CREDENTIALS));
    const response = await call<providerPb.CheckRequest, providerPb.CheckResponse>(plugin.client, 'checkConfig', new providerPb.CheckRequest().setNews(news));
    expect(response.getFailuresList()).toEqual([]);
    expect(response.getInputs()!.toJavaScript()).toEqual(news.toJavaScript());
  });

  test('CheckConfig names unknown clouds, unknown fields and wrong types', async () => {
    const news = struct({ azure: { key: 'x' }, alicloud: { accessKeyID: 'x', region: 7 }, nscale: '{not json' });
    const response = await call<providerPb.CheckRequest, providerPb.CheckResponse>(plugin.client, 'checkConfig', new providerPb.CheckRequest().setNews(news));
    const failures = response.getFailuresList().map((f) => [f.getProperty(), f.getReason()]);
    expect(failures).toEqual([
      ['alicloud.accessKeyID', 'unknown field; alicloud accepts accessKeyId, accessKeySecret, securityToken, region, endpoint'],
      ['alicloud.region', 'expected a string, got number'],
      ['azure', 'unknown configuration variable; accepted variables are alicloud, huaweicloud, opentelekomcloud, ucloud, nscale'],
      ['nscale', 'expected an object of serviceToken, organizationId, regionId, endpoint, got a string that is not JSON'],
    ]);
  });

  test('DiffConfig reports which cloud objects changed and never asks for replacement', async () => {
    const olds = struct({ version: '0.1.0', alicloud: { region: 'cn-hangzhou' } });
    const same = await call<providerPb.DiffRequest, providerPb.DiffResponse>(
      plugin.client,
      'diffConfig',
      new providerPb.DiffRequest().setOlds(olds).setNews(struct({ version: '0.2.0', alicloud: { region: 'cn-hangzhou' } })),
    );
    expect(same.getChanges()).toBe(providerPb.DiffResponse.DiffChanges.DIFF_NONE);
    const changed = await call<providerPb.DiffRequest, providerPb.DiffResponse>(
      plugin.client,
      'diffConfig',
      new providerPb.DiffRequest().setOlds(olds).setNews(struct({ alicloud: { region: 'cn-beijing' }, nscale: { regionId: 'r' } })),
    );
    expect(changed.getChanges()).toBe(providerPb.DiffResponse.DiffChanges.DIFF_SOME);
    expect(changed.getDiffsList()).toEqual(['alicloud', 'nscale']);
    expect(changed.getReplacesList()).toEqual([]);
  });

  test('Configure rejects configuration that CheckConfig would fail', async () => {
    const request = new providerPb.ConfigureRequest().setArgs(struct({ alicloud: { accessKeyID: 'x' } }));
    await expect(call(plugin.client, 'configure', request)).rejects.toMatchObject({
      code: grpc.status.INVALID_ARGUMENT,
      details: expect.stringContaining('alicloud.accessKeyID: unknown field'),
    });
  });
});

describe('invoking against the emulator after Configure', () => {
  beforeAll(async () => {
    // The older `variables` map carries alicloud as a JSON string; the `args` Struct carries the rest with secrets
    // wrapped. Both must reach the invoke path.
    const request = new providerPb.ConfigureRequest().setArgs(struct(engineArgs(['nscale', 'huaweicloud', 'opentelekomcloud'], CREDENTIALS)));
    request.getVariablesMap().set('cloudimages:config:alicloud', JSON.stringify(config.alicloud));
    const response = await call<providerPb.ConfigureRequest, providerPb.ConfigureResponse>(plugin.client, 'configure', request);
    expect(response.getAcceptsecrets()).toBe(true);
    expect(response.getSupportspreview()).toBe(true);
  });

  test.each([
    [
      'nscale (credentials from the args Struct, in secret sentinels)',
      () => ({
        cloud: 'nscale',
        region: nscaleRegion,
        mostRecent: true,
        architecture: 'x86_64',
        gpuModel: 'H100',
        softwareVersions: { kubernetes: '>=1.29.0 <1.31.0' },
      }),
    ],
    [
      'alicloud (credentials from the variables map)',
      () => ({ cloud: 'alicloud', region: 'cn-hangzhou', mostRecent: true, architecture: 'arm64', nameRegex: '^ubuntu' }),
    ],
    ['huaweicloud', () => ({ cloud: 'huaweicloud', region: 'cn-north-4', mostRecent: true, visibility: 'public', osDistro: 'ubuntu' })],
    ['opentelekomcloud', () => ({ cloud: 'opentelekomcloud', region: 'eu-de', mostRecent: true, visibility: 'public' })],
  ])('getImage on %s returns the same image as the core', async (_name, args) => {
    const query = args();
    const { result, failures } = await invoke('cloudimages:index:getImage', query);
    expect(failures).toEqual([]);
    const expected = (await lookupImage(query, { config, env: {} })).result;
    expect(result).toEqual(JSON.parse(JSON.stringify(expected)));
    expect(result.cloud).toBe(query.cloud);
    // Null fields travel as null (an undefined would have broken the Struct).
    expect(Object.keys(result).sort()).toEqual(Object.keys(expected).sort());
  });

  test('getImages returns ids and images newest first, the same as the core', async () => {
    const query = { cloud: 'nscale', region: nscaleRegion, gpuVendor: 'NVIDIA', gpuDriver: '>=535' };
    const { result, failures } = await invoke('cloudimages:index:getImages', query);
    expect(failures).toEqual([]);
    const expected = (await lookupImages(query, { config, env: {} })).result;
    expect((result.ids as string[]).length).toBeGreaterThan(1);
    expect(result.ids).toEqual(expected.ids);
    expect((result.images as { id: string }[]).map((i) => i.id)).toEqual(expected.ids);
  });

  test('getImages on alicloud (variables map) lists Windows images', async () => {
    const { result, failures } = await invoke('cloudimages:index:getImages', { cloud: 'alicloud', region: 'cn-hangzhou', osType: 'windows' });
    expect(failures).toEqual([]);
    const images = result.images as { osType: string; cloud: string }[];
    expect(images.length).toBeGreaterThan(1);
    expect(images.every((i) => i.osType === 'windows' && i.cloud === 'alicloud')).toBe(true);
  });

  test('a secret argument is unwrapped and used', async () => {
    const { result, failures } = await invoke('cloudimages:index:getImage', {
      cloud: 'alicloud',
      region: 'cn-hangzhou',
      mostRecent: true,
      architecture: 'arm64',
      nameRegex: secret('^ubuntu'),
    });
    expect(failures).toEqual([]);
    expect(String(result.name)).toMatch(/^ubuntu/);
  });

  test('results never carry a credential', async () => {
    const { result } = await invoke('cloudimages:index:getImages', { cloud: 'nscale', region: nscaleRegion });
    const text = JSON.stringify(result);
    for (const cloud of ['nscale', 'alicloud'] as const) {
      for (const [field, value] of Object.entries(config[cloud] as Record<string, string>)) {
        if (CREDENTIALS.includes(field)) expect(text).not.toContain(value);
      }
    }
  });

  test('unknown arguments during preview give an empty result without a request', async () => {
    const before = emulator.count();
    const { result, failures } = await invoke('cloudimages:index:getImage', { cloud: 'nscale', region: UNKNOWN });
    expect(result).toEqual({});
    expect(failures).toEqual([]);
    expect(emulator.count()).toBe(before);
  });

  test('a cloud left unconfigured fails with a message naming what to set, not a secret', async () => {
    await expect(invoke('cloudimages:index:getImage', { cloud: 'ucloud', region: 'cn-bj2', mostRecent: true })).rejects.toMatchObject({
      code: grpc.status.UNKNOWN,
      details: expect.stringMatching(/ucloud\.publicKey|UCLOUD_PUBLIC_KEY/),
    });
  });

  test('no match: the error text carries the funnel and the closest images', async () => {
    await expect(
      invoke('cloudimages:index:getImage', { cloud: 'nscale', region: nscaleRegion, architecture: 'arm64', nameRegex: '^no-such-image$' }),
    ).rejects.toMatchObject({
      details: expect.stringMatching(
        /no image matches the query .*; \d+ in the catalog( \([^)]*\))? → status=available: \d+ → visibility=private,public: \d+ → architecture=arm64: \d+ → nameRegex: 0; closest: .+ \(fails nameRegex\)/,
      ),
    });
  });

  test('minAgeDays and maxAgeDays travel as numbers, as the schema says', async () => {
    const query = { cloud: 'nscale', region: nscaleRegion, minAgeDays: 0.5, maxAgeDays: 36_500 };
    const { result, failures } = await invoke('cloudimages:index:getImages', query);
    expect(failures).toEqual([]);
    expect(result.ids).toEqual((await lookupImages(query, { config, env: {} })).result.ids);
    const inputs = (
      JSON.parse(fs.readFileSync(path.join(ROOT, 'schema.json'), 'utf8')) as {
        functions: Record<string, { inputs: { properties: Record<string, { type: string }> } }>;
      }
    ).functions['cloudimages:index:getImages'].inputs.properties;
    expect([inputs.minAgeDays.type, inputs.maxAgeDays.type]).toEqual(['number', 'number']);
  });

  test('an unknown token is an explicit error', async () => {
    await expect(invoke('cloudimages:index:getImagez', { cloud: 'nscale' })).rejects.toMatchObject({
      details: 'unknown function "cloudimages:index:getImagez"; this provider serves cloudimages:index:getImage, cloudimages:index:getImages',
    });
  });

  test.each([
    [
      'cloudimages:index:getImage',
      { cloud: 'nscale', architecture: 'sparc' },
      'architecture',
      '"sparc" is not accepted; accepted values are x86_64, arm64, i386 (aliases: amd64, x64, aarch64, arm, x86)',
    ],
    [
      'cloudimages:index:getImage',
      { cloud: 'azure' },
      'cloud',
      '"azure" is not accepted; accepted values are alicloud, huaweicloud, opentelekomcloud, ucloud, nscale',
    ],
    [
      'cloudimages:index:getImage',
      { cloud: 'nscale', flavour: 'x' },
      'flavour',
      expect.stringContaining('unknown argument; accepted arguments are cloud, region'),
    ],
    ['cloudimages:index:getImages', { cloud: 'nscale', nameRegex: '(' }, 'nameRegex', expect.stringContaining('not a valid JavaScript regular expression')],
    [
      'cloudimages:index:getImages',
      { cloud: 'nscale', softwareVersions: { kubernetes: 'newest' } },
      'softwareVersions.kubernetes',
      expect.stringContaining('is not a semver range'),
    ],
    [
      'cloudimages:index:getImages',
      { cloud: 'nscale', softwareVersions: { kubernetes: '>=1.29 <<1.31' } },
      'softwareVersions.kubernetes',
      expect.stringContaining('">=1.29 <<1.31" is not a semver range: "<<1.31" is not a comparator; use e.g.'),
    ],
    ['cloudimages:index:getImage', { cloud: 'nscale', gpuDriver: '' }, 'gpuDriver', expect.stringContaining('"" is empty; use e.g.')],
    ['cloudimages:index:getImages', { cloud: 'nscale', mostRecent: true }, 'mostRecent', 'only getImage chooses one image; getImages returns every match'],
    ['cloudimages:index:getImage', { region: 'cn-hangzhou' }, 'cloud', 'required; one of alicloud, huaweicloud, opentelekomcloud, ucloud, nscale'],
    ['cloudimages:index:getImages', { cloud: 'nscale', maxAgeDays: -2 }, 'maxAgeDays', expect.stringContaining('expected a non-negative number of days')],
    [
      'cloudimages:index:getImage',
      { cloud: 'ucloud', region: 'cn-bj2', mostRecent: true, minAgeDays: 7 },
      'minAgeDays',
      expect.stringContaining('ucloud reports no creation time'),
    ],
  ])('%s with bad arguments %j fails the check on %s', async (tok, args, property, reason) => {
    const before = emulator.count();
    const { result, failures } = await invoke(tok, args);
    expect(failures).toEqual([{ property, reason }]);
    expect(result).toEqual({});
    expect(emulator.count()).toBe(before);
  });

  test('nothing but the port was ever written to stdout', () => {
    expect(plugin.stdout()).toBe(`${plugin.port}\n`);
  });

  test('warnings reach the engine log (Configure again with every cloud, then a UCloud mostRecent choice)', async () => {
    await call(
      plugin.client,
      'configure',
      new providerPb.ConfigureRequest().setArgs(struct(engineArgs(['alicloud', 'huaweicloud', 'opentelekomcloud', 'ucloud', 'nscale'], CREDENTIALS))),
    );
    const { result, failures } = await invoke('cloudimages:index:getImage', {
      cloud: 'ucloud',
      region: 'cn-bj2',
      mostRecent: true,
      gpu: true,
      machineType: 'vm',
    });
    expect(failures).toEqual([]);
    expect(engineLogs).toEqual([
      {
        severity: enginePb.LogSeverity.WARNING,
        message: expect.stringMatching(new RegExp(`^getImage: ucloud reports no creation time: mostRecent chose ${result.id as string} `)),
      },
    ]);
  });

  test('an unknown function token of 1 MB gets a short error promptly, and the connection keeps serving', async () => {
    const token = `cloudimages:index:${'x'.repeat(1024 * 1024)}`;
    const started = Date.now();
    const err = await invoke(token, {}).catch((e: grpc.ServiceError) => e);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(err).toMatchObject({
      code: grpc.status.UNKNOWN,
      details: expect.stringMatching(/^unknown function "cloudimages:index:x+…"; this provider serves /),
    });
    expect((err as grpc.ServiceError).details.length).toBeLessThan(500);
    const { result } = await invoke('cloudimages:index:getImages', { cloud: 'nscale', region: nscaleRegion });
    expect((result.ids as string[]).length).toBeGreaterThan(0);
  });

  test('oversized invoke arguments: a short failure or a refusal, promptly, and the connection keeps serving', async () => {
    // A megabyte in one argument: validated, and what is echoed back is cut.
    const big = await invoke('cloudimages:index:getImages', {
      cloud: 'nscale',
      region: nscaleRegion,
      nameRegex: `(${'a'.repeat(1024 * 1024)}`,
      architecture: 'z'.repeat(1024 * 1024),
    }).then(
      (r) => JSON.stringify(r.failures),
      (e: grpc.ServiceError) => e.details,
    );
    expect(big.length).toBeLessThan(5000);
    // 16 MB of arguments: refused by gRPC before they are parsed.
    const started = Date.now();
    const huge = await invoke('cloudimages:index:getImages', { cloud: 'nscale', region: nscaleRegion, tags: { padding: 'p'.repeat(16 * 1024 * 1024) } }).catch(
      (e: grpc.ServiceError) => e,
    );
    expect(huge).toMatchObject({ code: grpc.status.RESOURCE_EXHAUSTED });
    expect(Date.now() - started).toBeLessThan(10_000);
    const { result } = await invoke('cloudimages:index:getImages', { cloud: 'nscale', region: nscaleRegion });
    expect((result.ids as string[]).length).toBeGreaterThan(0);
  }, 60_000);

  test('Cancel is acknowledged', async () => {
    await expect(call(plugin.client, 'cancel', new Empty())).resolves.toBeInstanceOf(Empty);
  });
});

describe("launched by Pulumi's Node plugin runner (PulumiPlugin.yaml, as `pulumi package add` does)", () => {
  test('the package root served through @pulumi/pulumi/cmd/run-plugin answers GetPluginInfo and Invoke', async () => {
    const runner = path.join(ROOT, 'node_modules/@pulumi/pulumi/cmd/run-plugin');
    const viaRunner = await startPlugin(process.execPath, [runner, ROOT, '127.0.0.1:1']);
    try {
      expect(viaRunner.stdout()).toBe(`${viaRunner.port}\n`);
      const info = await call<Empty, pluginPb.PluginInfo>(viaRunner.client, 'getPluginInfo', new Empty());
      expect(info.getVersion()).toBe(pkg.version);
      await call(viaRunner.client, 'configure', new providerPb.ConfigureRequest().setArgs(struct(engineArgs(['nscale'], CREDENTIALS))));
      const response = await call<providerPb.InvokeRequest, providerPb.InvokeResponse>(
        viaRunner.client,
        'invoke',
        invokeRequest('cloudimages:index:getImage', { cloud: 'nscale', region: nscaleRegion, mostRecent: true, gpuModel: 'H100' }),
      );
      expect(response.getFailuresList()).toEqual([]);
      expect(response.getReturn()!.toJavaScript()).toMatchObject({ cloud: 'nscale', region: nscaleRegion });
    } finally {
      await viaRunner.stop();
    }
  }, 60000);
});
