/**
 * UCloud UK8S node images (`DescribeUK8SImage`), on api.ucloud.cn or any UCloud-compatible host set as the
 * endpoint. One signed call returns the VM and bare-metal lists; there is no paging and no creation time.
 */
import { CloudSettings, configFields, defineCloud, PlannedFetch } from '../../core/module';
import { managedParameter } from '../../core/backend';
import { refuseUnreportedSelectors, SelectorCapabilities } from '../../core/selectors';
import { settingHint } from '../../core/config';
import { ValidationError } from '../../core/errors';
import { stableJson } from '../../core/keys';
import type { Query } from '../../core/query';
import { listImages } from './client';
import { normalizeAnswer } from './normalize';
import { DEFAULT_ENDPOINT, OPERATION } from './types';

const PROJECT_VARIABLES = ['UCLOUD_PROJECT_ID'];

/** Parameters cloudimages sets itself (a filter may not replace them), and where each comes from. */
const RESERVED: Record<string, string> = {
  Action: 'it is always DescribeUK8SImage',
  Region: 'use the region argument',
  Zone: 'use the zone argument',
  ProjectId: `set ${settingHint('ucloud', 'projectId', PROJECT_VARIABLES)}`,
  PublicKey: 'credentials come from configuration or the environment',
  Signature: 'requests are signed by cloudimages',
};

/** What UK8S does with each selector (core/selectors.ts): it filters none (the zone is the catalog's), so every one
 * it reports is checked locally. */
export const UCLOUD_SELECTORS = {
  gpuVendor: { unreported: 'use gpu: true or gpuModel (SupportedGPUTypes) instead' },
  gpuDriver: { unreported: 'use gpu: true or gpuModel (SupportedGPUTypes) instead' },
  softwareVersions: { unreported: 'pass the UK8S Kubernetes version as filters: {K8sVersion: "…"} instead' },
} satisfies SelectorCapabilities;

/** Query → request parameters (pure). Throws ValidationError naming the argument. */
export function pushDown(query: Query, region: string): Record<string, string | string[]> & { Action: string } {
  refuseUnreportedSelectors(query, 'ucloud', UCLOUD_SELECTORS);
  for (const name of Object.keys(query.filters)) {
    const reserved = managedParameter(name, Object.keys(RESERVED));
    if (reserved) throw new ValidationError(`filters.${name}`, `${reserved} is set by cloudimages itself: ${RESERVED[reserved]}`);
  }
  return { Action: OPERATION, Region: region, ...(query.zone ? { Zone: query.zone } : {}), ...query.filters };
}

const FIELDS = configFields([
  {
    name: 'publicKey',
    label: 'API public key',
    secret: true,
    required: true,
    identifiesAccount: true,
    env: ['UCLOUD_PUBLIC_KEY'],
    description: 'API public key.',
  },
  { name: 'privateKey', label: 'API private key', secret: true, required: true, env: ['UCLOUD_PRIVATE_KEY'], description: 'API private key.' },
  { name: 'projectId', label: 'project ID', env: PROJECT_VARIABLES, description: 'Project ID.' },
  { name: 'region', label: 'region', env: ['UCLOUD_REGION'], description: 'Default region, e.g. cn-bj2.' },
  { name: 'endpoint', label: 'endpoint', description: 'API base URL (UCloud-compatible clouds serve the API under other hosts).' },
]);

/** The settings resolved (core/settings.ts) → the planned fetch. */
export function plan(query: Query, settings: CloudSettings<typeof FIELDS>): PlannedFetch {
  const region = settings.region.value;
  const params = pushDown(query, region);
  const endpoint = settings.endpoint.value;
  const { publicKey, privateKey, projectId } = settings.fields;
  const credentials = { publicKey, privateKey, projectId };
  return {
    key: stableJson({ cloud: 'ucloud', endpoint, region, zone: query.zone ?? null, project: projectId?.value ?? null, account: settings.account, params }),
    run: async (http) => normalizeAnswer(await listImages(http, { endpoint, credentials, params }), { region, zone: query.zone }),
  };
}

export const ucloudModule = defineCloud({
  name: 'ucloud',
  title: 'UCloud',
  configType: { name: 'UcloudConfig', title: 'UCloud' },
  fields: FIELDS,
  regionField: 'region',
  defaultEndpoint: DEFAULT_ENDPOINT,
  credentialParameters: ['PublicKey', 'PrivateKey', 'Signature'],
  // UCloud's own node images (public) and the account's custom ones (private): both are trusted by mostRecent.
  defaultVisibility: ['public', 'private'],
  trustedVisibilities: ['public', 'private'],
  reportsCreationTime: false,
  selectors: UCLOUD_SELECTORS,
  plan,
});
