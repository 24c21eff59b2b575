/**
 * The HTTP layer every cloud client uses: one `got` instance (loaded lazily: it is ESM-only and costs start-up
 * time), our own retry loop (clouds report throttling inside 200 answers too, so only the cloud can say what an
 * answer means), signing before every attempt (fresh nonces and timestamps), timeouts, proxies from the
 * environment, bodies bounded after decompression, and masked debug logs.
 */
import type { Got } from 'got' with { 'resolution-mode': 'import' };
import { request as httpRequest, ClientRequest, IncomingMessage, RequestOptions } from 'http';
import { request as httpsRequest } from 'https';
import { CancelledError, CloudApiError, PagingError, ResponseTooLargeError, ThrottlingError, TimeoutError } from '../errors';
import { redactBody, redactHeaders, redactServerText, redactUrl } from '../redact';
import { quoteServerText } from '../text';
import { checkEndpoint } from './transport';
import { describeFailure } from './failures';
import { proxyFor, ProxyRoute } from './proxy';
import { DEADLINE_VARIABLE, MAX_LISTING_VARIABLE, MAX_RESPONSE_VARIABLE, MIB, readTransportSettings } from './settings';
import { LookupScope, sleepWithin } from './scope';
import { DEFAULT_RETRY, parseRetryAfter, RetryPolicy, RetryStrategy, sleep, standardRetryStrategy } from './retry';
import type { Failure } from './classify';
import { USER_AGENT } from '../version';

export interface OutgoingRequest {
  method: 'GET' | 'POST';
  url: string;
  headers: Record<string, string>;
  body?: string;
}

export interface HttpResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** What an answer means, as the cloud decides: a value, or a classified failure (classify.ts). */
export type Interpretation<T> = { ok: true; value: T } | ({ ok: false } & Failure);

export interface RequestSpec<T> {
  cloud: string;
  /** For messages: `DescribeImages page 3`. */
  operation: string;
  request: OutgoingRequest;
  /** Runs before every attempt, so a timestamp or nonce in the signature is fresh each time. */
  sign?: (request: OutgoingRequest) => OutgoingRequest;
  interpret: (response: HttpResponse) => Interpretation<T>;
  /** Told about every retried answer (adaptive concurrency listens for throttling). */
  onRetry?: (error: CloudApiError) => void;
}

export interface HttpClientOptions {
  /** Per attempt; defaults to CLOUDIMAGES_TIMEOUT_MS. */
  timeoutMs?: number;
  /** Per lookup (see forLookup); defaults to CLOUDIMAGES_DEADLINE_MS. */
  deadlineMs?: number;
  /** Largest answer read, after decompression; defaults to CLOUDIMAGES_MAX_RESPONSE_MB. */
  maxResponseBytes?: number;
  /** Most read by one lookup (forLookup), every answer together; defaults to CLOUDIMAGES_MAX_LISTING_MB. */
  maxListingBytes?: number;
  retry?: Partial<RetryPolicy>;
  /** Decides whether and when to retry; defaults to the standard strategy built from `retry`. */
  retryStrategy?: RetryStrategy;
  /** Writes masked request lines; defaults to CLOUDIMAGES_DEBUG. */
  debug?: boolean;
  log?: (line: string) => void;
}

let loaded: Got | undefined;
// got 14 is ESM-only; `npm run build` bundles it as CommonJS (scripts/bundle.js), so a plain require works in every
// test runner's sandbox (jest needs no --experimental-vm-modules) and every supported Node. Loaded on first use.
function loadGot(): Got {
  /* eslint-disable-next-line @typescript-eslint/no-require-imports */
  loaded ??= (require('./vendor/got.js') as { default: Got }).default;
  return loaded;
}

