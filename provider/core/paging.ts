/**
 * The two ways the clouds page a listing, with their completeness checks, written once:
 * - page number with a total (`listNumberedPages`): page 1 tells the total, the remaining pages are known and
 *   fetched concurrently through a bounded pool (with paging hints, predicted pages go out with page 1);
 * - marker (`listByMarker`): each page's last ID asks for the next, until a page shorter than asked.
 * Either the listing is complete or the call fails with a PagingError: a failed page, totals that do not add up,
 * repeated or missing records, or a listing that never ends never become a shorter list.
 * A cloud whose API answers in one request (no paging) uses neither.
 */
import { CancelledError, CloudApiError, PagingError } from './errors';
import { AdaptiveLimit, mapWithConcurrency, readWhileInFlight } from './http/pool';
import type { HttpClient } from './http/client';
import type { PagingHint } from './hints';

/** One page of a numbered listing as the server sent it: its records and the total it reports. */
export interface NumberedPage<R> {
  records: R[];
  total: number;
}

export interface NumberedPagingOptions<R> {
  /** For errors: the cloud, the operation, and what the server calls its total (`TotalCount`). */
  cloud: string;
  operation: string;
  totalName: string;
  pageSize: number;
  /** A hard limit on pages: a server that reports an absurd total fails instead of looping. */
  maxPages: number;
  /** The pool pages share (and that throttling halves). */
  limit: AdaptiveLimit;
  /** How many pages this listing took last time (core/hints.ts); a guess, checked like any answer. */
  hint?: PagingHint;
  /** One page, numbered from 1, sent through `limit`'s pool (`fetchPage` may tell it of throttling). */
  fetchPage: (pageNumber: number) => Promise<NumberedPage<R>>;
  /** The record's ID, for the completeness check. */
  id: (record: R) => string;
}

/** What the checks and their messages need to know of a numbered listing. */
type ListingDescription = Pick<NumberedPagingOptions<unknown>, 'cloud' | 'operation' | 'totalName' | 'pageSize'>;

/** A page as read: its records' IDs (for the completeness check) and what `read` made of them. */
interface ReadPage<T> {
  total: number;
  ids: string[];
  items: T[];
}

/**
 * Every record of a numbered listing, each passed through `read` as its page arrives: the backend normalizes
 * there, so that work fills the waits for the other pages instead of following the last one.
 *
 * Without a hint page 1 tells the total and the rest follow at once: two round trips. With a hint (the page count
 * of an earlier run) page 1 and every predicted page go out together: one round trip when the catalog kept its
 * size. The totals are checked as always, so a catalog that grew costs one more wave (the missing pages), one that
 * shrank costs requests for empty pages (checked to be empty), and neither loses or repeats an image.
 */
