/**
 * ImageLock's provider, driven the way the engine drives it: serialized with pulumi.runtime.serializeFunction,
 * sent as `__provider` to @pulumi/pulumi's dynamic-provider server running as a child process, and called over
 * gRPC (Check, Create, Diff, Update, Read) against the emulator, with a newer image published between steps.
 *
 * The serialized shim loads the compiled provider from dist/: `npm test` builds first; when dist/ lacks it, the
 * suite builds it (a stale dist/ is used as it is: rebuild after changing the provider).
 */
import { expect } from '@jest/globals';
import * as fs from 'fs';
import * as path from 'path';
import * as pulumi from '@pulumi/pulumi';
import { Emulator } from '../../provider/emulator/server';
import type { NscaleCatalog, NscaleCatalogEntry } from '../../provider/emulator/nscale/catalog';
import { REGION_IDS, SERVICE_TOKEN } from '../../provider/emulator/nscale/catalog';
import { imageLockProvider, makeShim, packageRoot, PROVIDER_MODULE } from '../../sdk/image-lock';
import { DIFF, DynamicProviderProcess, Props } from './dynamic-provider-harness';
import { ensureBuilt } from '../examples/harness';

const ROOT = path.resolve(__dirname, '..', '..');
const URN = 'urn:pulumi:dev::locks::pulumi-nodejs:dynamic/cloudimages:ImageLock::gpu-node';
const UNKNOWN = '04da6b54-80e4-46f7-96ec-b56ff0331ba9';

let emulator: Emulator;
let server: DynamicProviderProcess;
let serialized: string;

/** The query every step uses: a GPU Kubernetes node image on nscale, newest wins. */
function query(extra: Props = {}): Props {
  return {
    cloud: 'nscale',
    region: REGION_IDS[0],
    endpoint: emulator.endpoint('nscale'),
    gpu: true,
    gpuVendor: 'NVIDIA',
    osDistro: 'ubuntu',
    mostRecent: true,
    ...extra,
  };
}

function nscale(): NscaleCatalog {
  return emulator.catalog.nscale as NscaleCatalog;
}

let published = 0;
/** Publishes a copy of image `id` under a new ID, created after everything else in the catalog. */
function publishNewerThan(id: string): string {
  const entry = nscale().images.find((e) => e.image.metadata.id === id)!;
  const copy = structuredClone<NscaleCatalogEntry>(entry);
  published++;
  copy.image.metadata.id = `0000000${published}-aaaa-4bbb-8ccc-00000000000${published}`;
  copy.image.metadata.name = `${entry.image.metadata.name}-rebuild${published}`;
  copy.image.metadata.creationTime = `2030-01-0${published}T00:00:00Z`;
  nscale().images.push(copy);
  return copy.image.metadata.id;
}

function removeImage(id: string): void {
  const images = nscale().images;
  images.splice(
    images.findIndex((e) => e.image.metadata.id === id),
    1,
  );
}

/** The program's inputs for one registration, as the engine forwards them to Check. */
function programInputs(q: Props, pin: boolean): Props {
  return { query: q, pin, __provider: serialized };
}

beforeAll(async () => {
  ensureBuilt();
  emulator = await new Emulator().start();
  const provider = imageLockProvider();
  serialized = (await pulumi.runtime.serializeFunction(() => provider, { allowSecrets: false })).text;
  server = await new DynamicProviderProcess().start(emulator.clientEnv(['nscale']));
});

afterAll(async () => {
  await server?.stop();
  await emulator?.stop();
});

