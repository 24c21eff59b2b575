/**
 * Request sharing: within one process, identical catalog requests run once. Concurrent callers share the
 * in-flight promise and later callers reuse the answer, so fifty getImage calls over one catalog make one fetch.
 * A failed fetch is forgotten, so the next call tries again.
 */
import type { Image } from './image';

export class RequestSharing {
  private readonly entries = new Map<string, Promise<readonly Image[]>>();
  /** Fetches actually started (not shared), for tests and benchmarks. */
  fetches = 0;

  get(key: string, fetch: () => Promise<readonly Image[]>): Promise<readonly Image[]> {
    const existing = this.entries.get(key);
    if (existing) return existing;
    this.fetches++;
    const pending = fetch().then(
      (images) => Object.freeze(images),
      (err) => {
        this.entries.delete(key);
        throw err;
      },
    );
    this.entries.set(key, pending);
    return pending;
  }

  clear(): void {
    this.entries.clear();
    this.fetches = 0;
  }
}

/** The process-wide instance the SDK, plugin and CLI use. */
export const sharedRequests = new RequestSharing();
