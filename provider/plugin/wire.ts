/**
 * Values on the wire: what the engine puts in a Struct (secrets wrapped in a sentinel object, unknowns as a
 * sentinel string during preview) and what a Struct may hold on the way back (never `undefined`: protobuf throws,
 * and the engine only shows "Unknown error").
 */
import { SECRET_SIG, SECRET_SIG_KEY, UNKNOWN } from '../surface';

export { SECRET_SIG, SECRET_SIG_KEY, UNKNOWN };

export interface Unwrapped {
  value: unknown;
  /** Some value was wrapped as a secret. */
  secret: boolean;
  /** Some value was the unknown sentinel (preview). */
  unknown: boolean;
}

/** Removes secret wrappers (keeping the values) and notes unknowns. */
export function unwrap(value: unknown): Unwrapped {
  const state = { secret: false, unknown: false };
  const walk = (v: unknown): unknown => {
    if (v === UNKNOWN) {
      state.unknown = true;
      return v;
    }
    if (Array.isArray(v)) return v.map(walk);
    if (v !== null && typeof v === 'object') {
      const record = v as Record<string, unknown>;
      if (record[SECRET_SIG_KEY] === SECRET_SIG) {
        state.secret = true;
        return walk(record.value);
      }
      return Object.fromEntries(Object.entries(record).map(([k, x]) => [k, walk(x)]));
    }
    return v;
  };
  const out = walk(value);
  return { value: out, ...state };
}

/** A copy safe to put in a Struct: `undefined` keys are dropped, `undefined` in lists becomes null. */
export function structSafe(value: unknown): unknown {
  if (value === undefined) return null;
  if (Array.isArray(value)) return value.map(structSafe);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = structSafe(v);
    return out;
  }
  if (typeof value === 'number' && !Number.isFinite(value)) return null;
  return value;
}
