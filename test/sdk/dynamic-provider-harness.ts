/**
 * Plays the Pulumi engine's part for a dynamic resource: starts `@pulumi/pulumi`'s dynamic-provider server as a
 * child process (as the engine does, with an engine address argument; this server never dials it back), reads the
 * port from its first stdout line, and calls the ResourceProvider gRPC methods with Structs, as the engine does.
 */
import { ChildProcess, spawn } from 'child_process';
import * as path from 'path';
import * as grpc from '@grpc/grpc-js';

/* eslint-disable @typescript-eslint/no-require-imports */
const provrpc = require('@pulumi/pulumi/proto/provider_grpc_pb');
const provproto = require('@pulumi/pulumi/proto/provider_pb');
const structproto = require('google-protobuf/google/protobuf/struct_pb');
/* eslint-enable @typescript-eslint/no-require-imports */

export type Props = Record<string, unknown>;

export const DIFF = { UNKNOWN: 0, NONE: 1, SOME: 2 } as const;

export interface CheckResult {
  inputs: Props;
  failures: { property: string; reason: string }[];
}

const ROOT = path.resolve(__dirname, '..', '..');
const SERVER = path.join(ROOT, 'node_modules', '@pulumi', 'pulumi', 'cmd', 'dynamic-provider', 'index.js');

export class DynamicProviderProcess {
  private child?: ChildProcess;
  private client?: { close(): void; [method: string]: unknown };
  /** Everything the server wrote on stderr (warnings from `pulumi.log` without an engine land here). */
  stderr = '';

  async start(env: Record<string, string>): Promise<this> {
    const child = spawn(process.execPath, [SERVER, '127.0.0.1:1'], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    child.stderr!.on('data', (chunk: Buffer) => (this.stderr += chunk.toString('utf8')));
    const port = await new Promise<number>((resolve, reject) => {
      let out = '';
      const onData = (chunk: Buffer) => {
        out += chunk.toString('utf8');
        const newline = out.indexOf('\n');
        if (newline >= 0) {
          child.stdout!.off('data', onData);
          const port = Number(out.slice(0, newline).trim());
          if (Number.isInteger(port) && port > 0) resolve(port);
          else reject(new Error(`the dynamic-provider server printed ${JSON.stringify(out)} instead of a port`));
        }
      };
      child.stdout!.on('data', onData);
      child.once('exit', (code) => reject(new Error(`the dynamic-provider server exited with ${code}: ${this.stderr}`)));
    });
    this.client = new provrpc.ResourceProviderClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
    return this;
  }

  /** Waits (at most `ms`) until stderr matches: a warning travels on its own pipe, so it may arrive after the
   * gRPC answer of the call that wrote it. Returns stderr as it is then, matching or not. */
  async stderrMatching(pattern: RegExp, ms = 10_000): Promise<string> {
    const until = Date.now() + ms;
    while (!pattern.test(this.stderr) && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 20));
    return this.stderr;
  }

  async stop(): Promise<void> {
    this.client?.close();
    const child = this.child;
    if (child && child.exitCode === null) {
      await new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill();
      });
    }
  }

  private call<T>(method: string, request: unknown): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      (this.client![method] as (req: unknown, cb: (err: Error | null, res: T) => void) => void).call(this.client, request, (err, res) =>
        err ? reject(err) : resolve(res),
      );
    });
  }

  /** Configure, as the engine sends the stack's configuration: namespaced keys in `args` (secrets in the sentinel). */
  async configure(args: Props): Promise<{ acceptSecrets: boolean }> {
    const req = new provproto.ConfigureRequest();
    req.setArgs(structproto.Struct.fromJavaScript(args));
    const res = await this.call<{ getAcceptsecrets(): boolean }>('configure', req);
    return { acceptSecrets: res.getAcceptsecrets() };
  }

  async check(urn: string, olds: Props, news: Props): Promise<CheckResult> {
    const req = new provproto.CheckRequest();
    req.setUrn(urn);
    req.setOlds(structproto.Struct.fromJavaScript(olds));
    req.setNews(structproto.Struct.fromJavaScript(news));
    const res = await this.call<{ getInputs(): { toJavaScript(): Props }; getFailuresList(): { getProperty(): string; getReason(): string }[] }>('check', req);
    return {
      inputs: res.getInputs().toJavaScript(),
      failures: res.getFailuresList().map((f) => ({ property: f.getProperty(), reason: f.getReason() })),
    };
  }

  async diff(urn: string, id: string, olds: Props, news: Props): Promise<{ changes: number; replaces: string[] }> {
    const req = new provproto.DiffRequest();
    req.setUrn(urn);
    req.setId(id);
    req.setOlds(structproto.Struct.fromJavaScript(olds));
    req.setNews(structproto.Struct.fromJavaScript(news));
    const res = await this.call<{ getChanges(): number; getReplacesList(): string[] }>('diff', req);
    return { changes: res.getChanges(), replaces: res.getReplacesList() };
  }

  async create(urn: string, properties: Props): Promise<{ id: string; properties: Props }> {
    const req = new provproto.CreateRequest();
    req.setUrn(urn);
    req.setProperties(structproto.Struct.fromJavaScript(properties));
    const res = await this.call<{ getId(): string; getProperties(): { toJavaScript(): Props } }>('create', req);
    return { id: res.getId(), properties: res.getProperties().toJavaScript() };
  }

  async update(urn: string, id: string, olds: Props, news: Props): Promise<Props> {
    const req = new provproto.UpdateRequest();
    req.setUrn(urn);
    req.setId(id);
    req.setOlds(structproto.Struct.fromJavaScript(olds));
    req.setNews(structproto.Struct.fromJavaScript(news));
    const res = await this.call<{ getProperties(): { toJavaScript(): Props } }>('update', req);
    return res.getProperties().toJavaScript();
  }

  /** Refresh: the engine passes the prior outputs as `properties` (and the prior inputs). */
  async read(urn: string, id: string, properties: Props, inputs: Props): Promise<{ id: string; properties: Props; inputs?: Props }> {
    const req = new provproto.ReadRequest();
    req.setUrn(urn);
    req.setId(id);
    req.setProperties(structproto.Struct.fromJavaScript(properties));
    req.setInputs(structproto.Struct.fromJavaScript(inputs));
    const res = await this.call<{ getId(): string; getProperties(): { toJavaScript(): Props }; getInputs(): { toJavaScript(): Props } | undefined }>('read', req);
    return { id: res.getId(), properties: res.getProperties().toJavaScript(), inputs: res.getInputs()?.toJavaScript() };
  }
}
