/**
 * One classification of a failed attempt, shared by every cloud and by the network layer: each cloud's errors.ts
 * and failures.ts say what a failure is; the retry strategy (retry.ts) alone decides what to do about it.
 */
import type { CloudApiError } from '../errors';

/**
 * `transient`: the service or the network faltered, another attempt may succeed. `throttled`: the service asked
 * us to slow down. `final`: another attempt would fail the same way (credentials, a bad query, a broken answer).
 */
export type FailureKind = 'transient' | 'throttled' | 'final';

/** A failed attempt, classified. */
export interface Failure {
  error: CloudApiError;
  kind: FailureKind;
}

/** What an HTTP status alone says, for answers a cloud has no more specific word for: 429 and 5xx may heal. */
export function kindOfStatus(status: number): FailureKind {
  if (status === 429) return 'throttled';
  return status >= 500 ? 'transient' : 'final';
}
