/**
 * Provider configuration (contract.md, "Configuration"): one object per cloud under the `cloudimages` namespace,
 * with the fields its CloudModule declares. A field left unset falls back to the cloud's environment variables,
 * first match wins. The typed per-cloud objects are generated into sdk/types.ts from the modules.
 */
import { registerSecret } from './redact';

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
  cloud: string, config: CloudImagesConfig, env: Env, field: string, variables: readonly string[], secret = false,
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
