/**
 * The IMS client for Huawei Cloud and Open Telekom Cloud: settings → push-down → signed, marker-paged
 * `GET /v2/cloudimages` → normalized Images. One implementation; a profile holds each cloud's defaults.
 */
import { createHash } from 'crypto';
import type { CloudBackend, PlannedFetch } from '../../core/backend';
import { refuseUnreportedSelectors, stableKey } from '../../core/backend';
import { CloudImagesConfig, Env, readSetting, Setting, settingHint } from '../../core/config';
import { CloudApiError, ConfigurationError, PagingError, ValidationError } from '../../core/errors';
import { HttpClient, HttpResponse, Interpretation, OutgoingRequest, parseJsonBody } from '../../core/http/client';
import { checkEndpoint } from '../../core/http/transport';
import type { Image, ImageStatus, Visibility } from '../../core/image';
import type { Query } from '../../core/query';
import { classifyFailure } from './errors';
import { ImsImage, normalizeImsImage, platformForDistro, VISIBILITY_TO_IMAGETYPE } from './normalize';
import { rfc3986, signRequest } from './signer';

export interface ImsProfile {
  cloud: 'huaweicloud' | 'opentelekomcloud';
  defaultEndpoint: string;
  /** Environment variables per config field, first match wins. */
  variables: Record<'accessKey' | 'secretKey' | 'securityToken' | 'authToken' | 'projectId' | 'region', string[]>;
  /** Huawei Cloud accepts `architecture=x86|arm`; Open Telekom Cloud documents no such filter. */
  architectureFilter: boolean;
}

export interface ImsClientOptions {
  /** The clock for signatures (tests freeze it). */
  now?: () => Date;
  /** Hard limit on pages in one listing: a server that never ends a listing is an error, not a hang. */
  maxPages?: number;
}

/** Glance (under IMS) silently caps `limit` at `api_limit_max`, 1000 by default: asking for more would make
 * a capped full page look like a short last page. */
export const MAX_PAGE_SIZE = 1000;
export const DEFAULT_MAX_PAGES = 200;
/** Paging parameters are ours to manage; `limit` in filters sets the page size instead. */
const RESERVED_FILTERS = ['marker', 'sort_key', 'sort_dir'];
const OPERATION = 'ListImages';
const NATIVE_STATUSES: Record<ImageStatus, string[]> = { available: ['active'], pending: ['queued', 'saving'], failed: ['killed'], unavailable: ['deleted'], deprecated: [] };
/** What IMS lists when no status is given. */
const LIVE_STATUSES = ['active', 'queued', 'saving', 'killed'];

type Params = [string, string][];

/** What a query becomes on the wire: parameters shared by every listing, one listing per `__imagetype`, and
 * whether every selector the query sets was expressed exactly (the condition for the most-recent fast path). */
export interface PushDown {
  params: Params;
  /** One listing per `__imagetype` and status variant (IMS filters take one value each); none when no
   * native status can match (e.g. only `deprecated`). */
  listings: Params[];
  pageSize: number;
  exact: boolean;
}

/** `^Ubuntu 22\.04 server 64bit$` → `Ubuntu 22.04 server 64bit`; undefined when the pattern is not a literal. */
export function literalFromAnchoredRegex(source: string): string | undefined {
  const m = /^\^((?:[^\\^$.*+?()[\]{}|]|\\[\\^$.*+?()[\]{}|/-])*)\$$/.exec(source);
  return m ? m[1].replace(/\\(.)/g, '$1') : undefined;
}

