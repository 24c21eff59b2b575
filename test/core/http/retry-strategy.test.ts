import fc from 'fast-check';
import { HttpClient, HttpResponse, Interpretation } from '../../../provider/core/http/client';
import { Failure, FailureKind, kindOfStatus } from '../../../provider/core/http/classify';
import { MAX_RETRY_AFTER_MS, RetryStrategy, standardRetryStrategy } from '../../../provider/core/http/retry';
import { CloudApiError, ThrottlingError } from '../../../provider/core/errors';
import { localServer } from '../../helpers/server';

const KINDS: FailureKind[] = ['transient', 'throttled', 'final'];
const failureOf = (kind: FailureKind): Failure => ({ kind, error: new CloudApiError('x', { cloud: 'toy' }) });
const policies = fc.record({
  maxAttempts: fc.integer({ min: 1, max: 10 }),
  baseDelayMs: fc.integer({ min: 0, max: 10_000 }),
  maxDelayMs: fc.integer({ min: 0, max: 60_000 }),
});
const randoms = fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true });

describe('the standard retry strategy', () => {
  it('never retries a final failure, and retries the others while attempts are left', () => {
    fc.assert(
      fc.property(policies, fc.constantFrom(...KINDS), fc.integer({ min: 1, max: 12 }), (policy, kind, attempt) => {
        const retry = standardRetryStrategy(policy).shouldRetry(failureOf(kind), attempt);
        expect(retry).toBe(kind !== 'final' && attempt < policy.maxAttempts);
      }),
    );
  });

  it('waits between 0 and maxDelayMs without a Retry-After', () => {
    fc.assert(
      fc.property(policies, fc.constantFrom(...KINDS), fc.integer({ min: 1, max: 40 }), randoms, (policy, kind, attempt, random) => {
        const delay = standardRetryStrategy(policy, () => random).delayMs(failureOf(kind), attempt, undefined);
        expect(delay).toBeGreaterThanOrEqual(0);
        expect(delay).toBeLessThanOrEqual(policy.maxDelayMs);
      }),
    );
  });

  it('waits what the server asked (Retry-After), up to MAX_RETRY_AFTER_MS, whatever its back-off cap', () => {
    fc.assert(
      fc.property(
        policies,
        fc.constantFrom(...KINDS),
        fc.integer({ min: 1, max: 10 }),
        fc.integer({ min: 0, max: 10 * MAX_RETRY_AFTER_MS }),
        (policy, kind, attempt, asked) => {
          expect(standardRetryStrategy(policy).delayMs(failureOf(kind), attempt, asked)).toBe(Math.min(asked, MAX_RETRY_AFTER_MS));
        },
      ),
    );
  });

  it("waits alike for throttled and transient failures (today's behaviour)", () => {
    fc.assert(
      fc.property(policies, fc.integer({ min: 1, max: 10 }), randoms, (policy, attempt, random) => {
        const strategy = standardRetryStrategy(policy, () => random);
        expect(strategy.delayMs(failureOf('throttled'), attempt, undefined)).toBe(strategy.delayMs(failureOf('transient'), attempt, undefined));
      }),
    );
  });
});

describe('kindOfStatus', () => {
  it('reads 429 as throttled, 5xx as transient, anything else as final', () => {
    fc.assert(
      fc.property(fc.integer({ min: 100, max: 599 }), (status) => {
        expect(kindOfStatus(status)).toBe(status === 429 ? 'throttled' : status >= 500 ? 'transient' : 'final');
      }),
    );
  });
});

describe('a strategy passed to the HTTP client', () => {
  const interpret = (res: HttpResponse): Interpretation<string> =>
    res.status === 200
      ? { ok: true, value: res.body }
      : res.status === 429
        ? { ok: false, kind: 'throttled', error: new ThrottlingError('slow down', { cloud: 'toy', httpStatus: 429 }) }
        : { ok: false, kind: kindOfStatus(res.status), error: new CloudApiError(`HTTP ${res.status}`, { cloud: 'toy', httpStatus: res.status }) };

  it("is the only one asked whether and how long: the loop follows its answers, with the server's Retry-After parsed", async () => {
    const asked: string[] = [];
    const strategy: RetryStrategy = {
      // Throttling three times, anything else never: a policy the default does not have.
      shouldRetry: (failure, attempt) => (asked.push(`retry? ${failure.kind} ${attempt}`), failure.kind === 'throttled' && attempt < 3),
      delayMs: (failure, attempt, retryAfterMs) => (asked.push(`how long? ${failure.kind} ${attempt} ${retryAfterMs}`), 1),
    };
    const server = await localServer((_req, res, hit) => (hit < 3 ? res.writeHead(429, { 'retry-after': '7' }).end() : res.writeHead(503).end()));
    try {
      const sent = new HttpClient({ timeoutMs: 2000, retryStrategy: strategy, retry: { maxAttempts: 1 } }).send({
        cloud: 'toy',
        operation: 'List',
        request: { method: 'GET', url: server.url, headers: {} },
        interpret,
      });
      await expect(sent).rejects.toMatchObject({ httpStatus: 503, attempts: 3 });
      expect(server.hits).toBe(3);
      expect(asked).toEqual(['retry? throttled 1', 'how long? throttled 1 7000', 'retry? throttled 2', 'how long? throttled 2 7000', 'retry? transient 3']);
    } finally {
      await server.close();
    }
  });
});
