/**
 * The HTTP layer every cloud client uses: one `got` instance (loaded lazily: it is ESM-only and costs start-up
 * time), our own retry loop (clouds report throttling inside 200 answers too, so only the cloud can say what an
 * answer means), signing before every attempt (fresh nonces and timestamps), timeouts, and masked debug logs.
 */
import type { Got } from 'got' with { 'resolution-mode': 'import' };
import { CloudApiError, ThrottlingError, TimeoutError } from '../errors';
import { redactBody, redactHeaders, redactUrl } from '../redact';
import { checkEndpoint } from './transport';
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
  timeoutMs?: number;
  retry?: Partial<RetryPolicy>;
  /** Writes masked request lines; defaults to CLOUDIMAGES_DEBUG. */
  debug?: boolean;
  log?: (line: string) => void;
}

/** Errors from the connection itself (reset, refused, cut short): worth retrying for reads. */
const TRANSIENT_NETWORK_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'EAI_AGAIN', 'ERR_STREAM_PREMATURE_CLOSE']);

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
  readonly retry: RetryPolicy;
  private readonly debug: boolean;
  private readonly log: (line: string) => void;
  /** Requests actually sent (every attempt), for tests and benchmarks. */
  sent = 0;

  constructor(options: HttpClientOptions = {}) {
    this.timeoutMs = options.timeoutMs ?? (Number(process.env.CLOUDIMAGES_TIMEOUT_MS) || 30_000);
    this.retry = { ...DEFAULT_RETRY, ...options.retry };
    this.debug = options.debug ?? ['1', 'true'].includes(process.env.CLOUDIMAGES_DEBUG ?? '');
    this.log = options.log ?? ((line) => process.stderr.write(`${line}\n`));
  }

  async send<T>(spec: RequestSpec<T>): Promise<T> {
    checkEndpoint(spec.request.url, 'endpoint');
    const got = await loadGot();
    let lastError: CloudApiError | undefined;
    for (let attempt = 1; attempt <= this.retry.maxAttempts; attempt++) {
      const request = spec.sign ? spec.sign({ ...spec.request, headers: { ...spec.request.headers } }) : spec.request;
      const started = Date.now();
      let outcome: Interpretation<T>;
      let retryAfter: string | undefined;
      try {
        this.sent++;
        const response = await got(request.url, {
          method: request.method,
          headers: { 'user-agent': USER_AGENT, ...request.headers },
          body: request.body,
          throwHttpErrors: false,
          followRedirect: false,
          retry: { limit: 0 },
          timeout: { request: this.timeoutMs },
        });
        const ra = response.headers['retry-after'];
        retryAfter = Array.isArray(ra) ? ra[0] : ra;
        this.trace(request, `${response.statusCode}`, started, attempt);
        outcome = spec.interpret({ status: response.statusCode, headers: response.headers, body: response.body });
      } catch (err) {
        const code = (err as { code?: string }).code ?? '';
        this.trace(request, code || 'error', started, attempt);
        if (code === 'ETIMEDOUT' && (err as { name?: string }).name === 'TimeoutError') {
          outcome = {
            ok: false,
            retry: true,
            error: new TimeoutError(`no answer within ${this.timeoutMs} ms from ${redactUrl(request.url).split('?')[0]}`, { cloud: spec.cloud, operation: spec.operation }),
          };
        } else {
          outcome = {
            ok: false,
            retry: TRANSIENT_NETWORK_CODES.has(code) || /premature|aborted|socket hang up/i.test((err as Error).message),
            error: new CloudApiError(`request to ${redactUrl(request.url).split('?')[0]} failed: ${code || (err as Error).message}`, { cloud: spec.cloud, operation: spec.operation }),
          };
        }
      }
      if (outcome.ok) return outcome.value;
      lastError = outcome.error;
      if (!outcome.retry || attempt === this.retry.maxAttempts) break;
      spec.onRetry?.(outcome.error);
      await sleep(backoffDelay(this.retry, attempt, retryAfter));
    }
    if (lastError instanceof ThrottlingError) {
      throw new ThrottlingError(`still throttled after ${this.retry.maxAttempts} attempts; wait and retry, or lower request volume`, {
        cloud: lastError.cloud, cloudCode: lastError.cloudCode, httpStatus: lastError.httpStatus, requestId: lastError.requestId, operation: lastError.operation ?? spec.operation,
      });
    }
    throw lastError!;
  }

  private trace(request: OutgoingRequest, result: string, started: number, attempt: number): void {
    if (!this.debug) return;
    const headers = JSON.stringify(redactHeaders(request.headers));
    const body = request.body ? ` body=${redactBody(request.body)}` : '';
    this.log(`[cloudimages] ${request.method} ${redactUrl(request.url)} headers=${headers}${body} -> ${result} (${Date.now() - started} ms, attempt ${attempt})`);
  }
}

/** Parses a JSON body; an unparseable one is a retryable error (a proxy's HTML page, a cut-off answer). */
export function parseJsonBody(response: HttpResponse, cloud: string, operation: string): { ok: true; value: unknown } | { ok: false; error: CloudApiError; retry: boolean } {
  try {
    return { ok: true, value: JSON.parse(response.body) };
  } catch {
    return {
      ok: false,
      retry: true,
      error: new CloudApiError(`the answer is not valid JSON (${response.body.length} bytes, starting ${JSON.stringify(response.body.slice(0, 40))})`, { cloud, operation, httpStatus: response.status }),
    };
  }
}
