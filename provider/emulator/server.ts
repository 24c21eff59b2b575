/**
 * A local HTTP server that plays the four clouds' image APIs from a catalog, on loopback only. Each cloud is
 * served under its own path prefix (`/alicloud`, `/huaweicloud`, …), checks credentials and signatures and
 * pages as the real service does; tests can add latency and inject faults, and count what was asked.
 */
import * as http from 'http';
import type { AddressInfo, Socket } from 'net';
import type { CloudName } from '../clouds/registry';
import type { CloudImagesConfig } from '../core/config';
import type { Catalog, CloudCatalog, EmulatorApi, EmulatorReply, EmulatorRequest } from './types';
import { EMULATED_CLOUDS, EMULATOR_APIS } from './apis';

export type FaultKind = 'throttle' | 'server-error' | 'reset' | 'truncate' | 'invalid-json' | 'wrong-shape' | 'delay';

export interface Fault {
  kind: FaultKind;
  /** Only requests to this cloud (default: any). */
  cloud?: CloudName;
  /** How many requests it hits (default 1; Infinity for all). */
  times?: number;
  /** Skip this many matching requests first. */
  after?: number;
  /** For `delay`: how long. */
  delayMs?: number;
  /** Further narrowing, e.g. only page 3. */
  when?: (request: EmulatorRequest) => boolean;
}

export interface RecordedRequest {
  cloud: CloudName;
  method: string;
  path: string;
  query: Record<string, string | string[]>;
  status: number;
  fault?: FaultKind;
  /** The wave it arrived in (1, 2, …): a wave starts with a request that arrives while none is in flight and takes
   * in every request that arrives before the emulator is idle again. What a test of concurrency counts. */
  wave: number;
}

/** The largest request body the emulator reads (the clouds' list calls send a few KiB at most); beyond it, 413. */
export const MAX_REQUEST_BODY_BYTES = 1024 * 1024;
/** After a 413: how much more of the body is read and dropped, and for how long, before the connection is closed. */
const LINGER_BYTES = 16 * MAX_REQUEST_BODY_BYTES;
const LINGER_MS = 1000;
/** Recorded requests kept (the newest); `count` still counts every request since the last resetCounts. */
export const MAX_RECORDED_REQUESTS = 10_000;

export interface EmulatorOptions {
  /** Defaults to the built-in catalog of every cloud. */
  catalog?: Catalog;
  /** Added before every answer, to model a real network round trip. */
  latencyMs?: number;
  /**
   * true: each answer is worked out as its request arrives and sent `latencyMs` after the arrival, so the
   * emulator's own CPU time hides inside the round trip (a service whose processing is not the bottleneck; the
   * benchmark's physical floor assumes one). Default false: the answer is worked out after the wait, so tests that
   * change the catalog or faults while a request waits see the change.
   */
  workDuringLatency?: boolean;
  /** How many requests `requests` keeps (the newest); default MAX_RECORDED_REQUESTS. */
  recordLimit?: number;
}

function apiFor(cloud: CloudName): EmulatorApi {
  const api = Object.prototype.hasOwnProperty.call(EMULATOR_APIS, cloud) ? EMULATOR_APIS[cloud] : undefined;
  if (!api) throw new Error(`the emulator has no API for ${cloud}`);
  return api;
}

export function builtInCatalog(clouds: readonly CloudName[] = EMULATED_CLOUDS): Catalog {
  const catalog: Catalog = {};
  for (const cloud of clouds) catalog[cloud] = apiFor(cloud).builtInCatalog(cloud);
  return catalog;
}

export class Emulator {
  readonly catalog: Catalog;
  latencyMs: number;
  readonly workDuringLatency: boolean;
  /** The last `recordLimit` requests (MAX_RECORDED_REQUESTS by default), oldest first. */
  readonly requests: RecordedRequest[] = [];
  readonly recordLimit: number;
  private active = 0;
  private peak = 0;
  private wavesStarted = 0;
  private readonly counts = new Map<CloudName, number>();
  /** Clock offset in seconds, for tests of stale timestamps. */
  clockSkewSeconds = 0;
  private faults: (Fault & { seen: number; hits: number })[] = [];
  private readonly state = new Map<CloudName, Map<string, unknown>>();
  private server?: http.Server;
  private readonly sockets = new Set<Socket>();

  constructor(options: EmulatorOptions = {}) {
    this.catalog = options.catalog ?? builtInCatalog();
    this.latencyMs = options.latencyMs ?? 0;
    this.workDuringLatency = options.workDuringLatency ?? false;
    this.recordLimit = options.recordLimit ?? MAX_RECORDED_REQUESTS;
    if (!Number.isSafeInteger(this.recordLimit) || this.recordLimit < 0) {
      throw new RangeError(`Emulator: recordLimit is how many requests to keep, a whole number from 0; got ${String(options.recordLimit)}`);
    }
    if (typeof this.latencyMs !== 'number' || !Number.isFinite(this.latencyMs) || this.latencyMs < 0) {
      throw new RangeError(`Emulator: latencyMs is the milliseconds added to every answer, 0 or more; got ${String(options.latencyMs)}`);
    }
  }

