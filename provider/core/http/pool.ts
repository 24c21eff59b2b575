/**
 * Bounded concurrency for the requests of one lookup: a plain pool (`mapWithConcurrency`) and an adaptive limit
 * that backs off when the service throttles.
 */
import { CancelledError } from '../errors';
import type { LookupScope } from './scope';

/**
 * The bounded, adaptive pool every page request of one lookup goes through (every listing of the lookup shares it).
 * Additive increase, multiplicative decrease: each throttling answer halves the limit (never below 1), and a run
 * of successes as long as the current limit earns one more slot back, up to the maximum.
 */
export class AdaptiveLimit {
  private streak = 0;
  private active = 0;
  private readonly waiting: (() => void)[] = [];
  constructor(
    readonly max: number,
    public current = max,
  ) {}

  throttled(): void {
    this.current = Math.max(1, Math.floor(this.current / 2));
    this.streak = 0;
  }

  succeeded(): void {
    if (this.current >= this.max) return;
    if (++this.streak >= this.current) {
      this.current++;
      this.streak = 0;
    }
  }

  /** Runs the task once fewer than `current` tasks are in flight. */
  async run<T>(task: () => Promise<T>): Promise<T> {
    while (this.active >= this.current) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.active++;
    try {
      return await task();
    } finally {
      this.active--;
      // Wake everyone: each re-checks the (possibly changed) limit.
      for (const wake of this.waiting.splice(0)) wake();
    }
  }

  get inFlight(): number {
    return this.active;
  }
}

/**
 * Reads what has arrived (CPU only: parsing, normalizing) while `inFlight` travels. It first yields one turn of the
 * event loop, because requests just started are written out only when the loop gets to them; otherwise they would
 * wait for the reading. If reading fails, the lookup fails (aborting what is in flight) and the error is thrown once
 * `inFlight` has settled, as after any final failure.
 */
export async function readWhileInFlight<T>(inFlight: Promise<unknown> | undefined, scope: LookupScope | undefined, read: () => T): Promise<T> {
  if (!inFlight) return read();
  // The caller awaits `inFlight` only after this returns: should it reject meanwhile (cancelled when a sibling
  // listing fails), that is no unhandled rejection, which would end the process.
  inFlight.catch(() => undefined);
  await new Promise<void>((resolve) => setImmediate(resolve));
  try {
    return read();
  } catch (err) {
    scope?.fail(err);
    await inFlight.catch(() => undefined);
    throw err;
  }
}

/**
 * Runs tasks with at most `limit` in flight; the first failure rejects the whole run (no partial lists). On that
 * failure no further task starts, the scope (when given) aborts the tasks in flight, and the run rejects only
 * once they have all settled, so nothing of it outlives the call. A task cancelled because of another failure
 * (CancelledError) is never the reason given: the failure that caused it is.
 */
export function mapWithConcurrency<I, O>(
  items: readonly I[],
  limit: number | (() => number),
  task: (item: I, index: number) => Promise<O>,
  scope?: LookupScope,
): Promise<O[]> {
  const results = new Array<O>(items.length);
  let next = 0;
  let running = 0;
  let done = 0;
  let failure: { error: unknown } | undefined;
  return new Promise<O[]>((resolve, reject) => {
    const settle = () => {
      if (running > 0) return;
      if (failure) reject(failure.error instanceof CancelledError ? failure.error.cause : failure.error);
      else if (scope?.failed && done < items.length)
        reject(scope.failure); // stopped by a failure elsewhere in the lookup
      else if (done === items.length) resolve(results);
    };
    const pump = () => {
      const cap = Math.max(1, typeof limit === 'function' ? limit() : limit);
      while (!failure && !scope?.failed && running < cap && next < items.length) {
        const index = next++;
        running++;
        task(items[index], index).then(
          (value) => {
            running--;
            done++;
            results[index] = value;
            pump();
            settle();
          },
          (err: unknown) => {
            running--;
            if (!failure || (failure.error instanceof CancelledError && !(err instanceof CancelledError))) failure = { error: err };
            scope?.fail(err instanceof CancelledError ? err.cause : err);
            settle();
          },
        );
      }
    };
    pump();
    settle();
  });
}
