/**
 * The progress line: while a lookup runs and stderr is a terminal, one line on stderr that says how many pages
 * have come back, of how many (when the cloud knows), and how many requests are in flight; rewritten in place,
 * and erased before anything else is printed. Nothing at all when stderr is not a terminal (a pipe, a file, CI).
 */
import type { LookupProgress } from '../core/http/client';

/** `12/20 pages, 8 in flight`; `3 pages, 1 in flight` where the total is not known (marker paging). */
export function describeProgress(progress: Readonly<LookupProgress>): string {
  const pages = progress.expected >= progress.done && progress.expected > 0 ? `${progress.done}/${progress.expected}` : `${progress.done}`;
  return `${pages} page${progress.expected === 1 || (progress.expected === 0 && progress.done === 1) ? '' : 's'}, ${progress.inFlight} in flight`;
}

export class ProgressLine {
  private shown = false;
  private done = false;
  private lastDrawn = -Infinity;
  private latest?: Readonly<LookupProgress>;
  private pending?: ReturnType<typeof setTimeout>;
  private readonly started: number;

  /**
   * @param label what is being listed (`huaweicloud cn-north-4`)
   * @param delayMs quick lookups draw nothing: the line appears only once a lookup has taken this long
   * @param intervalMs redraws at most this often
   */
  constructor(
    private readonly write: (text: string) => void,
    private readonly label: string,
    private readonly now: () => number = Date.now,
    private readonly delayMs = 200,
    private readonly intervalMs = 100,
  ) {
    this.started = now();
  }

  update(progress: Readonly<LookupProgress>): void {
    this.latest = progress;
    const at = this.now();
    const wait = Math.max(this.delayMs - (at - this.started), this.intervalMs - (at - this.lastDrawn));
    if (wait <= 0) return this.draw(progress);
    // Not yet: the latest state is drawn when it may be, even if nothing else happens by then (requests slower
    // than the delay show in flight before their answers; the last change before a pause is not lost).
    if (!this.pending) {
      this.pending = setTimeout(() => {
        this.pending = undefined;
        if (this.latest && !this.done) this.draw(this.latest);
      }, wait);
      this.pending.unref?.();
    }
  }

  private draw(progress: Readonly<LookupProgress>): void {
    if (this.pending) clearTimeout(this.pending);
    this.pending = undefined;
    this.lastDrawn = this.now();
    this.shown = true;
    // \r and erase-to-end-of-line: the line is rewritten in place, never scrolled.
    this.write(`\r${this.label}: ${describeProgress(progress)}\x1b[K`);
  }

  /** Erases the line, so what follows starts on a clean line; nothing is drawn after. */
  clear(): void {
    this.done = true;
    if (this.pending) clearTimeout(this.pending);
    if (this.shown) this.write('\r\x1b[K');
    this.shown = false;
  }
}
