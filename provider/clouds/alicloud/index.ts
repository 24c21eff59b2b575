/**
 * The Alibaba Cloud ECS backend: resolves settings, pushes every filter DescribeImages applies itself down to
 * the request, and plans one complete, paged fetch per ImageOwnerAlias.
 */
import { createHash } from 'crypto';
import type { CloudBackend, PlannedFetch } from '../../core/backend';
import { refuseUnreportedSelectors, stableKey } from '../../core/backend';
import { CloudImagesConfig, Env, readSetting, settingHint, Setting } from '../../core/config';
import { ConfigurationError, ValidationError } from '../../core/errors';
import { checkEndpoint } from '../../core/http/transport';
import { mapWithConcurrency } from '../../core/http/client';
import type { Image, Visibility } from '../../core/image';
import type { Query } from '../../core/query';
import { AdaptiveLimit, DEFAULT_CONCURRENCY, describeAllImages } from './client';
import { normalizeImage, STATUS_PARAMS, VISIBILITY_TO_OWNER_ALIAS } from './normalize';

export const DEFAULT_ENDPOINT = 'https://ecs.{region}.aliyuncs.com';

/** Environment variables, first match wins (as the official SDK and Terraform read them). */
export const ENV = {
  accessKeyId: ['ALIBABA_CLOUD_ACCESS_KEY_ID', 'ALICLOUD_ACCESS_KEY'],
  accessKeySecret: ['ALIBABA_CLOUD_ACCESS_KEY_SECRET', 'ALICLOUD_SECRET_KEY'],
  securityToken: ['ALIBABA_CLOUD_SECURITY_TOKEN', 'ALICLOUD_SECURITY_TOKEN'],
  region: ['ALIBABA_CLOUD_REGION', 'ALICLOUD_REGION'],
} as const;

/** GPU instance families: gn*, vgn*, sgn*, ebmgn*, sccgn*, ga* (e.g. `ecs.gn7i-c8g1.2xlarge`). */
export const GPU_INSTANCE_TYPE = /^ecs\.(ebm|scc)?([vs]?gn|ga)\d/i;

/** Parameters the client owns: a filter may not set them. */
const RESERVED_PARAMS = new Set([
  'Action', 'Version', 'Format', 'AccessKeyId', 'Signature', 'SignatureMethod', 'SignatureVersion', 'SignatureNonce',
  'Timestamp', 'SecurityToken', 'PageNumber', 'PageSize', 'RegionId', 'ImageOwnerAlias',
]);
const MAX_TAGS = 20;

/** `^name$` with nothing a regular expression would treat specially (escaped `.`/`-` allowed): an exact name. */
export function exactName(regex: string | undefined): string | undefined {
  const m = regex === undefined ? null : /^\^((?:[^\\.*+?()[\]{}|^$]|\\[.\-_/])+)\$$/.exec(regex);
  return m ? m[1].replace(/\\(.)/g, '$1') : undefined;
}

export interface AlicloudRequestPlan {
  endpoint: string;
  region: string;
  /** One listing per owner alias (DescribeImages takes one alias per request). */
  ownerAliases: string[];
  params: Record<string, string>;
  gpuInstanceType?: string;
}

/** The pure half of `plan`: query → request parameters. Throws ValidationError naming the argument. */
export function buildRequest(query: Query, region: string): Omit<AlicloudRequestPlan, 'endpoint'> {
  const gpuInstead = 'ask for gpu: true with a GPU InstanceType in filters instead';
  refuseUnreportedSelectors(query, 'alicloud', {
    gpuVendor: gpuInstead, gpuModel: gpuInstead, gpuDriver: gpuInstead,
    softwareVersions: 'use nameRegex or tags instead',
  });
  if (query.gpu === false) {
    throw new ValidationError('gpu', 'DescribeImages has no GPU attribute, so "does not run on GPU machines" cannot be told; leave gpu unset, or pass a non-GPU InstanceType in filters');
  }
  const params: Record<string, string> = { RegionId: region };
  const set = (name: string, value: string) => (params[name] = value);
  if (query.architecture) set('Architecture', query.architecture);
  if (query.osType) set('OSType', query.osType);
  set('Status', query.status.flatMap((s) => STATUS_PARAMS[s]).join(','));
  const name = exactName(query.nameRegex);
  if (name !== undefined) set('ImageName', name);
  const tags = Object.entries(query.tags);
  if (tags.length <= MAX_TAGS) {
    tags.forEach(([key, value], i) => {
      set(`Tag.${i + 1}.Key`, key);
      set(`Tag.${i + 1}.Value`, value);
    });
  }
  for (const [key, raw] of Object.entries(query.filters)) {
    const value = Array.isArray(raw) ? raw.join(',') : raw;
    if (RESERVED_PARAMS.has(key)) {
      throw new ValidationError(`filters.${key}`, `${key} is set by cloudimages itself${key === 'RegionId' ? ' (use region)' : key === 'ImageOwnerAlias' ? ' (use visibility)' : ''}`);
    }
    if (params[key] !== undefined && params[key] !== value) {
      throw new ValidationError(`filters.${key}`, `conflicts with the query, which already sends ${key}=${params[key]}`);
    }
    params[key] = value;
  }
  const instanceType = params.InstanceType;
  const gpuInstanceType = instanceType && GPU_INSTANCE_TYPE.test(instanceType) ? instanceType : undefined;
  if (query.gpu === true && !gpuInstanceType) {
    throw new ValidationError(
      'gpu',
      `DescribeImages has no GPU attribute; pass the GPU instance type the image must run on, e.g. filters: {InstanceType: "ecs.gn7i-c8g1.2xlarge"}${instanceType ? ` (${instanceType} is not a GPU instance type)` : ''}`,
    );
  }
  const visibility: Visibility[] = query.visibility ?? alicloudBackend.defaultVisibility!;
  return { region, ownerAliases: [...new Set(visibility.map((v) => VISIBILITY_TO_OWNER_ALIAS[v]))].sort(), params, gpuInstanceType };
}

