/**
 * The self-contained plugin artifact (`npm run build:plugin`): unpacked into a folder that holds nothing else, with
 * no node_modules in it or above it and a HOME of its own, it starts, serves GetSchema and an invoke against the
 * emulator, and answers `--help` with usage instead of serving.
 */
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as providerPb from '@pulumi/pulumi/proto/provider_pb';
import * as pluginPb from '@pulumi/pulumi/proto/plugin_pb';
import { Empty } from 'google-protobuf/google/protobuf/empty_pb';
import { Emulator } from '../../provider/emulator/server';
import { lookupImage } from '../../provider/lookup';
import { Plugin, ROOT, call, ensureBuilt, secret, startPlugin, struct } from './harness';

const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string; scripts: Record<string, string> };
const ARTIFACT = path.join(ROOT, `dist/plugin-artifact/pulumi-resource-cloudimages-v${pkg.version}.tar.gz`);

let emulator: Emulator;
let dir: string;
let plugin: Plugin;
/** Only the folder of the node running this test on PATH: the launcher's `#!/usr/bin/env node` finds it there. */
const isolatedEnv = () => ({ PATH: `${path.dirname(process.execPath)}:/usr/bin:/bin`, HOME: dir });

beforeAll(async () => {
  ensureBuilt();
  execFileSync(process.execPath, [path.join(ROOT, 'scripts/bundle.js'), 'plugin'], { cwd: ROOT, stdio: 'inherit' });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cloudimages-plugin-'));
  execFileSync('tar', ['-xzf', ARTIFACT, '-C', dir]);
  emulator = await new Emulator().start();
  plugin = await startPlugin(path.join(dir, 'pulumi-resource-cloudimages'), [], { cwd: dir, env: isolatedEnv() });
}, 120000);

afterAll(async () => {
  await plugin?.stop();
  await emulator?.stop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe('the plugin artifact', () => {
  test('is built by npm run build:plugin and holds the executable, the manifest it reads and the license, nothing else', () => {
    expect(pkg.scripts['build:plugin']).toMatch(/npm run build && node scripts\/bundle\.js plugin/);
    expect(fs.readdirSync(dir).sort()).toEqual(['LICENSE', 'package.json', 'pulumi-resource-cloudimages']);
    expect(fs.statSync(path.join(dir, 'pulumi-resource-cloudimages')).mode & 0o111).toBe(0o111);
    // No PulumiPlugin.yaml: with one, `pulumi plugin install` would run npm install in the plugin's folder.
    // Nothing for Node's module resolution to find outside the bundle, in the folder or above it.
    for (let d = dir; ; d = path.dirname(d)) {
      expect(fs.existsSync(path.join(d, 'node_modules'))).toBe(false);
      if (path.dirname(d) === d) break;
    }
  });

  test('keeps the licence notice of every package it bundles', () => {
    const text = fs.readFileSync(path.join(dir, 'pulumi-resource-cloudimages'), 'utf8');
    const listed = [...text.slice(0, 4000).matchAll(/^ \* {3}(\S+)@\S+ \(/gm)].map((m) => m[1]);
    expect(listed).toEqual(expect.arrayContaining(['@grpc/grpc-js', 'google-protobuf', '@pulumi/pulumi', 'semver', 'got', 'hpagent']));
    for (const name of listed) expect(text).toMatch(new RegExp(`^/\\*! ${name.replace(/[/.]/g, '\\$&')}@\\S+\\n\\n\\S`, 'm'));
  });

  test('starts from a folder that holds nothing else and prints only its port', () => {
    expect(plugin.stdout()).toBe(`${plugin.port}\n`);
  });

  test('GetPluginInfo and GetSchema: the package version and schema.json', async () => {
    const info = await call<Empty, pluginPb.PluginInfo>(plugin.client, 'getPluginInfo', new Empty());
    expect(info.getVersion()).toBe(pkg.version);
    const response = await call<providerPb.GetSchemaRequest, providerPb.GetSchemaResponse>(plugin.client, 'getSchema', new providerPb.GetSchemaRequest());
    expect(JSON.parse(response.getSchema())).toEqual(JSON.parse(fs.readFileSync(path.join(ROOT, 'schema.json'), 'utf8')));
  });

  test('Configure (credentials as secrets) then getImage against the emulator: the same image as the core', async () => {
    const config = emulator.clientConfig();
    const nscale = config.nscale as Record<string, string>;
    await call(
      plugin.client,
      'configure',
      new providerPb.ConfigureRequest().setArgs(struct({ nscale: { ...nscale, serviceToken: secret(nscale.serviceToken) } })),
    );
    const query = { cloud: 'nscale', region: (emulator.catalog.nscale!.regions as string[])[0], mostRecent: true, gpuModel: 'H100' };
    const response = await call<providerPb.InvokeRequest, providerPb.InvokeResponse>(
      plugin.client,
      'invoke',
      new providerPb.InvokeRequest().setTok('cloudimages:index:getImage').setArgs(struct(query)),
    );
    expect(response.getFailuresList()).toEqual([]);
    const expected = (await lookupImage(query, { config, env: {} })).result;
    expect(response.getReturn()!.toJavaScript()).toEqual(JSON.parse(JSON.stringify(expected)));
  });
});

describe('pulumi-resource-cloudimages --help', () => {
  test.each([
    ['the artifact', () => [path.join(dir, 'pulumi-resource-cloudimages')]],
    ['bin/ in the npm package', () => [process.execPath, path.join(ROOT, 'bin/pulumi-resource-cloudimages')]],
  ])('%s prints usage and exits 0 instead of serving', (_name, command) => {
    const [file, ...args] = command();
    for (const flag of ['--help', '-h']) {
      const run = spawnSync(file, [...args, flag], { cwd: dir, env: isolatedEnv(), encoding: 'utf8', timeout: 20000 });
      expect(run.status).toBe(0);
      expect(run.stderr).toBe('');
      expect(run.stdout).toMatch(/^Usage: pulumi-resource-cloudimages \[--logtostderr\] .*\[ENGINE_ADDRESS\]\n/);
      expect(run.stdout).toContain(`pulumi plugin install resource cloudimages ${pkg.version} --file pulumi-resource-cloudimages-v${pkg.version}.tar.gz`);
    }
  });
});
