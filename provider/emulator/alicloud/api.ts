/**
 * Alibaba Cloud ECS `DescribeImages` as the service plays it: RPC common parameters, the HMAC-SHA1 signature
 * checked over exactly what was received, stale timestamps and reused nonces refused, `PageSize` at most 100,
 * XML unless `Format=JSON`, `Status` defaulting to Available, the documented filters applied (`InstanceType`,
 * `Usage`, `SnapshotId`, `ResourceGroupId` and the rest: what the image can boot, not only what it is), and images in
 * no particular (but fixed) order.
 */
import { createHash, randomUUID } from 'crypto';
import type { CloudName } from '../../clouds/registry';
import type { CloudCatalog, EmulatorApi, EmulatorContext, EmulatorReply, EmulatorRequest } from '../types';
import { scalarText } from '../wire';
import { receivedPairs, RPC_SIGNATURE_METHOD, RPC_SIGNATURE_VERSION, verifyRpcSignature } from './verify';
import { AlicloudCatalog, AlicloudCatalogRecord, buildAlicloudCatalog } from './catalog';

const API_VERSION = '2014-05-26';
const MAX_SKEW_SECONDS = 15 * 60;
const OWNER_ALIASES = ['system', 'self', 'others', 'marketplace'];
const DEFAULT_OWNER_ALIASES = ['system', 'self', 'others'];
const STATUSES = ['Creating', 'Waiting', 'Available', 'UnAvailable', 'CreateFailed', 'Deprecated'];
const ARCHITECTURES = ['i386', 'x86_64', 'arm64'];
const FILTER_KEYS = ['CreationStartTime', 'CreationEndTime'];
const MAX_TAGS = 20;
const COMMON = ['AccessKeyId', 'Signature', 'SignatureMethod', 'SignatureVersion', 'SignatureNonce', 'Timestamp', 'Version', 'Action'];

class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const fail = (status: number, code: string, message: string): never => {
  throw new ApiError(status, code, message);
};

function formBody(request: EmulatorRequest): string | undefined {
  return request.method === 'POST' && String(request.headers['content-type'] ?? '').includes('x-www-form-urlencoded') ? request.body : undefined;
}

function paramsOf(request: EmulatorRequest): Record<string, string> {
  return Object.fromEntries(receivedPairs(request.rawQuery, formBody(request)));
}

function wantsJson(params: Record<string, string>): boolean {
  return (params.Format ?? '').toUpperCase() === 'JSON';
}

