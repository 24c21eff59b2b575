/**
 * DescribeImages over every page: the first page tells `TotalCount`, so the rest are known and fetched
 * concurrently through a bounded pool that halves when the service throttles (the shared numbered paging,
 * core/paging.ts). The result is complete or the call fails: a page that fails after retries, or totals that do
 * not add up, never become a shorter list.
 */
import { randomUUID } from 'crypto';
import { AdaptiveLimit } from '../../core/http/pool';
import { listNumberedPages } from '../../core/paging';
import type { HttpClient } from '../../core/http/client';
import type { PagingHint } from '../../core/hints';
import { AnswerContext, interpretAnswer, Page } from './errors';
import { encodeQuery, signParams, SigningCredentials } from './signer';
import { AlicloudImageRecord, API_VERSION, OPERATION, PAGE_SIZE } from './types';

/** A hard limit on pages (100,000 images): a server that reports an absurd total fails instead of looping. */
export const MAX_PAGES = 1000;
/** Every remaining page at once, up to this ceiling (3,200 images in two round trips); throttling halves it. */
export const DEFAULT_CONCURRENCY = 32;

export interface DescribeImagesOptions {
  endpoint: string;
  credentials: SigningCredentials;
  /** Operation parameters without paging (RegionId, filters). */
  params: Record<string, string>;
  errorContext: Omit<AnswerContext, 'operation'>;
  /** How many pages this listing took last time (core/hints.ts); a guess, checked like any answer. */
  hint?: PagingHint;
  /** The pool to share with other listings of the same query; default: a new one of DEFAULT_CONCURRENCY. */
  limit?: AdaptiveLimit;
  /** Injected for tests; default: the system clock and random UUIDs. */
  clock?: () => Date;
  nonce?: () => string;
}

/**
 * Every record of the listing, each passed through `read` as its page arrives (core/paging.ts: page 1 tells
 * TotalCount, the rest follow at once or with page 1 when a hint predicts them; totals checked).
 */
export function listImages<T = AlicloudImageRecord>(
  http: HttpClient,
  options: DescribeImagesOptions,
  read: (record: AlicloudImageRecord) => T = (record) => record as T,
): Promise<T[]> {
  const limit = options.limit ?? new AdaptiveLimit(DEFAULT_CONCURRENCY);
  return listNumberedPages(
    http,
    {
      cloud: 'alicloud',
      operation: OPERATION,
      totalName: 'TotalCount',
      pageSize: PAGE_SIZE,
      maxPages: MAX_PAGES,
      limit,
      hint: options.hint,
      fetchPage: (pageNumber) => fetchPage(http, options, pageNumber, limit),
      id: (record) => record.ImageId,
    },
    read,
  );
}

async function fetchPage(http: HttpClient, options: DescribeImagesOptions, pageNumber: number, limit: AdaptiveLimit): Promise<Page> {
  const operation = `${OPERATION} page ${pageNumber}`;
  const base = `${options.endpoint}/`;
  const params = { ...options.params, Action: OPERATION, Version: API_VERSION, PageNumber: String(pageNumber), PageSize: String(PAGE_SIZE) };
  const clock = options.clock ?? (() => new Date());
  const nonce = options.nonce ?? (() => randomUUID());
  return http.send<Page>({
    cloud: 'alicloud',
    operation,
    request: { method: 'GET', url: base, headers: { accept: 'application/json' } },
    sign: (request) => ({
      ...request,
      url: `${base}?${encodeQuery(signParams({ method: 'GET', params, credentials: options.credentials, now: clock(), nonce: nonce() }))}`,
    }),
    interpret: (response) => interpretAnswer(response, { ...options.errorContext, operation }),
    onRetry: (error) => {
      if (error.code === 'THROTTLED') limit.throttled();
    },
  });
}