/** What one lookup's requests have done so far: for a progress line, never for a decision. */
export interface LookupProgress {
  /** Requests answered (pages read). */
  done: number;
  /** Requests sent and not yet answered. */
  inFlight: number;
  /** Requests the lookup knows it will make (a cloud that learns its page count says so); 0 while unknown. */
  expected: number;
}
export type ProgressListener = (progress: Readonly<LookupProgress>) => void;

export class HttpClient {
  readonly timeoutMs: number;
  readonly deadlineMs: number;
  readonly maxResponseBytes: number;
  readonly maxListingBytes: number;
  readonly retry: RetryPolicy;
  readonly retryStrategy: RetryStrategy;
  /** Set on the client of one lookup (forLookup): its deadline and cancellation. */
  readonly scope?: LookupScope;
  private readonly debug: boolean;
  private readonly log: (line: string) => void;
  /** Shared by a client and its per-lookup views. */
  private readonly counters = { sent: 0, inFlight: 0 };
  /** Set on the client of one lookup that asked for progress (forLookup). */
  private readonly progress?: { state: LookupProgress; listener: ProgressListener };

  constructor(options: HttpClientOptions = {}) {
    const fromEnv = readTransportSettings(process.env, options);
    this.timeoutMs = options.timeoutMs ?? fromEnv.timeoutMs;
    this.deadlineMs = options.deadlineMs ?? fromEnv.deadlineMs;
    this.maxResponseBytes = options.maxResponseBytes ?? fromEnv.maxResponseBytes;
    this.maxListingBytes = options.maxListingBytes ?? fromEnv.maxListingBytes;
    this.retry = { ...DEFAULT_RETRY, ...options.retry };
    this.retryStrategy = options.retryStrategy ?? standardRetryStrategy(this.retry);
    this.debug = options.debug ?? ['1', 'true'].includes(process.env.CLOUDIMAGES_DEBUG ?? '');
    this.log = options.log ?? ((line) => process.stderr.write(`${line}\n`));
  }

  /** Requests actually sent (every attempt), for tests and benchmarks; a lookup's view counts into its client's. */
  get sent(): number {
    return this.counters.sent;
  }

  /** Attempts started and not yet settled (answered, failed or aborted). */
  get inFlight(): number {
    return this.counters.inFlight;
  }

  /**
   * The same client for one lookup: every request made through it counts against one deadline (`deadlineMs` from
   * now) and is aborted when any of them fails for good. Connections stay shared with the parent client.
   */
  forLookup(deadlineMs = this.deadlineMs, onProgress?: ProgressListener): HttpClient {
    const view = Object.create(this) as HttpClient;
    Object.defineProperty(view, 'scope', { value: new LookupScope(deadlineMs), enumerable: true });
    if (onProgress) Object.defineProperty(view, 'progress', { value: { state: { done: 0, inFlight: 0, expected: 0 }, listener: onProgress } });
    return view;
  }

  /** A cloud that learns how many more requests its listing takes (a first page's total) says so, for progress. */
  expectRequests(count: number): void {
    this.reportProgress((state) => (state.expected += count));
  }

  private reportProgress(change: (state: LookupProgress) => void): void {
    if (!this.progress) return;
    change(this.progress.state);
    // A display must not break a lookup.
    try {
      this.progress.listener({ ...this.progress.state });
    } catch {
      // ignored
    }
  }

