/**
 * How the emulator reads signed requests off the wire: percent-decoding, RFC 3986 encoding and raw
 * `name=value` pairs, written here from the RFCs. The emulator's signature checks use these and nothing from
 * the clients (`provider/clouds/`), so an encoding bug in a client's signer cannot be mirrored by the check. Also
 * the text of a catalog's scalar fields, as the services write and compare them.
 */
import { timingSafeEqual } from 'crypto';

const HEX = '0123456789ABCDEF';
const isUnreserved = (byte: number): boolean =>
  (byte >= 0x41 && byte <= 0x5a) ||
  (byte >= 0x61 && byte <= 0x7a) ||
  (byte >= 0x30 && byte <= 0x39) ||
  byte === 0x2d ||
  byte === 0x2e ||
  byte === 0x5f ||
  byte === 0x7e;

/** RFC 3986 §2: every UTF-8 byte outside `A-Z a-z 0-9 - . _ ~` becomes `%XY`, upper-case hex. */
export function rfc3986Encode(text: string): string {
  let plain = true;
  for (let i = 0; i < text.length && plain; i++) plain = isUnreserved(text.charCodeAt(i));
  if (plain) return text;
  let out = '';
  for (const byte of Buffer.from(text, 'utf8')) out += isUnreserved(byte) ? String.fromCharCode(byte) : `%${HEX[byte >> 4]}${HEX[byte & 15]}`;
  return out;
}

const hexValue = (code: number): number =>
  code >= 0x30 && code <= 0x39 ? code - 0x30 : code >= 0x41 && code <= 0x46 ? code - 0x37 : code >= 0x61 && code <= 0x66 ? code - 0x57 : -1;

/**
 * `%XY` sequences become bytes, read as UTF-8 (invalid sequences become U+FFFD, as servers do); a `%` not
 * followed by two hex digits stays as it is. `plusIsSpace`: the form-encoding rule (`+` is a space).
 */
export function percentDecode(text: string, plusIsSpace: boolean): string {
  if (!text.includes('%') && !(plusIsSpace && text.includes('+'))) return text;
  const raw = Buffer.from(text, 'utf8');
  const bytes = Buffer.alloc(raw.length);
  let n = 0;
  for (let i = 0; i < raw.length; i++) {
    const byte = raw[i];
    const hi = byte === 0x25 && i + 2 < raw.length ? hexValue(raw[i + 1]) : -1;
    const lo = hi >= 0 ? hexValue(raw[i + 2]) : -1;
    if (hi >= 0 && lo >= 0) {
      bytes[n++] = hi * 16 + lo;
      i += 2;
    } else bytes[n++] = byte === 0x2b && plusIsSpace ? 0x20 : byte;
  }
  return bytes.subarray(0, n).toString('utf8');
}

/** The `name=value` pairs of a query string or form body, decoded, in the order sent (a bare `name` has value ''). */
export function decodePairs(raw: string, plusIsSpace: boolean): [string, string][] {
  if (raw === '') return [];
  return raw
    .split('&')
    .filter((part) => part !== '')
    .map((part) => {
      const eq = part.indexOf('=');
      const name = eq < 0 ? part : part.slice(0, eq);
      return [percentDecode(name, plusIsSpace), eq < 0 ? '' : percentDecode(part.slice(eq + 1), plusIsSpace)];
    });
}

/** UTF-16 code-unit order, as `Array.prototype.sort` and Java's `String.compareTo` (what the official SDKs use). */
export const codeUnitOrder = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** A catalog field's text as a service writes or compares it: a JSON scalar's; undefined for null, undefined, objects
 * and lists, which have none. */
export function scalarText(value: unknown): string | undefined {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? String(value) : undefined;
}

/** Constant-time comparison of two signatures. */
export function sameSignature(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
}
