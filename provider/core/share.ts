/**
 * Request sharing: within one process a catalog is fetched once.
 *
 * Backends push selectors down to the API, so two queries over one catalog can mean two different requests. Each
 * lookup therefore names two requests: its own narrow one, and the wide one for the same catalog without pushed-
 * down selectors (local selection re-applies every selector, so the wide answer serves any narrower query).
 * - An identical request, in flight or done, is reused; so is the wide one when it is known.
 * - Lookups that start together (in one tick, as a Pulumi program's top-level calls do) and need the same
 *   catalog with different selectors share one wide fetch.
 * - A program that asks one query gets the cheap narrow request; the second different query over a catalog
 *   fetches it wide, so any number of queries costs at most two fetches per catalog.
 * A failed fetch is forgotten, so the next call tries again.
 */
import type { Image } from './image';

type Catalog = readonly Image[];

export interface SharedRequest {
  key: string;
  run: () => Promise<Image[]>;
}

interface Waiting {
  narrow: Map<string, SharedRequest>;
  wide: SharedRequest;
  callbacks: { key: string; resolve: (c: Catalog) => void; reject: (e: unknown) => void }[];
}

export class RequestSharing {
  private readonly entries = new Map<string, Promise<Catalog>>();
  private readonly narrowFetched = new Set<string>();
  private waiting = new Map<string, Waiting>();
  private flushScheduled = false;
  /** Fetches actually started (not shared), for tests and benchmarks. */
  fetches = 0;

  /** Shares one request (no wider form). */
  get(key: string, run: () => Promise<Image[]>): Promise<Catalog> {
    return this.entries.get(key) ?? this.start(key, run);
  }

  /** Shares a lookup's narrow request with every other lookup over the same wide catalog. */
  getWithin(narrow: SharedRequest, wide: SharedRequest): Promise<Catalog> {
    const known = this.entries.get(narrow.key) ?? this.entries.get(wide.key);
    if (known) return known;
    return new Promise<Catalog>((resolve, reject) => {
      let group = this.waiting.get(wide.key);
      if (!group) this.waiting.set(wide.key, (group = { narrow: new Map(), wide, callbacks: [] }));
      group.narrow.set(narrow.key, narrow);
      group.callbacks.push({ key: narrow.key, resolve, reject });
      if (!this.flushScheduled) {
        this.flushScheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  clear(): void {
    this.entries.clear();
    this.narrowFetched.clear();
    this.fetches = 0;
  }

  private flush(): void {
    this.flushScheduled = false;
    const groups = this.waiting;
    this.waiting = new Map();
    for (const [wideKey, group] of groups) {
      const [only] = group.narrow.values();
      const goWide = group.narrow.size > 1 || only.key === wideKey || this.narrowFetched.has(wideKey);
      let pending: Promise<Catalog>;
      if (goWide) {
        pending = this.entries.get(wideKey) ?? this.start(wideKey, group.wide.run);
      } else {
        pending = this.entries.get(only.key) ?? this.start(only.key, only.run);
        this.narrowFetched.add(wideKey);
      }
      for (const callback of group.callbacks) {
        if (goWide && callback.key !== wideKey && !this.entries.has(callback.key)) this.alias(callback.key, pending);
        pending.then(callback.resolve, callback.reject);
      }
    }
  }

  private start(key: string, run: () => Promise<Image[]>): Promise<Catalog> {
    this.fetches++;
    const pending = Promise.resolve()
      .then(run)
      .then(
        (images) => Object.freeze(images) as Catalog,
        (err) => {
          this.entries.delete(key);
          throw err;
        },
      );
    this.entries.set(key, pending);
    return pending;
  }

  private alias(key: string, pending: Promise<Catalog>): void {
    this.entries.set(key, pending);
    pending.catch(() => this.entries.delete(key));
  }
}

/** The process-wide instance the SDK, plugin and CLI use. */
export const sharedRequests = new RequestSharing();