  async send<T>(spec: RequestSpec<T>): Promise<T> {
    checkEndpoint(spec.request.url, 'endpoint');
    const proxy = proxyFor(spec.request.url);
    const got = loadGot();
    const scope = this.scope;
    let lastError: CloudApiError | undefined;
    for (let attempt = 1; ; attempt++) {
      if (scope?.failed) throw new CancelledError(`${spec.cloud} ${spec.operation}`, scope.failure);
      const remaining = scope ? scope.remainingMs() : Infinity;
      if (remaining <= 0) return this.giveUp(deadlineError(spec, scope!, attempt - 1, lastError), attempt - 1);
      const request = spec.sign ? spec.sign({ ...spec.request, headers: { ...spec.request.headers } }) : spec.request;
      const started = Date.now();
      const timeoutMs = Math.min(this.timeoutMs, remaining);
      let outcome: Interpretation<T>;
      let retryAfter: string | undefined;
      try {
        this.counters.sent++;
        this.counters.inFlight++;
        this.reportProgress((state) => state.inFlight++);
        const response = await this.exchange(got, request, proxy, spec, timeoutMs).finally(() => {
          this.counters.inFlight--;
          this.reportProgress((state) => state.inFlight--);
        });
        const ra = response.headers['retry-after'];
        retryAfter = Array.isArray(ra) ? ra[0] : ra;
        this.trace(request, `${response.status}`, started, attempt);
        // Masked before anything reads it: an answer that echoes a credential (in any encoding, or a fragment of
        // one) cannot carry it into a parsed value, a quoted snippet or a cut message.
        outcome = spec.interpret({ ...response, body: redactServerText(response.body) });
      } catch (err) {
        this.trace(request, (err as { code?: string }).code || 'error', started, attempt);
        if (scope?.failed) throw new CancelledError(`${spec.cloud} ${spec.operation}`, scope.failure);
        if (err instanceof ResponseTooLargeError || err instanceof PagingError) return this.giveUp(err, attempt); // as large the next time
        outcome = { ok: false, ...describeFailure(err, { cloud: spec.cloud, operation: spec.operation, url: request.url, timeoutMs, proxy }) };
      }
      if (outcome.ok) {
        this.reportProgress((state) => state.done++);
        return outcome.value;
      }
      lastError = outcome.error;
      if (!this.retryStrategy.shouldRetry(outcome, attempt)) {
        return this.giveUp(outcome.kind === 'final' ? outcome.error : exhausted(spec, outcome.error, attempt), attempt);
      }
      const asked = parseRetryAfter(retryAfter);
      const delay = this.retryStrategy.delayMs(outcome, attempt, asked);
      if (scope) {
        // A wait the lookup cannot afford fails now, saying when the service asked to be asked again.
        const left = scope.remainingMs();
        if (asked !== undefined && asked >= left) return this.giveUp(comeBackLater(spec, scope, lastError, asked, left), attempt);
        if (delay >= left) return this.giveUp(deadlineError(spec, scope, attempt, lastError), attempt);
        spec.onRetry?.(outcome.error);
        await sleepWithin(delay, scope, `${spec.cloud} ${spec.operation}`);
      } else {
        spec.onRetry?.(outcome.error);
        await sleep(delay);
      }
    }
  }

  /** A final failure, after `attempts` attempts: the lookup's other requests stop, and this one rejects with it. */
  private giveUp(error: CloudApiError, attempts: number): never {
    error.attempts ??= attempts;
    this.scope?.fail(error);
    throw error;
  }

