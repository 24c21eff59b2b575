/**
 * The HTTP layer every cloud client uses: one `got` instance (loaded lazily: it is ESM-only and costs start-up
 * time), our own retry loop (clouds report throttling inside 200 answers too, so only the cloud can say what an
 * answer means), signing before every attempt (fresh nonces and timestamps), timeouts, proxies from the
 * environment, bodies bounded after decompression, and masked debug logs.
 */
import type { Got } from 'got' with { 'resolution-mode': 'import' };
import { CloudApiError, ResponseTooLargeError, ThrottlingError } from '../errors';
import { redact, redactBody, redactHeaders, redactUrl } from '../redact';
import { quoteServerText } from '../text';
import { checkEndpoint } from './transport';
import { describeFailure } from './failures';
import { proxyFor, ProxyRoute } from './proxy';
import { MAX_RESPONSE_VARIABLE, MIB, readTransportSettings } from './settings';
import { backoffDelay, DEFAULT_RETRY, RetryPolicy, sleep } from './retry';
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

/** What an answer means, as the cloud decides. */
export type Interpretation<T> =
  | { ok: true; value: T }
  | { ok: false; error: CloudApiError; retry: boolean };

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
  /** Largest answer read, after decompression; defaults to CLOUDIMAGES_MAX_RESPONSE_MB. */
  maxResponseBytes?: number;
  retry?: Partial<RetryPolicy>;
  /** Writes masked request lines; defaults to CLOUDIMAGES_DEBUG. */
  debug?: boolean;
  log?: (line: string) => void;
}

let gotPromise: Promise<Got> | undefined;
// TypeScript compiles import() to require() for CommonJS; this keeps a real dynamic import for ESM-only got.
// The comment with a per-load nonce keeps V8 from reusing a cached compilation of this function across vm
// contexts (Node 20): a reused one resolves import() with the first context's loader, which under Jest is a
// torn-down test file ("Cannot read properties of undefined (reading 'identifier')").
const importEsm = new Function('specifier', `return import(specifier); // ${process.hrtime.bigint()}`) as (specifier: string) => Promise<{ default: Got }>;
function loadGot(): Promise<Got> {
  gotPromise ??= importEsm('got').then((m) => m.default);
  return gotPromise;
}

export class HttpClient {
  readonly timeoutMs: number;
  readonly maxResponseBytes: number;
  readonly retry: RetryPolicy;
  private readonly debug: boolean;
  private readonly log: (line: string) => void;
  /** Requests actually sent (every attempt), for tests and benchmarks. */
  sent = 0;

  constructor(options: HttpClientOptions = {}) {
    const fromEnv = options.timeoutMs === undefined || options.maxResponseBytes === undefined ? readTransportSettings(process.env) : undefined;
    this.timeoutMs = options.timeoutMs ?? fromEnv!.timeoutMs;
    this.maxResponseBytes = options.maxResponseBytes ?? fromEnv!.maxResponseBytes;
    this.retry = { ...DEFAULT_RETRY, ...options.retry };
    this.debug = options.debug ?? ['1', 'true'].includes(process.env.CLOUDIMAGES_DEBUG ?? '');
    this.log = options.log ?? ((line) => process.stderr.write(`${line}\n`));
  }

  async send<T>(spec: RequestSpec<T>): Promise<T> {
    checkEndpoint(spec.request.url, 'endpoint');
    const proxy = proxyFor(spec.request.url);
    const got = await loadGot();
    let lastError: CloudApiError | undefined;
    for (let attempt = 1; attempt <= this.retry.maxAttempts; attempt++) {
      const request = spec.sign ? spec.sign({ ...spec.request, headers: { ...spec.request.headers } }) : spec.request;
      const started = Date.now();
      let outcome: Interpretation<T>;
      let retryAfter: string | undefined;
      try {
        this.sent++;
        const response = await this.exchange(got, request, proxy, spec);
        const ra = response.headers['retry-after'];
        retryAfter = Array.isArray(ra) ? ra[0] : ra;
        this.trace(request, `${response.status}`, started, attempt);
        // Masked before anything reads it: an answer that echoes a credential (in any encoding) cannot carry it
        // into a parsed value, a quoted snippet or a cut message.
        outcome = spec.interpret({ ...response, body: redact(response.body) });
      } catch (err) {
        this.trace(request, (err as { code?: string }).code || 'error', started, attempt);
        if (err instanceof ResponseTooLargeError) throw err; // as large the next time
        const failure = describeFailure(err, { cloud: spec.cloud, operation: spec.operation, url: request.url, timeoutMs: this.timeoutMs, proxy });
        outcome = { ok: false, ...failure };
      }
      if (outcome.ok) return outcome.value;
      lastError = outcome.error;
      if (!outcome.retry || attempt === this.retry.maxAttempts) break;
      spec.onRetry?.(outcome.error);
      await sleep(backoffDelay(this.retry, attempt, retryAfter));
    }
    if (lastError instanceof ThrottlingError) {
      throw new ThrottlingError(`still throttled after ${this.retry.maxAttempts} attempts; wait and retry, or lower request volume`, {
        cloud: lastError.cloud, cloudCode: lastError.cloudCode, httpStatus: lastError.httpStatus, requestId: lastError.requestId, operation: lastError.operation ?? spec.operation, cause: lastError,
      });
    }
    throw lastError!;
  }