export function pushDown(query: Query, profile: ImsProfile, defaultVisibility: Visibility[]): PushDown {
  const params: Params = [];
  let exact = true;
  const set = (name: string, value: string) => params.push([name, value]);

  const filters = query.filters ?? {};
  for (const name of RESERVED_FILTERS) {
    if (name in filters) throw new ValidationError(`filters.${name}`, `${name} is managed by cloudimages (marker paging and created_at order); remove it`);
  }
  let pageSize = MAX_PAGE_SIZE;
  if ('limit' in filters) {
    const n = Number(filters.limit);
    if (!Number.isInteger(n) || n < 1 || n > MAX_PAGE_SIZE) throw new ValidationError('filters.limit', `the page size must be an integer from 1 to ${MAX_PAGE_SIZE} (IMS silently caps larger pages), got ${JSON.stringify(filters.limit)}`);
    pageSize = n;
  }
  const passed = new Set(Object.keys(filters));
  /** A selector pushed down only if the caller's filters do not already set that parameter. */
  const push = (name: string, value: string, isExact = true) => {
    if (passed.has(name)) exact = false;
    else set(name, value);
    if (!isExact) exact = false;
  };

  // IMS lists deleted images only when asked (status=deleted), and takes one status per request.
  const statuses = new Set(query.status.flatMap((s) => NATIVE_STATUSES[s]));
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

  if (query.architecture === 'arm64' && profile.architectureFilter) push('architecture', 'arm');
  else if (query.architecture === 'i386' && profile.architectureFilter) {
    push('architecture', 'x86');
    push('__os_bit', '32');
  } else if (query.architecture === 'x86_64' && profile.architectureFilter) push('architecture', 'x86', false); // 32-bit x86 images pass too
  else if (query.architecture === 'i386') push('__os_bit', '32', false);
  else if (query.architecture) exact = false;

  if (query.osType) push('__os_type', query.osType === 'linux' ? 'Linux' : 'Windows');
  if (query.osDistro) {
    const platform = platformForDistro(query.osDistro);
    if (platform) push('__platform', platform);
    else exact = false;
  }
  if (query.machineType === 'baremetal') push('virtual_env_type', 'Ironic');
  else if (query.machineType === 'vm') exact = false; // not pushed: only FusionCompute is vm, but env types are not all documented
  if (query.nameRegex !== undefined) {
    const literal = literalFromAnchoredRegex(query.nameRegex);
    if (literal !== undefined && literal !== '') push('name', literal);
    else exact = false;
  }
  const tags = Object.entries(query.tags ?? {});
  if (tags.length > 0) push('tag', `${tags[0][0]}=${tags[0][1]}`, tags.length === 1);
  if (query.gpu !== undefined || query.gpuVendor || query.gpuModel || query.gpuDriver || query.osVersion) exact = false;
  if (Object.keys(query.softwareVersions ?? {}).length > 0) exact = false;

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
      listings.push([...(type === undefined ? [] : [['__imagetype', type] as [string, string]]), ...(status === undefined ? [] : [['status', status] as [string, string]])]);
    }
  }
  return { params, listings, pageSize, exact };
}

type Auth =
  | { kind: 'aksk'; accessKey: Setting; secretKey: Setting; securityToken?: Setting; projectId: Setting }
  | { kind: 'token'; token: Setting; projectId?: Setting };

export function resolveAuth(profile: ImsProfile, config: CloudImagesConfig, env: Env): Auth {
  const { cloud, variables: vars } = profile;
  // Credentials come from one place: any credential in the configuration means the configuration alone, so a
  // configured token is not overridden by an old AK/SK in the shell, nor a configured AK paired with another SK.
  const section = (config[cloud] ?? {}) as Record<string, unknown>;
  const configured = (['accessKey', 'secretKey', 'securityToken', 'authToken'] as const).some((f) => typeof section[f] === 'string' && section[f] !== '');
  const read = (field: keyof ImsProfile['variables'], secret: boolean) =>
    readSetting(cloud, config, configured && field !== 'projectId' ? {} : env, field, configured && field !== 'projectId' ? [] : vars[field], secret);
  const accessKey = read('accessKey', true);
  const secretKey = read('secretKey', true);
  const securityToken = read('securityToken', true);
  const token = read('authToken', true);
  const projectId = read('projectId', false);
  const hint = (field: keyof ImsProfile['variables']) => settingHint(cloud, field, vars[field]);
  if (accessKey || secretKey) {
    if (!accessKey) throw new ConfigurationError(`${cloud}: a secret key is set (${secretKey!.source}) but no access key; set ${hint('accessKey')}`, 'accessKey');
    if (!secretKey) throw new ConfigurationError(`${cloud}: an access key is set (${accessKey.source}) but no secret key; set ${hint('secretKey')}`, 'secretKey');
    if (!projectId) throw new ConfigurationError(`${cloud}: AK/SK signing needs the project ID (sent as X-Project-Id); set ${hint('projectId')}`, 'projectId');
    return { kind: 'aksk', accessKey, secretKey, securityToken, projectId };
  }
  if (token) return { kind: 'token', token, projectId };
  throw new ConfigurationError(
    `${cloud}: no credentials; set an access key and secret key (${hint('accessKey')}; ${hint('secretKey')}; and ${hint('projectId')}), or an IAM token (${hint('authToken')})`,
    'accessKey',
  );
}

