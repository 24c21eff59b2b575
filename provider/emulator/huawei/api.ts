/**
 * IMS `GET /v2/cloudimages` for Huawei Cloud and Open Telekom Cloud. The real region lives in the host
 * (`ims.{region}.myhuaweicloud.com`); here it is the first path segment: `/huaweicloud/{region}/v2/cloudimages`.
 * Checks AK/SK signatures (answering as APIG does, `APIG.0301`) and IAM tokens, filters, sorts by
 * sort_key/sort_dir with the ID as tie-breaker, and pages by marker/limit, silently capping limit at 1000
 * as Glance's `api_limit_max` does. The `IMS.*` codes of parameter errors are the emulator's own.
 */
import { timingSafeEqual } from 'crypto';
import type { CloudName } from '../../clouds/registry';
import type { EmulatorApi, EmulatorReply, EmulatorRequest } from '../types';
import type { ImsImage } from '../../clouds/huawei/types';
import { ImsCatalog, imsCatalog } from './catalog';
import { scalarText } from '../wire';
import { parseAkSkAuthorization, sdkDateMillis, verifyAkSkSignature } from './verify';

/** Glance's default `api_limit_max`: larger limits are capped without a word. */
export const API_LIMIT_MAX = 1000;
const DEFAULT_LIMIT = 500;
/** APIG rejects signatures dated further than this from its clock. */
const MAX_CLOCK_SKEW_SECONDS = 15 * 60;

const DOCUMENTED_PARAMS = new Set([
  '__isregistered',
  '__imagetype',
  '__whole_image',
  '__system__cmkid',
  'protected',
  'visibility',
  'owner',
  'id',
  'status',
  'name',
  'container_format',
  'disk_format',
  'min_ram',
  'min_disk',
  '__os_bit',
  '__platform',
  'marker',
  'limit',
  'sort_key',
  'sort_dir',
  '__os_type',
  'tag',
  'member_status',
  '__support_kvm',
  '__support_xen',
  '__support_largememory',
  '__support_diskintensive',
  '__support_highperformance',
  '__support_xen_gpu_type',
  '__support_kvm_gpu_type',
  '__support_xen_hana',
  '__support_kvm_infiniband',
  'virtual_env_type',
  'enterprise_project_id',
  'created_at',
  'updated_at',
]);
/** Accepted and ignored: the emulator has one project and one enterprise project. */
const IGNORED_PARAMS = new Set(['member_status', 'enterprise_project_id']);
const SORT_KEYS = new Set(['name', 'container_format', 'disk_format', 'status', 'id', 'size', 'created_at']);
const TIME_OPS: Record<string, (a: number, b: number) => boolean> = {
  gt: (a, b) => a > b,
  gte: (a, b) => a >= b,
  lt: (a, b) => a < b,
  lte: (a, b) => a <= b,
  eq: (a, b) => a === b,
  neq: (a, b) => a !== b,
};

let requestCounter = 0;
function requestId(): string {
  requestCounter = (requestCounter + 1) % 0xffffffff;
  return `emu${requestCounter.toString(16).padStart(29, '0')}`;
}

function apigError(status: number, code: string, message: string): EmulatorReply {
  const id = requestId();
  return { status, headers: { 'x-request-id': id }, body: { error_code: code, error_msg: message, request_id: id } };
}

const unauthorized = (why: string) => apigError(401, 'APIG.0301', `Incorrect IAM authentication information: ${why}`);
const badParameter = (message: string) => apigError(400, 'IMS.0002', message);