function escapeXml(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** The service's XML: objects become elements, arrays repeat their wrapper's inner element (`<Images><Image>…`). */
export function toXml(name: string, value: unknown): string {
  if (Array.isArray(value)) return value.map((v) => toXml(name, v)).join('');
  if (value !== null && typeof value === 'object')
    return `<${name}>${Object.entries(value)
      .map(([k, v]) => toXml(k, v))
      .join('')}</${name}>`;
  return `<${name}>${escapeXml(scalarText(value) ?? '')}</${name}>`;
}

function answer(status: number, root: string, body: Record<string, unknown>, json: boolean): EmulatorReply {
  if (json) return { status, headers: { 'content-type': 'application/json;charset=utf-8' }, body: JSON.stringify(body) };
  return { status, headers: { 'content-type': 'text/xml;charset=utf-8' }, body: `<?xml version="1.0" encoding="UTF-8"?>${toXml(root, body)}` };
}

function errorReply(status: number, code: string, message: string, json: boolean): EmulatorReply {
  const requestId = randomUUID().toUpperCase();
  return answer(
    status,
    'Error',
    {
      RequestId: requestId,
      HostId: 'ecs.aliyuncs.com',
      Code: code,
      Message: message,
      Recommend: `https://api.aliyun.com/troubleshoot?q=${code}&product=Ecs&requestId=${requestId}`,
    },
    json,
  );
}

const missing = (name: string) => fail(400, 'MissingParameter', `The input parameter "${name}" that is mandatory for processing this request is not supplied.`);
const invalid = (name: string, why = '') => fail(400, 'InvalidParameter', `The specified parameter "${name}" is not valid.${why ? ` ${why}` : ''}`);

/** Common parameters, credentials, signature, timestamp and nonce, in the service's order. */
function authenticate(request: EmulatorRequest, params: Record<string, string>, catalog: AlicloudCatalog, context: EmulatorContext): void {
  for (const name of COMMON) if (!params[name]) missing(name);
  if (params.SignatureMethod !== RPC_SIGNATURE_METHOD)
    fail(400, 'InvalidSignatureMethod', `Specified signature method ${params.SignatureMethod} is not supported.`);
  if (params.SignatureVersion !== RPC_SIGNATURE_VERSION)
    fail(400, 'InvalidSignatureVersion', `Specified signature version ${params.SignatureVersion} is not supported.`);
  if (!/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/.test(params.Timestamp) || Number.isNaN(Date.parse(params.Timestamp))) {
    fail(400, 'InvalidTimeStamp.Format', 'Specified time stamp or date value is not well formatted.');
  }
  const c = catalog.credentials;
  let secret: string;
  if (params.AccessKeyId === c.accessKeyId) secret = c.accessKeySecret;
  else if (params.AccessKeyId === c.stsAccessKeyId) {
    secret = c.stsAccessKeySecret;
    if (!params.SecurityToken) fail(400, 'MissingSecurityToken', 'SecurityToken is mandatory for this action.');
    if (params.SecurityToken !== c.securityToken) fail(400, 'InvalidSecurityToken.MismatchWithAccessKey', 'The Security Token does not match with Access Key');
  } else return fail(404, 'InvalidAccessKeyId.NotFound', 'Specified access key is not found.');
  // Checked over the pairs as they arrived (not `params`), by the emulator's own implementation of the algorithm.
  if (!verifyRpcSignature(request.method, receivedPairs(request.rawQuery, formBody(request)), secret).ok) {
    fail(400, 'SignatureDoesNotMatch', 'Specified signature is not matched with our calculation.');
  }
  if (Math.abs(context.now() - Date.parse(params.Timestamp) / 1000) > MAX_SKEW_SECONDS) {
    fail(400, 'InvalidTimeStamp.Expired', 'Specified time stamp or date value is expired.');
  }
  // Only a verified request burns its nonce, so nobody can spend another caller's nonces.
  const nonces = (context.state.get('nonces') as Set<string> | undefined) ?? new Set<string>();
  context.state.set('nonces', nonces);
  const nonceKey = `${params.AccessKeyId}\n${params.SignatureNonce}`;
  if (nonces.has(nonceKey)) fail(400, 'SignatureNonceUsed', 'Specified signature nonce was used already.');
  nonces.add(nonceKey);
}

function integer(params: Record<string, string>, name: string, fallback: number, min: number, max: number): number {
  if (params[name] === undefined) return fallback;
  const n = Number(params[name]);
  if (!/^\d+$/.test(params[name]) || n < min || n > max) invalid(name, `Valid values: ${min} to ${max}.`);
  return n;
}

function listParam(params: Record<string, string>, name: string, accepted: string[], fallback: string[], onBad: () => never): string[] {
  if (!params[name]) return fallback;
  const values = params[name].split(',').map((v) => v.trim());
  for (const v of values) if (!accepted.includes(v)) onBad();
  return values;
}

/** `Tag.N.Key`/`Tag.N.Value` (and the legacy lower-case spellings), N from 1 to 20. */
function tagsOf(params: Record<string, string>): [string, string | undefined][] {
  const tags = new Map<number, { key?: string; value?: string }>();
  for (const [name, value] of Object.entries(params)) {
    const m = /^Tag\.(\d+)\.(Key|Value|key|value)$/.exec(name);
    if (!m) continue;
    const n = Number(m[1]);
    if (n < 1 || n > MAX_TAGS) fail(400, 'InvalidTagCount', 'The specified tags are beyond the permitted range.');
    const entry = tags.get(n) ?? {};
    if (m[2].toLowerCase() === 'key') entry.key = value;
    else entry.value = value;
    tags.set(n, entry);
  }
  return [...tags.values()].map((t) => {
    if (t.key === undefined) fail(400, 'InvalidTag.Mismatch', 'The specified Tag.n.Key and Tag.n.Value are not match.');
    return [t.key!, t.value];
  });
}

function creationWindow(params: Record<string, string>): { start?: number; end?: number } {
  const window: { start?: number; end?: number } = {};
  for (const [name, key] of Object.entries(params)) {
    const m = /^Filter\.(\d+)\.Key$/.exec(name);
    if (!m) continue;
    if (!FILTER_KEYS.includes(key)) fail(404, 'InvalidFilterKey.NotFound', '');
    const value = params[`Filter.${m[1]}.Value`];
    const ms = value === undefined ? NaN : Date.parse(value);
    if (Number.isNaN(ms)) fail(400, 'InvalidFilterValue', `The specified Filter.${m[1]}.Value is not valid.`);
    if (key === 'CreationStartTime') window.start = ms;
    else window.end = ms;
  }
  return window;
}

function snapshotsOf(image: AlicloudCatalogRecord): string[] {
  const mappings = (image.DiskDeviceMappings as { DiskDeviceMapping?: { SnapshotId?: string }[] } | undefined)?.DiskDeviceMapping ?? [];
  return mappings.map((m) => m.SnapshotId ?? '').filter(Boolean);
}

/** A fixed pseudo-random order: not by date, not by name, the same on every call (so pages are stable). */
// "No particular order", but a stable one (by a hash of the ID). Ordered once per catalog, not per page request:
// tests add, remove or replace records between pages, so the cache holds only while every record is the same one.
const orderCache = new WeakMap<object, { snapshot: AlicloudCatalogRecord[]; ordered: AlicloudCatalogRecord[] }>();
function inServiceOrder(images: AlicloudCatalogRecord[]): AlicloudCatalogRecord[] {
  const cached = orderCache.get(images);
  if (cached && cached.snapshot.length === images.length && cached.snapshot.every((record, i) => record === images[i])) return cached.ordered;
  const orderKey = (id: string) => createHash('sha1').update(`alicloud-order:${id}`).digest('hex');
  const ordered = images
    .map((image) => [orderKey(String(image.ImageId)), image] as const)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([, image]) => image);
  orderCache.set(images, { snapshot: [...images], ordered });
  return ordered;
}