function fingerprint(value: string): string {
  return createHash('sha256').update(value).digest('hex').slice(0, 16);
}

function buildUrl(endpoint: string, params: Params): string {
  const query = params.map(([k, v]) => `${rfc3986(k)}=${rfc3986(v)}`).join('&');
  return `${endpoint}/v2/cloudimages${query ? `?${query}` : ''}`;
}

function asRecords(value: unknown): ImsImage[] | undefined {
  const images = (value as { images?: unknown } | null)?.images;
  return Array.isArray(images) && images.every((i) => i !== null && typeof i === 'object' && typeof (i as ImsImage).id === 'string') ? (images as ImsImage[]) : undefined;
}

export function createImsBackend(profile: ImsProfile, options: ImsClientOptions = {}): CloudBackend {
  const defaultVisibility: Visibility[] = ['private', 'public'];
  const now = options.now ?? (() => new Date());
  const maxPages = options.maxPages ?? DEFAULT_MAX_PAGES;
  const { cloud } = profile;

  return {
    cloud,
    reportsCreationTime: true,
    defaultVisibility,
    trustedVisibilities: ['public', 'private'],
    plan(query: Query, config: CloudImagesConfig, env: Env): PlannedFetch {
      refuseUnreportedSelectors(query, cloud, {
        gpuVendor: 'IMS reports GPU types, not vendors: use gpu: true or gpuModel instead',
        gpuDriver: 'use gpu: true or gpuModel instead',
        softwareVersions: 'use nameRegex or tags instead',
      });
      const region = query.region ?? readSetting(cloud, config, env, 'region', profile.variables.region)?.value;
      if (!region) throw new ConfigurationError(`${cloud}: no region; pass region, or set ${settingHint(cloud, 'region', profile.variables.region)}`, 'region');
      const configured = readSetting(cloud, config, env, 'endpoint', []);
      const endpointArg = query.endpoint !== undefined ? 'endpoint' : configured ? configured.source : 'endpoint';
      const endpoint = checkEndpoint(query.endpoint ?? configured?.value ?? profile.defaultEndpoint, endpointArg, region);
      const auth = resolveAuth(profile, config, env);
      const plan = pushDown(query, profile, defaultVisibility);
      const fastPath = query.mostRecent && plan.exact;
      const identity = auth.kind === 'aksk' ? `ak:${fingerprint(auth.accessKey.value)}` : `token:${fingerprint(auth.token.value)}`;
      const credentialSource = auth.kind === 'aksk'
        ? [auth.accessKey, auth.secretKey, auth.securityToken].filter((s): s is Setting => s !== undefined).map((s) => s.source).join(' / ')
        : auth.token.source;

      const headers: Record<string, string> = { accept: 'application/json' };
      if (auth.projectId) headers['x-project-id'] = auth.projectId.value;
      if (auth.kind === 'token') headers['x-auth-token'] = auth.token.value;
      const sign = auth.kind === 'aksk'
        ? (request: OutgoingRequest) => signRequest(request, { accessKey: auth.accessKey.value, secretKey: auth.secretKey.value, securityToken: auth.securityToken?.value }, now())
        : undefined;

      const interpret = (operation: string) => (response: HttpResponse): Interpretation<ImsImage[]> => {
        if (response.status < 200 || response.status >= 300) return { ok: false, ...classifyFailure(response, cloud, operation, credentialSource) };
        const parsed = parseJsonBody(response, cloud, operation);
        if (!parsed.ok) return parsed;
        const records = asRecords(parsed.value);
        if (!records) return { ok: false, retry: false, error: new CloudApiError('the answer has no "images" list of image records', { cloud, operation, httpStatus: response.status }) };
        return { ok: true, value: records };
      };

      const fetchPage = (http: HttpClient, params: Params, operation: string) =>
        http.send({ cloud, operation, request: { method: 'GET', url: buildUrl(endpoint, params), headers }, sign, interpret: interpret(operation) });

      /** Every page of one listing: marker = last ID, until a page shorter than asked. */
      const listAll = async (http: HttpClient, base: Params, label: string, stop: { failed: boolean }): Promise<ImsImage[]> => {
        const out: ImsImage[] = [];
        const seenIds = new Set<string>();
        const usedMarkers = new Set<string>();
        let marker: string | undefined;
        for (let page = 1; ; page++) {
          if (page > maxPages) {
            throw new PagingError(`the listing did not end within ${maxPages} pages of ${plan.pageSize}; narrow the query with filters`, { cloud, operation: `${OPERATION}${label}` });
          }
          if (stop.failed) return out; // a sibling listing failed: the whole run is rejected, stop asking
          const operation = `${OPERATION}${label} page ${page}`;
          const params: Params = [...base, ['limit', String(plan.pageSize)], ...(marker ? [['marker', marker] as [string, string]] : [])];
          const records = await fetchPage(http, params, operation);
          const full = records.length >= plan.pageSize;
          const next = records.length > 0 ? records[records.length - 1].id : undefined;
          if (full && next !== undefined && usedMarkers.has(next)) {
            throw new PagingError(`the server led back to marker ${next}, already used; the listing would loop`, { cloud, operation });
          }
          for (const record of records) {
            if (seenIds.has(record.id)) throw new PagingError(`image ${record.id} came back twice; the catalog changed or the server ignored the marker, so the listing cannot be trusted`, { cloud, operation });
            seenIds.add(record.id);
            out.push(record);
          }
          if (!full || next === undefined) return out;
          usedMarkers.add(next);
          marker = next;
        }
      };

      /** Newest first, two records: one request unless the newest creation time is shared, then all of that second. */
      const newest = async (http: HttpClient, base: Params, label: string, stop: { failed: boolean }): Promise<ImsImage[]> => {
        const records = await fetchPage(http, [...base, ['limit', '2']], `${OPERATION}${label} newest`);
        if (records.length === 2 && records[0].created_at !== undefined && records[0].created_at === records[1].created_at) {
          return listAll(http, [...base.filter(([k]) => k !== 'created_at'), ['created_at', `eq:${records[0].created_at}`]], `${label} tied at ${records[0].created_at}`, stop);
        }
        return records.slice(0, 1);
      };

      const sorted: Params = [...plan.params, ['sort_key', 'created_at'], ['sort_dir', 'desc']];
      return {
        key: stableKey({ cloud, endpoint, region, project: auth.projectId?.value ?? null, identity, params: sorted, listings: plan.listings, pageSize: plan.pageSize, fastPath }),
        region,
        async run(http: HttpClient): Promise<Image[]> {
          // Listings run concurrently; when one fails the others stop at their next page, and run() settles
          // only after all have, so no request outlives the call.
          const stop = { failed: false };
          const settled = await Promise.allSettled(plan.listings.map((listing) => {
            const base: Params = [...listing, ...sorted];
            const label = listing.length ? ` (${listing.map(([k, v]) => `${k}=${v}`).join(' ')})` : '';
            return (fastPath ? newest(http, base, label, stop) : listAll(http, base, label, stop)).catch((err: unknown) => {
              stop.failed = true;
              throw err;
            });
          }));
          const failure = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
          if (failure) throw failure.reason;
          return settled.flatMap((r) => (r as PromiseFulfilledResult<ImsImage[]>).value).map((record) => {
            try {
              return normalizeImsImage(record, cloud, region);
            } catch (err) {
              throw new CloudApiError(`image ${record.id}: ${(err as Error).message}`, { cloud, operation: OPERATION });
            }
          });
        },
      };
    },
  };
}