  async start(port = 0, host = '127.0.0.1'): Promise<this> {
    this.server = http.createServer((req, res) => void this.serve(req, res));
    this.server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(port, host, resolve);
    });
    return this;
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  get url(): string {
    const address = this.server?.address() as AddressInfo | undefined;
    if (!address) throw new Error('the emulator is not started');
    return `http://127.0.0.1:${address.port}`;
  }

  /**
   * Configuration that points every cloud's client at this emulator with its accepted credentials; with
   * `regions: true`, also each cloud's first region (so a lookup without one, such as an nscale query without
   * NSCALE_REGION_ID, has one).
   */
  clientConfig(options: { regions?: boolean } = {}): CloudImagesConfig {
    const config: CloudImagesConfig = {};
    for (const cloud of Object.keys(this.catalog) as CloudName[]) {
      const api = apiFor(cloud);
      const own = api.clientConfig(cloud, `${this.url}/${cloud}`, this.catalog[cloud]!);
      if (options.regions) Object.assign(own[cloud]!, api.clientRegion(cloud, this.catalog[cloud]!)[cloud]);
      Object.assign(config, own);
    }
    return config;
  }

  /** The credentials as environment variables (endpoints still come from `clientConfig` or `--endpoint`). */
  clientEnv(clouds: readonly CloudName[] = Object.keys(this.catalog) as CloudName[]): Record<string, string> {
    return Object.fromEntries(clouds.flatMap((cloud) => Object.entries(apiFor(cloud).clientEnv(cloud, this.catalog[cloud]!))));
  }

  /** The base URL of one cloud on this emulator (what `endpoint` should be set to). */
  endpoint(cloud: CloudName): string {
    return (apiFor(cloud).clientConfig(cloud, `${this.url}/${cloud}`, this.catalog[cloud]!)[cloud] as { endpoint: string }).endpoint;
  }

  inject(fault: Fault): void {
    this.faults.push({ ...fault, seen: 0, hits: 0 });
  }

  clearFaults(): void {
    this.faults = [];
  }

  count(cloud?: CloudName): number {
    if (cloud) return this.counts.get(cloud) ?? 0;
    let all = 0;
    for (const n of this.counts.values()) all += n;
    return all;
  }

  resetCounts(): void {
    this.requests.length = 0;
    this.counts.clear();
    this.peak = this.active;
    this.wavesStarted = this.active > 0 ? 1 : 0; // requests still in flight make the first wave
  }

  /** Requests received and not yet answered (or dropped): what a concurrency test counts, rather than timing them. */
  get inFlight(): number {
    return this.active;
  }

  /** The most requests in flight at once since the start or the last resetCounts. */
  get maxInFlight(): number {
    return this.peak;
  }

  /** How many waves of requests (see RecordedRequest.wave) since the start or the last resetCounts. */
  get waves(): number {
    return this.wavesStarted;
  }

  private record(record: RecordedRequest): void {
    this.requests.push(record);
    if (this.requests.length > this.recordLimit) this.requests.shift();
    this.counts.set(record.cloud, (this.counts.get(record.cloud) ?? 0) + 1);
  }

  private async serve(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    // A client may hang up mid-body or send too much: the emulator answers or drops that request, and serves on.
    const chunks = await readBody(req, res);
    if (!chunks) return;
    const [rawPathWithPrefix, rawQuery = ''] = (req.url ?? '/').split(/\?(.*)/s, 2);
    const match = /^\/([a-z]+)(\/.*)?$/.exec(rawPathWithPrefix);
    const cloud = match?.[1] as CloudName | undefined;
    if (!cloud || !EMULATED_CLOUDS.includes(cloud) || !this.catalog[cloud]) {
      return this.reply(res, {
        status: 404,
        body: { error: `no cloud is served at ${rawPathWithPrefix}; the emulator serves /${Object.keys(this.catalog).join(', /')}` },
      });
    }
    const request: EmulatorRequest = {
      cloud,
      method: req.method ?? 'GET',
      path: match?.[2] ?? '/',
      rawPath: rawPathWithPrefix,
      query: new URLSearchParams(rawQuery),
      rawQuery,
      headers: req.headers,
      body: Buffer.concat(chunks).toString('utf8'),
    };
    const api = apiFor(cloud);
    const wave = this.active === 0 ? ++this.wavesStarted : this.wavesStarted;
    const record: RecordedRequest = { cloud, method: request.method, path: request.path, query: queryRecord(request.query), status: 0, wave };
    this.record(record);
    this.peak = Math.max(this.peak, ++this.active);
    res.once('close', () => this.active--); // answered, cut off, or the client hung up
    const answerAt = performance.now() + this.latencyMs;
    // A client that hangs up while it waits gets nothing more: the answer would go nowhere.
    if (this.latencyMs > 0 && !this.workDuringLatency && !(await waitUnlessHungUp(this.latencyMs, res))) return;
    // Working during the wait: first let the requests that arrived together be timed from their arrival, not from
    // the end of the work on the ones before them.
    if (this.workDuringLatency) await new Promise((resolve) => setImmediate(resolve));

    const fault = this.takeFault(request);
    if (fault) record.fault = fault.kind;
    if (fault?.kind === 'delay' && !(await waitUnlessHungUp(fault.delayMs ?? 1000, res))) return;
    if (fault?.kind === 'reset') {
      record.status = -1;
      req.socket.destroy();
      return;
    }
    let reply: EmulatorReply;
    if (fault?.kind === 'throttle') reply = api.throttled(request);
    else if (fault?.kind === 'server-error') reply = api.serverError(request);
    else if (fault?.kind === 'invalid-json')
      reply = { status: 200, headers: { 'content-type': 'application/json' }, body: '{"Images": [ <html>502 Bad Gateway' };
    else if (fault?.kind === 'wrong-shape') reply = { status: 200, body: { unexpected: 'shape', items: 'not a list' } };
    else {
      let context = this.state.get(cloud);
      if (!context) this.state.set(cloud, (context = new Map<string, unknown>()));
      try {
        reply = api.handle(request, { catalog: this.catalog[cloud], now: () => Math.floor(Date.now() / 1000) + this.clockSkewSeconds, state: context });
      } catch (err) {
        reply = { status: 500, body: { error: `emulator bug: ${(err as Error).message}` } };
      }
    }
    record.status = reply.status;
    const rest = answerAt - performance.now();
    if (this.workDuringLatency && rest > 0 && !(await waitUnlessHungUp(rest, res))) return;
    if (fault?.kind === 'truncate') {
      const body = typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body);
      res.writeHead(reply.status, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) });
      res.write(body.slice(0, Math.floor(body.length / 2)));
      setTimeout(() => req.socket.destroy(), 5);
      return;
    }
    this.reply(res, reply);
  }

  private takeFault(request: EmulatorRequest): Fault | undefined {
    for (const fault of this.faults) {
      if (fault.cloud && fault.cloud !== request.cloud) continue;
      if (fault.hits >= (fault.times ?? 1)) continue; // spent: its `when` is not asked again
      if (fault.when && !fault.when(request)) continue;
      fault.seen++;
      if (fault.seen <= (fault.after ?? 0)) continue;
      fault.hits++;
      return fault;
    }
    return undefined;
  }

  private reply(res: http.ServerResponse, reply: EmulatorReply): void {
    const isText = typeof reply.body === 'string';
    const body = isText ? (reply.body as string) : JSON.stringify(reply.body);
    res.writeHead(reply.status, { 'content-type': isText ? 'text/plain; charset=utf-8' : 'application/json', ...reply.headers });
    res.end(body);
  }
}