function describeImages(params: Record<string, string>, catalog: AlicloudCatalog): Record<string, unknown> {
  if (params.Version !== API_VERSION) fail(400, 'InvalidVersion', 'Specified parameter Version is not valid.');
  if (params.Action !== 'DescribeImages') fail(404, 'InvalidAction.NotFound', 'Specified api is not found, please check your url and method.');
  if (!params.RegionId) missing('RegionId');
  if (!catalog.regions.includes(params.RegionId)) fail(400, 'InvalidRegionId.NotFound', 'The specified RegionId does not exist.');
  const pageNumber = integer(params, 'PageNumber', 1, 1, 1_000_000);
  const pageSize = integer(params, 'PageSize', 10, 1, 100);
  const owners = listParam(params, 'ImageOwnerAlias', OWNER_ALIASES, DEFAULT_OWNER_ALIASES, () =>
    fail(400, 'InvalidImageOwnerAlias.ValueNotSupported', 'The specified ImageOwnerAlias value is not supported.'),
  );
  // One alias per request: the parameter is not a list.
  if (params.ImageOwnerAlias?.includes(',')) fail(400, 'InvalidImageOwnerAlias.ValueNotSupported', 'The specified ImageOwnerAlias value is not supported.');
  const statuses = listParam(params, 'Status', STATUSES, ['Available'], () => invalid('Status'));
  const osType = params.OSType?.toLowerCase();
  if (osType !== undefined && osType !== 'linux' && osType !== 'windows') fail(404, 'InvalidOSType', 'The specifed OSType is not valid');
  if (params.Architecture !== undefined && !ARCHITECTURES.includes(params.Architecture))
    fail(404, 'InvalidArchitecture', 'The specifed Architecture is not valid');
  const instanceType = params.InstanceType === undefined ? undefined : catalog.instanceTypes[params.InstanceType];
  if (params.InstanceType !== undefined && !instanceType) {
    fail(400, 'InvalidInstanceType.ValueNotSupported', 'The specified InstanceType does not exist or beyond the permitted range.');
  }
  if (params.Usage !== undefined && params.Usage !== 'instance' && params.Usage !== 'none') fail(404, 'InvalidUsage', 'The specifed Usage is not valid');
  const tags = tagsOf(params);
  const window = creationWindow(params);
  const flag = (name: string) => (params[name] === undefined ? undefined : params[name].toLowerCase() === 'true');
  const cloudinit = flag('IsSupportCloudinit');
  const ioOptimized = flag('IsSupportIoOptimized');

  const matching = inServiceOrder(catalog.images).filter((image) => {
    if (image.region !== params.RegionId) return false;
    if (!owners.includes(String(image.ImageOwnerAlias))) return false;
    if (!statuses.includes(String(image.Status))) return false;
    if (params.ImageId !== undefined && image.ImageId !== params.ImageId) return false;
    if (params.ImageName !== undefined && image.ImageName !== params.ImageName) return false;
    if (params.ImageFamily !== undefined && image.ImageFamily !== params.ImageFamily) return false;
    if (params.Usage !== undefined && image.Usage !== params.Usage) return false;
    if (params.ResourceGroupId !== undefined && image.ResourceGroupId !== params.ResourceGroupId) return false;
    if (params.SnapshotId !== undefined && !snapshotsOf(image).includes(params.SnapshotId)) return false;
    if (osType !== undefined && String(image.OSType).toLowerCase() !== osType) return false;
    if (params.Architecture !== undefined && image.Architecture !== params.Architecture) return false;
    if (instanceType) {
      // Arm instance types boot arm64 images; x86 types boot x86_64 (and i386, except GPU types); images with a
      // GPU driver only GPU types.
      const arch = String(image.Architecture);
      if (instanceType.architecture === 'arm64' ? arch !== 'arm64' : arch === 'arm64' || (instanceType.gpu && arch === 'i386')) return false;
      if (image.gpuInstancesOnly && !instanceType.gpu) return false;
    }
    const imageTags = (image.Tags as { Tag?: { TagKey: string; TagValue: string }[] })?.Tag ?? [];
    for (const [key, value] of tags) {
      if (!imageTags.some((t) => t.TagKey === key && (value === undefined || t.TagValue === value))) return false;
    }
    if (window.start !== undefined || window.end !== undefined) {
      const created = Date.parse(String(image.CreationTime));
      if (window.start !== undefined && created < window.start) return false;
      if (window.end !== undefined && created > window.end) return false;
    }
    if (cloudinit !== undefined && image.IsSupportCloudinit !== cloudinit) return false;
    if (ioOptimized !== undefined && image.IsSupportIoOptimized !== ioOptimized) return false;
    return true;
  });
  const page = matching.slice((pageNumber - 1) * pageSize, pageNumber * pageSize).map(({ region: _region, gpuInstancesOnly: _gpuOnly, ...native }) => native);
  return {
    PageNumber: pageNumber,
    TotalCount: matching.length,
    PageSize: pageSize,
    RegionId: params.RegionId,
    RequestId: randomUUID().toUpperCase(),
    Images: { Image: page },
  };
}

