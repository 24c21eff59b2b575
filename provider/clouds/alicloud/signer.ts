/**
 * Alibaba Cloud RPC signing (wire value `SignatureVersion=1.0`, "V2" in current docs), as a pure module: the
 * clock and the nonce are passed in, so the published test vector runs as a unit test and the official SDK's
 * output can be compared byte for byte (test/conformance). The emulator verifies with code of its own.
 */
import { createHmac } from 'crypto';

export const SIGNATURE_METHOD = 'HMAC-SHA1';
export const SIGNATURE_VERSION = '1.0';

/** RFC 3986 percent-encoding: `A-Z a-z 0-9 - _ . ~` stay, everything else `%XY` upper-case (space `%20`, `*` `%2A`). */
export function percentEncode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** Byte-order sort of the names (not locale order), then `name=value` pairs joined by `&`; `Signature` left out. */
export function canonicalQuery(params: Record<string, string>): string {
  return Object.keys(params)
    .filter((name) => name !== 'Signature')
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    .map((name) => `${percentEncode(name)}=${percentEncode(params[name])}`)
    .join('&');
}

export function stringToSign(method: string, params: Record<string, string>): string {
  return `${method.toUpperCase()}&${percentEncode('/')}&${percentEncode(canonicalQuery(params))}`;
}

export function computeSignature(method: string, params: Record<string, string>, accessKeySecret: string): string {
  return createHmac('sha1', `${accessKeySecret}&`).update(stringToSign(method, params)).digest('base64');
}

/** `YYYY-MM-DDThh:mm:ssZ` in UTC, no milliseconds. */
export function formatTimestamp(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export interface SigningCredentials {
  accessKeyId: string;
  accessKeySecret: string;
  securityToken?: string;
}

export interface SigningInput {
  method: 'GET' | 'POST';
  /** The operation's own parameters (Action, Version, RegionId, filters…). */
  params: Record<string, string>;
  credentials: SigningCredentials;
  now: Date;
  nonce: string;
}

/** Adds the common parameters and the signature; returns the complete parameter set to send. */
export function signParams(input: SigningInput): Record<string, string> {
  const params: Record<string, string> = {
    ...input.params,
    Format: 'JSON',
    AccessKeyId: input.credentials.accessKeyId,
    SignatureMethod: SIGNATURE_METHOD,
    SignatureVersion: SIGNATURE_VERSION,
    SignatureNonce: input.nonce,
    Timestamp: formatTimestamp(input.now),
  };
  if (input.credentials.securityToken) params.SecurityToken = input.credentials.securityToken;
  return { ...params, Signature: computeSignature(input.method, params, input.credentials.accessKeySecret) };
}

/** The query string to send: the same encoding as the canonical form, so what is signed is what is sent. */
export function encodeQuery(params: Record<string, string>): string {
  return Object.keys(params)
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    .map((name) => `${percentEncode(name)}=${percentEncode(params[name])}`)
    .join('&');
}
