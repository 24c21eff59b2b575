/**
 * Values on the wire: what the engine puts in a Struct (secrets wrapped in a sentinel object, unknowns as a
 * sentinel string during preview) and what a Struct may hold on the way back (never `undefined`: protobuf throws,
 * and the engine only shows "Unknown error").
 */
import { SECRET_SIG, SECRET_SIG_KEY, UNKNOWN, unwrap } from '../surface';
import type { Unwrapped } from '../surface';

export { SECRET_SIG, SECRET_SIG_KEY, UNKNOWN, unwrap };
export type { Unwrapped };

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
