/**
 * The real Pulumi engine, offline: the CLI `scripts/engine.sh` chose (global-setup.js put its path in the
 * environment), a file backend and PULUMI_HOME in a temporary folder, a passphrase for secrets, and no network
 * (automatic plugin downloads, the registry and the update check are off; every non-loopback request goes to a
 * closed local port through HTTP(S)_PROXY, so an attempt fails at once instead of reaching the internet).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vm from 'vm';
import { execFile } from 'child_process';
import * as pulumi from '@pulumi/pulumi';
import type { ConfigMap, EngineEvent, LocalWorkspaceOptions, PulumiFn, Stack } from '@pulumi/pulumi/automation';
import { LocalWorkspace, PulumiCommand } from '@pulumi/pulumi/automation';
import { BUILT_IN_REGISTRY } from '../../provider/clouds';

export const ROOT = path.resolve(__dirname, '..', '..');

export const PASSPHRASE = 'engine-suite-passphrase';

/** A port nothing listens on (discard): a proxy there refuses every connection. */
const CLOSED_PROXY = 'http://127.0.0.1:9';

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run this suite with npm run test:engine (jest.engine.config.js)`);
  return value;
}

/** The pulumi CLI under test and the YAML language host, as scripts/engine.sh chose them. */
export const PULUMI = required('CLOUDIMAGES_ENGINE_PULUMI');
export const LANGUAGE_YAML = required('CLOUDIMAGES_ENGINE_LANGUAGE_YAML');

/** Where `@pulumi/pulumi` ships `pulumi-resource-pulumi-nodejs`, the dynamic-provider plugin (ImageLock). */
const PULUMI_NODEJS_PLUGIN_DIR = path.join(ROOT, 'node_modules', '@pulumi', 'pulumi');

export interface Sandbox {
  dir: string;
  backend: string;
  home: string;
  /** The environment of every CLI run (and so of every plugin the engine starts). */
  env: Record<string, string>;
  command: PulumiCommand;
  /** Extra folders searched for plugins before PATH (tests add e.g. the analyzer shim). */
  addToPath(dir: string): void;
  /** Runs the CLI directly (for commands the Automation API does not wrap); rejects with its output on failure. */
  cli(args: string[], options?: { cwd?: string }): Promise<{ stdout: string; stderr: string }>;
  /** Everything the file backend holds (checkpoints, history, backups), as one text. */
  stateText(): string;
  remove(): void;
}

/** A fresh backend, PULUMI_HOME and CLI environment. */
export async function sandbox(name: string): Promise<Sandbox> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `cloudimages-engine-${name}-`));
  const backend = path.join(dir, 'state');
  const home = path.join(dir, 'home');
  const cliRoot = path.join(dir, 'cli');
  for (const d of [backend, home, path.join(cliRoot, 'bin')]) fs.mkdirSync(d, { recursive: true });
  // PulumiCommand.get wants <root>/bin/pulumi, whatever folder the CLI lives in.
  fs.symlinkSync(PULUMI, path.join(cliRoot, 'bin', 'pulumi'));
  const extraPath: string[] = [];
  const env: Record<string, string> = {
    PULUMI_BACKEND_URL: `file://${backend}`,
    PULUMI_CONFIG_PASSPHRASE: PASSPHRASE,
    PULUMI_HOME: home,
    PULUMI_SKIP_UPDATE_CHECK: 'true',
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: 'true',
    PULUMI_DISABLE_REGISTRY_RESOLVE: 'true',
    PULUMI_SKIP_CONFIRMATIONS: 'true',
    PULUMI_COPILOT: 'false',
    HTTP_PROXY: CLOSED_PROXY,
    HTTPS_PROXY: CLOSED_PROXY,
    http_proxy: CLOSED_PROXY,
    https_proxy: CLOSED_PROXY,
    NO_PROXY: '127.0.0.1,localhost,::1',
    no_proxy: '127.0.0.1,localhost,::1',
    // The dynamic-provider plugin resolves @pulumi/pulumi from its working folder (a temporary project here).
    NODE_PATH: path.join(ROOT, 'node_modules'),
    PATH: '',
  };
  const setPath = () => {
    env.PATH = [...extraPath, path.dirname(LANGUAGE_YAML), PULUMI_NODEJS_PLUGIN_DIR, path.dirname(process.execPath), process.env.PATH ?? ''].join(
      path.delimiter,
    );
  };
  setPath();
  const command = await PulumiCommand.get({ root: cliRoot });
  return {
    dir,
    backend,
    home,
    env,
    command,
    addToPath(extra: string) {
      extraPath.unshift(extra);
      setPath();
    },
    cli(args, options = {}) {
      return new Promise((resolve, reject) => {
        execFile(PULUMI, args, { cwd: options.cwd ?? dir, env: { ...process.env, ...env }, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
          if (err) reject(Object.assign(new Error(`pulumi ${args.join(' ')} failed: ${err.message}\n${stdout}\n${stderr}`), { stdout, stderr }));
          else resolve({ stdout, stderr });
        });
      });
    },
    stateText() {
      return fs
        .readdirSync(backend, { recursive: true, encoding: 'utf8' })
        .map((file) => path.join(backend, file))
        .filter((file) => fs.statSync(file).isFile())
        .map((file) => fs.readFileSync(file, 'utf8'))
        .join('\n');
    },
    remove() {
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The Node process itself: jest gives test files a copy of `process`, whose listeners nothing ever calls. */
const hostProcess = vm.runInThisContext('process') as NodeJS.Process;

/**
 * Runs an operation whose inline program fails, and returns its error and the program's unhandled rejections. A
 * failed Output leaves several rejected promises behind; in a plain Node process the Automation API's handlers
 * (on \`process\`) collect them, but inside jest they sit on the copy, and jest's own handler on the real process
 * would fail the test instead. So for the operation's duration the real process's handlers are set aside.
 */
export async function failingOperation(run: () => Promise<unknown>): Promise<{ error: Error | undefined; rejections: unknown[] }> {
  const saved = hostProcess.listeners('unhandledRejection');
  const rejections: unknown[] = [];
  const collect = (reason: unknown) => rejections.push(reason);
  hostProcess.removeAllListeners('unhandledRejection');
  hostProcess.on('unhandledRejection', collect);
  try {
    const error = await run().then(
      () => undefined,
      (err: Error) => err,
    );
    // Rejections are reported after the microtask queue drains.
    await new Promise((resolve) => setTimeout(resolve, 100));
    return { error, rejections };
  } finally {
    hostProcess.off('unhandledRejection', collect);
    for (const listener of saved) hostProcess.on('unhandledRejection', listener as (...args: unknown[]) => void);
  }
}

/** Workspace options for a project in the sandbox (its own folder, file backend, the CLI under test). */
export function workspaceOptions(box: Sandbox, project: string, extra: Partial<LocalWorkspaceOptions> = {}): LocalWorkspaceOptions {
  const workDir = path.join(box.dir, project);
  fs.mkdirSync(workDir, { recursive: true });
  return {
    workDir,
    pulumiCommand: box.command,
    envVars: box.env,
    projectSettings: { name: project, runtime: 'nodejs', backend: { url: `file://${box.backend}` } },
    ...extra,
  };
}

/** A stack of an inline program: the program runs in this process; the engine is the real CLI. */
export function inlineStack(box: Sandbox, project: string, stackName: string, program: PulumiFn): Promise<Stack> {
  return LocalWorkspace.createOrSelectStack({ projectName: project, stackName, program }, workspaceOptions(box, project));
}

/**
 * Stack configuration that points every cloud at the emulator, the way docs/sdk.md tells users to set it:
 * `pulumi config set --path cloudimages:<cloud>.<field>`, with `--secret` for every credential field.
 */
export function emulatorConfig(emulator: { clientConfig(): object }): ConfigMap {
  const config: ConfigMap = {};
  for (const [cloud, section] of Object.entries(emulator.clientConfig())) {
    const fields = BUILT_IN_REGISTRY.modules.find((m) => m.name === cloud)!.fields;
    for (const [field, value] of Object.entries(section as Record<string, string>)) {
      config[`cloudimages:${cloud}.${field}`] = { value, secret: fields.find((f) => f.name === field)?.secret === true };
    }
  }
  return config;
}

/** The credential values of a configuration (what must never appear in plain text in state). */
export function credentialsOf(config: ConfigMap): string[] {
  return Object.values(config)
    .filter((v) => v.secret)
    .map((v) => v.value);
}

/** Collects engine events of one operation. */
export function events(): { list: EngineEvent[]; onEvent: (event: EngineEvent) => void } {
  const list: EngineEvent[] = [];
  return { list, onEvent: (event) => list.push(event) };
}

/** The resource-pre events (planned steps) of a preview or update, by resource name. */
export function steps(list: EngineEvent[]): Map<string, NonNullable<EngineEvent['resourcePreEvent']>['metadata']> {
  const byName = new Map<string, NonNullable<EngineEvent['resourcePreEvent']>['metadata']>();
  for (const event of list) {
    const metadata = event.resourcePreEvent?.metadata;
    if (metadata) byName.set(metadata.urn.split('::').pop()!, metadata);
  }
  return byName;
}

/** The stack's outputs as the last outputs event of an operation reported them (a preview's included). */
export function stackOutputsOf(list: EngineEvent[]): Record<string, unknown> {
  const stackEvents = list.filter((e) => e.resOutputsEvent?.metadata.type === 'pulumi:pulumi:Stack');
  return (stackEvents.pop()?.resOutputsEvent?.metadata.new?.outputs ?? {}) as Record<string, unknown>;
}

/** Every diagnostic (warnings and errors) the engine reported. */
export function diagnostics(list: EngineEvent[], severity?: string): string[] {
  return list.filter((e) => e.diagnosticEvent && (!severity || e.diagnosticEvent.severity === severity)).map((e) => e.diagnosticEvent!.message);
}

/** A resource whose output is unknown until it is created: `value` is not an input, so a preview cannot know it. */
export class Later extends pulumi.dynamic.Resource {
  declare readonly value: pulumi.Output<string>;
  constructor(name: string, input: string) {
    super({ create: (inputs: Record<string, string>) => Promise.resolve({ id: 'later', outs: { input: inputs.input, value: inputs.input } }) }, name, {
      input,
      value: undefined,
    });
  }
}
