/**
 * API Gateway's AK/SK signature, `SDK-HMAC-SHA256` (Huawei Cloud and Open Telekom Cloud), checked over the
 * request as it arrived: raw path, raw query string, received headers and body. Written from the published
 * signing guide, not from the client's signer:
 *
 *   CanonicalRequest = METHOD \n CanonicalURI \n CanonicalQuery \n CanonicalHeaders \n SignedHeaders \n hex(sha256(body))
 *   StringToSign     = SDK-HMAC-SHA256 \n X-Sdk-Date \n hex(sha256(CanonicalRequest))
 *   Signature        = hex(HMAC-SHA256(SK, StringToSign))
 *
 * CanonicalURI: each path segment decoded and RFC 3986-encoded, always ending in `/`. CanonicalQuery: pairs
 * decoded (`+` stays a plus: clients send spaces as `%20`), sorted by name then value before encoding, as the
 * official SDKs sort. CanonicalHeaders: `name:value\n` for each signed header, in the signed order, the value
 * without surrounding spaces and tabs (HTTP's optional white space).
 */
import { createHash, createHmac } from 'crypto';
import type { IncomingHttpHeaders } from 'http';
import { codeUnitOrder, decodePairs, percentDecode, rfc3986Encode, sameSignature } from '../wire';

export const AKSK_ALGORITHM = 'SDK-HMAC-SHA256';

export interface AkSkAuthorization {
  accessKey: string;
  signedHeaders: string[];
  signature: string;
}

/** `SDK-HMAC-SHA256 Access=…, SignedHeaders=a;b, Signature=hex`, or undefined when it is not that. */
export function parseAkSkAuthorization(value: string): AkSkAuthorization | undefined {
  const text = value.trim();
  if (!text.startsWith(`${AKSK_ALGORITHM} `)) return undefined;
  const fields = new Map<string, string>();
  for (const part of text.slice(AKSK_ALGORITHM.length + 1).split(',')) {
    const eq = part.indexOf('=');
    if (eq < 0) return undefined;
    fields.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  const accessKey = fields.get('Access');
  const signedHeaders = fields.get('SignedHeaders');
  const signature = fields.get('Signature');
  if (fields.size !== 3 || !accessKey || !signedHeaders || !signature || !/^[0-9a-f]{64}$/.test(signature)) return undefined;
  return { accessKey, signedHeaders: signedHeaders.split(';'), signature };
}

/** `20191115T033655Z` as milliseconds since the epoch, or NaN. */
export function sdkDateMillis(value: string): number {
  const m = /^(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)(\d\d)Z$/.exec(value);
  return m ? Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]) : NaN;
}

const sha256Hex = (data: string | Buffer): string => createHash('sha256').update(data).digest('hex');

function headerText(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value.join(',') : value;
}

export interface ReceivedRequest {
  method: string;
  /** The path as sent, undecoded. */
  rawPath: string;
  /** The query string as sent, without `?`. */
  rawQuery: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export function canonicalRequestOf(request: ReceivedRequest, signedHeaders: readonly string[]): string {
  const segments = request.rawPath
    .split('/')
    .map((segment) => rfc3986Encode(percentDecode(segment, false)))
    .join('/');
  const uri = segments.endsWith('/') ? segments : `${segments}/`;
  const query = decodePairs(request.rawQuery, false)
    .sort(([na, va], [nb, vb]) => codeUnitOrder(na, nb) || codeUnitOrder(va, vb))
    .map(([name, value]) => `${rfc3986Encode(name)}=${rfc3986Encode(value)}`)
    .join('&');
  const headers = signedHeaders.map((name) => `${name}:${trimOws(headerText(request.headers, name) ?? '')}\n`).join('');
  // A caller may declare the payload hash (`UNSIGNED-PAYLOAD` for streamed bodies); otherwise it is the body's.
  const payloadHash = headerText(request.headers, 'x-sdk-content-sha256') ?? sha256Hex(request.body);
  return [request.method.toUpperCase(), uri, query, headers, signedHeaders.join(';'), payloadHash].join('\n');
}

export function akSkStringToSign(sdkDate: string, canonicalRequest: string): string {
  return `${AKSK_ALGORITHM}\n${sdkDate}\n${sha256Hex(canonicalRequest)}`;
}

export function akSkSignature(secretKey: string, stringToSign: string): string {
  return createHmac('sha256', secretKey).update(stringToSign, 'utf8').digest('hex');
}

/** Whether the parsed Authorization's signature is the one the secret key produces over this request. */
export function verifyAkSkSignature(request: ReceivedRequest, authorization: AkSkAuthorization, secretKey: string): boolean {
  const sdkDate = headerText(request.headers, 'x-sdk-date') ?? '';
  const expected = akSkSignature(secretKey, akSkStringToSign(sdkDate, canonicalRequestOf(request, authorization.signedHeaders)));
  return sameSignature(expected, authorization.signature);
}

/** Without leading and trailing spaces and tabs (HTTP's optional white space); a loop, not a backtracking regex. */
function trimOws(value: string): string {
  let start = 0;
  let end = value.length;
  while (start < end && (value[start] === ' ' || value[start] === '\t')) start++;
  while (end > start && (value[end - 1] === ' ' || value[end - 1] === '\t')) end--;
  return value.slice(start, end);
}
