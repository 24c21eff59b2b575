/**
 * Provider configuration as it reaches a surface (Pulumi stack config, the plugin's CheckConfig/Configure, the SDK's
 * explicit `config` option): checked against the cloud modules' fields and turned into the core's CloudImagesConfig.
 * Pure: no gRPC, no Pulumi runtime, so the SDK and the plugin share it.
 */
import type { CloudImagesConfig } from '../core/config';
import { cloudNames, CloudModule, findCloudModule } from '../core/module';

export interface CheckFailure {
  /** The property path, e.g. `alicloud.accessKeyId`. */
  property: string;
  reason: string;
}

/** Keys an engine may add to provider configuration that are not ours to judge. */
const TOLERATED_KEYS = new Set(['version', 'pluginDownloadURL']);

/**
 * Checks a raw configuration object (`{alicloud: {...}, nscale: {...}}`). Object values may arrive as JSON strings
 * (the engine's older `variables` form); secret and unknown values must be unwrapped by the caller.
 */
export function checkConfig(raw: Record<string, unknown>): { config: CloudImagesConfig; failures: CheckFailure[] } {
  const config: Record<string, Record<string, string>> = {};
  const failures: CheckFailure[] = [];
  for (const [key, value] of sortedEntries(raw)) {
    if (TOLERATED_KEYS.has(key) || value === undefined || value === null) continue;
    const module = findCloudModule(key);
    if (!module) {
      failures.push({ property: key, reason: `unknown configuration variable; accepted variables are ${cloudNames().join(', ')}` });
      continue;
    }
    const cloud = key;
    let section = value;
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
