/**
 * The Alibaba Cloud RPC signature (`SignatureMethod=HMAC-SHA1`, `SignatureVersion=1.0`) checked over the
 * parameters exactly as they arrived: the raw query string, plus the body of a form POST. Written from the
 * published algorithm, not from the client's signer:
 *
 *   StringToSign = METHOD & %2F & rfc3986(name1=value1&name2=value2…)   (names sorted, each part RFC 3986-encoded)
 *   Signature    = base64(HMAC-SHA1(AccessKeySecret + "&", StringToSign))
 *
 * Values are percent-decoded with `+` as a space (the service's servlet decoding), so a client that sends a
 * literal `+` unencoded, or signs a different encoding than it sends, is refused here as it is by the service.
 */
import { createHmac } from 'crypto';
import { codeUnitOrder, decodePairs, rfc3986Encode, sameSignature } from '../wire';

export const RPC_SIGNATURE_METHOD = 'HMAC-SHA1';
export const RPC_SIGNATURE_VERSION = '1.0';

/** Every parameter received, decoded: the query string's, then a form body's (the service reads both). */
export function receivedPairs(rawQuery: string, formBody?: string): [string, string][] {
  return [...decodePairs(rawQuery, true), ...(formBody === undefined ? [] : decodePairs(formBody, true))];
}

/** The string the caller should have signed, over every pair but `Signature`. */
export function rpcStringToSign(method: string, pairs: readonly [string, string][]): string {
  // Sorted by the decoded names (the SDKs sort before encoding; for ASCII names code-unit and byte order agree).
  const canonical = pairs
    .filter(([name]) => name !== 'Signature')
    .sort(([a], [b]) => codeUnitOrder(a, b))
    .map(([name, value]) => `${rfc3986Encode(name)}=${rfc3986Encode(value)}`)
    .join('&');
  return `${method.toUpperCase()}&${rfc3986Encode('/')}&${rfc3986Encode(canonical)}`;
}

export function rpcSignature(stringToSign: string, accessKeySecret: string): string {
  return createHmac('sha1', `${accessKeySecret}&`).update(stringToSign, 'utf8').digest('base64');
}

export type RpcVerdict = { ok: true } | { ok: false; reason: string; stringToSign?: string };

/** Whether the pairs carry one `Signature` that the secret produces over the others. */
export function verifyRpcSignature(method: string, pairs: readonly [string, string][], accessKeySecret: string): RpcVerdict {
  const seen = new Set<string>();
  for (const [name] of pairs) {
    // A repeated name would be signed one way and read another: refuse it rather than pick one.
    if (seen.has(name)) return { ok: false, reason: `parameter ${JSON.stringify(name)} is given more than once` };
    seen.add(name);
  }
  const signature = pairs.find(([name]) => name === 'Signature')?.[1];
  if (signature === undefined) return { ok: false, reason: 'no Signature parameter' };
  const stringToSign = rpcStringToSign(method, pairs);
  return sameSignature(rpcSignature(stringToSign, accessKeySecret), signature) ? { ok: true } : { ok: false, reason: 'signature mismatch', stringToSign };
}
