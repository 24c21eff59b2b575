/**
 * Provider configuration (contract.md, "Configuration"): one object per cloud under the `cloudimages`
 * namespace. A field left unset falls back to the cloud's environment variables, first match wins.
 */
import type { CloudName } from './image';
import { registerSecret } from './redact';

export interface AlicloudConfig { accessKeyId?: string; accessKeySecret?: string; securityToken?: string; region?: string; endpoint?: string }
export interface HuaweiConfig { accessKey?: string; secretKey?: string; securityToken?: string; authToken?: string; projectId?: string; region?: string; endpoint?: string }
export interface UcloudConfig { publicKey?: string; privateKey?: string; projectId?: string; region?: string; endpoint?: string }
export interface NscaleConfig { serviceToken?: string; organizationId?: string; regionId?: string; endpoint?: string }

export interface CloudImagesConfig {
  alicloud?: AlicloudConfig;
  huaweicloud?: HuaweiConfig;
  opentelekomcloud?: HuaweiConfig;
  ucloud?: UcloudConfig;
  nscale?: NscaleConfig;
}

/** The fields of each cloud's object, and which are credentials (secrets in Pulumi config and schema). */
export const CONFIG_FIELDS: Record<CloudName, { name: string; secret: boolean; description: string }[]> = (() => {
  const huawei = [
    { name: 'accessKey', secret: true, description: 'Access key (AK) for AK/SK signing.' },
    { name: 'secretKey', secret: true, description: 'Secret key (SK) for AK/SK signing.' },
    { name: 'securityToken', secret: true, description: 'Security token of temporary AK/SK credentials.' },
    { name: 'authToken', secret: true, description: 'A project-scoped IAM token, used instead of AK/SK.' },
    { name: 'projectId', secret: false, description: 'Project ID (sent as X-Project-Id).' },
    { name: 'region', secret: false, description: 'Default region, e.g. eu-de.' },
    { name: 'endpoint', secret: false, description: 'IMS base URL override; may contain {region}.' },
  ];
  return {
    alicloud: [
      { name: 'accessKeyId', secret: true, description: 'AccessKey ID.' },
      { name: 'accessKeySecret', secret: true, description: 'AccessKey secret.' },
      { name: 'securityToken', secret: true, description: 'STS security token for temporary credentials.' },
      { name: 'region', secret: false, description: 'Default region, e.g. cn-hangzhou.' },
      { name: 'endpoint', secret: false, description: 'ECS base URL override; may contain {region}.' },
    ],
    huaweicloud: huawei,
    opentelekomcloud: huawei,
    ucloud: [
      { name: 'publicKey', secret: true, description: 'API public key.' },
      { name: 'privateKey', secret: true, description: 'API private key.' },
      { name: 'projectId', secret: false, description: 'Project ID.' },
      { name: 'region', secret: false, description: 'Default region, e.g. cn-bj2.' },
      { name: 'endpoint', secret: false, description: 'API base URL (UCloud-compatible clouds serve the API under other hosts).' },
    ],
    nscale: [
      { name: 'serviceToken', secret: true, description: 'Service token (sent as a bearer token).' },
      { name: 'organizationId', secret: false, description: 'Organization ID.' },
      { name: 'regionId', secret: false, description: 'Default region ID.' },
      { name: 'endpoint', secret: false, description: 'Region Service base URL override.' },
    ],
  };
})();

export type Env = Record<string, string | undefined>;

/** A setting and where it came from: the config key or the variable name, for messages (never the value). */
export interface Setting {
  value: string;
  source: string;
}

/**
 * Reads one setting: the config field first, then each environment variable in order.
 * Credentials are registered for redaction as soon as they are read.
 */
export function readSetting(
  cloud: CloudName, config: CloudImagesConfig, env: Env, field: string, variables: string[], secret = false,
): Setting | undefined {
  const section = (config[cloud] ?? {}) as Record<string, unknown>;
  const fromConfig = section[field];
  let found: Setting | undefined;
  if (typeof fromConfig === 'string' && fromConfig !== '') found = { value: fromConfig, source: `cloudimages:${cloud}.${field}` };
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

/** "cloudimages:alicloud.accessKeyId or ALIBABA_CLOUD_ACCESS_KEY_ID / ALICLOUD_ACCESS_KEY": what to set. */
export function settingHint(cloud: CloudName, field: string, variables: string[]): string {
  return [`config cloudimages:${cloud}.${field}`, ...(variables.length ? [`environment variable ${variables.join(' or ')}`] : [])].join(' or ');
}
