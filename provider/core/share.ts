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
 * A settled answer is reused for `ttlMs` (each lookup passes its own: catalogTtlSeconds, else
 * CLOUDIMAGES_CATALOG_TTL_SECONDS, else an hour), so a long-lived process (an Automation API server, a watch loop)
 * sees new images, while a program run still fetches each catalog once. A fetch in flight is always shared.
 */
import type { Image } from './image';
import type { Env } from './config';
import { ConfigurationError } from './errors';

type Catalog = readonly Image[];

/** An hour: far longer than the lookups of an ordinary program run take, short enough for a server to notice a new image. */
export const DEFAULT_CATALOG_TTL_SECONDS = 3600;
export const CATALOG_TTL_VARIABLE = 'CLOUDIMAGES_CATALOG_TTL_SECONDS';
/** A year: past that a TTL is a typo (and milliseconds stay exact). */
const MAX_TTL_SECONDS = 31_536_000;

/**
 * How long a shared catalog is reused, in milliseconds: `given` (the catalogTtlSeconds option), else the variable,
 * else the default. 0 reuses nothing once a fetch has settled. A bad value is a ConfigurationError naming its source.
 */
export function readCatalogTtlMs(env: Env, given?: unknown): number {
  const raw = given ?? env[CATALOG_TTL_VARIABLE];
  const source = given !== undefined ? 'catalogTtlSeconds' : CATALOG_TTL_VARIABLE;
  if (raw === undefined || raw === '') return DEFAULT_CATALOG_TTL_SECONDS * 1000;
  const seconds = typeof raw === 'number' ? raw : typeof raw === 'string' && /^[0-9]{1,9}(\.[0-9]{1,3})?$/.test(raw) ? Number(raw) : NaN;
  if (!(seconds >= 0 && seconds <= MAX_TTL_SECONDS)) {
    const shown =
      typeof raw === 'string'
        ? JSON.stringify(raw.length > 20 ? `${raw.slice(0, 20)}…` : raw)
        : typeof raw === 'number' || typeof raw === 'boolean' || typeof raw === 'bigint'
          ? String(raw).slice(0, 20)
          : Array.isArray(raw)
            ? 'a list'
            : `a value of type ${typeof raw}`;
    throw new ConfigurationError(
      `${source} is ${shown}: expected seconds from 0 to ${MAX_TTL_SECONDS.toLocaleString('en-US')} (default ${DEFAULT_CATALOG_TTL_SECONDS}; 0 reuses no settled catalog)`,
      source,
    );
  }
  return Math.round(seconds * 1000);
}

export interface SharedRequest {
  key: string;
  run: () => Promise<Image[]>;
}

interface Waiting {
  narrow: Map<string, SharedRequest>;
  wide: SharedRequest;
  callbacks: { key: string; resolve: (c: Catalog) => void; reject: (e: unknown) => void }[];
}

interface Entry {
  pending: Promise<Catalog>;
  /** When the answer arrived (the clock's milliseconds); undefined while in flight. */
  settledAt?: number;
}

export class RequestSharing {
  private readonly entries = new Map<string, Entry>();
  private readonly narrowFetched = new Set<string>();
  private waiting = new Map<string, Waiting>();
  private flushScheduled = false;
  /** Fetches actually started (not shared), for tests and benchmarks. */
  fetches = 0;

  /** `clock`: milliseconds, for TTLs (injected by tests); `ttlMs`: used when a call passes none. */
  constructor(private readonly options: { clock?: () => number; ttlMs?: number } = {}) {}

  private now(): number {
    return this.options.clock?.() ?? Date.now();
  }

  /** The entry for `key` unless it settled more than `ttlMs` ago (then it is forgotten). */
  private fresh(key: string, ttlMs: number): Promise<Catalog> | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.settledAt !== undefined && this.now() - entry.settledAt >= ttlMs) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.pending;
  }

  private ttl(ttlMs: number | undefined): number {
    return ttlMs ?? this.options.ttlMs ?? DEFAULT_CATALOG_TTL_SECONDS * 1000;
  }

  /** Shares one request (no wider form). */
  get(key: string, run: () => Promise<Image[]>, ttlMs?: number): Promise<Catalog> {
    return this.fresh(key, this.ttl(ttlMs)) ?? this.start(key, run);
  }

  /** Shares a lookup's narrow request with every other lookup over the same wide catalog. */
  getWithin(narrow: SharedRequest, wide: SharedRequest, ttlMs?: number): Promise<Catalog> {
    const ttl = this.ttl(ttlMs);
    const known = this.fresh(narrow.key, ttl) ?? this.fresh(wide.key, ttl);
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
        pending = this.entries.get(wideKey)?.pending ?? this.start(wideKey, group.wide.run);
      } else {
        pending = this.entries.get(only.key)?.pending ?? this.start(only.key, only.run);
        this.narrowFetched.add(wideKey);
      }
      for (const callback of group.callbacks) {
        if (goWide && callback.key !== wideKey && !this.entries.has(callback.key)) this.track(callback.key, pending);
        pending.then(callback.resolve, callback.reject);
      }
    }
  }

  private start(key: string, run: () => Promise<Image[]>): Promise<Catalog> {
    this.fetches++;
    const pending = Promise.resolve()
      .then(run)
      .then((images): Catalog => Object.freeze(images));
    this.track(key, pending);
    return pending;
  }

  /** Records `pending` under `key`: stamped when it settles, forgotten if it fails (unless replaced meanwhile). */
  private track(key: string, pending: Promise<Catalog>): void {
    const entry: Entry = { pending };
    this.entries.set(key, entry);
    pending.then(
      () => (entry.settledAt = this.now()),
      () => {
        if (this.entries.get(key) === entry) this.entries.delete(key);
      },
    );
  }
}

/** The process-wide instance the SDK, plugin and CLI use. */
export const sharedRequests = new RequestSharing();