export async function listNumberedPages<R, T>(http: HttpClient, options: NumberedPagingOptions<R>, read: (record: R) => T): Promise<T[]> {
  const { limit, pageSize } = options;
  const readPage = ({ records, total }: NumberedPage<R>): ReadPage<T> => ({ total, ids: records.map(options.id), items: records.map(read) });
  const predicted = options.hint?.read();
  const firstRequested = limit.run(() => options.fetchPage(1));
  // Pages are asked for in waves; each page is read as soon as it arrives, page 1 while the others travel.
  const wave = (numbers: number[], pagesForMessage: () => number) =>
    numbers.length === 0
      ? undefined
      : mapWithConcurrency(
          numbers,
          () => limit.current,
          async (pageNumber) => {
            let page: NumberedPage<R>;
            try {
              page = await limit.run(() => options.fetchPage(pageNumber));
              limit.succeeded();
            } catch (err) {
              throw asPagingFailure(err, pageNumber, pagesForMessage(), options);
            }
            return readPage(page);
          },
          http.scope,
        );
  const guessed = wave(range(2, predicted ?? 1), () => predicted!);
  guessed?.catch(() => undefined); // observed now: a page failing before page 1 answers is reported below, not unhandled
  let firstPage: NumberedPage<R>;
  try {
    firstPage = await firstRequested;
  } catch (err) {
    // Stopped by the same failure (the lookup's scope), so nothing outlives the call. Page 1 cancelled because a
    // predicted page failed: that page's failure is the reason.
    const predictedFailure = await guessed?.then(
      () => undefined,
      (failure: unknown) => failure,
    );
    throw err instanceof CancelledError ? (predictedFailure ?? err.cause) : err;
  }
  const pages = Math.ceil(firstPage.total / pageSize);
  if (pages > options.maxPages) {
    await guessed?.catch(() => undefined);
    throw new PagingError(`${options.totalName} ${firstPage.total} needs ${pages} pages, above the limit of ${options.maxPages}; narrow the query`, {
      cloud: options.cloud,
      operation: options.operation,
    });
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
  const images = checkNumberedComplete(
    [first, ...guessedPages.value.slice(0, Math.max(0, pages - 1)), ...missingPages.value],
    firstPage.total,
    pages,
    surplus,
    options,
  );
  options.hint?.write(Math.max(1, pages));
  return images;
}

/** from, from + 1, …, to (empty when to < from). */
function range(from: number, to: number): number[] {
  return Array.from({ length: Math.max(0, to - from + 1) }, (_, i) => from + i);
}

/** Authentication and throttling keep their class (callers act on them); anything else becomes a paging failure. */
function asPagingFailure(err: unknown, pageNumber: number, pages: number, options: ListingDescription): unknown {
  if (!(err instanceof CloudApiError) || err.code !== 'CLOUD_API') return err;
  return new PagingError(`page ${pageNumber} of ${pages} failed, so the list would be incomplete: ${err.message}`, {
    cloud: options.cloud,
    cloudCode: err.cloudCode,
    httpStatus: err.httpStatus,
    requestId: err.requestId,
    operation: options.operation,
    cause: err,
    attempts: err.attempts,
  });
}

function checkNumberedComplete<T>(pages: ReadPage<T>[], total: number, pageCount: number, surplus: ReadPage<T>[], options: ListingDescription): T[] {
  const { pageSize, totalName } = options;
  const fail = (message: string) =>
    new PagingError(`${message}; the catalog changed while it was read or the service miscounted, so the list cannot be trusted. Retry the query`, {
      cloud: options.cloud,
      operation: options.operation,
    });
  pages.forEach((page, i) => {
    if (page.total !== total) throw fail(`page ${i + 1} reports ${totalName} ${page.total}, page 1 reported ${total}`);
    const expected = i + 1 < pageCount ? pageSize : total - pageSize * (pageCount - 1);
    if (pageCount > 0 && page.ids.length !== expected) throw fail(`page ${i + 1} of ${pageCount} holds ${page.ids.length} images, expected ${expected}`);
  });
  surplus.forEach((page, i) => {
    const pageNumber = Math.max(1, pageCount) + 1 + i;
    if (page.total !== total) throw fail(`page ${pageNumber} reports ${totalName} ${page.total}, page 1 reported ${total}`);
    if (page.ids.length !== 0) throw fail(`page ${pageNumber} holds ${page.ids.length} images, past the last page (${pageCount}) of ${totalName} ${total}`);
  });
  const unique = new Set(pages.flatMap((p) => p.ids));
  if (unique.size !== total) throw fail(`${unique.size} distinct images were read, ${totalName} is ${total}`);
  return pages.flatMap((p) => p.items);
}

export interface MarkerPagingOptions<R> {
  /** For errors: the cloud and the listing's operation (`ListImages (__imagetype=gold)`). */
  cloud: string;
  operation: string;
  pageSize: number;
  /** A hard limit on pages: a server that never ends a listing is an error, not a hang. */
  maxPages: number;
  /** One page of at most `pageSize` records after `marker` (none: the first page); `operation` names it. */
  fetchPage: (marker: string | undefined, operation: string) => Promise<R[]>;
  /** The record's ID: the next page's marker, and what must not come back twice. */
  id: (record: R) => string;
}

/**
 * Every record of a marker listing, each passed through `read`. Marker paging is sequential, so each page is read
 * while the next one travels: the request for page k+1 goes out as soon as page k's last ID is known, before page
 * k's records are read.
 */
export async function listByMarker<R, T>(http: HttpClient, options: MarkerPagingOptions<R>, read: (record: R) => T): Promise<T[]> {
  const { cloud, pageSize, maxPages } = options;
  const out: T[] = [];
  const seenIds = new Set<string>();
  const usedMarkers = new Set<string>();
  const operationOf = (page: number) => `${options.operation} page ${page}`;
  const request = (page: number, marker: string | undefined) => {
    if (page > maxPages) {
      throw new PagingError(`the listing did not end within ${maxPages} pages of ${pageSize}; narrow the query with filters`, {
        cloud,
        operation: options.operation,
      });
    }
    const operation = operationOf(page);
    return options.fetchPage(marker, operation).then((records) => refuseOverfullPage(records, pageSize, cloud, operation));
  };
  let pending: Promise<R[]> | undefined = request(1, undefined);
  for (let page = 1; pending; page++) {
    const operation = operationOf(page);
    const records: R[] = await pending;
    pending = undefined;
    const full = records.length >= pageSize;
    const next = records.length > 0 ? options.id(records[records.length - 1]) : undefined;
    if (full && next !== undefined && usedMarkers.has(next)) {
      throw new PagingError(`the server led back to marker ${next}, already used; the listing would loop`, { cloud, operation });
    }
    for (const record of records) {
      const id = options.id(record);
      if (seenIds.has(id))
        throw new PagingError(`image ${id} came back twice; the catalog changed or the server ignored the marker, so the listing cannot be trusted`, {
          cloud,
          operation,
        });
      seenIds.add(id);
    }
    if (full && next !== undefined) {
      usedMarkers.add(next);
      pending = request(page + 1, next);
    }
    out.push(...(await readWhileInFlight(pending, http.scope, () => records.map(read))));
  }
  return out;
}

/** One page of at most `limit` records (the request asked for that many): a server that sends more ignores paging,
 * and a listing built on it cannot be trusted to end or to be complete. */
export function refuseOverfullPage<R>(records: R[], limit: number, cloud: string, operation: string): R[] {
  if (records.length > limit) {
    throw new PagingError(
      `the page holds ${records.length} images, more than the limit=${limit} asked for; the server ignores paging, so the listing cannot be trusted to be complete or to end`,
      { cloud, operation },
    );
  }
  return records;
}
