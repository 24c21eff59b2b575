/**
 * Huawei Cloud and Open Telekom Cloud: one IMS API (`GET /v2/cloudimages`), so one folder and two modules that
 * differ only in their profile (defaults, environment variables, filters). Open Telekom Cloud runs Huawei's stack
 * under its own hosts and reads the OpenStack-style `OS_*` variables.
 *
 * This file: the modules, the settings check (AK/SK or a token), the push-down, and the plan.
 */
import { CloudSettings, configFields, defineCloud, PlannedFetch } from '../../core/module';
import { managedParameter } from '../../core/backend';
import { Pushed, pushSelectors, refuseUnreportedSelectors, SelectorCapabilities } from '../../core/selectors';
import { settingHint, settingName, Setting } from '../../core/config';
import { CloudApiError, ConfigurationError, ValidationError } from '../../core/errors';
import { stableJson } from '../../core/keys';
import type { OutgoingRequest } from '../../core/http/client';
import type { Image, ImageStatus, Visibility } from '../../core/image';
import { anchoredLiteral, compileQuery, Query } from '../../core/query';
import { DEFAULT_MAX_PAGES, listImages, ListOptions, Params } from './client';
import { MAX_PAGE_SIZE, OPERATION } from './types';
import { isMachineImage, normalizeImage, platformForDistro, VISIBILITY_TO_IMAGETYPE } from './normalize';
import { selectImages } from '../../core/select';
import { signRequest } from './signer';

type ImsField = 'accessKey' | 'secretKey' | 'securityToken' | 'authToken' | 'projectId' | 'region';

export interface ImsProfile {
  cloud: 'huaweicloud' | 'opentelekomcloud';
  title: string;
  defaultEndpoint: string;
  /** Environment variables per config field, first match wins. */
  variables: Record<ImsField, string[]>;
  /** Huawei Cloud accepts `architecture=x86|arm`; Open Telekom Cloud documents no such filter. */
  architectureFilter: boolean;
}

export const HUAWEI_CLOUD_PROFILE: ImsProfile = {
  cloud: 'huaweicloud',
  title: 'Huawei Cloud',
  defaultEndpoint: 'https://ims.{region}.myhuaweicloud.com',
  variables: {
    accessKey: ['HW_ACCESS_KEY', 'OS_ACCESS_KEY'],
    secretKey: ['HW_SECRET_KEY', 'OS_SECRET_KEY'],
    securityToken: ['HW_SECURITY_TOKEN', 'OS_SECURITY_TOKEN'],
    authToken: ['HW_AUTH_TOKEN', 'OS_AUTH_TOKEN'],
    projectId: ['HW_PROJECT_ID', 'OS_PROJECT_ID'],
    region: ['HW_REGION_NAME', 'OS_REGION_NAME'],
  },
  architectureFilter: true,
};

export const OPEN_TELEKOM_CLOUD_PROFILE: ImsProfile = {
  cloud: 'opentelekomcloud',
  title: 'Open Telekom Cloud',
  defaultEndpoint: 'https://ims.{region}.otc.t-systems.com',
  variables: {
    accessKey: ['OS_ACCESS_KEY'],
    secretKey: ['OS_SECRET_KEY'],
    securityToken: ['OS_SECURITY_TOKEN'],
    authToken: ['OS_AUTH_TOKEN'],
    projectId: ['OS_PROJECT_ID'],
    region: ['OS_REGION_NAME'],
  },
  architectureFilter: false,
};

const DEFAULT_VISIBILITY: Visibility[] = ['private', 'public'];
/** Paging parameters are ours to manage; `limit` in filters sets the page size instead. */
const RESERVED_FILTERS = ['marker', 'sort_key', 'sort_dir'];
const NATIVE_STATUSES: Record<ImageStatus, string[]> = {
  available: ['active'],
  pending: ['queued', 'saving'],
  failed: ['killed'],
  unavailable: ['deleted'],
  deprecated: [],
};
/** What IMS lists when no status is given. */
const LIVE_STATUSES = ['active', 'queued', 'saving', 'killed'];

/** One exactly sent parameter. */
const exactly = (name: string, value: string): Pushed => ({ params: [[name, value]], exact: true });

