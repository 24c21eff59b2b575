/**
 * Plays the Pulumi engine's part for a dynamic resource: starts `@pulumi/pulumi`'s dynamic-provider server as a
 * child process (as the engine does, with an engine address argument; this server never dials it back), reads the
 * port from its first stdout line, and calls the ResourceProvider gRPC methods with Structs, as the engine does.
 */
import { ChildProcess, spawn } from 'child_process';
import * as path from 'path';
import * as grpc from '@grpc/grpc-js';
import { ResourceProviderClient } from '@pulumi/pulumi/proto/provider_grpc_pb';
import * as providerPb from '@pulumi/pulumi/proto/provider_pb';
import { call, struct } from '../plugin/harness';

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
  private client?: ResourceProviderClient;
  /** Everything the server wrote on stderr (warnings from `pulumi.log` without an engine land here). */
  stderr = '';

  async start(env: Record<string, string>): Promise<this> {
    const child = spawn(process.execPath, [SERVER, '127.0.0.1:1'], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    child.stderr.on('data', (chunk: Buffer) => (this.stderr += chunk.toString('utf8')));
    const port = await new Promise<number>((resolve, reject) => {
      let out = '';
      const onData = (chunk: Buffer) => {
        out += chunk.toString('utf8');
        const newline = out.indexOf('\n');
        if (newline >= 0) {
          child.stdout.off('data', onData);
          const port = Number(out.slice(0, newline).trim());
          if (Number.isInteger(port) && port > 0) resolve(port);
          else reject(new Error(`the dynamic-provider server printed ${JSON.stringify(out)} instead of a port`));
        }
      };
      child.stdout.on('data', onData);
      child.once('exit', (code) => reject(new Error(`the dynamic-provider server exited with ${code}: ${this.stderr}`)));
    });
    this.client = new ResourceProviderClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
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

  private call<Req, Res>(method: string, request: Req): Promise<Res> {
    if (!this.client) throw new Error('the dynamic-provider server is not started');
    return call<Req, Res>(this.client, method, request);
  }

  /** Configure, as the engine sends the stack's configuration: namespaced keys in `args` (secrets in the sentinel). */
  async configure(args: Props): Promise<{ acceptSecrets: boolean }> {
    const req = new providerPb.ConfigureRequest().setArgs(struct(args));
    const res = await this.call<providerPb.ConfigureRequest, providerPb.ConfigureResponse>('configure', req);
    return { acceptSecrets: res.getAcceptsecrets() };
  }

  async check(urn: string, olds: Props, news: Props): Promise<CheckResult> {
    const req = new providerPb.CheckRequest().setUrn(urn).setOlds(struct(olds)).setNews(struct(news));
    const res = await this.call<providerPb.CheckRequest, providerPb.CheckResponse>('check', req);
    return {
      inputs: res.getInputs()!.toJavaScript(),
      failures: res.getFailuresList().map((f) => ({ property: f.getProperty(), reason: f.getReason() })),
    };
  }

  async diff(urn: string, id: string, olds: Props, news: Props): Promise<{ changes: number; replaces: string[] }> {
    const req = new providerPb.DiffRequest().setUrn(urn).setId(id).setOlds(struct(olds)).setNews(struct(news));
    const res = await this.call<providerPb.DiffRequest, providerPb.DiffResponse>('diff', req);
    return { changes: res.getChanges(), replaces: res.getReplacesList() };
  }

  async create(urn: string, properties: Props): Promise<{ id: string; properties: Props }> {
    const req = new providerPb.CreateRequest().setUrn(urn).setProperties(struct(properties));
    const res = await this.call<providerPb.CreateRequest, providerPb.CreateResponse>('create', req);
    return { id: res.getId(), properties: res.getProperties()!.toJavaScript() };
  }

  async update(urn: string, id: string, olds: Props, news: Props): Promise<Props> {
    const req = new providerPb.UpdateRequest().setUrn(urn).setId(id).setOlds(struct(olds)).setNews(struct(news));
    const res = await this.call<providerPb.UpdateRequest, providerPb.UpdateResponse>('update', req);
    return res.getProperties()!.toJavaScript();
  }

  /** Refresh: the engine passes the prior outputs as `properties` (and the prior inputs). */
  async read(urn: string, id: string, properties: Props, inputs: Props): Promise<{ id: string; properties: Props; inputs?: Props }> {
    const req = new providerPb.ReadRequest().setUrn(urn).setId(id).setProperties(struct(properties)).setInputs(struct(inputs));
    const res = await this.call<providerPb.ReadRequest, providerPb.ReadResponse>('read', req);
    return { id: res.getId(), properties: res.getProperties()!.toJavaScript(), inputs: res.getInputs()?.toJavaScript() };
  }
}