  /**
   * One attempt, streamed: the body is counted as it arrives, after decompression (gzip, deflate, br), and the
   * connection is cut the moment it passes the cap, so a compression bomb or an endless answer costs at most
   * the cap in memory and never more time than it takes to read that much.
   */
  private exchange(got: Got, request: OutgoingRequest, proxy: ProxyRoute | undefined, spec: RequestSpec<unknown>, timeoutMs: number): Promise<HttpResponse> {
    const cap = this.maxResponseBytes;
    const tooLarge = (what: string) =>
      new ResponseTooLargeError(
        `the answer ${what} ${formatMiB(cap)}, the limit set by ${MAX_RESPONSE_VARIABLE.name}; reading stopped. Narrow the query, or raise ${MAX_RESPONSE_VARIABLE.name} (in MiB) if the answer is really this large`,
        { cloud: spec.cloud, operation: spec.operation },
      );
    return new Promise<HttpResponse>((resolveOnce, rejectOnce) => {
      // The lookup's signal, listened to for this attempt only. (got's own `signal` option keeps its listener until
      // the stream is destroyed, which a completed request never is: every page of a lookup stayed referenced.)
      const signal = this.scope?.signal;
      const onAbort = () => fail(signal!.reason instanceof Error ? signal!.reason : new Error('the lookup failed'));
      const settled = () => signal?.removeEventListener('abort', onAbort);
      const resolve = (response: HttpResponse) => (settled(), resolveOnce(response));
      const reject = (error: Error) => (settled(), rejectOnce(error));
      const stream = got.stream(request.url, {
        method: request.method,
        headers: { 'user-agent': USER_AGENT, ...request.headers },
        body: request.body,
        throwHttpErrors: false,
        followRedirect: false,
        retry: { limit: 0 },
        timeout: { request: timeoutMs },
        // Through a proxy, the native request carries the attempt's timeout: the proxy agent gives it to its CONNECT
        // request, which would otherwise wait forever for a proxy that never answers (got's own timer cannot end a
        // request that is still waiting for its socket).
        ...(proxy ? { agent: proxy.agent, request: withConnectTimeout(timeoutMs) } : {}),
      });
      const chunks: Buffer[] = [];
      let size = 0;
      let head: { status: number; headers: HttpResponse['headers'] } | undefined;
      const fail = (error: Error) => {
        reject(error);
        stream.destroy();
        chunks.length = 0; // let the collected part go now, not when the promise is collected
      };
      if (signal?.aborted) return onAbort();
      signal?.addEventListener('abort', onAbort, { once: true });
      stream.once('response', (response: { statusCode: number; headers: HttpResponse['headers'] }) => {
        head = { status: response.statusCode, headers: response.headers };
        const encoding = response.headers['content-encoding'];
        const declared = Number(response.headers['content-length']);
        if ((!encoding || encoding === 'identity') && declared > cap) fail(tooLarge(`declares ${declared} bytes, above`));
      });
      const scope = this.scope;
      stream.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > cap) return fail(tooLarge('grew past'));
        // Memory is bounded per lookup too: a listing of fresh IDs page after page, each under the answer cap.
        if (scope && (scope.bytesRead += chunk.length) > this.maxListingBytes) return fail(listingTooLarge(spec, this.maxListingBytes));
        chunks.push(chunk);
      });
      stream.once('end', () => resolve({ status: head!.status, headers: head!.headers, body: Buffer.concat(chunks, size).toString('utf8') }));
      stream.once('error', reject);
    });
  }

  private trace(request: OutgoingRequest, result: string, started: number, attempt: number): void {
    if (!this.debug) return;
    const headers = JSON.stringify(redactHeaders(request.headers));
    const body = request.body ? ` body=${redactBody(request.body)}` : '';
    this.log(
      `[cloudimages] ${request.method} ${redactUrl(request.url)} headers=${headers}${body} -> ${result} (${Date.now() - started} ms, attempt ${attempt})`,
    );
  }
}

/** Parses a (masked) JSON body; an unparseable one is a retryable error (a proxy's HTML page, a cut-off answer). */
export function parseJsonBody(response: HttpResponse, cloud: string, operation: string): { ok: true; value: unknown } | ({ ok: false } & Failure) {
  try {
    // A UTF-8 byte-order mark is no part of the JSON text (RFC 8259 §8.1 lets a parser ignore it).
    const value: unknown = JSON.parse(response.body.charCodeAt(0) === 0xfeff ? response.body.slice(1) : response.body);
    if (!response.body.includes('\\u')) return { ok: true, value };
    // `\u` escapes can spell a credential past the mask on the raw text (send() masked it): mask the decoded text too.
    const decoded = JSON.stringify(value);
    const masked = redactServerText(decoded);
    return { ok: true, value: masked === decoded ? value : JSON.parse(masked) };
  } catch {
    return {
      ok: false,
      kind: 'transient',
      error: new CloudApiError(`the answer is not valid JSON (${response.body.length} bytes, starting ${quoteServerText(response.body, 40)})`, {
        cloud,
        operation,
        httpStatus: response.status,
      }),
    };
  }
}