/** What IMS does with each selector (core/selectors.ts); pushed parameters are sent in this order. */
export const IMS_SELECTORS = {
  architecture: {
    push: (query, profile) => {
      if (!profile.architectureFilter) return query.architecture === 'i386' ? { params: [['__os_bit', '32']], exact: false } : undefined;
      if (query.architecture === 'arm64') return exactly('architecture', 'arm');
      if (query.architecture === 'i386')
        return {
          params: [
            ['architecture', 'x86'],
            ['__os_bit', '32'],
          ],
          exact: true,
        };
      return { params: [['architecture', 'x86']], exact: false }; // 32-bit x86 images pass too
    },
  },
  osType: { push: (query) => exactly('__os_type', query.osType === 'linux' ? 'Linux' : 'Windows') },
  osDistro: {
    push: (query) => {
      const platform = platformForDistro(query.osDistro!);
      return platform ? exactly('__platform', platform) : undefined;
    },
  },
  // vm is not pushed: only FusionCompute is vm, but env types are not all documented.
  machineType: { push: (query) => (query.machineType === 'baremetal' ? exactly('virtual_env_type', 'Ironic') : undefined) },
  nameRegex: {
    push: (query) => {
      const literal = anchoredLiteral(query.nameRegex);
      return literal === undefined ? undefined : exactly('name', literal);
    },
  },
  // `tag=k=v` matches the tags `k=v` and `k.v`, which we read as k=v too; a plain tag `k` (read as k="") it does not
  // match, so an empty value is never sent: the server's meaning must equal ours. One tag per request.
  tags: {
    push: (query) => {
      const tags = Object.entries(query.tags);
      const sendable = tags.find(([, value]) => value !== '');
      return sendable ? { params: [['tag', `${sendable[0]}=${sendable[1]}`]], exact: tags.length === 1 } : undefined;
    },
  },
  gpu: { local: 'IMS has no GPU filter; the GPU types each record lists say it' },
  gpuModel: { local: 'IMS has no GPU filter; the GPU types each record lists say it' },
  osVersion: { local: 'IMS filters by platform, not by version' },
  minAgeDays: { local: 'measured from creation times: the newest image the server names may be too young' },
  maxAgeDays: { local: 'measured from creation times' },
  gpuVendor: { unreported: 'IMS reports GPU types, not vendors: use gpu: true or gpuModel instead' },
  gpuDriver: { unreported: 'use gpu: true or gpuModel instead' },
  softwareVersions: { unreported: 'use nameRegex or tags instead' },
} satisfies SelectorCapabilities<ImsProfile>;

/** What a query becomes on the wire: parameters shared by every listing, one listing per `__imagetype`, and
 * whether every selector the query sets was expressed exactly (worth trying the "newest only" fast path). */
export interface PushDown {
  params: Params;
  /** One listing per `__imagetype` and status variant (IMS filters take one value each); none when no
   * native status can match (e.g. only `deprecated`). */
  listings: Params[];
  pageSize: number;
  exact: boolean;
}

export function pushDown(query: Query, profile: ImsProfile, defaultVisibility: Visibility[]): PushDown {
  const params: Params = [];
  let exact = true;
  const set = (name: string, value: string) => params.push([name, value]);

  const filters = query.filters ?? {};
  for (const key of Object.keys(filters)) {
    // `limit` (exactly) sets the page size; any other spelling of a paging parameter is refused.
    const managed = key === 'limit' ? undefined : managedParameter(key, [...RESERVED_FILTERS, 'limit']);
    if (managed)
      throw new ValidationError(`filters.${key}`, `${managed} is managed by cloudimages (marker paging and created_at order), in any letter case; remove it`);
  }
  let pageSize = MAX_PAGE_SIZE;
  if ('limit' in filters) {
    const n = Number(filters.limit);
    if (!Number.isInteger(n) || n < 1 || n > MAX_PAGE_SIZE)
      throw new ValidationError(
        'filters.limit',
        `the page size must be an integer from 1 to ${MAX_PAGE_SIZE} (IMS silently caps larger pages), got ${JSON.stringify(filters.limit)}`,
      );
    pageSize = n;
  }
  const passed = new Set(Object.keys(filters));

  // IMS lists deleted images only when asked (status=deleted), and takes one status per request. `unavailable` is
  // also what an undocumented state becomes, which only the unfiltered listing returns: it asks for both.
  const statuses = new Set(query.status.flatMap((s) => NATIVE_STATUSES[s]));
  if (query.status.includes('unavailable')) {
    LIVE_STATUSES.forEach((s) => statuses.add(s));
    exact = false;
  }
  let statusVariants: (string | undefined)[] = [];
  if (passed.has('status')) {
    statusVariants = [undefined];
    exact = false;
  } else if (statuses.size === 1) statusVariants = [...statuses];
  else if (statuses.size > 1) {
    const live = LIVE_STATUSES.filter((s) => statuses.has(s));
    if (live.length > 0) statusVariants.push(undefined);
    if (statuses.has('deleted')) statusVariants.push('deleted');
    if (live.length !== LIVE_STATUSES.length && live.length > 0) exact = false;
  }

  const selectors = pushSelectors(query, IMS_SELECTORS, profile, (name) => passed.has(name));
  params.push(...selectors.params);
  if (!selectors.exact) exact = false;
  // IMS has no zones (its images carry none): only the local check applies one.
  if (query.zone !== undefined) exact = false;

  for (const [name, value] of Object.entries(filters)) {
    if (name === 'limit') continue;
    for (const v of Array.isArray(value) ? value : [value]) set(name, v);
  }

  let imagetypes: (string | undefined)[] = [undefined];
  if (passed.has('__imagetype')) exact = false;
  else imagetypes = [...new Set((query.visibility ?? defaultVisibility).map((v) => VISIBILITY_TO_IMAGETYPE[v]))].sort();
  const listings: Params[] = [];
  for (const type of imagetypes) {
    for (const status of statusVariants) {
      listings.push([
        ...(type === undefined ? [] : [['__imagetype', type] as [string, string]]),
        ...(status === undefined ? [] : [['status', status] as [string, string]]),
      ]);
    }
  }
  return { params, listings, pageSize, exact };
}

