/**
 * ImageLock under the real engine: the dynamic provider runs in `pulumi-resource-pulumi-nodejs` (from
 * `@pulumi/pulumi`), started by the CLI, reading the stack's configuration through Configure. `up` pins; a newer
 * image appears; `preview` shows the drift as docs/imagelock-policy.md says; the next `up` keeps the pin while a following lock
 * moves; `refresh` and `destroy` work; and no credential (stack secrets, a lock's explicit `config`) reaches state.
 */
import { expect } from '@jest/globals';
import * as pulumi from '@pulumi/pulumi';
import type { Stack } from '@pulumi/pulumi/automation';
import { Emulator } from '../../provider/emulator/server';
import { lookupImage } from '../../provider/lookup';
import { UNKNOWN } from '../../provider/surface';
import { RequestSharing } from '../../provider/core/share';
import type { NscaleCatalog, NscaleCatalogEntry } from '../../provider/emulator/nscale/catalog';
import { OTHER_ORGANIZATION_ID, OTHER_SERVICE_TOKEN, REGION_IDS } from '../../provider/emulator/nscale/catalog';
import * as cloudimages from '../../sdk';
import { credentialsOf, diagnostics, emulatorConfig, events, failingOperation, inlineStack, Later, Sandbox, sandbox, stackOutputsOf, steps } from './engine';

const REGION = REGION_IDS[0];
const QUERY = { cloud: 'nscale', region: REGION, gpuModel: 'H100', mostRecent: true } as const;
const THEIR_QUERY = { cloud: 'nscale', region: REGION, visibility: 'private', mostRecent: true } as const;
const NEWER_ID = '00000000-aaaa-4bbb-8ccc-0000000000ff';
/** The part of an exported stack these tests read. */
type StackState = { deployment: { resources: { urn: string; inputs: Record<string, unknown>; outputs: Record<string, unknown> }[] } };

let emulator: Emulator;
let box: Sandbox;
let stack: Stack;
let first: { newest: string; theirs: string };

function program() {
  const other = new pulumi.Config('second-account');
  const follow = new cloudimages.ImageLock('follow', { query: QUERY, pin: false });
  const pinned = new cloudimages.ImageLock('pinned', { query: QUERY, pin: true });
  // A second account: its settings in the lock's `config`, the token a secret of the stack's configuration.
  const theirs = new cloudimages.ImageLock('theirs', {
    query: THEIR_QUERY,
    pin: true,
    config: { nscale: { endpoint: emulator.endpoint('nscale'), organizationId: OTHER_ORGANIZATION_ID, serviceToken: other.requireSecret('nscaleToken') } },
  });
  return {
    followId: follow.imageId,
    pinnedId: pinned.imageId,
    latestId: pinned.latestImageId,
    drifted: pinned.drifted,
    pinnedStatus: pinned.imageStatus,
    resolvedAt: pinned.resolvedAt,
    theirId: theirs.imageId,
  };
}

const config = () => ({ ...emulatorConfig(emulator), 'second-account:nscaleToken': { value: OTHER_SERVICE_TOKEN, secret: true } });

beforeAll(async () => {
  // The locks' credentials must come from the stack's configuration, not from this process's environment.
  for (const variable of Object.keys(new Emulator().clientEnv())) expect(process.env[variable]).toBeUndefined();
  emulator = await new Emulator({ latencyMs: 0 }).start();
  box = await sandbox('image-lock');
  stack = await inlineStack(box, 'cloudimages-lock', 'dev', () => Promise.resolve(program()));
  await stack.setAllConfig(config(), true);
  const options = { config: emulator.clientConfig(), env: {} };
  first = {
    newest: (await lookupImage(QUERY, options)).result.id,
    theirs: (
      await lookupImage(THEIR_QUERY, {
        config: { nscale: { endpoint: emulator.endpoint('nscale'), organizationId: OTHER_ORGANIZATION_ID, serviceToken: OTHER_SERVICE_TOKEN } },
        env: {},
      })
    ).result.id,
  };
});

afterAll(async () => {
  await emulator?.stop();
  box?.remove();
});

const plain = (outputs: Record<string, { value: unknown }>) => Object.fromEntries(Object.entries(outputs).map(([key, output]) => [key, output.value]));

