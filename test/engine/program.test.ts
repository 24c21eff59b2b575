/**
 * A TypeScript program under the real engine (an Automation API inline program: the program runs in this process,
 * `pulumi preview`/`up` is the CLI under test): getImage/getImages and their Output forms on every cloud against the
 * emulator, with the credentials in the stack's configuration as secrets, set the way docs/sdk.md says
 * (`pulumi config set --secret --path cloudimages:<cloud>.<field>`), and a second account passed as `opts.config`
 * from a secret of another namespace.
 */
import * as pulumi from '@pulumi/pulumi';
import type { Stack } from '@pulumi/pulumi/automation';
import { Emulator } from '../../provider/emulator/server';
import { lookupImage, lookupImages } from '../../provider/lookup';
import { OTHER_ORGANIZATION_ID, OTHER_SERVICE_TOKEN, REGION_IDS } from '../../provider/emulator/nscale/catalog';
import * as cloudimages from '../../sdk';
import { UNKNOWN } from '../../provider/surface';
import { credentialsOf, diagnostics, emulatorConfig, events, failingOperation, inlineStack, Later, Sandbox, sandbox, stackOutputsOf } from './engine';

const REGION = REGION_IDS[0];

const QUERIES = {
  alicloud: { cloud: 'alicloud', region: 'cn-hangzhou', osDistro: 'ubuntu', architecture: 'x86_64', mostRecent: true },
  huaweicloud: { cloud: 'huaweicloud', region: 'cn-north-4', visibility: 'public', osDistro: 'ubuntu', architecture: 'x86_64', mostRecent: true },
  opentelekomcloud: { cloud: 'opentelekomcloud', region: 'eu-de', visibility: 'public', osDistro: 'ubuntu', architecture: 'x86_64', mostRecent: true },
  ucloud: { cloud: 'ucloud', region: 'cn-bj2', zone: 'cn-bj2-02', machineType: 'vm', gpu: true, mostRecent: true },
  nscale: { cloud: 'nscale', region: REGION, gpuModel: 'H100', mostRecent: true },
} as const;
const WINDOWS = { cloud: 'alicloud', region: 'cn-hangzhou', osType: 'windows' } as const;
const THEIRS = { cloud: 'nscale', region: REGION, visibility: 'private' } as const;

let emulator: Emulator;
let box: Sandbox;
let stack: Stack;

function program() {
  const other = new pulumi.Config('second-account');
  const later = new Later('region-later', REGION);
  return async () => ({
    // Plain forms, awaited, on every cloud.
    ...Object.fromEntries(
      await Promise.all(
        Object.entries(QUERIES).map(async ([cloud, query]): Promise<[string, string]> => [`${cloud}Id`, (await cloudimages.getImage(query)).id]),
      ),
    ),
    windowsIds: (await cloudimages.getImages(WINDOWS)).ids,
    // Output forms: a known Output argument, an argument that is unknown until a resource exists, and a second
    // account's settings with its token a secret of the stack's configuration.
    gpuId: cloudimages.getImageOutput({ ...QUERIES.nscale, region: pulumi.output(REGION) }).id,
    laterGpuId: cloudimages.getImageOutput({ ...QUERIES.nscale, region: later.value }).id,
    windowsNewest: cloudimages.getImagesOutput(WINDOWS).ids[0],
    theirIds: cloudimages.getImagesOutput(THEIRS, {
      config: { nscale: { endpoint: emulator.endpoint('nscale'), organizationId: OTHER_ORGANIZATION_ID, serviceToken: other.requireSecret('nscaleToken') } },
    }).ids,
  });
}

beforeAll(async () => {
  emulator = await new Emulator({ latencyMs: 0 }).start();
  box = await sandbox('program');
  stack = await inlineStack(box, 'cloudimages-program', 'dev', async () => program()());
  await stack.setAllConfig({ ...emulatorConfig(emulator), 'second-account:nscaleToken': { value: OTHER_SERVICE_TOKEN, secret: true } }, true);
});