/**
 * Whether a getImage with mostRecent may ask for the newest records only: every selector it sets was sent to the
 * server exactly (deny by default: `exact` is false for any selector IMS does not push exactly, present or future,
 * core/selectors.ts), and no filter of the caller's sets `created_at` (which the fast path uses). Admission only
 * saves work; the answer is still proven before it is used (client.ts, `newest`).
 */
export function newestOnlyAdmits(query: Query, request: PushDown): boolean {
  if (!query.mostRecent || !request.exact) return false;
  return !Object.keys(query.filters ?? {}).some((name) => name.toLowerCase() === 'created_at');
}

/** Both clouds take the same fields (one schema type); only the environment variables differ. */
function imsFields(v: Record<ImsField, string[]>) {
  return configFields([
    { name: 'accessKey', label: 'access key', secret: true, identifiesAccount: true, env: v.accessKey, description: 'Access key (AK) for AK/SK signing.' },
    { name: 'secretKey', label: 'secret key', secret: true, env: v.secretKey, description: 'Secret key (SK) for AK/SK signing.' },
    { name: 'securityToken', label: 'security token', secret: true, env: v.securityToken, description: 'Security token of temporary AK/SK credentials.' },
    {
      name: 'authToken',
      label: 'IAM token',
      secret: true,
      identifiesAccount: true,
      env: v.authToken,
      description: 'A project-scoped IAM token, used instead of AK/SK.',
    },
    { name: 'projectId', label: 'project ID', env: v.projectId, description: 'Project ID (sent as X-Project-Id).' },
    { name: 'region', label: 'region', env: v.region, description: 'Default region, e.g. eu-de.' },
    { name: 'endpoint', label: 'endpoint', description: 'IMS base URL override; may contain {region}.' },
  ]);
}
type ImsSettings = CloudSettings<ReturnType<typeof imsFields>>;

/** The IMS credentials a lookup signs with: AK/SK (with the project) or an IAM token. */
type Auth =
  | { kind: 'aksk'; accessKey: Setting; secretKey: Setting; securityToken?: Setting; projectId: Setting }
  | { kind: 'token'; token: Setting; projectId?: Setting };

/** Reads the resolved settings as AK/SK or a token; throws ConfigurationError naming what to set. */
export function authOf(profile: ImsProfile, settings: ImsSettings): Auth {
  const { cloud, variables: vars } = profile;
  const { accessKey, secretKey, securityToken, authToken: token, projectId } = settings.fields;
  const hint = (field: ImsField) => settingHint(cloud, field, vars[field]);
  if (accessKey || secretKey) {
    if (!accessKey)
      throw new ConfigurationError(
        `${cloud}: a secret key is set (${secretKey!.source}) but no access key; set ${hint('accessKey')}`,
        settingName(cloud, 'accessKey'),
      );
    if (!secretKey)
      throw new ConfigurationError(
        `${cloud}: an access key is set (${accessKey.source}) but no secret key; set ${hint('secretKey')}`,
        settingName(cloud, 'secretKey'),
      );
    if (!projectId)
      throw new ConfigurationError(
        `${cloud}: AK/SK signing needs the project ID (sent as X-Project-Id); set ${hint('projectId')}`,
        settingName(cloud, 'projectId'),
      );
    return { kind: 'aksk', accessKey, secretKey, securityToken, projectId };
  }
  if (token) return { kind: 'token', token, projectId };
  throw new ConfigurationError(
    `${cloud}: no credentials; set an access key and secret key (${hint('accessKey')}; ${hint('secretKey')}; and ${hint('projectId')}), or an IAM token (${hint('authToken')})`,
    settingName(cloud, 'accessKey'),
  );
}