test("up pins the query's choice; the locks' provider reads the stack's (secret) configuration", async () => {
  const result = await stack.up();
  expect(plain(result.outputs)).toEqual({
    followId: first.newest,
    pinnedId: first.newest,
    latestId: first.newest,
    drifted: false,
    pinnedStatus: 'available',
    resolvedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/),
    theirId: first.theirs,
  });
  expect(first.theirs).not.toBe(first.newest);
});

test('nothing changed, nothing to do: a second preview shows no update (resolvedAt does not move by itself)', async () => {
  const seen = events();
  const preview = await stack.preview({ onEvent: seen.onEvent });
  expect(preview.changeSummary).toEqual({ same: 4 });
});

test('a newer image appears: preview shows the drift, the pin holds, the following lock moves', async () => {
  const catalog = emulator.catalog.nscale as NscaleCatalog;
  const newest = catalog.images.find((entry) => entry.image.metadata.id === first.newest)!;
  const newer = structuredClone<NscaleCatalogEntry>(newest);
  newer.image.metadata.id = NEWER_ID;
  newer.image.metadata.creationTime = '2031-01-01T00:00:00Z';
  catalog.images.push(newer);

  const seen = events();
  const preview = await stack.preview({ onEvent: seen.onEvent, diff: true });
  const planned = steps(seen.list);
  // The engine prints the lock's changes from its old and new inputs (the dynamic-provider server returns no
  // detailed diff): the following lock `~ imageId: "old" => "new"`, the pinned one `~ drifted: false => true`.
  const follow = planned.get('follow')!;
  expect(follow.op).toBe('update');
  expect([follow.old!.inputs.imageId, follow.new!.inputs.imageId]).toEqual([first.newest, NEWER_ID]);
  expect(preview.stdout).toMatch(new RegExp(`~ imageId\\s*: "${first.newest}" => "${NEWER_ID}"`));
  const pinned = planned.get('pinned')!;
  expect(pinned.op).toBe('update');
  expect(pinned.old!.inputs).toMatchObject({ imageId: first.newest, latestImageId: first.newest, drifted: false });
  expect(pinned.new!.inputs).toMatchObject({ imageId: first.newest, latestImageId: NEWER_ID, drifted: true });
  expect(preview.stdout).toMatch(/~ drifted\s*: false => true/);
  expect(preview.stdout.match(/~ imageId\s*:/g)).toHaveLength(1);
  expect(planned.get('theirs')!.op).toBe('same');
  expect(stackOutputsOf(seen.list)).toMatchObject({ pinnedId: first.newest, latestId: NEWER_ID, drifted: true, followId: NEWER_ID });
  // The warning names both IDs.
  expect(diagnostics(seen.list, 'warning').join('\n')).toMatch(new RegExp(`image ${first.newest} is pinned, but the query now selects ${NEWER_ID}`));

  const result = await stack.up();
  expect(plain(result.outputs)).toMatchObject({ pinnedId: first.newest, latestId: NEWER_ID, drifted: true, followId: NEWER_ID, theirId: first.theirs });
  expect(result.summary.resourceChanges).toEqual({ same: 2, update: 2 });
});

test("refresh re-reads the catalog with the stack's configuration; a pinned image that is gone is kept and reported missing", async () => {
  const catalog = emulator.catalog.nscale as NscaleCatalog;
  const index = catalog.images.findIndex((entry) => entry.image.metadata.id === first.newest);
  const [removed] = catalog.images.splice(index, 1);
  try {
    const seen = events();
    await stack.refresh({ onEvent: seen.onEvent });
    const state = (await stack.exportStack()) as StackState;
    const lock = (name: string) => state.deployment.resources.find((r) => r.urn.endsWith(`::${name}`))!;
    expect(lock('pinned').outputs).toMatchObject({ imageId: first.newest, imageStatus: 'missing', latestImageId: NEWER_ID, drifted: true });
    expect(lock('follow').outputs).toMatchObject({ imageId: NEWER_ID, imageStatus: 'available', drifted: false });
    // The lock of the second account is kept as recorded: refresh has only the stack's account, which cannot see
    // that account's private image (it used to record it as missing).
    expect(lock('theirs').outputs).toMatchObject({ imageId: first.theirs, imageStatus: 'available', drifted: false });
    // The dynamic-provider process has no engine connection for logs: its warnings reach the engine on stderr.
    const messages = diagnostics(seen.list, 'info#err').join('\n');
    expect(messages).toMatch(new RegExp(`warning: .*ImageLock: pinned image ${first.newest} no longer exists`));
    expect(messages).toMatch(new RegExp(`image ${first.theirs} was resolved with the lock's own config, which refresh cannot use`));
  } finally {
    catalog.images.splice(index, 0, removed);
  }
});