describe('the serialized provider', () => {
  test('is a thin shim: stable text, the package root as a string, no credentials, no version', async () => {
    const again = (await pulumi.runtime.serializeFunction(() => makeShim(packageRoot(), PROVIDER_MODULE), { allowSecrets: false })).text;
    const provider = imageLockProvider();
    const twice = (await pulumi.runtime.serializeFunction(() => provider, { allowSecrets: false })).text;
    expect(twice).toBe(serialized);
    expect(serialized).toContain(`root: ${JSON.stringify(ROOT)}`);
    expect(serialized).toContain(`moduleFile: ${JSON.stringify(PROVIDER_MODULE)}`);
    expect(serialized).not.toContain(SERVICE_TOKEN);
    const version = (JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
    expect(serialized).not.toContain(version);
    // Only the shim travels: none of the provider's own code, clients or sockets.
    expect(serialized).not.toMatch(/lookupImage|RequestSharing|HttpClient|got/);
    expect(serialized.length).toBeLessThan(4000);
    expect(again).toContain('load().check(olds, news)');
  });
});

describe('pin: false follows the query', () => {
  test('Check puts the resolved ID in the inputs; a newer image shows as an imageId change and updates', async () => {
    const q = query({ gpuModel: 'H100', softwareVersions: { kubernetes: '>=1.29.0 <1.31.0' } });
    const first = await server.check(URN, {}, programInputs(q, false));
    expect(first.failures).toEqual([]);
    const oldId = first.inputs.imageId as string;
    expect(oldId).toMatch(/^[0-9a-f-]{36}$/);
    expect(first.inputs).toMatchObject({ latestImageId: oldId, drifted: false, imageStatus: 'available', pin: false });
    expect((first.inputs.image as Props).id).toBe(oldId);
    expect(first.inputs.__provider).toBe(serialized);

    const created = await server.create(URN, first.inputs);
    expect(created.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(created.properties).toMatchObject({ imageId: oldId, latestImageId: oldId, drifted: false, resolvedAt: first.inputs.resolvedAt });
    expect(JSON.stringify(created.properties)).not.toContain(SERVICE_TOKEN);

    // Nothing changed: same inputs (resolvedAt included), no diff.
    const same = await server.check(URN, first.inputs, programInputs(q, false));
    expect(same.inputs).toEqual(first.inputs);
    expect((await server.diff(URN, created.id, created.properties, same.inputs)).changes).toBe(DIFF.NONE);

    const newId = publishNewerThan(oldId);
    const second = await server.check(URN, first.inputs, programInputs(q, false));
    // What `pulumi preview` prints comes from these inputs: ~ imageId: "old" => "new".
    expect(second.inputs.imageId).toBe(newId);
    expect(second.inputs).toMatchObject({ latestImageId: newId, drifted: false });
    expect(second.inputs.resolvedAt).not.toBe(first.inputs.resolvedAt);
    const diff = await server.diff(URN, created.id, created.properties, second.inputs);
    expect(diff).toEqual({ changes: DIFF.SOME, replaces: [] });

    const updated = await server.update(URN, created.id, created.properties, second.inputs);
    expect(updated).toMatchObject({ imageId: newId, latestImageId: newId, drifted: false });
    expect((updated.image as Props).name).toMatch(/-rebuild\d$/);

    // Refresh: nothing moved since; the record is unchanged, resolvedAt included.
    const refreshed = await server.read(URN, created.id, updated, second.inputs);
    expect(refreshed.id).toBe(created.id);
    expect(refreshed.properties).toEqual(updated);
  });
});

describe('pin: true keeps the image and reports drift', () => {
  test('a newer image changes latestImageId and drifted, never imageId; refresh warns with both IDs', async () => {
    const q = query({ gpuModel: 'A100', architecture: 'x86_64' });
    const first = await server.check(URN, {}, programInputs(q, true));
    expect(first.failures).toEqual([]);
    const pinned = first.inputs.imageId as string;
    const created = await server.create(URN, first.inputs);
    expect(created.properties).toMatchObject({ imageId: pinned, latestImageId: pinned, drifted: false, pin: true });

    const newer = publishNewerThan(pinned);
    const second = await server.check(URN, first.inputs, programInputs(q, true));
    expect(second.inputs).toMatchObject({ imageId: pinned, latestImageId: newer, drifted: true, imageStatus: 'available' });
    expect((second.inputs.image as Props).id).toBe(pinned);
    expect(await server.diff(URN, created.id, created.properties, second.inputs)).toEqual({ changes: DIFF.SOME, replaces: [] });
    const updated = await server.update(URN, created.id, created.properties, second.inputs);
    expect(updated).toMatchObject({ imageId: pinned, latestImageId: newer, drifted: true });

    // Refresh re-resolves latestImageId and says so, naming both IDs.
    const before = server.stderr.length;
    const newest = publishNewerThan(pinned);
    const refreshed = await server.read(URN, created.id, updated, second.inputs);
    expect(refreshed.properties).toMatchObject({ imageId: pinned, latestImageId: newest, drifted: true, imageStatus: 'available' });
    const warning = server.stderr.slice(before);
    expect(warning).toContain(`image ${pinned} is pinned`);
    expect(warning).toContain(`now selects ${newest}`);

    // The pinned image disappears: refresh reports it and keeps it, and so does the next check.
    removeImage(pinned);
    const afterRemoval = server.stderr.length;
    const gone = await server.read(URN, created.id, refreshed.properties, second.inputs);
    expect(gone.id).toBe(created.id);
    expect(gone.properties).toMatchObject({ imageId: pinned, imageStatus: 'missing', latestImageId: newest, drifted: true });
    expect((gone.properties.image as Props).id).toBe(pinned);
    expect(server.stderr.slice(afterRemoval)).toMatch(
      new RegExp(`pinned image ${pinned} no longer exists in nscale region ${REGION_IDS[0]}.*not replaced silently`),
    );
    const third = await server.check(URN, second.inputs, programInputs(q, true));
    expect(third.failures).toEqual([]);
    expect(third.inputs).toMatchObject({ imageId: pinned, imageStatus: 'missing', latestImageId: newest, drifted: true });

    // Unpinning moves the lock to the query's choice.
    const unpinned = await server.check(URN, third.inputs, programInputs(q, false));
    expect(unpinned.inputs).toMatchObject({ imageId: newest, latestImageId: newest, drifted: false, imageStatus: 'available', pin: false });
    expect((await server.diff(URN, created.id, gone.properties, unpinned.inputs)).changes).toBe(DIFF.SOME);
  });

  test("changing the query moves a pin to the new query's choice; a pinned image that is no longer available is reported", async () => {
    const q = query({ gpuModel: 'H200' });
    const first = await server.check(URN, {}, programInputs(q, true));
    const pinned = first.inputs.imageId as string;
    const created = await server.create(URN, first.inputs);

    // The pinned image fails in the catalog (status failed → not available): kept, reported, not replaced.
    const entry = nscale().images.find((e) => e.image.metadata.id === pinned)!;
    entry.image.status.state = 'failed';
    const refreshed = await server.read(URN, created.id, created.properties, first.inputs);
    expect(refreshed.properties).toMatchObject({ imageId: pinned, imageStatus: 'failed', drifted: true });
    expect(refreshed.properties.latestImageId).not.toBe(pinned);
    expect(server.stderr).toContain(`pinned image ${pinned} is failed`);

    const changed = query({ gpuModel: 'H200', architecture: 'arm64' });
    const moved = await server.check(URN, first.inputs, programInputs(changed, true));
    expect(moved.failures).toEqual([]);
    expect(moved.inputs.imageId).not.toBe(pinned);
    expect(moved.inputs).toMatchObject({ drifted: false, imageStatus: 'available' });
    expect((moved.inputs.image as Props).architecture).toBe('arm64');
    expect(await server.diff(URN, created.id, created.properties, moved.inputs)).toEqual({ changes: DIFF.SOME, replaces: [] });
  });
});

describe('check', () => {
  test('a bad query fails with the argument named, before any request', async () => {
    const requests = emulator.count();
    const result = await server.check(URN, {}, programInputs(query({ architecture: 'sparc' }), false));
    expect(result.failures).toEqual([{ property: 'query.architecture', reason: expect.stringContaining('accepted values are x86_64, arm64, i386') }]);
    expect(emulator.count()).toBe(requests);
  });

  test('a query that matches nothing fails on the query, with the query repeated', async () => {
    const result = await server.check(URN, {}, programInputs(query({ gpuModel: 'NoSuchGPU' }), false));
    expect(result.failures).toHaveLength(1);
    expect(result.failures[0].property).toBe('query');
    expect(result.failures[0].reason).toMatch(/no image matches the query \(.*gpuModel=NoSuchGPU/);
  });

  test('credentials come from the provider process environment only: without them the failure names the variable', async () => {
    const bare = await new DynamicProviderProcess().start({ NSCALE_SERVICE_TOKEN: '', NSCALE_ORGANIZATION_ID: '' });
    try {
      const result = await bare.check(URN, {}, programInputs(query({ gpuModel: 'H100' }), false));
      expect(result.failures).toEqual([{ property: 'query', reason: expect.stringContaining('NSCALE_SERVICE_TOKEN') }]);
    } finally {
      await bare.stop();
    }
  });

  test('a query not known yet (preview) leaves the resolution unknown and makes no request', async () => {
    const requests = emulator.count();
    const result = await server.check(URN, {}, programInputs(query({ region: UNKNOWN }), false));
    expect(result.failures).toEqual([]);
    expect(result.inputs).toMatchObject({ imageId: UNKNOWN, latestImageId: UNKNOWN, drifted: UNKNOWN, resolvedAt: UNKNOWN });
    expect(emulator.count()).toBe(requests);
  });
});