export interface ImsBackendOptions {
  /** The clock for signatures (tests freeze it). */
  now?: () => Date;
  /** Hard limit on pages in one listing: a server that never ends a listing is an error, not a hang. */
  maxPages?: number;
}

/** The settings resolved (core/settings.ts) → the planned fetch, for one profile. */
export function imsBackend(profile: ImsProfile, options: ImsBackendOptions = {}): { readonly plan: (query: Query, settings: ImsSettings) => PlannedFetch } {
  const now = options.now ?? (() => new Date());
  const maxPages = options.maxPages ?? DEFAULT_MAX_PAGES;
  const { cloud } = profile;
  return {
    plan(query: Query, settings: ImsSettings): PlannedFetch {
      refuseUnreportedSelectors(query, cloud, IMS_SELECTORS);
      const region = settings.region.value;
      const endpoint = settings.endpoint.value;
      const auth = authOf(profile, settings);
      const request = pushDown(query, profile, DEFAULT_VISIBILITY);
      const fastPath = newestOnlyAdmits(query, request);
      const credentialSource =
        auth.kind === 'aksk'
          ? [auth.accessKey, auth.secretKey, auth.securityToken]
              .filter((s): s is Setting => s !== undefined)
              .map((s) => s.source)
              .join(' / ')
          : auth.token.source;
      const headers: Record<string, string> = { accept: 'application/json' };
      if (auth.projectId) headers['x-project-id'] = auth.projectId.value;
      if (auth.kind === 'token') headers['x-auth-token'] = auth.token.value;
      const sign =
        auth.kind === 'aksk'
          ? (outgoing: OutgoingRequest) =>
              signRequest(outgoing, { accessKey: auth.accessKey.value, secretKey: auth.secretKey.value, securityToken: auth.securityToken?.value }, now())
          : undefined;
      const sorted: Params = [...request.params, ['sort_key', 'created_at'], ['sort_dir', 'desc']];
      const list: ListOptions = {
        cloud,
        endpoint,
        headers,
        sign,
        credentialSource,
        params: sorted,
        listings: request.listings,
        pageSize: request.pageSize,
        maxPages,
        fastPath,
      };
      return {
        key: stableJson({
          cloud,
          endpoint,
          region,
          project: auth.projectId?.value ?? null,
          identity: `${auth.kind === 'aksk' ? 'ak' : 'token'}:${settings.account}`,
          params: sorted,
          listings: request.listings,
          pageSize: request.pageSize,
          fastPath,
        }),
        async run(http): Promise<Image[]> {
          const compiled = fastPath ? compileQuery(query) : undefined;
          // The newest-only answer stands when its first match is at least as new as the time it listed from.
          const proves = (images: (Image | undefined)[], since: string) => {
            const first = selectImages(
              images.filter((i): i is Image => i !== undefined),
              compiled!,
            )[0];
            return first !== undefined && first.createdAt !== null && first.createdAt >= since;
          };
          const images = await listImages(
            http,
            list,
            (record) => {
              try {
                return isMachineImage(record) ? normalizeImage(record, cloud, region) : undefined;
              } catch (err) {
                throw new CloudApiError(`image ${record.id}: ${(err as Error).message}`, { cloud, operation: OPERATION, cause: err });
              }
            },
            proves,
          );
          return images.filter((i): i is Image => i !== undefined);
        },
      };
    },
  };
}

/** The module of one profile. */
export function imsModule(profile: ImsProfile, options: ImsBackendOptions = {}) {
  return defineCloud({
    name: profile.cloud,
    title: profile.title,
    configType: { name: 'HuaweiConfig', title: 'Huawei Cloud or Open Telekom Cloud' },
    fields: imsFields(profile.variables),
    regionField: 'region',
    defaultEndpoint: profile.defaultEndpoint,
    credentialParameters: ['X-Auth-Token', 'X-Security-Token', 'X-Subject-Token'],
    defaultVisibility: DEFAULT_VISIBILITY,
    trustedVisibilities: ['public', 'private'],
    reportsCreationTime: true,
    credentialsFromOneSource: true,
    checkSettings: (settings) => void authOf(profile, settings),
    selectors: IMS_SELECTORS,
    plan: imsBackend(profile, options).plan,
  });
}

export const huaweiCloudModule = imsModule(HUAWEI_CLOUD_PROFILE);
export const openTelekomCloudModule = imsModule(OPEN_TELEKOM_CLOUD_PROFILE);