test("neither state nor `pulumi stack export` holds a credential: stack secrets and the lock's explicit config", async () => {
  const credentials = credentialsOf(config());
  expect(credentials).toContain(OTHER_SERVICE_TOKEN);
  const { stdout } = await box.cli(['stack', 'export', '--stack', 'dev'], { cwd: stack.workspace.workDir });
  expect(stdout).toContain(first.theirs);
  for (const text of [stdout, box.stateText()]) {
    for (const credential of credentials) expect(text).not.toContain(credential);
  }
  // The lock records no configuration at all, not even encrypted.
  const state = JSON.parse(stdout) as StackState;
  const theirs = state.deployment.resources.find((r) => r.urn.endsWith('::theirs'))!;
  expect(Object.keys(theirs.inputs)).not.toContain('config');
  expect(Object.keys(theirs.outputs)).not.toContain('config');
});

test("a bad field in a lock's own config fails on config.<cloud>.<field>, and the engine's message shows no credential", async () => {
  const bad = await inlineStack(box, 'cloudimages-lock-bad-config', 'dev', () =>
    Promise.resolve({
      imageId: new cloudimages.ImageLock('bad', {
        query: QUERY,
        config: { nscale: { serviceToken: new pulumi.Config('second-account').requireSecret('nscaleToken'), token: 'misspelt' } as never },
      }).imageId,
    }),
  );
  await bad.setAllConfig(config(), true);
  const { error } = await failingOperation(() => bad.preview());
  expect(error?.message).toMatch(/property config\.nscale\.token .*has a problem: .*unknown field/);
  for (const credential of credentialsOf(config())) expect(error?.message).not.toContain(credential);
});

test('destroy removes the locks', async () => {
  const result = await stack.destroy();
  expect(result.summary.resourceChanges).toEqual({ delete: 4 });
  const state = (await stack.exportStack()) as { deployment: { resources?: unknown[] } };
  expect(state.deployment.resources ?? []).toEqual([]);
});

test("without the stack's credentials a lock fails on `query`, naming the config key and the variable", async () => {
  const bare = await inlineStack(box, 'cloudimages-lock-bare', 'dev', () =>
    Promise.resolve({ imageId: new cloudimages.ImageLock('bare', { query: QUERY }).imageId }),
  );
  await bare.setConfig('cloudimages:nscale.endpoint', { value: emulator.endpoint('nscale') }, true);
  const { error } = await failingOperation(() => bare.preview());
  expect(error?.message).toMatch(
    /property query .* has a problem: nscale: no service token; set config cloudimages:nscale\.serviceToken or environment variable NSCALE_SERVICE_TOKEN/,
  );
});

test('a query that is not known until another resource exists: preview leaves the lock unknown, up resolves it', async () => {
  const later = await inlineStack(box, 'cloudimages-lock-later', 'dev', () => {
    const region = new Later('region', REGION_IDS[0]);
    return Promise.resolve({ imageId: new cloudimages.ImageLock('later', { query: { ...QUERY, region: region.value }, pin: true }).imageId });
  });
  await later.setAllConfig(emulatorConfig(emulator), true);
  const seen = events();
  await later.preview({ onEvent: seen.onEvent });
  expect(steps(seen.list).get('later')).toMatchObject({ op: 'create' });
  expect(stackOutputsOf(seen.list)).toEqual({ imageId: UNKNOWN });
  expect(diagnostics(seen.list, 'error')).toEqual([]);
  const result = await later.up();
  // A fresh sharing: this process already fetched the catalog before the newer image appeared.
  expect(result.outputs.imageId.value).toBe((await lookupImage(QUERY, { config: emulator.clientConfig(), env: {}, sharing: new RequestSharing() })).result.id);
});