afterAll(async () => {
  await emulator?.stop();
  box?.remove();
});

async function expected() {
  const options = { config: emulator.clientConfig(), env: {} };
  const ids: Record<string, string> = {};
  for (const [cloud, query] of Object.entries(QUERIES)) ids[`${cloud}Id`] = (await lookupImage(query, options)).result.id;
  const windows = (await lookupImages(WINDOWS, options)).result.ids;
  const theirs = (
    await lookupImages(THEIRS, {
      config: { nscale: { endpoint: emulator.endpoint('nscale'), organizationId: OTHER_ORGANIZATION_ID, serviceToken: OTHER_SERVICE_TOKEN } },
      env: {},
    })
  ).result.ids;
  return { ...ids, windowsIds: windows, gpuId: ids.nscaleId, laterGpuId: ids.nscaleId, windowsNewest: windows[0], theirIds: theirs };
}

test('preview: lookups with known arguments run and show their images; one whose argument is not known yet stays unknown', async () => {
  const seen = events();
  await stack.preview({ onEvent: seen.onEvent });
  const outputs = stackOutputsOf(seen.list);
  const want = await expected();
  expect(outputs).toEqual({ ...want, laterGpuId: UNKNOWN });
  expect(diagnostics(seen.list, 'error')).toEqual([]);
});

test('up: every lookup gives the expected image IDs, with the credentials read from secret stack configuration', async () => {
  const want = await expected();
  const result = await stack.up();
  const outputs = Object.fromEntries(Object.entries(result.outputs).map(([key, output]) => [key, output.value]));
  expect(outputs).toEqual(want);
  // The other account sees other images than ours.
  expect(want.theirIds.length).toBeGreaterThan(0);
  const ours = (await lookupImages(THEIRS, { config: emulator.clientConfig(), env: {} })).result.ids;
  expect(want.theirIds).not.toEqual(ours);
  expect(result.summary.result).toBe('succeeded');
});

test('the stack configuration keeps every credential encrypted; neither state nor `pulumi stack export` holds one in plain text', async () => {
  const config = { ...emulatorConfig(emulator), other: { value: OTHER_SERVICE_TOKEN, secret: true } };
  const credentials = credentialsOf(config);
  expect(credentials.length).toBeGreaterThan(8);
  const settings = await stack.workspace.stackSettings('dev');
  expect(JSON.stringify(settings)).not.toContain(OTHER_SERVICE_TOKEN);
  // (The Automation API's exportStack shows secrets, as `pulumi stack export --show-secrets` does: not that one.)
  const { stdout } = await box.cli(['stack', 'export', '--stack', 'dev'], { cwd: stack.workspace.workDir });
  for (const text of [stdout, box.stateText()]) {
    for (const credential of credentials) expect(text).not.toContain(credential);
  }
});

test('a bad argument fails the update promptly with the typed error naming the argument', async () => {
  const bad = await inlineStack(box, 'cloudimages-bad', 'dev', () =>
    Promise.resolve({ id: cloudimages.getImageOutput({ cloud: 'nscale', region: REGION, architecture: 'sparc' as never }).id }),
  );
  await bad.setAllConfig(emulatorConfig(emulator), true);
  emulator.resetCounts();
  const started = Date.now();
  const { error, rejections } = await failingOperation(() => bad.up());
  expect(Date.now() - started).toBeLessThan(60000);
  expect(error?.message).toMatch(/error: cloudimages:index:getImage: invalid argument "architecture": "sparc" is not accepted; accepted values are x86_64/);
  // What the program left behind is that one typed error, nothing else.
  for (const reason of rejections) expect(reason).toMatchObject({ name: 'CloudImagesInvokeError', code: 'INVALID_ARGUMENT', argument: 'architecture' });
  expect(emulator.count()).toBe(0);
});
