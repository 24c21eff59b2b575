/**
 * Runs an example program under `pulumi.runtime.setMocks` against the emulator, the way `pulumi preview`/`up` would
 * run it, with `@cloudimages/pulumi` linked into the example's node_modules as `npm install` links its
 * `file:../..` dependency (the package's exports point at dist/, which is built here when missing).
 *
 * Dynamic resources (ImageLock) are served as the engine serves them: the serialized `__provider` is loaded the way
 * the dynamic-provider server loads it, and its `check` then `create` produce the resource's outputs.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type * as pulumiType from '@pulumi/pulumi';
import { buildIfMissing } from '../helpers/build';

export const ROOT = path.resolve(__dirname, '..', '..');

/** Builds dist/ when what the examples load from it is missing (`npm test` builds first anyway). */
export function ensureBuilt(): void {
  buildIfMissing('dist/sdk/index.js', 'dist/sdk/policy/index.js', 'dist/sdk/image-lock-provider.js');
}

/** Links this package into an example's node_modules, as `npm install` does for `file:../..`. */
export function linkPackage(example: string): void {
  const link = path.join(ROOT, 'examples', example, 'node_modules/@cloudimages/pulumi');
  if (fs.existsSync(path.join(link, 'package.json'))) return;
  fs.mkdirSync(path.dirname(link), { recursive: true });
  fs.symlinkSync(path.relative(path.dirname(link), ROOT), link, 'dir');
}

export interface RegisteredResource {
  type: string;
  name: string;
  id: string;
  /** For dynamic resources, the inputs after the provider's check (what the engine stores). */
  inputs: Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  state: Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  /** The provider reference (`urn::id`) the resource was registered with, if not the default provider. */
  provider?: string;
}

let serializedCount = 0;

type Props = Record<string, unknown>;

/** The part of a dynamic provider (pulumi.dynamic.ResourceProvider) the engine calls here. */
interface SerializedProvider {
  configure?(request: { config: { get(key: string): string | undefined } }): Promise<void>;
  check(olds: Props, news: Props): Promise<{ inputs: Props; failures?: unknown[] }>;
  create(inputs: Props): Promise<{ id: string; outs: Props }>;
  update(id: string, olds: Props, news: Props): Promise<{ outs: Props }>;
}

/**
 * Loads a serialized provider as the dynamic-provider server does (module text whose `handler()` returns the
 * provider), but through jest's module system, so it sees the test's environment variables.
 */
function loadSerialized(text: string): SerializedProvider {
  const file = path.join(os.tmpdir(), `cloudimages-provider-${process.pid}-${serializedCount++}.js`);
  fs.writeFileSync(file, text);
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return (require(file) as { handler(): SerializedProvider }).handler();
  } finally {
    fs.rmSync(file, { force: true });
  }
}

export interface ExampleRun {
  outputs: Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  resources: RegisteredResource[];
  warnings: string[];
}

const UNKNOWN = '04da6b54-80e4-46f7-96ec-b56ff0331ba9';

/** Resolves an Output's value (or a plain value), also during preview where unknowns stay undefined. */
function settle(pulumi: typeof pulumiType, value: unknown): Promise<unknown> {
  if (!pulumi.Output.isInstance(value)) return Promise.resolve(value);
  return (value as unknown as { promise(): Promise<unknown> }).promise();
}

/**
 * Runs `examples/<example>/index.ts` in a fresh module registry with mocks, stack configuration (`config`, keys
 * like `cloudimages:nscale`, values JSON-encoded when objects) and environment variables, and returns its resolved
 * stack outputs, the registered resources and the warnings it logged.
 */
export async function runExample(
  example: string,
  options: {
    project: string;
    config?: Record<string, unknown>;
    env?: Record<string, string>;
    preview?: boolean;
    /** Resources of an earlier run by name: dynamic resources are then checked against them and updated. */
    previous?: Record<string, RegisteredResource>;
  },
): Promise<ExampleRun> {
  ensureBuilt();
  linkPackage(example);
  const saved = { ...process.env };
  Object.assign(process.env, options.env ?? {});
  const resources: RegisteredResource[] = [];
  const warnings: string[] = [];
  const stackConfig: Record<string, string> = {};
  for (const [key, value] of Object.entries(options.config ?? {})) stackConfig[key] = typeof value === 'string' ? value : JSON.stringify(value);
  try {
    let pulumi!: typeof pulumiType;
    let program!: Record<string, unknown>;
    await jest.isolateModulesAsync(async () => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      pulumi = require('@pulumi/pulumi') as typeof pulumiType;
      await pulumi.runtime.setMocks(
        {
          newResource: async (args) => {
            let state: Record<string, unknown> = { ...(args.inputs as Props) };
            if (args.type.startsWith('pulumi-nodejs:dynamic')) {
              // As the dynamic-provider server does: load the serialized provider, check against the previous
              // inputs (a later `pulumi up`), then create or update.
              const provider = loadSerialized((args.inputs as { __provider: string }).__provider);
              // The engine hands the stack's configuration to the provider's configure first.
              await provider.configure?.({ config: { get: (key: string) => stackConfig[key] } });
              const prior = options.previous?.[args.name];
              const checked = await provider.check(prior?.inputs ?? {}, args.inputs as Props);
              if (checked.failures?.length) throw new Error(`check failed: ${JSON.stringify(checked.failures)}`);
              const id = prior?.id ?? `${args.name}-lock-id`;
              state = prior ? (await provider.update(id, prior.state, checked.inputs)).outs : (await provider.create(checked.inputs)).outs;
              resources.push({ type: args.type, name: args.name, id, inputs: checked.inputs, state });
              return { id, state };
            }
            resources.push({ type: args.type, name: args.name, id: `${args.name}-id`, inputs: args.inputs as Props, state, provider: args.provider });
            return { id: `${args.name}-id`, state };
          },
          call: (args) => {
            throw new Error(`unexpected invoke ${args.token}: the SDK runs lookups in the program's process`);
          },
        },
        options.project,
        'dev',
        options.preview ?? false,
      );
      const config = stackConfig;
      pulumi.runtime.setAllConfig(
        config,
        Object.keys(config).filter((key) => key.startsWith('cloudimages:')),
      );
      jest.spyOn(pulumi.log, 'warn').mockImplementation((message: string) => {
        warnings.push(message);
        return Promise.resolve();
      });
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      program = require(path.join(ROOT, 'examples', example, 'index.ts')) as Record<string, unknown>;
    });
    const outputs: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(program)) {
      const settled = await settle(pulumi, value);
      outputs[key] = settled === UNKNOWN ? undefined : settled;
    }
    // Let applies that log (ImageLock's warnings) run.
    await new Promise((resolve) => setTimeout(resolve, 50));
    return { outputs, resources, warnings };
  } finally {
    for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
    Object.assign(process.env, saved);
    jest.restoreAllMocks();
  }
}
