/**
 * UCloud's request signature checked over the parameters as they arrived, written from the published
 * algorithm, not from the client's signer: sort the parameters (all but `Signature`) by name in byte order,
 * concatenate `name + value` with no separators and no escaping, append the PrivateKey, and take the
 * lower-case hex SHA-1 (plain SHA-1, not HMAC).
 *
 * Parameters arrive as a GET query string or a POST form (both form-decoded: `+` is a space, as the
 * service's Go SDK sends it), or as a POST JSON object, flattened the documented way: booleans `true`/`false`,
 * numbers in decimal, arrays `Key.0`, `Key.1`…, objects `Key.Name`.
 */
import { createHash } from 'crypto';
import type { IncomingHttpHeaders } from 'http';
import { decodePairs, sameSignature } from '../wire';

export type ReadParams = { params: Record<string, string> } | { error: string };

function fromPairs(pairs: [string, string][]): ReadParams {
  const params: Record<string, string> = {};
  for (const [name, value] of pairs) {
    // Signed one way and read another if a name came twice: refuse rather than pick one.
    if (Object.prototype.hasOwnProperty.call(params, name)) return { error: `Params error: ${JSON.stringify(name)} is given more than once` };
    params[name] = value;
  }
  return { params };
}

function flattenJson(value: Record<string, unknown>): ReadParams {
  const params: Record<string, string> = {};
  let error: string | undefined;
  const visit = (name: string, item: unknown): void => {
    if (item === null || item === undefined) return;
    if (Array.isArray(item)) item.forEach((element, index) => visit(`${name}.${index}`, element));
    else if (typeof item === 'object') for (const [key, element] of Object.entries(item as Record<string, unknown>)) visit(`${name}.${key}`, element);
    else if (typeof item === 'string' || typeof item === 'number' || typeof item === 'boolean') params[name] = String(item);
    else error = `Params error: ${name} has an unsupported JSON value`;
  };
  for (const [name, item] of Object.entries(value)) visit(name, item);
  return error ? { error } : { params };
}

/** The parameters of a GET or POST request, or the reason they cannot be read. */
export function readUcloudParams(method: string, rawQuery: string, headers: IncomingHttpHeaders, body: string): ReadParams {
  if (method === 'GET') return fromPairs(decodePairs(rawQuery, true));
  const type = String(headers['content-type'] ?? '')
    .split(';')[0]
    .trim()
    .toLowerCase();
  if (type === 'application/x-www-form-urlencoded') return fromPairs(decodePairs(body, true));
  if (type !== 'application/json') return { error: `Params error: unsupported content type ${JSON.stringify(type)}` };
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return { error: 'Params error: the JSON body does not parse' };
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return { error: 'Params error: the JSON body is not an object' };
  return flattenJson(parsed as Record<string, unknown>);
}

/** The string that is hashed (before the PrivateKey is appended). */
export function ucloudSignedText(params: Readonly<Record<string, string>>): string {
  return Object.keys(params)
    .filter((name) => name !== 'Signature')
    .sort((a, b) => Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8')))
    .map((name) => `${name}${params[name]}`)
    .join('');
}

export function ucloudSignature(params: Readonly<Record<string, string>>, privateKey: string): string {
  return createHash('sha1')
    .update(ucloudSignedText(params) + privateKey, 'utf8')
    .digest('hex');
}

export function verifyUcloudSignature(params: Readonly<Record<string, string>>, privateKey: string): boolean {
  return params.Signature !== undefined && sameSignature(ucloudSignature(params, privateKey), params.Signature);
}
