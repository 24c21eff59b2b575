/**
 * The Alibaba Cloud ECS module: its settings, the push-down of every filter DescribeImages applies itself, and the
 * plan of one complete, paged fetch per ImageOwnerAlias.
 */
import { CloudSettings, configFields, defineCloud, PlannedFetch } from '../../core/module';
import { managedParameter } from '../../core/backend';
import { pushSelectors, refuseUnreportedSelectors, SelectorCapabilities } from '../../core/selectors';
import { ValidationError } from '../../core/errors';
import { stableJson } from '../../core/keys';
import { AdaptiveLimit, mapWithConcurrency } from '../../core/http/pool';
import type { Image, Visibility } from '../../core/image';
import { anchoredLiteral, Query } from '../../core/query';
import { DEFAULT_CONCURRENCY, listImages, MAX_PAGES } from './client';
import { normalizeImage, STATUS_PARAMS, VISIBILITY_TO_OWNER_ALIAS } from './normalize';
import { DEFAULT_ENDPOINT } from './types';

const DEFAULT_VISIBILITY: Visibility[] = ['private', 'public'];

/** GPU instance families: gn*, vgn*, sgn*, ebmgn*, sccgn*, ga* (e.g. `ecs.gn7i-c8g1.2xlarge`). */
export const GPU_INSTANCE_TYPE = /^ecs\.(ebm|scc)?([vs]?gn|ga)\d/i;

/** Parameters the client owns: a filter may not set them. */
const RESERVED_PARAMS = new Set([
  'Action',
  'Version',
  'Format',
  'AccessKeyId',
  'Signature',
  'SignatureMethod',
  'SignatureVersion',
  'SignatureNonce',
  'Timestamp',
  'SecurityToken',
  'PageNumber',
  'PageSize',
  'RegionId',
  'ImageOwnerAlias',
]);
const MAX_TAGS = 20;

const gpuInstead = 'ask for gpu: true with a GPU InstanceType in filters instead';

/** What DescribeImages does with each selector (core/selectors.ts). Not listed: checked locally. */
export const ALICLOUD_SELECTORS = {
  architecture: { push: (query) => ({ params: [['Architecture', query.architecture!]], exact: true }) },
  osType: { push: (query) => ({ params: [['OSType', query.osType!]], exact: true }) },
  // Nothing on this cloud relies on the name filter being exact (no fast path), so it is not claimed to be.
  nameRegex: {
    push: (query) => {
      const name = anchoredLiteral(query.nameRegex);
      return name === undefined ? undefined : { params: [['ImageName', name]], exact: false };
    },
  },
  tags: {
    push: (query) => {
      const tags = Object.entries(query.tags);
      return tags.length > MAX_TAGS
        ? undefined
        : {
            params: tags.flatMap(
              ([key, value], i) =>
                [
                  [`Tag.${i + 1}.Key`, key],
                  [`Tag.${i + 1}.Value`, value],
                ] as const,
            ),
            exact: true,
          };
    },
  },
  // No GPU attribute: a GPU InstanceType in filters says which images run on GPU machines (pushDown checks it).
  gpu: { local: 'DescribeImages has no GPU attribute; the InstanceType filter decides' },
  gpuVendor: { unreported: gpuInstead },
  gpuModel: { unreported: gpuInstead },
  gpuDriver: { unreported: gpuInstead },
  softwareVersions: { unreported: 'use nameRegex or tags instead' },
} satisfies SelectorCapabilities;

export interface AlicloudRequest {
  /** One listing per owner alias (DescribeImages takes one alias per request). */
  ownerAliases: string[];
  params: Record<string, string>;
  gpuInstanceType?: string;
}

