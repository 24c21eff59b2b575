/**
 * `@cloudimages/pulumi/testing`: unit-test programs that use cloudimages under Pulumi's mocks.
 *
 * `getImage`/`getImages` run in the program's process, so under `pulumi.runtime.setMocks` they need nothing but a
 * catalog to ask (the emulator, `@cloudimages/pulumi/emulator`). An `ImageLock` is a dynamic resource: the engine,
 * not the program, resolves it, so under plain mocks its outputs are undefined. `mockImageLocks` plays the engine's
 * part: it hands the stack's configuration to the lock's provider (`configure`), then runs `check` and `create` (or,
 * given an earlier run, `check`, `diff` and `update`); during a preview it stops after `check`, as the engine does.
 *
 * ```ts
 * import * as pulumi from "@pulumi/pulumi";
 * import { Emulator } from "@cloudimages/pulumi/emulator";
 * import { mockImageLocks, stackConfigFor } from "@cloudimages/pulumi/testing";
 *
 * const emulator = await new Emulator().start();
 * const mocks = mockImageLocks();                        // other resources: { id: `${name}_id`, state: inputs }
 * await pulumi.runtime.setMocks(mocks, "project", "dev", false);
 * pulumi.runtime.setAllConfig(stackConfigFor(emulator), Object.keys(stackConfigFor(emulator)));
 * const program = await import("./index");              // after the mocks, as Pulumi's guide says
 * ```
 */
import * as pulumi from '@pulumi/pulumi';
import { IMAGE_LOCK_TYPE } from './image-lock';
import * as lockProvider from './image-lock-provider';

/** One ImageLock as the engine would have recorded it. */
export interface MockedImageLock {
  name: string;
  id: string;
  /** The inputs after the provider's `check` (what the engine stores as the lock's inputs). */
  inputs: Record<string, unknown>;
  /** The outputs (`imageId`, `image`, `imageStatus`, `latestImageId`, `drifted`, `resolvedAt`, …). */
  state: Record<string, unknown>;
}

export interface ImageLockMocksOptions {
  /**
   * The locks of an earlier run, by name (e.g. `mocks.locks` of that run): each lock is then checked against them,
   * diffed and updated, as a later `pulumi up` would. Use it to test drift and pinning.
   */
  previous?: Record<string, MockedImageLock> | MockedImageLock[];
  /**
   * The stack configuration the engine hands to the lock's provider. Default: the program's own configuration at
   * the time (what `pulumi.runtime.setAllConfig` set), as the engine would send it.
   */
  config?: Record<string, string>;
}

export type ImageLockMocks = pulumi.runtime.Mocks & {
  /** Every ImageLock resolved so far, in registration order. */
  readonly locks: MockedImageLock[];
};

/** The mocks most Pulumi unit tests use: resources echo their inputs, with the ID `<name>_id`. */
const echo: pulumi.runtime.Mocks = {
  newResource: (args) => ({ id: `${args.name}_id`, state: args.inputs as Record<string, unknown> }),
  call: (args) => {
    throw new Error(`no mock for the function ${args.token} (cloudimages' functions run in the program's process and make no call)`);
  },
};

/**
 * Mocks that resolve every `ImageLock` as the engine would, and pass every other resource and call to `mocks`.
 */
export function mockImageLocks(mocks: pulumi.runtime.Mocks = echo, options: ImageLockMocksOptions = {}): ImageLockMocks {
  const previous = Array.isArray(options.previous) ? Object.fromEntries(options.previous.map((lock) => [lock.name, lock])) : (options.previous ?? {});
  const locks: MockedImageLock[] = [];
  return {
    ...mocks,
    locks,
    call: (args) => mocks.call(args),
    newResource: async (args) => {
      if (args.type !== IMAGE_LOCK_TYPE) return mocks.newResource(args);
      const lock = await resolveImageLock(args.name, args.inputs as Record<string, unknown>, previous[args.name], options.config);
      locks.push(lock);
      return { id: lock.id, state: lock.state };
    },
  };
}

/**
 * What the engine does for one ImageLock: configure the provider with the stack's configuration, check the inputs
 * against the prior ones, then create, or diff and update (nothing when the diff is empty); during a preview the
 * outputs are the checked inputs. A check failure throws, naming the lock and the property.
 */
export async function resolveImageLock(
  name: string,
  inputs: Record<string, unknown>,
  prior?: MockedImageLock,
  config?: Record<string, string>,
): Promise<MockedImageLock> {
  const stack = config ?? pulumi.runtime.allConfig();
  await lockProvider.configure({ config: { get: (key: string) => stack[key] } });
  const checked = await lockProvider.check(prior?.inputs ?? {}, inputs);
  if (checked.failures.length) {
    throw new Error(`ImageLock ${name}: ${checked.failures.map((f) => `${f.property}: ${f.reason}`).join('; ')}`);
  }
  const own = withoutReserved(checked.inputs);
  if (pulumi.runtime.isDryRun()) return { name, id: prior?.id ?? '', inputs: own, state: own };
  if (!prior) {
    const created = await lockProvider.create(checked.inputs);
    return { name, id: created.id, inputs: own, state: created.outs };
  }
  const diff = await lockProvider.diff(prior.id, prior.state, checked.inputs);
  const state = diff.changes ? (await lockProvider.update(prior.id, prior.state, checked.inputs)).outs : prior.state;
  return { name, id: prior.id, inputs: own, state };
}

/**
 * The value of an Output, for a test's assertions: resolves with it, or rejects at once with the error that failed
 * it (a lookup's `CloudImagesInvokeError`), where `new Promise((resolve) => output.apply(resolve))` waits until the
 * test runner's timeout. It also takes the Output's other promises, so its failure is not reported a second time
 * as an unhandled rejection (which stops a jest run in band).
 */
export function outputValue<T>(output: pulumi.Output<T>): Promise<T> {
  const impl = output as unknown as { promise(): Promise<T>; isKnown: Promise<boolean>; isSecret: Promise<boolean> };
  return Promise.all([impl.promise(), impl.isKnown, impl.isSecret]).then(([value]) => value);
}

/**
 * Stack configuration (for `pulumi.runtime.setAllConfig`) that points every cloud at an emulator with the
 * credentials it accepts and a region of its catalog (`region`; nscale's `regionId`), so a program that leaves the
 * region to the configuration runs under mocks with nothing exported:
 * `{ "cloudimages:nscale": "{\"endpoint\":…,\"regionId\":…}", … }`.
 */
export function stackConfigFor(emulator: { clientConfig(options?: { regions?: boolean }): object }): Record<string, string> {
  return Object.fromEntries(
    Object.entries(emulator.clientConfig({ regions: true })).map(([cloud, section]) => [`cloudimages:${cloud}`, JSON.stringify(section)]),
  );
}

function withoutReserved(props: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(props).filter(([key]) => !key.startsWith('__')));
}
