/**
 * DescribeImages over every page: the first page tells `TotalCount`, so the rest are known and fetched
 * concurrently through a bounded pool that halves when the service throttles. The result is complete or the
 * call fails: a page that fails after retries, or totals that do not add up, never become a shorter list.
 */
import { randomUUID } from 'crypto';
import { CloudApiError, PagingError } from '../../core/errors';
import { AdaptiveLimit, mapWithConcurrency, readWhileInFlight } from '../../core/http/pool';
import type { HttpClient } from '../../core/http/client';
import { ErrorContext, interpretAnswer, Page } from './errors';
import { encodeQuery, signParams, SigningCredentials } from './signer';
import type { AlicloudImageRecord } from './normalize';

export const API_VERSION = '2014-05-26';
export const PAGE_SIZE = 100;
/** A hard limit on pages (100,000 images): a server that reports an absurd total fails instead of looping. */
export const MAX_PAGES = 1000;
/** Every remaining page at once, up to this ceiling (3,200 images in two round trips); throttling halves it. */
export const DEFAULT_CONCURRENCY = 32;

export interface DescribeImagesOptions {
  endpoint: string;
  credentials: SigningCredentials;
  /** Operation parameters without paging (RegionId, filters). */
  params: Record<string, string>;
  errorContext: Omit<ErrorContext, 'operation'>;
  /** The pool to share with other listings of the same query; default: a new one of DEFAULT_CONCURRENCY. */
  limit?: AdaptiveLimit;
  /** Injected for tests; default: the system clock and random UUIDs. */
  clock?: () => Date;
  nonce?: () => string;
}

/**
 * Every record of the listing, each passed through `read` as its page arrives: the backend normalizes there, so
 * that work fills the waits for the other pages instead of following the last one.
 */
export async function listImages<T = AlicloudImageRecord>(http: HttpClient, options: DescribeImagesOptions, read: (record: AlicloudImageRecord) => T = (record) => record as T): Promise<T[]> {
  const limit = options.limit ?? new AdaptiveLimit(DEFAULT_CONCURRENCY);
  const readPage = ({ records, totalCount }: Page): ReadPage<T> => ({ totalCount, ids: records.map((r) => r.ImageId), items: records.map(read) });
  const firstPage = await limit.run(() => fetchPage(http, options, 1, limit));
  const pages = Math.ceil(firstPage.totalCount / PAGE_SIZE);
  if (pages > MAX_PAGES) {
    throw new PagingError(`TotalCount ${firstPage.totalCount} needs ${pages} pages, above the limit of ${MAX_PAGES}; narrow the query`, { cloud: 'alicloud', operation: 'DescribeImages' });
  }
  const rest = Array.from({ length: Math.max(0, pages - 1) }, (_, i) => i + 2);
  // The other pages are asked for first; page 1 is read while they travel.
  const othersRead = mapWithConcurrency(rest, () => limit.current, async (pageNumber) => {
    let page: Page;
    try {
      page = await limit.run(() => fetchPage(http, options, pageNumber, limit));
      limit.succeeded();
    } catch (err) {
      throw asPagingFailure(err, pageNumber, pages);
    }
    return readPage(page);
  }, http.scope);
  const first = await readWhileInFlight(othersRead, http.scope, () => readPage(firstPage));
  const others = await othersRead;
  return checkComplete([first, ...others], firstPage.totalCount, pages);
}

/** A page as read: its records' IDs (for the completeness check) and what `read` made of them. */
interface ReadPage<T> {
  totalCount: number;
  ids: string[];
  items: T[];
}

async function fetchPage(http: HttpClient, options: DescribeImagesOptions, pageNumber: number, limit: AdaptiveLimit): Promise<Page> {
  const operation = `DescribeImages page ${pageNumber}`;
  const base = `${options.endpoint}/`;
  const params = { ...options.params, Action: 'DescribeImages', Version: API_VERSION, PageNumber: String(pageNumber), PageSize: String(PAGE_SIZE) };
  const clock = options.clock ?? (() => new Date());
  const nonce = options.nonce ?? (() => randomUUID());
  return http.send<Page>({
    cloud: 'alicloud',
    operation,
    request: { method: 'GET', url: base, headers: { accept: 'application/json' } },
    sign: (request) => ({ ...request, url: `${base}?${encodeQuery(signParams({ method: 'GET', params, credentials: options.credentials, now: clock(), nonce: nonce() }))}` }),
    interpret: (response) => interpretAnswer(response, { ...options.errorContext, operation }),
    onRetry: (error) => {
      if (error.code === 'THROTTLED') limit.throttled();
    },
  });
}

/** Authentication and throttling keep their class (callers act on them); anything else becomes a paging failure. */
function asPagingFailure(err: unknown, pageNumber: number, pages: number): unknown {
  if (!(err instanceof CloudApiError) || err.code !== 'CLOUD_API') return err;
  return new PagingError(`page ${pageNumber} of ${pages} failed, so the list would be incomplete: ${err.message}`, {
    cloud: 'alicloud', cloudCode: err.cloudCode, httpStatus: err.httpStatus, requestId: err.requestId, operation: 'DescribeImages', cause: err,
  });
}

function checkComplete<T>(pages: ReadPage<T>[], totalCount: number, pageCount: number): T[] {
  const fail = (message: string) => new PagingError(`${message}; the catalog changed while it was read or the service miscounted, so the list cannot be trusted. Retry the query`, { cloud: 'alicloud', operation: 'DescribeImages' });
  pages.forEach((page, i) => {
    if (page.totalCount !== totalCount) throw fail(`page ${i + 1} reports TotalCount ${page.totalCount}, page 1 reported ${totalCount}`);
    const expected = i + 1 < pageCount ? PAGE_SIZE : totalCount - PAGE_SIZE * (pageCount - 1);
    if (pageCount > 0 && page.ids.length !== expected) throw fail(`page ${i + 1} of ${pageCount} holds ${page.ids.length} images, expected ${expected}`);
  });
  const unique = new Set(pages.flatMap((p) => p.ids));
  if (unique.size !== totalCount) throw fail(`${unique.size} distinct images were read, TotalCount is ${totalCount}`);
  return pages.flatMap((p) => p.items);
}
