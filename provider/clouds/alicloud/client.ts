/**
 * DescribeImages over every page: the first page tells `TotalCount`, so the rest are known and fetched
 * concurrently through a bounded pool that halves when the service throttles. The result is complete or the
 * call fails: a page that fails after retries, or totals that do not add up, never become a shorter list.
 */
import { randomUUID } from 'crypto';
import { CancelledError, CloudApiError, PagingError } from '../../core/errors';
import { AdaptiveLimit, mapWithConcurrency, readWhileInFlight } from '../../core/http/pool';
import type { HttpClient } from '../../core/http/client';
import type { PagingHint } from '../../core/hints';
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
  /** How many pages this listing took last time (core/hints.ts); a guess, checked like any answer. */
  hint?: PagingHint;
  /** The pool to share with other listings of the same query; default: a new one of DEFAULT_CONCURRENCY. */
  limit?: AdaptiveLimit;
  /** Injected for tests; default: the system clock and random UUIDs. */
  clock?: () => Date;
  nonce?: () => string;
}

/**
 * Every record of the listing, each passed through `read` as its page arrives: the backend normalizes there, so
 * that work fills the waits for the other pages instead of following the last one.
 *
 * Without a hint page 1 tells TotalCount and the rest follow at once: two round trips. With a hint (the page count
 * of an earlier run) page 1 and every predicted page go out together: one round trip when the catalog kept its
 * size. The totals are checked as always, so a catalog that grew costs one more wave (the missing pages), one that
 * shrank costs requests for empty pages (checked to be empty), and neither loses or repeats an image.
 */
export async function listImages<T = AlicloudImageRecord>(http: HttpClient, options: DescribeImagesOptions, read: (record: AlicloudImageRecord) => T = (record) => record as T): Promise<T[]> {
  const limit = options.limit ?? new AdaptiveLimit(DEFAULT_CONCURRENCY);
  const readPage = ({ records, totalCount }: Page): ReadPage<T> => ({ totalCount, ids: records.map((r) => r.ImageId), items: records.map(read) });
  const predicted = options.hint?.read();
  const firstRequested = limit.run(() => fetchPage(http, options, 1, limit));
  // Pages are asked for in waves; each page is read as soon as it arrives, page 1 while the others travel.
  const wave = (numbers: number[], pagesForMessage: () => number) => numbers.length === 0 ? undefined : mapWithConcurrency(numbers, () => limit.current, async (pageNumber) => {
    let page: Page;
    try {
      page = await limit.run(() => fetchPage(http, options, pageNumber, limit));
      limit.succeeded();
    } catch (err) {
      throw asPagingFailure(err, pageNumber, pagesForMessage());
    }
    return readPage(page);
  }, http.scope);
  const guessed = wave(range(2, predicted ?? 1), () => predicted!);
  guessed?.catch(() => undefined); // observed now: a page failing before page 1 answers is reported below, not unhandled
  let firstPage: Page;
  try {
    firstPage = await firstRequested;
  } catch (err) {
    // Stopped by the same failure (the lookup's scope), so nothing outlives the call. Page 1 cancelled because a
    // predicted page failed: that page's failure is the reason.
    const predictedFailure = await guessed?.then(() => undefined, (failure: unknown) => failure);
    throw err instanceof CancelledError ? predictedFailure ?? err.cause : err;
  }
  const pages = Math.ceil(firstPage.totalCount / PAGE_SIZE);
  if (pages > MAX_PAGES) {
    await guessed?.catch(() => undefined);
    throw new PagingError(`TotalCount ${firstPage.totalCount} needs ${pages} pages, above the limit of ${MAX_PAGES}; narrow the query`, { cloud: 'alicloud', operation: 'DescribeImages' });
  }
  http.expectRequests(Math.max(1, pages, predicted ?? 0));
  const missing = wave(range(Math.max(2, (predicted ?? 1) + 1), pages), () => pages);
  const inFlight = guessed || missing ? Promise.allSettled([guessed, missing]) : undefined;
  const first = await readWhileInFlight(inFlight, http.scope, () => readPage(firstPage));
  const [guessedPages, missingPages] = await Promise.allSettled([guessed ?? [], missing ?? []]);
  if (guessedPages.status === 'rejected') throw guessedPages.reason;
  if (missingPages.status === 'rejected') throw missingPages.reason;
  // Pages past the end (the catalog shrank since the hint) must be empty and agree on the total.
  const surplus = guessedPages.value.slice(Math.max(0, pages - 1));
  const images = checkComplete([first, ...guessedPages.value.slice(0, Math.max(0, pages - 1)), ...missingPages.value], firstPage.totalCount, pages, surplus);
  options.hint?.write(Math.max(1, pages));
  return images;
}

/** from, from + 1, …, to (empty when to < from). */
function range(from: number, to: number): number[] {
  return Array.from({ length: Math.max(0, to - from + 1) }, (_, i) => from + i);
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
    cloud: 'alicloud', cloudCode: err.cloudCode, httpStatus: err.httpStatus, requestId: err.requestId, operation: 'DescribeImages', cause: err, attempts: err.attempts,
  });
}

function checkComplete<T>(pages: ReadPage<T>[], totalCount: number, pageCount: number, surplus: ReadPage<T>[] = []): T[] {
  const fail = (message: string) => new PagingError(`${message}; the catalog changed while it was read or the service miscounted, so the list cannot be trusted. Retry the query`, { cloud: 'alicloud', operation: 'DescribeImages' });
  pages.forEach((page, i) => {
    if (page.totalCount !== totalCount) throw fail(`page ${i + 1} reports TotalCount ${page.totalCount}, page 1 reported ${totalCount}`);
    const expected = i + 1 < pageCount ? PAGE_SIZE : totalCount - PAGE_SIZE * (pageCount - 1);
    if (pageCount > 0 && page.ids.length !== expected) throw fail(`page ${i + 1} of ${pageCount} holds ${page.ids.length} images, expected ${expected}`);
  });
  surplus.forEach((page, i) => {
    const pageNumber = Math.max(1, pageCount) + 1 + i;
    if (page.totalCount !== totalCount) throw fail(`page ${pageNumber} reports TotalCount ${page.totalCount}, page 1 reported ${totalCount}`);
    if (page.ids.length !== 0) throw fail(`page ${pageNumber} holds ${page.ids.length} images, past the last page (${pageCount}) of TotalCount ${totalCount}`);
  });
  const unique = new Set(pages.flatMap((p) => p.ids));
  if (unique.size !== totalCount) throw fail(`${unique.size} distinct images were read, TotalCount is ${totalCount}`);
  return pages.flatMap((p) => p.items);
}
