/**
 * Huawei Cloud API Gateway signing, `SDK-HMAC-SHA256` (the APIG signing guide; Open Telekom Cloud uses the
 * same scheme). Pure: the clock is passed in, and every canonicalization step is its own function so each can
 * be tested against the published vector and the official SDK (test/conformance).
 *
 *   CanonicalRequest = METHOD \n CanonicalURI \n CanonicalQuery \n CanonicalHeaders \n SignedHeaders \n hex(sha256(body))
 *   StringToSign     = SDK-HMAC-SHA256 \n X-Sdk-Date \n hex(sha256(CanonicalRequest))
 *   Signature        = hex(HMAC-SHA256(SK, StringToSign))
 */
import { createHash, createHmac } from 'crypto';
import type { OutgoingRequest } from '../../core/http/client';

export const ALGORITHM = 'SDK-HMAC-SHA256';
export const DATE_HEADER = 'x-sdk-date';

export interface AkSkCredentials {
  accessKey: string;
  secretKey: string;
  /** Temporary credentials carry a security token, sent (and signed) as X-Security-Token. */
  securityToken?: string;
}

/** RFC 3986 encoding: unreserved `A-Z a-z 0-9 - _ . ~` stay, everything else is `%XY` upper-case. */
export function rfc3986(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** `20191115T033655Z`. */
export function formatSdkDate(now: Date): string {
  return now
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z')
    .replace(/[-:]/g, '');
}

/** Parses `20191115T033655Z` back to milliseconds, or NaN. */
export function parseSdkDate(value: string): number {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  return m ? Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]) : NaN;
}

/** Each path segment decoded then re-encoded; the result always ends with `/` (APIG's rule, not AWS's). */
export function canonicalUri(rawPath: string): string {
  const encoded = rawPath
    .split('/')
    .map((segment) => rfc3986(safeDecode(segment)))
    .join('/');
  return encoded.endsWith('/') ? encoded : `${encoded}/`;
}

/** The query's pairs as sent, decoded (no `+` → space: clients encode spaces as %20). */
export function parseQueryPairs(rawQuery: string): [string, string][] {
  if (!rawQuery) return [];
  return rawQuery
    .split('&')
    .filter(Boolean)
    .map((part) => {
      const eq = part.indexOf('=');
      return eq < 0 ? [safeDecode(part), ''] : [safeDecode(part.slice(0, eq)), safeDecode(part.slice(eq + 1))];
    });
}

/**
 * Pairs sorted by name (then value) before encoding, as the official SDKs sort (UTF-16 code-unit order of the
 * decoded text), then each `name=value` RFC 3986-encoded, joined by `&`. Sorting the encoded text instead puts
 * `a%2Fb` before `a.b` where the SDK puts `a.b` first.
 */
export function canonicalQuery(pairs: readonly [string, string][]): string {
  return [...pairs]
    .sort(([ka, va], [kb, vb]) => (ka < kb ? -1 : ka > kb ? 1 : va < vb ? -1 : va > vb ? 1 : 0))
    .map(([k, v]) => `${rfc3986(k)}=${rfc3986(v)}`)
    .join('&');
}

/** Lower-cased header names to sign, sorted. */
export function signedHeaderNames(headers: Record<string, string>): string[] {
  return Object.keys(headers)
    .map((h) => h.toLowerCase())
    .sort();
}

/**
 * `name:value\n` for each signed header, so the block ends with a newline. Values lose surrounding spaces and
 * tabs only (what HTTP strips in transit), not all Unicode white space: a value ending in U+00A0 arrives with
 * it and is signed with it, as the SDK signs it.
 */
export function canonicalHeaders(headers: Record<string, string>, names: readonly string[]): string {
  const lower = new Map(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), trimOws(v)]));
  return names.map((name) => `${name}:${lower.get(name) ?? ''}\n`).join('');
}

export function sha256Hex(data: string): string {
  return createHash('sha256').update(data, 'utf8').digest('hex');
}

export interface CanonicalInput {
  method: string;
  rawPath: string;
  rawQuery: string;
  /** The headers to sign (and only those). */
  headers: Record<string, string>;
  body: string;
}

export function canonicalRequest(input: CanonicalInput): string {
  const names = signedHeaderNames(input.headers);
  return [
    input.method.toUpperCase(),
    canonicalUri(input.rawPath),
    canonicalQuery(parseQueryPairs(input.rawQuery)),
    canonicalHeaders(input.headers, names),
    names.join(';'),
    sha256Hex(input.body),
  ].join('\n');
}

export function stringToSign(sdkDate: string, canonicalRequestText: string): string {
  return `${ALGORITHM}\n${sdkDate}\n${sha256Hex(canonicalRequestText)}`;
}

export function signature(secretKey: string, stringToSignText: string): string {
  return createHmac('sha256', secretKey).update(stringToSignText, 'utf8').digest('hex');
}

export function authorizationHeader(accessKey: string, names: readonly string[], signatureHex: string): string {
  return `${ALGORITHM} Access=${accessKey}, SignedHeaders=${names.join(';')}, Signature=${signatureHex}`;
}

/** Parses `SDK-HMAC-SHA256 Access=…, SignedHeaders=…, Signature=…`; undefined when malformed. */
export function parseAuthorization(value: string): { accessKey: string; signedHeaders: string[]; signature: string } | undefined {
  const m = /^SDK-HMAC-SHA256\s+Access=([^,\s]+),\s*SignedHeaders=([^,\s]+),\s*Signature=([0-9a-f]+)$/.exec(value.trim());
  return m ? { accessKey: m[1], signedHeaders: m[2].split(';'), signature: m[3] } : undefined;
}

/**
 * Signs a request: adds `Host`, `X-Sdk-Date` and (for temporary credentials) `X-Security-Token`, signs every
 * header present, and adds `Authorization`. Returns a new request; the input is not changed.
 */
export function signRequest(request: OutgoingRequest, credentials: AkSkCredentials, now: Date): OutgoingRequest {
  const url = new URL(request.url);
  const sdkDate = formatSdkDate(now);
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(request.headers)) if (k.toLowerCase() !== 'authorization') headers[k.toLowerCase()] = v;
  headers.host = url.host;
  headers[DATE_HEADER] = sdkDate;
  if (credentials.securityToken) headers['x-security-token'] = credentials.securityToken;
  const canonical = canonicalRequest({
    method: request.method,
    rawPath: url.pathname,
    rawQuery: url.search.replace(/^\?/, ''),
    headers,
    body: request.body ?? '',
  });
  const sig = signature(credentials.secretKey, stringToSign(sdkDate, canonical));
  return { ...request, headers: { ...headers, authorization: authorizationHeader(credentials.accessKey, signedHeaderNames(headers), sig) } };
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** Without leading and trailing spaces and tabs (HTTP's optional white space); a loop, not a backtracking regex. */
function trimOws(value: string): string {
  let start = 0;
  let end = value.length;
  while (start < end && (value[start] === ' ' || value[start] === '\t')) start++;
  while (end > start && (value[end - 1] === ' ' || value[end - 1] === '\t')) end--;
  return value.slice(start, end);
}