export const alicloudApi: EmulatorApi = {
  clouds: ['alicloud'],
  handle(request: EmulatorRequest, context: EmulatorContext): EmulatorReply {
    const params = paramsOf(request);
    const json = wantsJson(params);
    if (request.path !== '/' || (request.method !== 'GET' && request.method !== 'POST')) {
      return errorReply(404, 'InvalidAction.NotFound', 'Specified api is not found, please check your url and method.', json);
    }
    try {
      const catalog = context.catalog as AlicloudCatalog;
      authenticate(request, params, catalog, context);
      return answer(200, 'DescribeImagesResponse', describeImages(params, catalog), json);
    } catch (err) {
      if (err instanceof ApiError) return errorReply(err.status, err.code, err.message, json);
      throw err;
    }
  },
  throttled: (request) => errorReply(400, 'Throttling.User', 'Request was denied due to user flow control.', wantsJson(paramsOf(request))),
  serverError: (request) =>
    errorReply(500, 'InternalError', 'The request processing has failed due to some unknown error, exception or failure.', wantsJson(paramsOf(request))),
  clientConfig: (cloud: CloudName, baseUrl: string, catalog: CloudCatalog) => {
    const c = (catalog as AlicloudCatalog).credentials;
    return { [cloud]: { endpoint: baseUrl, accessKeyId: c.accessKeyId, accessKeySecret: c.accessKeySecret } };
  },
  clientRegion: (cloud: CloudName, catalog: CloudCatalog) => ({ [cloud]: { region: (catalog as AlicloudCatalog).regions[0] } }),
  clientEnv: (_cloud: CloudName, catalog: CloudCatalog) => {
    const c = (catalog as AlicloudCatalog).credentials;
    return { ALIBABA_CLOUD_ACCESS_KEY_ID: c.accessKeyId, ALIBABA_CLOUD_ACCESS_KEY_SECRET: c.accessKeySecret };
  },
  builtInCatalog: () => buildAlicloudCatalog(),
};
