/** Every way an error object can be printed or walked, for tests that no credential is reachable from it. */
import * as util from 'util';

/** Every string reachable from `root` through own properties (enumerable or not, string or symbol keys, getters
 * included), however deep. */
export function reachableStrings(root: unknown): string[] {
  const out: string[] = [];
  const seen = new Set<unknown>();
  const visit = (value: unknown, depth: number): void => {
    if (typeof value === 'string') return void out.push(value);
    if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean' || typeof value === 'symbol') return void out.push(String(value));
    if ((typeof value !== 'object' && typeof value !== 'function') || value === null || seen.has(value) || depth > 60) return;
    seen.add(value);
    if (Buffer.isBuffer(value) || value instanceof Uint8Array) return void out.push(Buffer.from(value as Uint8Array).toString('latin1'));
    if (value instanceof Map)
      for (const [k, v] of value) {
        visit(k, depth + 1);
        visit(v, depth + 1);
      }
    if (value instanceof Set) for (const v of value) visit(v, depth + 1);
    for (const key of Reflect.ownKeys(value)) {
      if (typeof key === 'string') out.push(key);
      const descriptor = Object.getOwnPropertyDescriptor(value, key)!;
      let child: unknown = descriptor.value;
      if (descriptor.get) {
        try {
          child = descriptor.get.call(value);
        } catch {
          continue;
        }
      }
      visit(child, depth + 1);
    }
  };
  visit(root, 0);
  return out;
}

/** The error as every printer shows it, and every string reachable in it. */
export function everyViewOf(err: unknown): string {
  let json = '';
  try {
    json = JSON.stringify(err);
  } catch (e) {
    json = String(e);
  }
  return [util.inspect(err, { depth: Infinity, showHidden: true, getters: true }), json, String(err), ...reachableStrings(err)].join('\n');
}

export function expectNoSecret(err: unknown, secrets: readonly string[]): void {
  const everything = everyViewOf(err);
  for (const secret of secrets) {
    expect(everything.includes(secret) ? `contains ${secret}` : 'clean').toBe('clean');
    expect(everything.includes(encodeURIComponent(secret)) ? `contains ${secret} URL-encoded` : 'clean').toBe('clean');
  }
}