function header(request: EmulatorRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value.join(',') : value;
}

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Undefined when the caller may proceed; otherwise APIG's refusal. */
function authenticate(request: EmulatorRequest, catalog: ImsCatalog, nowSeconds: number): EmulatorReply | undefined {
  const creds = catalog.credentials;
  const token = header(request, 'x-auth-token');
  if (token !== undefined) return sameText(token, creds.authToken) ? undefined : unauthorized('decrypt token fail');
  const authorization = header(request, 'authorization');
  if (authorization === undefined) return unauthorized('the request has neither X-Auth-Token nor an SDK-HMAC-SHA256 Authorization header');
  const parsed = parseAkSkAuthorization(authorization);
  if (!parsed) return unauthorized('Authorization header format incorrect');
  const secret = parsed.accessKey === creds.accessKey ? creds.secretKey : parsed.accessKey === creds.tempAccessKey ? creds.tempSecretKey : undefined;
  if (secret === undefined) return unauthorized('verify aksk signature fail: the access key does not exist');
  for (const required of ['host', 'x-sdk-date']) {
    if (!parsed.signedHeaders.includes(required)) return unauthorized(`verify aksk signature fail: ${required} is not signed`);
  }
  if (parsed.accessKey === creds.tempAccessKey) {
    const sts = header(request, 'x-security-token');
    if (sts === undefined || !parsed.signedHeaders.includes('x-security-token') || !sameText(sts, creds.securityToken)) {
      return unauthorized('verify aksk signature fail: temporary credentials need a valid, signed X-Security-Token');
    }
  }
  const sdkDate = header(request, 'x-sdk-date') ?? '';
  const when = sdkDateMillis(sdkDate);
  if (Number.isNaN(when)) return unauthorized('X-Sdk-Date format incorrect');
  if (Math.abs(when / 1000 - nowSeconds) > MAX_CLOCK_SKEW_SECONDS) return unauthorized('the request time is more than 15 minutes from the server time');
  // The emulator's own implementation of the algorithm, over the request as it arrived.
  if (!verifyAkSkSignature(request, parsed, secret)) return unauthorized('verify aksk signature fail');
  const project = header(request, 'x-project-id');
  if (project !== undefined && project !== creds.projectId) return unauthorized('the project in X-Project-Id does not belong to these credentials');
  return undefined;
}

type Predicate = (image: ImsImage) => boolean;

function parameterFilter(cloud: CloudName, name: string, value: string): Predicate | EmulatorReply {
  if (name === 'architecture') {
    if (cloud !== 'huaweicloud') return badParameter(`unsupported query parameter: ${name}`);
    if (value !== 'x86' && value !== 'arm') return badParameter(`architecture must be x86 or arm, got ${value}`);
    return (image) => (String(image.__support_arm).toLowerCase() === 'true') === (value === 'arm');
  }
  if (name === 'created_at' || name === 'updated_at') {
    const m = /^(gt|gte|lt|lte|eq|neq):(.+)$/.exec(value);
    const at = m ? Date.parse(m[2].includes('T') ? m[2] : `${m[2].replace(' ', 'T')}Z`) : NaN;
    if (!m || Number.isNaN(at)) return badParameter(`${name} must be operator:time, e.g. lt:2018-10-28T10:00:00Z`);
    const op = TIME_OPS[m[1]];
    return (image) => op(Date.parse(String(image[name] ?? '')), at);
  }
  if (name === 'tag') {
    const dotted = value.replace('=', '.');
    return (image) => Array.isArray(image.tags) && (image.tags.includes(value) || image.tags.includes(dotted));
  }
  if (!DOCUMENTED_PARAMS.has(name)) return badParameter(`unsupported query parameter: ${name}`);
  if (IGNORED_PARAMS.has(name)) return () => true;
  return (image) => scalarText(image[name]) === value;
}

function compareField(a: ImsImage, b: ImsImage, key: string): number {
  const x = a[key];
  const y = b[key];
  if (typeof x === 'number' && typeof y === 'number') return x - y;
  const sx = scalarText(x) ?? '';
  const sy = scalarText(y) ?? '';
  return sx < sy ? -1 : sx > sy ? 1 : 0;
}