function queryRecord(query: URLSearchParams): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const key of new Set(query.keys())) {
    const values = query.getAll(key);
    out[key] = values.length === 1 ? values[0] : values;
  }
  return out;
}

/** The request body, or undefined when the client hung up (nothing to answer) or sent more than
 * MAX_REQUEST_BODY_BYTES (answered 413, and the connection closed rather than the rest read). */
function readBody(req: http.IncomingMessage, res: http.ServerResponse): Promise<Buffer[] | undefined> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const settle = (value: Buffer[] | undefined) => {
      if (!settled) {
        settled = true;
        resolve(value);
      }
    };
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (settled) {
        // After the 413, the rest is read and dropped for a moment (closing at once would reset the connection
        // before a client still sending could read the answer), then the connection is closed.
        if (size > LINGER_BYTES) req.socket.destroy();
        return;
      }
      if (size <= MAX_REQUEST_BODY_BYTES) return void chunks.push(chunk);
      chunks.length = 0;
      settle(undefined);
      res.writeHead(413, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: `the request body is larger than ${MAX_REQUEST_BODY_BYTES} bytes, the most the emulator reads` }));
      setTimeout(() => req.socket.destroy(), LINGER_MS).unref();
    });
    req.once('end', () => settle(chunks));
    // A client that hangs up mid-body: 'error' (ECONNRESET) or just 'close' before 'end'.
    req.once('error', () => settle(undefined));
    req.once('close', () => settle(undefined));
  });
}

/** Waits `ms`; false as soon as the client has gone (the connection closed before the answer). */
function waitUnlessHungUp(ms: number, res: http.ServerResponse): Promise<boolean> {
  return new Promise<boolean>((resolve) => {
    const hungUp = () => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      res.off('close', hungUp);
      resolve(true);
    }, ms);
    res.once('close', hungUp);
  });
}

export type { Catalog, CloudCatalog };
