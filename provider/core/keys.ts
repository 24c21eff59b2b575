/** Sharing keys: fingerprints and stable JSON tell requests and accounts apart without revealing secrets. */
import { createHash } from 'crypto';

/** The first 16 hex digits of SHA-256: enough to tell accounts apart, useless for recovering a credential. */
export function fingerprint(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('hex').slice(0, 16);
}

/** JSON with every object's keys sorted (arrays keep their order): equal values give equal text. */
export function stableJson(value: unknown, space?: number): string {
  return JSON.stringify(value, (_k, v: unknown) => (v && typeof v === 'object' && !Array.isArray(v) ? sortKeys(v as Record<string, unknown>) : v), space);
}

/** A copy with the keys in code-unit order. */
export function sortKeys<T>(record: Record<string, T>): Record<string, T> {
  const out: Record<string, T> = {};
  for (const key of Object.keys(record).sort()) out[key] = record[key];
  return out;
}
