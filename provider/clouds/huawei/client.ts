/**
 * The IMS client: signed, marker-paged `GET /v2/cloudimages`, newest first. Listings (one per `__imagetype` and
 * status variant) run concurrently in the lookup's pool; a listing that fails fails the whole run, the others stop
 * (their requests are aborted, no further page is asked for), and nothing outlives the call.
 */
import { parseCreationTime } from '../../core/time';
import type { HttpClient, OutgoingRequest } from '../../core/http/client';
import { mapWithConcurrency } from '../../core/http/pool';
import { listByMarker, refuseOverfullPage } from '../../core/paging';
import { interpretAnswer } from './errors';
import { ImsImage, OPERATION } from './types';
import { rfc3986 } from './signer';

export type Params = [string, string][];

export const DEFAULT_MAX_PAGES = 200;

export interface ListOptions {
  cloud: string;
  /** Base URL, checked. */
  endpoint: string;
  headers: Record<string, string>;
  /** Signs each attempt (AK/SK); absent for token authentication. */
  sign?: (request: OutgoingRequest) => OutgoingRequest;
  /** Where the credentials came from, for messages. */
  credentialSource: string;
  /** Parameters every listing sends (push-down and order). */
  params: Params;
  /** One entry per listing: the parameters that tell it apart. */
  listings: Params[];
  pageSize: number;
  maxPages: number;
  /** Try each listing's newest records first (admitted by the backend; used only where proven). */
  fastPath: boolean;
}

/** The URL of one request (pure): the parameters in the order given, RFC 3986-encoded as the signer expects. */
export function buildRequest(options: ListOptions, params: Params): OutgoingRequest {
  const query = params.map(([k, v]) => `${rfc3986(k)}=${rfc3986(v)}`).join('&');
  return { method: 'GET', url: `${options.endpoint}/v2/cloudimages${query ? `?${query}` : ''}`, headers: options.headers };
}

/** One page, as sent: its size is checked by the paging (core/paging.ts), which asked for it. */
function fetchPage(http: HttpClient, options: ListOptions, params: Params, operation: string): Promise<ImsImage[]> {
  const { cloud, credentialSource } = options;
  return http.send({
    cloud,
    operation,
    request: buildRequest(options, params),
    sign: options.sign,
    interpret: (response) => interpretAnswer(response, { cloud, operation, credentialSource }),
  });
}

/** What the backend makes of each record (it normalizes); identity for the raw records. */
type Read<T> = (record: ImsImage) => T;

/** Every page of one listing (core/paging.ts: marker = last ID, until a page shorter than asked), each page read
 * while the next one travels. */
function listAll<T>(http: HttpClient, options: ListOptions, base: Params, label: string, read: Read<T>): Promise<T[]> {
  const { cloud, pageSize, maxPages } = options;
  return listByMarker(
    http,
    {
      cloud,
      operation: `${OPERATION}${label}`,
      pageSize,
      maxPages,
      fetchPage: (marker, operation) =>
        fetchPage(http, options, [...base, ['limit', String(pageSize)], ...(marker ? [['marker', marker] as [string, string]] : [])], operation),
      id: (record) => record.id,
    },
    read,
  );
}

/** Whether the records read from `since` on hold the answer: their first match is created at `since` or later. */
export type Proof<T> = (read: T[], since: string) => boolean;

/** How far before the newest record's time the fast path lists: a server that reads a zone-less time in another
 * zone (at most 14 hours off) still returns every record we read as at least as new. */
const SLACK_MS = 86_400_000;

/**
 * The newest records only, proven or not used. A server may ignore the sort or a filter, so its first record is
 * only a hint: from its creation time T (whole seconds, less a day of slack) every record created since is listed
 * (`created_at=gte:`, paged to the end), and that answer stands only if selection's first match over it is
 * created at T or later: then no record left out (all older) can come first in the full listing, whatever order
 * or precision the server has. A server that ignores `created_at` sends the whole listing, which is as good.
 * Otherwise (no readable time, no such match) the listing is read in full.
 */
async function newest<T>(http: HttpClient, options: ListOptions, base: Params, label: string, read: Read<T>, proves: Proof<T>): Promise<T[]> {
  const operation = `${OPERATION}${label} newest`;
  const records = refuseOverfullPage(await fetchPage(http, options, [...base, ['limit', '1']], operation), 1, options.cloud, operation);
  if (records.length === 0) return [];
  const time = parseCreationTime(records[0].created_at);
  if (time.ok && time.createdAt !== null) {
    const from = new Date(Date.parse(time.createdAt) - SLACK_MS).toISOString().replace(/\.\d{3}Z$/, 'Z');
    const recent = await listAll(http, options, [...base, ['created_at', `gte:${from}`]], `${label} since ${from}`, read);
    if (proves(recent, time.createdAt)) return recent;
  }
  return listAll(http, options, base, label, read);
}

/** Every record of every listing, each passed through `read` (raw records by default): complete, or the first failure.
 * With `fastPath`, each listing may answer with its newest records only, where `proves` says they hold the answer. */
export async function listImages<T = ImsImage>(
  http: HttpClient,
  options: ListOptions,
  read: Read<T> = (record) => record as T,
  proves: Proof<T> = () => false,
): Promise<T[]> {
  const listings = await mapWithConcurrency(
    options.listings,
    options.listings.length,
    (listing) => {
      const base: Params = [...listing, ...options.params];
      const label = listing.length ? ` (${listing.map(([k, v]) => `${k}=${v}`).join(' ')})` : '';
      return options.fastPath ? newest(http, options, base, label, read, proves) : listAll(http, options, base, label, read);
    },
    http.scope,
  );
  return listings.flat();
}
