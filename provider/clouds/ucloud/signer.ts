/**
 * UCloud request signing (clouds.md, "UCloud"): pure functions, no I/O and no clock (the signature carries no
 * timestamp or nonce, so one parameter set always signs the same way).
 *
 * 1. Flatten the parameters: booleans become `true`/`false`, numbers their shortest decimal form, arrays
 *    `Key.0`, `Key.1`… (objects inside arrays `Key.0.Name`); null and undefined are left out.
 * 2. Add `PublicKey`.
 * 3. Sort by name in byte order (`CPU` before `ChargeType`).
 * 4. Concatenate `name + value` for every pair, no separators and no URL escaping; append the PrivateKey.
 * 5. `Signature` = lower-case hex SHA-1 of that string (plain SHA-1, not HMAC).
 */
import { createHash } from 'crypto';

export type ParamScalar = string | number | boolean;
export type ParamValue = ParamScalar | null | undefined | readonly ParamValue[] | { readonly [name: string]: ParamValue };
export type ParamMap = { readonly [name: string]: ParamValue };

/** The wire form of one scalar. */
export function formatValue(value: ParamScalar, name = 'parameter'): string {
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError(`${name}: ${value} cannot be sent to UCloud`);
    return String(value);
  }
  return value;
}

/** Flattens nested parameters into the names UCloud signs and receives (`Key.0`, `Key.0.Name`). */
export function flattenParams(params: ParamMap): Record<string, string> {
  const out: Record<string, string> = {};
  const visit = (name: string, value: ParamValue): void => {
    if (value === undefined || value === null) return;
    if (Array.isArray(value)) (value as readonly ParamValue[]).forEach((item, index) => visit(`${name}.${index}`, item));
    else if (typeof value === 'object') for (const [key, item] of Object.entries(value)) visit(`${name}.${key}`, item);
    else out[name] = formatValue(value, name);
  };
  for (const [name, value] of Object.entries(params)) visit(name, value);
  return out;
}

/** Byte order of the UTF-8 encodings (for ASCII names the same as code-unit order; `CPU` < `ChargeType`). */
export function compareBytes(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/** `name1value1name2value2…` over the flattened parameters (Signature excluded), sorted by name. */
export function canonicalString(flat: Readonly<Record<string, string>>): string {
  return Object.keys(flat)
    .filter((name) => name !== 'Signature')
    .sort(compareBytes)
    .map((name) => name + flat[name])
    .join('');
}

/** The signature of flattened parameters that already contain `PublicKey`. */
export function computeSignature(flat: Readonly<Record<string, string>>, privateKey: string): string {
  return createHash('sha1')
    .update(canonicalString(flat) + privateKey, 'utf8')
    .digest('hex');
}

/** Flattens, adds `PublicKey` and `Signature`: the exact parameters to send. */
export function signParams(params: ParamMap, publicKey: string, privateKey: string): Record<string, string> {
  const flat = flattenParams({ ...params, PublicKey: publicKey });
  delete flat.Signature;
  return { ...flat, Signature: computeSignature(flat, privateKey) };
}