  /**
   * One attempt, streamed: the body is counted as it arrives, after decompression (gzip, deflate, br), and the
   * connection is cut the moment it passes the cap, so a compression bomb or an endless answer costs at most
   * the cap in memory and never more time than it takes to read that much.
   */
  private exchange(got: Got, request: OutgoingRequest, proxy: ProxyRoute | undefined, spec: RequestSpec<unknown>): Promise<HttpResponse> {
    const cap = this.maxResponseBytes;
    const tooLarge = (what: string) => new ResponseTooLargeError(
      `the answer ${what} ${formatMiB(cap)}, the limit set by ${MAX_RESPONSE_VARIABLE.name}; reading stopped. Narrow the query, or raise ${MAX_RESPONSE_VARIABLE.name} (in MiB) if the answer is really this large`,
      { cloud: spec.cloud, operation: spec.operation },
    );
    return new Promise<HttpResponse>((resolve, reject) => {
      const stream = got.stream(request.url, {
        method: request.method,
        headers: { 'user-agent': USER_AGENT, ...request.headers },
        body: request.body,
        throwHttpErrors: false,
        followRedirect: false,
        retry: { limit: 0 },
        timeout: { request: this.timeoutMs },
        ...(proxy ? { agent: proxy.agent } : {}),
      });
      const chunks: Buffer[] = [];
      let size = 0;
      let head: { status: number; headers: HttpResponse['headers'] } | undefined;
      const fail = (error: Error) => {
        reject(error);
        stream.destroy();
        chunks.length = 0; // let the collected part go now, not when the promise is collected
      };
      stream.once('response', (response: { statusCode: number; headers: HttpResponse['headers'] }) => {
        head = { status: response.statusCode, headers: response.headers };
        const encoding = response.headers['content-encoding'];
        const declared = Number(response.headers['content-length']);
        if ((!encoding || encoding === 'identity') && declared > cap) fail(tooLarge(`declares ${declared} bytes, above`));
      });
      stream.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > cap) fail(tooLarge('grew past'));
        else chunks.push(chunk);
      });
      stream.once('end', () => resolve({ status: head!.status, headers: head!.headers, body: Buffer.concat(chunks, size).toString('utf8') }));
      stream.once('error', reject);
    });
  }

  private trace(request: OutgoingRequest, result: string, started: number, attempt: number): void {
    if (!this.debug) return;
    const headers = JSON.stringify(redactHeaders(request.headers));
    const body = request.body ? ` body=${redactBody(request.body)}` : '';
    this.log(`[cloudimages] ${request.method} ${redactUrl(request.url)} headers=${headers}${body} -> ${result} (${Date.now() - started} ms, attempt ${attempt})`);
  }
}

/** Parses a (masked) JSON body; an unparseable one is a retryable error (a proxy's HTML page, a cut-off answer). */
export function parseJsonBody(response: HttpResponse, cloud: string, operation: string): { ok: true; value: unknown } | { ok: false; error: CloudApiError; retry: boolean } {
  try {
    const value: unknown = JSON.parse(response.body);
    if (!response.body.includes('\\u')) return { ok: true, value };
    // `\u` escapes can spell a credential past the mask on the raw text (send() masked it): mask the decoded text too.
    const decoded = JSON.stringify(value);
    const masked = redact(decoded);
    return { ok: true, value: masked === decoded ? value : JSON.parse(masked) };
  } catch {
    return {
      ok: false,
      retry: true,
      error: new CloudApiError(`the answer is not valid JSON (${response.body.length} bytes, starting ${quoteServerText(response.body, 40)})`, { cloud, operation, httpStatus: response.status }),
    };
  }
}

function formatMiB(bytes: number): string {
  return `${Math.round((bytes / MIB) * 100) / 100} MiB`;
}
