/**
 * UCloud UK8S node images (`DescribeUK8SImage`), on api.ucloud.cn or any UCloud-compatible host set as the
 * endpoint. One signed call returns the VM and bare-metal lists; there is no paging and no creation time.
 */
import { createHash } from 'crypto';
import type { CloudBackend, PlannedFetch } from '../../core/backend';
import { refuseUnreportedSelectors, stableKey } from '../../core/backend';
import { CloudImagesConfig, Env, readSetting, Setting, settingHint } from '../../core/config';
import { ConfigurationError, ValidationError } from '../../core/errors';
import { checkEndpoint } from '../../core/http/transport';
import type { Query } from '../../core/query';
import { call, DEFAULT_ENDPOINT, UcloudCredentials } from './client';
import { normalizeAnswer } from './normalize';
import { OPERATION } from './errors';

export const UCLOUD_VARIABLES = {
  publicKey: ['UCLOUD_PUBLIC_KEY'],
  privateKey: ['UCLOUD_PRIVATE_KEY'],
  projectId: ['UCLOUD_PROJECT_ID'],
  region: ['UCLOUD_REGION'],
} as const;

/** Parameters cloudimages sets itself (a filter may not replace them), and where each comes from. */
const RESERVED: Record<string, string> = {
  Action: 'it is always DescribeUK8SImage',
  Region: 'use the region argument',
  Zone: 'use the zone argument',
  ProjectId: `set ${settingHint('ucloud', 'projectId', [...UCLOUD_VARIABLES.projectId])}`,
  PublicKey: 'credentials come from configuration or the environment',
  Signature: 'requests are signed by cloudimages',
};

function required(config: CloudImagesConfig, env: Env, field: 'publicKey' | 'privateKey', what: string): Setting {
  const setting = readSetting('ucloud', config, env, field, [...UCLOUD_VARIABLES[field]], true);
  if (!setting) {
    const hint = settingHint('ucloud', field, [...UCLOUD_VARIABLES[field]]);
    throw new ConfigurationError(`ucloud needs ${what}: set ${hint}`, hint);
  }
  return setting;
}

/** Identifies the account in a sharing key without revealing the key. */
function fingerprint(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('hex').slice(0, 16);
}

export function planUcloud(query: Query, config: CloudImagesConfig, env: Env): PlannedFetch {
  refuseUnreportedSelectors(query, 'ucloud', {
    gpuVendor: 'use gpu: true or gpuModel (SupportedGPUTypes) instead',
    gpuDriver: 'use gpu: true or gpuModel (SupportedGPUTypes) instead',
    softwareVersions: 'pass the UK8S Kubernetes version as filters: {K8sVersion: "…"} instead',
  });
  const region = query.region ?? readSetting('ucloud', config, env, 'region', [...UCLOUD_VARIABLES.region])?.value;
  if (!region) {
    throw new ConfigurationError(`ucloud needs a region: pass region, or set ${settingHint('ucloud', 'region', [...UCLOUD_VARIABLES.region])}`, 'region');
  }
  for (const name of Object.keys(query.filters)) {
    const reserved = Object.keys(RESERVED).find((r) => name === r || name.startsWith(`${r}.`));
    if (reserved) throw new ValidationError(`filters.${name}`, `${reserved} is set by cloudimages itself: ${RESERVED[reserved]}`);
  }
  const endpointSource = query.endpoint !== undefined ? 'endpoint' : 'cloudimages:ucloud.endpoint';
  const endpoint = checkEndpoint(query.endpoint ?? config.ucloud?.endpoint ?? DEFAULT_ENDPOINT, endpointSource);
  const credentials: UcloudCredentials = {
    publicKey: required(config, env, 'publicKey', 'an API public key'),
    privateKey: required(config, env, 'privateKey', 'an API private key'),
    projectId: readSetting('ucloud', config, env, 'projectId', [...UCLOUD_VARIABLES.projectId]),
  };
  const params = { Action: OPERATION, Region: region, ...(query.zone ? { Zone: query.zone } : {}), ...query.filters };
  return {
    region,
    key: stableKey({
      cloud: 'ucloud',
      endpoint,
      region,
      zone: query.zone ?? null,
      project: credentials.projectId?.value ?? null,
      publicKey: fingerprint(credentials.publicKey.value),
      params,
    }),
    run: async (http) => normalizeAnswer(await call(http, { endpoint, credentials, params }), { region, zone: query.zone }),
  };
}

export const ucloudBackend: CloudBackend = {
  cloud: 'ucloud',
  reportsCreationTime: false,
  // UK8S node images are published by UCloud itself: the vendor's public images are the whole catalog.
  defaultVisibility: ['public'],
  trustedVisibilities: ['public'],
  plan: planUcloud,
};
