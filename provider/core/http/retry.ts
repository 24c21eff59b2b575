/**
 * The retry strategy: two separate decisions, "retry?" and "how long?" (as aws-sdk-js-v3's standard strategy and
 * got's calculateDelay split them). The HTTP client's loop only asks; a client takes another strategy through
 * HttpClientOptions.retryStrategy. The lookup's deadline stays the loop's: it owns the clock and the scope.
 */
import type { Failure } from './classify';

/** Back-off: exponential with full jitter, and the server's Retry-After when it sends one. */
export interface RetryPolicy {
  /** Attempts in all, the first included. */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 5, baseDelayMs: 200, maxDelayMs: 5000 };

export const MAX_RETRY_AFTER_MS = 60_000;

export interface RetryStrategy {
  /** Whether to make another attempt after `attempt` attempts (1 after the first) ended in `failure`. */
  shouldRetry(failure: Failure, attempt: number): boolean;
  /** How long to wait before the next attempt; `retryAfterMs` is the server's Retry-After, parsed, if it sent one. */
  delayMs(failure: Failure, attempt: number, retryAfterMs: number | undefined): number;
}

/**
 * The standard strategy: a final failure is never retried, a transient or throttled one up to `maxAttempts` in all;
 * the wait is the server's Retry-After (at most MAX_RETRY_AFTER_MS), else exponential back-off with jitter, at most
 * `maxDelayMs`. Throttled and transient failures wait alike.
 */
export function standardRetryStrategy(policy: RetryPolicy = DEFAULT_RETRY, random: () => number = Math.random): RetryStrategy {
  return {
    shouldRetry: (failure, attempt) => failure.kind !== 'final' && attempt < policy.maxAttempts,
    delayMs: (_failure, attempt, retryAfterMs) => backoffDelay(policy, attempt, retryAfterMs, random),
  };
}

export function backoffDelay(policy: RetryPolicy, attempt: number, retryAfterMs?: number, random = Math.random): number {
  // The server knows best, but a wait longer than a minute is better reported than slept through.
  if (retryAfterMs !== undefined) return Math.min(retryAfterMs, MAX_RETRY_AFTER_MS);
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/** Retry-After is seconds or an HTTP date. */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  if (/^\d+(\.\d+)?$/.test(value.trim())) return Math.round(Number(value) * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