function exhausted(spec: RequestSpec<unknown>, last: CloudApiError, attempts: number): CloudApiError {
  if (!(last instanceof ThrottlingError)) return last;
  return new ThrottlingError(`still throttled after ${attempts} attempts; wait and retry, or lower request volume`, {
    cloud: last.cloud,
    cloudCode: last.cloudCode,
    httpStatus: last.httpStatus,
    requestId: last.requestId,
    operation: last.operation ?? spec.operation,
    cause: last,
  });
}

/** The lookup's time is up (CLOUDIMAGES_DEADLINE_MS): say so, with the last thing that went wrong. */
function deadlineError(spec: RequestSpec<unknown>, scope: LookupScope, attempts: number, last: CloudApiError | undefined): TimeoutError {
  const tried = attempts > 0 ? ` after ${attempts} attempt${attempts === 1 ? '' : 's'} of this request` : '';
  return new TimeoutError(
    `the lookup ran out of time${tried}: it may take ${scope.deadlineMs} ms in all (${DEADLINE_VARIABLE.name}), pages, retries and waits included${last ? `; the last attempt: ${last.message}` : ''}`,
    { cloud: spec.cloud, operation: spec.operation, httpStatus: last?.httpStatus, requestId: last?.requestId, cause: last },
  );
}

/** The service asked to be asked again later than the lookup's deadline allows. */
function comeBackLater(spec: RequestSpec<unknown>, scope: LookupScope, last: CloudApiError, askedMs: number, leftMs: number): ThrottlingError {
  // A wait past what a date can hold (Retry-After: 9999999999999) has no time to name.
  const when = new Date(Date.now() + askedMs);
  const valid = !Number.isNaN(when.getTime());
  const at = valid ? when.toISOString().replace(/\.\d{3}Z$/, 'Z') : 'a time no date can hold';
  return new ThrottlingError(
    `the service asked to retry in ${formatSeconds(askedMs)} (at ${at}), past this lookup's deadline (${formatSeconds(Math.max(0, leftMs))} left of ${DEADLINE_VARIABLE.name}=${scope.deadlineMs}); ${valid ? `try again after ${at}` : 'try again later'}${last.message ? `. The answer: ${last.message}` : ''}`,
    {
      cloud: last.cloud,
      cloudCode: last.cloudCode,
      httpStatus: last.httpStatus,
      requestId: last.requestId,
      operation: last.operation ?? spec.operation,
      cause: last,
    },
  );
}

/** A lookup that read more than CLOUDIMAGES_MAX_LISTING_MB in all: a listing no real catalog makes. */
function listingTooLarge(spec: RequestSpec<unknown>, limit: number): PagingError {
  return new PagingError(
    `the answers of this lookup grew past ${formatMiB(limit)} in all, the limit set by ${MAX_LISTING_VARIABLE.name} (a real catalog lists in a few MiB); reading stopped, as the server seems to list without end. Narrow the query, or raise ${MAX_LISTING_VARIABLE.name} (in MiB) if the catalog is really this large`,
    { cloud: spec.cloud, operation: spec.operation },
  );
}

/** Node's request function, with `timeout` set so a proxy agent's CONNECT ends after that long without an answer. */
function withConnectTimeout(timeoutMs: number) {
  return (url: URL, options: RequestOptions, callback?: (response: IncomingMessage) => void): ClientRequest =>
    (url.protocol === 'https:' ? httpsRequest : httpRequest)(url, { ...options, timeout: timeoutMs }, callback);
}

function formatSeconds(ms: number): string {
  return `${Math.round(ms / 100) / 10} s`;
}

function formatMiB(bytes: number): string {
  return `${Math.round((bytes / MIB) * 100) / 100} MiB`;
}
