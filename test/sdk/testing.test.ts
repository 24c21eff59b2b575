/**
 * `@cloudimages/pulumi/testing` and `/emulator`, used as the unit-test example of docs/sdk.md uses them: a program with
 * an ImageLock runs under Pulumi's mocks against the emulator, and the lock resolves as the engine would resolve it
 * (configure with the stack's configuration, check, then create; a later run checks, diffs and updates).
 */
import * as pulumi from '@pulumi/pulumi';
import { Emulator } from '../../sdk/emulator';
import { CloudImagesInvokeError, getImageOutput, ImageLock, NoImageError } from '../../sdk/index';
import { mockImageLocks, outputValue, resolveImageLock, stackConfigFor, MockedImageLock } from '../../sdk/testing';
import type * as GpuNode from './programs/gpu-node';
import type { NscaleCatalog, NscaleCatalogEntry } from '../../provider/emulator/nscale/catalog';

function value<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => output.apply(resolve));
}

let emulator: Emulator;
let program: typeof GpuNode;
let first: MockedImageLock[];

beforeAll(async () => {
  emulator = await new Emulator().start();
  const mocks = mockImageLocks();
  await pulumi.runtime.setMocks(mocks, 'gpu-project', 'dev', false);
  pulumi.runtime.setAllConfig(stackConfigFor(emulator));
  // After the mocks, as Pulumi's testing guide says (a static import would run the program first).
  program = require('./programs/gpu-node') as typeof GpuNode; // eslint-disable-line @typescript-eslint/no-require-imports
  await value(program.lock.imageId);
  first = [...mocks.locks];
});
afterAll(() => emulator?.stop());

test('under the mocks an ImageLock resolves to the image getImage chooses, with a real ID', async () => {
  const imageId = await value(program.lock.imageId);
  expect(imageId).toMatch(/^[0-9a-f-]{36}$/);
  expect(imageId).toBe(await value(program.newest.id));
  expect(await value(program.lock.drifted)).toBe(false);
  expect(first).toHaveLength(1);
  expect(first[0]).toMatchObject({ name: 'gpu-node', state: { imageId, imageStatus: 'available', pin: true } });
});

test('a later run given the earlier locks: the pin holds while a newer image appears, and drift shows', async () => {
  const catalog = emulator.catalog.nscale as NscaleCatalog;
  const entry = catalog.images.find((e) => e.image.metadata.id === first[0].state.imageId)!;
  const copy = structuredClone<NscaleCatalogEntry>(entry);
  copy.image.metadata.id = '00000000-aaaa-4bbb-8ccc-0000000000ff';
  copy.image.metadata.creationTime = '2031-01-01T00:00:00Z';
  catalog.images.push(copy);
  const warn = jest.spyOn(pulumi.log, 'warn').mockResolvedValue(undefined);
  try {
    const mocks = mockImageLocks(undefined, { previous: first });
    await pulumi.runtime.setMocks(mocks, 'gpu-project', 'dev', false);
    const lock = new ImageLock('gpu-node', { query: program.query, pin: true });
    expect(await value(lock.imageId)).toBe(first[0].state.imageId);
    expect(await value(lock.latestImageId)).toBe(copy.image.metadata.id);
    expect(await value(lock.drifted)).toBe(true);
    // Let the lock's drift warning (an apply on its outputs) go out before the next test.
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(mocks.locks[0].id).toBe(first[0].id);
  } finally {
    catalog.images.pop();
    warn.mockRestore();
  }
});

test('in a preview the lock is resolved by check alone, as the engine previews it', async () => {
  const mocks = mockImageLocks();
  await pulumi.runtime.setMocks(mocks, 'gpu-project', 'dev', true);
  const lock = new ImageLock('preview-node', { query: program.query });
  expect(await value(lock.imageId)).toBe(first[0].state.imageId);
  expect(mocks.locks[0].id).toBe('');
});

test('other resources go to the given mocks; a lock that cannot resolve fails naming the lock and the property', async () => {
  const seen: string[] = [];
  const mocks = mockImageLocks({
    newResource: (args) => {
      seen.push(args.type);
      return { id: 'x', state: args.inputs as Record<string, unknown> };
    },
    call: () => ({}),
  });
  await pulumi.runtime.setMocks(mocks, 'gpu-project', 'dev', false);
  class Thing extends pulumi.CustomResource {
    constructor(name: string) {
      super('test:index:Thing', name, { size: 1 });
    }
  }
  const other = new Thing('thing');
  await value(other.urn);
  // What the mocks do for a lock whose check fails (under mocks, a failed registration is an unhandled rejection).
  await expect(resolveImageLock('nothing', { query: { ...program.query, gpuModel: 'NoSuchGPU' } })).rejects.toThrow(
    /^ImageLock nothing: query: no image matches the query/,
  );
  expect(seen).toEqual(['test:index:Thing']);
});

test('outputValue: the value of an Output, or at once the typed error of a lookup that fails (no wait for a timeout)', async () => {
  await pulumi.runtime.setMocks(mockImageLocks(), 'gpu-project', 'dev', false);
  expect(await outputValue(program.newest.id)).toBe(await value(program.newest.id));
  const started = Date.now();
  const failure = await outputValue(getImageOutput({ ...program.query, gpuModel: 'NoSuchGPU' })).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(failure).toBeInstanceOf(CloudImagesInvokeError);
  expect((failure as CloudImagesInvokeError).cause).toBeInstanceOf(NoImageError);
  expect(Date.now() - started).toBeLessThan(5000);
});
