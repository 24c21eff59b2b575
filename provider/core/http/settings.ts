/**
 * The transport's environment variables, checked strictly: a typo must not quietly become a default, and a value
 * past what timers can hold (2^31 - 1 ms) must not wrap around to 1 ms.
 */
import { ConfigurationError } from '../errors';
import type { Env } from '../config';

export interface TransportSettings {
  /** One HTTP attempt, body included. */
  timeoutMs: number;
  /** Everything one lookup does: pages, retries, back-off and Retry-After waits. */
  deadlineMs: number;
  /** Largest answer read, counted after decompression. */
  maxResponseBytes: number;
  /** All the answers of one lookup (every page of every listing, retries included), after decompression. */
  maxListingBytes: number;
}

interface IntegerVariable {
  name: string;
  unit: string;
  fallback: number;
  max: number;
}

export const MIB = 1024 * 1024;

export const TIMEOUT_VARIABLE: IntegerVariable = { name: 'CLOUDIMAGES_TIMEOUT_MS', unit: 'milliseconds', fallback: 30_000, max: 3_600_000 };
export const DEADLINE_VARIABLE: IntegerVariable = { name: 'CLOUDIMAGES_DEADLINE_MS', unit: 'milliseconds', fallback: 300_000, max: 86_400_000 };
// Past 512 MiB the body could not become one string (V8's limit), let alone be parsed.
export const MAX_RESPONSE_VARIABLE: IntegerVariable = { name: 'CLOUDIMAGES_MAX_RESPONSE_MB', unit: 'MiB', fallback: 64, max: 512 };
// A whole public catalog is a few MiB of answers (Alibaba's largest region: about 2,000 images, 5 MiB); a listing
// that never ends (fresh IDs page after page) must fail long before the process nears its heap limit.
export const MAX_LISTING_VARIABLE: IntegerVariable = { name: 'CLOUDIMAGES_MAX_LISTING_MB', unit: 'MiB', fallback: 256, max: 4096 };

/** A positive integer from 1 to `max`, digits only; unset or empty means the default. */
export function readIntegerVariable(env: Env, variable: IntegerVariable): number {
  const raw = env[variable.name];
  if (raw === undefined || raw === '') return variable.fallback;
  const value = /^[0-9]{1,10}$/.test(raw) ? Number(raw) : NaN;
  if (!(value >= 1 && value <= variable.max)) {
    const shown = JSON.stringify(raw.length > 20 ? `${raw.slice(0, 20)}…` : raw);
    throw new ConfigurationError(
      `${variable.name} is ${shown}: expected a whole number of ${variable.unit} from 1 to ${variable.max.toLocaleString('en-US')} (default ${variable.fallback.toLocaleString('en-US')}); unset it for the default`,
      variable.name,
    );
  }
  return value;
}

/** Reads and checks the four variables, except those `given` already; throws ConfigurationError naming the first bad one. */
export function readTransportSettings(env: Env, given: Partial<TransportSettings> = {}): TransportSettings {
  return {
    timeoutMs: given.timeoutMs ?? readIntegerVariable(env, TIMEOUT_VARIABLE),
    deadlineMs: given.deadlineMs ?? readIntegerVariable(env, DEADLINE_VARIABLE),
    maxResponseBytes: given.maxResponseBytes ?? readIntegerVariable(env, MAX_RESPONSE_VARIABLE) * MIB,
    maxListingBytes: given.maxListingBytes ?? readIntegerVariable(env, MAX_LISTING_VARIABLE) * MIB,
  };
}
