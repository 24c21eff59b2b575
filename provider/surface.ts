/**
 * Names the Pulumi surfaces (SDK, provider plugin, ImageLock) share: the package's function tokens and the engine's
 * wire sentinels. Defined once here so the SDK needs neither the code generator nor the plugin.
 */
export const PACKAGE = 'cloudimages';

export const TOKENS = {
  getImage: `${PACKAGE}:index:getImage`,
  getImages: `${PACKAGE}:index:getImages`,
  image: `${PACKAGE}:index:Image`,
  gpu: `${PACKAGE}:index:GpuSupport`,
} as const;

/** What the engine sends for a value not known yet (preview), in Structs and dynamic-provider inputs alike. */
export const UNKNOWN = '04da6b54-80e4-46f7-96ec-b56ff0331ba9';

/** The engine's wrapper of a secret value in a Struct: `{[SECRET_SIG_KEY]: SECRET_SIG, value}`. */
export const SECRET_SIG_KEY = '4dabf18193072939515e22adb298388d';
export const SECRET_SIG = '1b47061264138c4ac30d75fd1eb44270';

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