function listImages(request: EmulatorRequest, catalog: ImsCatalog, region: string): EmulatorReply {
  const query = request.query;
  const predicates: Predicate[] = [];
  for (const name of new Set(query.keys())) {
    if (['marker', 'limit', 'sort_key', 'sort_dir'].includes(name)) continue;
    for (const value of query.getAll(name)) {
      const filter = parameterFilter(request.cloud, name, value);
      if (typeof filter !== 'function') return filter;
      if (!catalog.quirks?.ignoreParams?.includes(name)) predicates.push(filter);
    }
  }
  if (!query.has('status')) predicates.push((image) => image.status !== 'deleted'); // as Glance: deleted only when asked

  const sortKey = query.get('sort_key') ?? 'created_at';
  const sortDir = query.get('sort_dir') ?? 'desc';
  if (!SORT_KEYS.has(sortKey)) return badParameter(`sort_key must be one of ${[...SORT_KEYS].join(', ')}`);
  if (sortDir !== 'asc' && sortDir !== 'desc') return badParameter('sort_dir must be asc or desc');
  const sign = sortDir === 'desc' ? -1 : 1;
  const position = catalog.quirks?.ignoreSort ? new Map(catalog.images.map((entry, i) => [entry.image, i])) : undefined;
  const order = position
    ? (a: ImsImage, b: ImsImage) => position.get(a)! - position.get(b)!
    : (a: ImsImage, b: ImsImage) => sign * (compareField(a, b, sortKey) || compareField(a, b, 'id'));

  const limitText = query.get('limit');
  const limit = limitText === null ? DEFAULT_LIMIT : Number(limitText);
  if (!Number.isInteger(limit) || limit < 0) return badParameter(`limit must be a non-negative integer, got ${limitText}`);

  const regional = catalog.images.filter((entry) => entry.region === region).map((entry) => entry.image);
  const sorted = regional.filter((image) => predicates.every((p) => p(image))).sort(order);
  let start = 0;
  const marker = query.get('marker');
  if (marker !== null && !catalog.quirks?.ignoreMarker) {
    const anchor = regional.find((image) => image.id === marker);
    if (!anchor) return badParameter(`marker ${marker} could not be found`);
    start = sorted.findIndex((image) => order(image, anchor) > 0);
    if (start < 0) start = sorted.length;
  }
  return { status: 200, headers: { 'x-request-id': requestId() }, body: { images: sorted.slice(start, start + Math.min(limit, API_LIMIT_MAX)) } };
}

export const huaweiApi: EmulatorApi = {
  clouds: ['huaweicloud', 'opentelekomcloud'],

  handle(request, context) {
    const catalog = context.catalog as ImsCatalog;
    const match = /^\/([a-z0-9-]+)\/v2\/cloudimages\/?$/.exec(request.path);
    if (!match || request.method !== 'GET')
      return apigError(404, 'APIG.0101', `The API does not exist or has not been published in the environment (${request.method} ${request.path})`);
    const region = match[1];
    if (!catalog.regions.includes(region))
      return apigError(404, 'APIG.0101', `no IMS endpoint for region ${region}; this emulator serves ${catalog.regions.join(', ')}`);
    const refused = authenticate(request, catalog, context.now());
    if (refused) return refused;
    return listImages(request, catalog, region);
  },

  throttled: () => ({
    ...apigError(429, 'APIG.0308', 'The throttling threshold has been reached: policy user over ratelimit'),
    headers: { 'retry-after': '0' },
  }),
  serverError: () => apigError(502, 'APIG.0202', 'Backend unavailable'),

  clientConfig(cloud, baseUrl, catalog) {
    const { accessKey, secretKey, projectId } = (catalog as ImsCatalog).credentials;
    return { [cloud]: { endpoint: `${baseUrl}/{region}`, accessKey, secretKey, projectId } };
  },

  clientRegion: (cloud, catalog) => ({ [cloud]: { region: (catalog as ImsCatalog).regions[0] } }),

  clientEnv(cloud, catalog) {
    const { credentials, regions } = catalog as ImsCatalog;
    const prefix = cloud === 'huaweicloud' ? 'HW' : 'OS';
    return {
      [`${prefix}_ACCESS_KEY`]: credentials.accessKey,
      [`${prefix}_SECRET_KEY`]: credentials.secretKey,
      [`${prefix}_PROJECT_ID`]: credentials.projectId,
      [`${prefix}_REGION_NAME`]: regions[0],
    };
  },

  builtInCatalog: (cloud) => imsCatalog(cloud),
};