/** Query → request parameters (pure). Throws ValidationError naming the argument. */
export function pushDown(query: Query, region: string): AlicloudRequest {
  refuseUnreportedSelectors(query, 'alicloud', ALICLOUD_SELECTORS);
  if (query.gpu === false) {
    throw new ValidationError(
      'gpu',
      'DescribeImages has no GPU attribute, so "does not run on GPU machines" cannot be told; leave gpu unset, or pass a non-GPU InstanceType in filters',
    );
  }
  const params: Record<string, string> = { RegionId: region };
  const set = (name: string, value: string) => (params[name] = value);
  set('Status', query.status.flatMap((s) => STATUS_PARAMS[s]).join(','));
  for (const [name, value] of pushSelectors(query, ALICLOUD_SELECTORS, undefined).params) set(name, value);
  for (const [key, raw] of Object.entries(query.filters)) {
    const value = Array.isArray(raw) ? raw.join(',') : raw;
    const managed = managedParameter(key, RESERVED_PARAMS);
    if (managed) {
      throw new ValidationError(
        `filters.${key}`,
        `${managed} is set by cloudimages itself${managed === 'RegionId' ? ' (use region)' : managed === 'ImageOwnerAlias' ? ' (use visibility)' : ''}, in any letter case`,
      );
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
  const visibility: Visibility[] = query.visibility ?? DEFAULT_VISIBILITY;
  return { ownerAliases: [...new Set(visibility.map((v) => VISIBILITY_TO_OWNER_ALIAS[v]))].sort(), params, gpuInstanceType };
}

/** Environment variables first match wins, in the order the official SDK and Terraform read them. */
const FIELDS = configFields([
  {
    name: 'accessKeyId',
    label: 'AccessKey ID',
    secret: true,
    required: true,
    identifiesAccount: true,
    env: ['ALIBABA_CLOUD_ACCESS_KEY_ID', 'ALICLOUD_ACCESS_KEY'],
    description: 'AccessKey ID.',
  },
  {
    name: 'accessKeySecret',
    label: 'AccessKey secret',
    secret: true,
    required: true,
    env: ['ALIBABA_CLOUD_ACCESS_KEY_SECRET', 'ALICLOUD_SECRET_KEY'],
    description: 'AccessKey secret.',
  },
  {
    name: 'securityToken',
    label: 'STS security token',
    secret: true,
    env: ['ALIBABA_CLOUD_SECURITY_TOKEN', 'ALICLOUD_SECURITY_TOKEN'],
    description: 'STS security token for temporary credentials.',
  },
  { name: 'region', label: 'region', env: ['ALIBABA_CLOUD_REGION', 'ALICLOUD_REGION'], description: 'Default region, e.g. cn-hangzhou.' },
  { name: 'endpoint', label: 'endpoint', description: 'ECS base URL override; may contain {region}.' },
]);

/** The settings resolved (core/settings.ts) → the planned fetch. */
export function plan(query: Query, settings: CloudSettings<typeof FIELDS>): PlannedFetch {
  const region = settings.region.value;
  if (!/^[a-z0-9-]+$/.test(region)) throw new ValidationError('region', `${JSON.stringify(region)} is not an Alibaba Cloud region ID (e.g. cn-hangzhou)`);
  const request = pushDown(query, region);
  const endpoint = settings.endpoint.value;
  const { accessKeyId, accessKeySecret, securityToken } = settings.fields;
  return {
    key: stableJson({ cloud: 'alicloud', endpoint, region, account: settings.account, ownerAliases: request.ownerAliases, params: request.params }),
    async run(http, fetchContext) {
      const limit = new AdaptiveLimit(DEFAULT_CONCURRENCY);
      const context = { region, gpuInstanceType: request.gpuInstanceType };
      const listings = await mapWithConcurrency(
        request.ownerAliases,
        request.ownerAliases.length,
        (alias) =>
          listImages(
            http,
            {
              endpoint,
              credentials: { accessKeyId: accessKeyId.value, accessKeySecret: accessKeySecret.value, securityToken: securityToken?.value },
              params: { ...request.params, ImageOwnerAlias: alias },
              limit,
              // Keyed by what defines this listing; the account is settings.account, a hash of the AccessKey ID.
              hint: fetchContext?.hints?.hint(
                { cloud: 'alicloud', endpoint, region, account: settings.account, params: { ...request.params, ImageOwnerAlias: alias } },
                MAX_PAGES,
              ),
              errorContext: {
                credentialSources: { accessKeyId: accessKeyId.source, accessKeySecret: accessKeySecret.source, securityToken: securityToken?.source },
              },
            },
            (record): Image => normalizeImage(record, context),
          ),
        http.scope,
      );
      return listings.flat();
    },
  };
}

export const alicloudModule = defineCloud({
  name: 'alicloud',
  title: 'Alibaba Cloud',
  configType: { name: 'AlicloudConfig', title: 'Alibaba Cloud' },
  fields: FIELDS,
  regionField: 'region',
  defaultEndpoint: DEFAULT_ENDPOINT,
  credentialParameters: ['AccessKeyId', 'SecurityToken', 'Signature'],
  defaultVisibility: DEFAULT_VISIBILITY,
  trustedVisibilities: ['public', 'private'],
  reportsCreationTime: true,
  selectors: ALICLOUD_SELECTORS,
  plan,
});
