/**
 * What a cloud plugs in. The core knows nothing about any single cloud: a backend turns a query into a planned
 * fetch (pushing every filter its API supports down to the request), and the fetch signs, pages, retries and
 * normalizes into Images. Selection then re-applies every selector locally.
 */
import type { CloudName, Image, Visibility } from './image';
import type { Query } from './query';
import { ValidationError } from './errors';
import type { CloudImagesConfig, Env } from './config';
import type { HttpClient } from './http/client';

export interface PlannedFetch {
  /** Everything that changes the answer (endpoint, region, account identity, request parameters) and nothing
   * secret: identical keys share one fetch in a process. */
  key: string;
  /** The region the query resolved to. */
  region: string;
  /** Fetches the complete answer or throws; never a partial list. */
  run(http: HttpClient): Promise<Image[]>;
}

export interface CloudBackend {
  readonly cloud: CloudName;
  /** False for clouds without creation times (UCloud): mostRecent falls back to version order of names. */
  readonly reportsCreationTime: boolean;
  /** Visibility used when a query names none. Never includes images of other accounts. null: no such notion. */
  readonly defaultVisibility: Visibility[] | null;
  /** Visibilities published by the cloud vendor or the caller's own account: `mostRecent` is safe over these. */
  readonly trustedVisibilities: Visibility[];
  /**
   * Resolves settings (config, then environment), checks what this cloud cannot answer, and plans the request.
   * Pure: no I/O. Throws ConfigurationError naming what to set, or ValidationError naming the argument.
   */
  plan(query: Query, config: CloudImagesConfig, env: Env): PlannedFetch;
}

/**
 * Refuses selectors on fields a cloud does not report: they would match nothing (the field is null), which reads as
 * "no such image" when the truth is "this cloud cannot tell". `unreported` maps an argument to what to use instead.
 */
export function refuseUnreportedSelectors(query: Query, cloud: string, unreported: Partial<Record<'gpu' | 'gpuVendor' | 'gpuModel' | 'gpuDriver' | 'softwareVersions', string>>): void {
  for (const [argument, instead] of Object.entries(unreported)) {
    const value = (query as unknown as Record<string, unknown>)[argument];
    const given = value !== undefined && !(typeof value === 'object' && value !== null && Object.keys(value).length === 0);
    if (given) throw new ValidationError(argument, `${cloud} images do not report this, so it would match nothing; ${instead}`);
  }
}

/** Helper for keys: stable JSON of a parameter map. */
export function stableKey(parts: Record<string, unknown>): string {
  return JSON.stringify(parts, (_k, v) => (v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v));
}
