/**
 * One lookup's requests, bound together: a deadline that every attempt, back-off and Retry-After wait counts
 * against (CLOUDIMAGES_DEADLINE_MS), and one AbortSignal. The first failure that will not be retried aborts every
 * request of the lookup still in flight or waiting, so a lookup that has failed spends no more of the account's
 * API quota. Every cloud gets this through the HTTP client and the page pool, not a flag of its own.
 */
import { setMaxListeners } from 'events';
import { CancelledError } from '../errors';

export class LookupScope {
  private readonly controller = new AbortController();
  readonly signal: AbortSignal = this.controller.signal;
  /** When the lookup must be done, in Date.now() milliseconds. */
  readonly deadlineAt: number;
  /** Bytes of answers this lookup has read so far (after decompression), for its listing bound. */
  bytesRead = 0;

  constructor(
    readonly deadlineMs: number,
    private readonly now: () => number = Date.now,
  ) {
    this.deadlineAt = now() + deadlineMs;
    // Every request and wait in flight listens on this one signal (dozens at once on Alibaba), and each removes its
    // listener when it settles: not a leak, so no MaxListenersExceededWarning on the user's terminal.
    setMaxListeners(0, this.signal);
  }

  remainingMs(): number {
    return this.deadlineAt - this.now();
  }

  get failed(): boolean {
    return this.signal.aborted;
  }

  /** The failure that ended the lookup (the first one passed to fail). */
  get failure(): unknown {
    return this.signal.reason as unknown;
  }

  /** Records the lookup's first final failure and aborts everything else it is doing; later calls change nothing. */
  fail(error: unknown): void {
    if (!this.signal.aborted) this.controller.abort(error);
  }
}

/** A wait that ends early, with CancelledError, when the scope fails. */
export function sleepWithin(ms: number, scope: LookupScope | undefined, operation: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    if (scope?.failed) return reject(new CancelledError(operation, scope.failure));
    const onAbort = () => {
      clearTimeout(timer);
      reject(new CancelledError(operation, scope!.failure));
    };
    const timer = setTimeout(() => {
      scope?.signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    scope?.signal.addEventListener('abort', onAbort, { once: true });
  });
}