interface Credentials {
  accessKeyId: Setting;
  accessKeySecret: Setting;
  securityToken?: Setting;
}

function resolveCredentials(config: CloudImagesConfig, env: Env): Credentials {
  const required = (field: 'accessKeyId' | 'accessKeySecret'): Setting => {
    const found = readSetting('alicloud', config, env, field, [...ENV[field]], true);
    if (!found) throw new ConfigurationError(`alicloud: no ${field === 'accessKeyId' ? 'AccessKey ID' : 'AccessKey secret'}; set ${settingHint('alicloud', field, [...ENV[field]])}`, `alicloud.${field}`);
    return found;
  };
  return {
    accessKeyId: required('accessKeyId'),
    accessKeySecret: required('accessKeySecret'),
    securityToken: readSetting('alicloud', config, env, 'securityToken', [...ENV.securityToken], true),
  };
}

function resolveRegion(query: Query, config: CloudImagesConfig, env: Env): string {
  const region = query.region ?? readSetting('alicloud', config, env, 'region', [...ENV.region])?.value;
  if (!region) throw new ConfigurationError(`alicloud: no region; pass region, or set ${settingHint('alicloud', 'region', [...ENV.region])}`, 'alicloud.region');
  if (!/^[a-z0-9-]+$/.test(region)) throw new ValidationError('region', `${JSON.stringify(region)} is not an Alibaba Cloud region ID (e.g. cn-hangzhou)`);
  return region;
}

function resolveEndpoint(query: Query, config: CloudImagesConfig, region: string): string {
  if (query.endpoint) return checkEndpoint(query.endpoint, 'endpoint', region);
  if (config.alicloud?.endpoint) return checkEndpoint(config.alicloud.endpoint, 'cloudimages:alicloud.endpoint', region);
  return checkEndpoint(DEFAULT_ENDPOINT, 'endpoint', region);
}

const sha256 = (value: string) => createHash('sha256').update(value).digest('hex').slice(0, 16);

export const alicloudBackend: CloudBackend = {
  cloud: 'alicloud',
  reportsCreationTime: true,
  defaultVisibility: ['private', 'public'],
  trustedVisibilities: ['public', 'private'],
  plan(query: Query, config: CloudImagesConfig, env: Env): PlannedFetch {
    const region = resolveRegion(query, config, env);
    const request = buildRequest(query, region);
    const endpoint = resolveEndpoint(query, config, region);
    const credentials = resolveCredentials(config, env);
    const key = stableKey({
      cloud: 'alicloud', endpoint, region, account: sha256(credentials.accessKeyId.value), ownerAliases: request.ownerAliases, params: request.params,
    });
    return {
      key,
      region,
      async run(http) {
        const limit = new AdaptiveLimit(DEFAULT_CONCURRENCY);
        const listings = await mapWithConcurrency(request.ownerAliases, request.ownerAliases.length, (alias) =>
          describeAllImages(http, {
            endpoint,
            credentials: { accessKeyId: credentials.accessKeyId.value, accessKeySecret: credentials.accessKeySecret.value, securityToken: credentials.securityToken?.value },
            params: { ...request.params, ImageOwnerAlias: alias },
            limit,
            errorContext: {
              credentialSources: { accessKeyId: credentials.accessKeyId.source, accessKeySecret: credentials.accessKeySecret.source, securityToken: credentials.securityToken?.source },
            },
          }),
        );
        return listings.flat().map((record): Image => normalizeImage(record, { region, gpuInstanceType: request.gpuInstanceType }));
      },
    };
  },
};
