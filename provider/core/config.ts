/**
 * Provider configuration (contract.md, "Configuration"): one object per cloud under the `cloudimages` namespace,
 * with the fields its CloudModule declares. A field left unset falls back to the cloud's environment variables,
 * first match wins. The typed per-cloud objects are generated into sdk/types.ts from the modules.
 */
import { registerSecret } from './redact';
import type { CloudModule, CloudRegistry } from './module';

/** One cloud's object: field name → value. */
export type CloudConfig = Record<string, string | undefined>;

/** The `cloudimages` configuration: cloud name → its object. */
export type CloudImagesConfig = Record<string, CloudConfig | undefined>;

export type Env = Record<string, string | undefined>;

/** A setting and where it came from: the config key or the variable name, for messages (never the value). */
export interface Setting {
  value: string;
  source: string;
}

/** `cloudimages:alicloud.accessKeyId`: the name of a configuration field, as errors and messages say it. */
export function settingName(cloud: string, field: string): string {
  return `cloudimages:${cloud}.${field}`;
}

/**
 * Reads one setting: the config field first, then each environment variable in order.
 * Credentials are registered for redaction as soon as they are read.
 */
export function readSetting(
  cloud: string,
  config: CloudImagesConfig,
  env: Env,
  field: string,
  variables: readonly string[],
  secret = false,
): Setting | undefined {
  const fromConfig = config[cloud]?.[field];
  let found: Setting | undefined;
  if (typeof fromConfig === 'string' && fromConfig !== '') found = { value: fromConfig, source: settingName(cloud, field) };
  else {
    for (const name of variables) {
      const value = env[name];
      if (value) {
        found = { value, source: name };
        break;
      }
    }
  }
  if (found && secret) registerSecret(found.value);
  return found;
}

/** "config cloudimages:alicloud.accessKeyId or environment variable ALIBABA_CLOUD_ACCESS_KEY_ID or ALICLOUD_ACCESS_KEY": what to set. */
export function settingHint(cloud: string, field: string, variables: readonly string[]): string {
  return [`config ${settingName(cloud, field)}`, ...(variables.length ? [`environment variable ${variables.join(' or ')}`] : [])].join(' or ');
}

// ---- Checking a configuration as it reaches a surface (Pulumi stack config, the plugin's CheckConfig/Configure,
// the SDK's explicit `config` option): one rule for all of them, against the cloud modules' fields. ----

export interface CheckFailure {
  /** The property path, e.g. `alicloud.accessKeyId`. */
  property: string;
  reason: string;
}

/** Keys an engine may add to provider configuration that are not ours to judge. */
const TOLERATED_KEYS = new Set(['version', 'pluginDownloadURL']);

/**
 * Checks a raw configuration object (`{alicloud: {...}, nscale: {...}}`). Object values may arrive as JSON strings
 * (the engine's older `variables` form); secret and unknown values must be unwrapped by the caller. `clouds`: the
 * registry the surface assembled, whose modules name the accepted objects and fields.
 */
export function checkConfig(raw: Record<string, unknown>, clouds: CloudRegistry): { config: CloudImagesConfig; failures: CheckFailure[] } {
  const config: Record<string, Record<string, string>> = {};
  const failures: CheckFailure[] = [];
  for (const [key, value] of sortedEntries(raw)) {
    if (TOLERATED_KEYS.has(key) || value === undefined || value === null) continue;
    const module = clouds.find(key);
    if (!module) {
      failures.push({ property: key, reason: `unknown configuration variable; accepted variables are ${clouds.names().join(', ')}` });
      continue;
    }
    const cloud = key;
    let section: unknown = value;
    if (typeof section === 'string') {
      try {
        section = JSON.parse(section);
      } catch {
        failures.push({ property: cloud, reason: `expected an object of ${fieldNames(module)}, got a string that is not JSON` });
        continue;
      }
    }
    if (section === null || typeof section !== 'object' || Array.isArray(section)) {
      failures.push({ property: cloud, reason: `expected an object of ${fieldNames(module)}` });
      continue;
    }
    const out: Record<string, string> = {};
    for (const [field, fieldValue] of sortedEntries(section as Record<string, unknown>)) {
      if (fieldValue === undefined || fieldValue === null) continue;
      if (!module.fields.some((f) => f.name === field)) {
        failures.push({ property: `${cloud}.${field}`, reason: `unknown field; ${cloud} accepts ${fieldNames(module)}` });
      } else if (typeof fieldValue !== 'string') {
        failures.push({ property: `${cloud}.${field}`, reason: `expected a string, got ${Array.isArray(fieldValue) ? 'a list' : typeof fieldValue}` });
      } else {
        out[field] = fieldValue;
      }
    }
    config[cloud] = out;
  }
  return { config, failures };
}

/** Entries by key, so failures come out in the same order however the input was built. */
function sortedEntries(record: Record<string, unknown>): [string, unknown][] {
  return Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

function fieldNames(module: CloudModule): string {
  return module.fields.map((f) => f.name).join(', ');
}
