/**
 * Plays the engine's part: starts the plugin as a child process the way the engine does, reads the port from the
 * first stdout line, and talks to it over gRPC with the stubs that ship in @pulumi/pulumi/proto.
 * The plugin runs from dist/ (the built package); it is built here if dist/ is missing.
 */
import { ChildProcess, spawn } from 'child_process';
import * as path from 'path';
import * as grpc from '@grpc/grpc-js';
import { ResourceProviderClient } from '@pulumi/pulumi/proto/provider_grpc_pb';
import { Struct } from 'google-protobuf/google/protobuf/struct_pb';
import { buildIfMissing } from '../helpers/build';

export const ROOT = path.resolve(__dirname, '../..');
export const SECRET_SIG_KEY = '4dabf18193072939515e22adb298388d';
export const SECRET_SIG = '1b47061264138c4ac30d75fd1eb44270';
export const UNKNOWN = '04da6b54-80e4-46f7-96ec-b56ff0331ba9';

export const secret = (value: unknown) => ({ [SECRET_SIG_KEY]: SECRET_SIG, value });

export function ensureBuilt(): void {
  buildIfMissing('dist/provider/plugin/main.js');
}

export interface Plugin {
  child: ChildProcess;
  port: number;
  client: ResourceProviderClient;
  /** Everything the plugin wrote to stdout, including the port line. */
  stdout(): string;
  stderr(): string;
  stop(): Promise<void>;
}

/** Starts `command args…` and waits for the port on the first stdout line. */
export async function startPlugin(command: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<Plugin> {
  const child = spawn(command, args, { cwd: options.cwd ?? ROOT, env: options.env ?? minimalEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no port within 20 s; stderr: ${err}`)), 20000);
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const newline = out.indexOf('\n');
      if (newline >= 0) {
        clearTimeout(timer);
        const first = out.slice(0, newline);
        if (/^\d+$/.test(first)) resolve(Number(first));
        else reject(new Error(`first stdout line is not a port: ${JSON.stringify(first)}`));
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`plugin exited with ${code} before printing its port; stderr: ${err}`));
    });
  });
  const client = new ResourceProviderClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
  return {
    child,
    port,
    client,
    stdout: () => out,
    stderr: () => err,
    stop: async () => {
      client.close();
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
    },
  };
}

/** An environment without any cloud credentials, so only what Configure sends can authenticate. */
export function minimalEnv(): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH, HOME: process.env.HOME, CLOUDIMAGES_CACHE_DIR: process.env.CLOUDIMAGES_CACHE_DIR };
}

/** Calls a unary method and resolves with the response or rejects with the gRPC error. */
export function call<Req, Res>(client: ResourceProviderClient, method: string, request: Req): Promise<Res> {
  return new Promise((resolve, reject) => {
    const fn = (client as unknown as Record<string, (req: Req, cb: (e: grpc.ServiceError | null, r: Res) => void) => void>)[method];
    fn.call(client, request, (error, response) => (error ? reject(error) : resolve(response)));
  });
}

export const struct = (value: Record<string, unknown>) => Struct.fromJavaScript(value as never);
