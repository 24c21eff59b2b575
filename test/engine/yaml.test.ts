/**
 * The provider plugin and schema.json under the real engine: a Pulumi YAML program (pulumi-language-yaml) calls
 * `cloudimages:index:getImage`/`getImages` through `pulumi-resource-cloudimages`, found the two ways users install
 * it (a `plugins.providers` path in Pulumi.yaml, and `pulumi plugin install resource cloudimages <version> --file`),
 * with the default provider configured from the stack's secret configuration and an explicit
 * `pulumi:providers:cloudimages` resource for a second account.
 */
import { expect } from '@jest/globals';
import * as fs from 'fs';
import * as path from 'path';
import { LocalWorkspace, Stack } from '@pulumi/pulumi/automation';
import { Emulator } from '../../provider/emulator/server';
import { lookupImage, lookupImages } from '../../provider/lookup';
import { OTHER_ORGANIZATION_ID, OTHER_SERVICE_TOKEN, REGION_IDS } from '../../provider/emulator/nscale/catalog';
import { credentialsOf, emulatorConfig, events, ROOT, Sandbox, sandbox } from './engine';

const REGION = REGION_IDS[0];
const VERSION = (JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;

let emulator: Emulator;
let box: Sandbox;

function program(project: string, pluginsPath?: string): string {
  return [
    `name: ${project}`,
    'runtime: yaml',
    ...(pluginsPath ? ['plugins:', '  providers:', '    - name: cloudimages', `      path: ${pluginsPath}`] : []),
    'config:',
    '  otherToken:',
    '    type: string',
    '    secret: true',
    'resources:',
    '  second-account:',
    '    type: pulumi:providers:cloudimages',
    '    properties:',
    '      nscale:',
    `        endpoint: ${emulator.endpoint('nscale')}`,
    `        organizationId: ${OTHER_ORGANIZATION_ID}`,
    '        serviceToken: ${otherToken}',
    'variables:',
    '  gpuImage:',
    '    fn::invoke:',
    '      function: cloudimages:index:getImage',
    `      arguments: { cloud: nscale, region: "${REGION}", gpuModel: H100, mostRecent: true }`,
    '  windows:',
    '    fn::invoke:',
    '      function: cloudimages:index:getImages',
    '      arguments: { cloud: alicloud, region: cn-hangzhou, osType: windows }',
    '  theirImages:',
    '    fn::invoke:',
    '      function: cloudimages:index:getImages',
    `      arguments: { cloud: nscale, region: "${REGION}", visibility: private }`,
    '      options:',
    '        provider: ${second-account}',
    'outputs:',
    '  imageId: ${gpuImage.id}',
    '  imageName: ${gpuImage.name}',
    '  windowsIds: ${windows.ids}',
    '  theirIds: ${theirImages.ids}',
    '',
  ].join('\n');
}

async function yamlStack(project: string, pluginsPath?: string): Promise<Stack> {
  const workDir = path.join(box.dir, project);
  fs.mkdirSync(workDir, { recursive: true });
  fs.writeFileSync(path.join(workDir, 'Pulumi.yaml'), program(project, pluginsPath));
  const stack = await LocalWorkspace.createOrSelectStack({ stackName: 'dev', workDir }, { pulumiCommand: box.command, envVars: box.env });
  await stack.setAllConfig({ ...emulatorConfig(emulator), [`${project}:otherToken`]: { value: OTHER_SERVICE_TOKEN, secret: true } }, true);
  return stack;
}

async function expected() {
  const options = { config: emulator.clientConfig(), env: {} };
  const image = (await lookupImage({ cloud: 'nscale', region: REGION, gpuModel: 'H100', mostRecent: true }, options)).result;
  const theirs = {
    config: { nscale: { endpoint: emulator.endpoint('nscale'), organizationId: OTHER_ORGANIZATION_ID, serviceToken: OTHER_SERVICE_TOKEN } },
    env: {},
  };
  return {
    imageId: image.id,
    imageName: image.name,
    windowsIds: (await lookupImages({ cloud: 'alicloud', region: 'cn-hangzhou', osType: 'windows' }, options)).result.ids,
    theirIds: (await lookupImages({ cloud: 'nscale', region: REGION, visibility: 'private' }, theirs)).result.ids,
  };
}

const plain = (outputs: Record<string, { value: unknown }>) => Object.fromEntries(Object.entries(outputs).map(([key, output]) => [key, output.value]));

beforeAll(async () => {
  emulator = await new Emulator({ latencyMs: 0 }).start();
  box = await sandbox('yaml');
});

afterAll(async () => {
  await emulator?.stop();
  box?.remove();
});

test("plugins.providers path: preview and up call the plugin with the stack's configuration and a second account's provider", async () => {
  const stack = await yamlStack('cloudimages-yaml-path', path.join(ROOT, 'bin'));
  const want = await expected();
  const seen = events();
  await stack.preview({ onEvent: seen.onEvent });
  const result = await stack.up();
  expect(plain(result.outputs)).toEqual(want);
  expect(want.theirIds).not.toEqual(
    (await lookupImages({ cloud: 'nscale', region: REGION, visibility: 'private' }, { config: emulator.clientConfig(), env: {} })).result.ids,
  );
  const { stdout } = await box.cli(['stack', 'export', '--stack', 'dev'], { cwd: stack.workspace.workDir });
  const state = JSON.parse(stdout) as { deployment: { resources: { type: string }[] } };
  expect(state.deployment.resources.map((r) => r.type)).toEqual(expect.arrayContaining(['pulumi:providers:cloudimages']));
  for (const text of [stdout, box.stateText()]) {
    for (const credential of credentialsOf({ ...emulatorConfig(emulator), other: { value: OTHER_SERVICE_TOKEN, secret: true } }))
      expect(text).not.toContain(credential);
  }
});

/** The self-contained plugin archive `npm run build:plugin` makes (test:engine builds it), as docs/plugin.md installs it. */
const ARTIFACT = path.join(ROOT, 'dist', 'plugin-artifact', `pulumi-resource-cloudimages-v${VERSION}.tar.gz`);

test('pulumi plugin install resource cloudimages <version> --file: the installed plugin serves the same program', async () => {
  await box.cli(['plugin', 'install', 'resource', 'cloudimages', VERSION, '--file', ARTIFACT]);
  const { stdout } = await box.cli(['plugin', 'ls']);
  expect(stdout).toMatch(new RegExp(`cloudimages\\s+resource\\s+${VERSION.replace(/\./g, '\\.')}`));
  const stack = await yamlStack('cloudimages-yaml-installed');
  const result = await stack.up();
  expect(plain(result.outputs)).toEqual(await expected());
});

test('pulumi package get-schema of the plugin executable prints schema.json', async () => {
  const { stdout } = await box.cli(['package', 'get-schema', path.join(ROOT, 'bin', 'pulumi-resource-cloudimages')]);
  expect(JSON.parse(stdout)).toEqual(JSON.parse(fs.readFileSync(path.join(ROOT, 'schema.json'), 'utf8')));
});
