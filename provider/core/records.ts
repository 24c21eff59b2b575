/**
 * Records keyed by server or user text (tags, filters, software versions). Assignment (`record[key] = v`) drops
 * `__proto__` (it sets the prototype instead) and reading finds `constructor` on the prototype; these helpers make
 * every key an own, enumerable property of a plain object (so JSON, spreading and deep equality work as usual),
 * and read own properties only.
 */

/** Sets `key` as an own property, `__proto__` included. */
export function setOwn<T>(record: Record<string, T>, key: string, value: T): void {
  if (key === '__proto__') Object.defineProperty(record, key, { value, enumerable: true, writable: true, configurable: true });
  else record[key] = value;
}

/** The value of an own property; never one inherited from Object.prototype. */
export function getOwn<T>(record: Record<string, T>, key: string): T | undefined {
  return Object.prototype.hasOwnProperty.call(record, key) ? record[key] : undefined;
}

/**
 * Server text of a field that should be a string (or a number or boolean): anything else is ''. Never `String(x)` on
 * a server value: `{"toString": ""}` makes it throw a TypeError.
 */
export function scalarText(value: unknown): string {
  if (typeof value === 'string') return value;
  return typeof value === 'number' || typeof value === 'boolean' ? String(value) : '';
}

/** A server field that should be a number (or numeric text); anything else is NaN. Never `Number(x)` on an object. */
export function scalarNumber(value: unknown): number {
  if (typeof value === 'number') return value;
  return typeof value === 'string' && value.trim() !== '' ? Number(value) : Number.NaN;
}
