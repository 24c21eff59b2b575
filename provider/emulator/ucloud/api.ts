/**
 * UCloud's API as the emulator plays it: `DescribeUK8SImage` at the root path, parameters from a GET query
 * string or a POST body (form or JSON), the SHA-1 signature checked, errors as HTTP 200 with a RetCode.
 * Answers both image lists (and the undocumented `ImageSetnew`) filtered by Region, Zone and `GPUType`;
 * other parameters are accepted and ignored, as services do with filters they do not apply.
 *
 * The signature is computed with the client's signer: that signer is pinned by UCloud's published test
 * vector, and what the emulator checks independently is the wire format (how parameters arrive).
 */
import { randomUUID } from 'crypto';
import type { CloudName } from '../../clouds/registry';
import type { EmulatorApi, EmulatorReply, EmulatorRequest } from '../types';
import { computeSignature, flattenParams, ParamMap } from '../../clouds/ucloud/signer';
import { buildUcloudCatalog, UcloudCatalog, UcloudCatalogImage, UcloudImageInfo } from './catalog';

const ACTION = 'DescribeUK8SImage';

function answer(body: Record<string, unknown>, action = ACTION): EmulatorReply {
  return { status: 200, headers: { 'content-type': 'application/json' }, body: { Action: `${action}Response`, RequestUUID: randomUUID(), ...body } };
}

function failure(retCode: number, message: string, action?: string): EmulatorReply {
  return answer({ RetCode: retCode, Message: message }, action);
}

/** The parameters as the service receives them, or a reply explaining why they cannot be read. */
function readParams(request: EmulatorRequest): { params: Record<string, string> } | { reply: EmulatorReply } {
  if (request.method === 'GET') return { params: Object.fromEntries(request.query) };
  if (request.method !== 'POST') return { reply: { status: 405, body: 'method not allowed' } };
  const type = String(request.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
  if (type === 'application/json') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(request.body);
    } catch {
      return { reply: failure(230, 'Params error: the JSON body does not parse') };
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return { reply: failure(230, 'Params error: the JSON body is not an object') };
    return { params: flattenParams(parsed as ParamMap) };
  }
  if (type === 'application/x-www-form-urlencoded') return { params: Object.fromEntries(new URLSearchParams(request.body)) };
  return { reply: failure(230, `Params error: unsupported content type ${JSON.stringify(type)}`) };
}

function handle(request: EmulatorRequest, catalog: UcloudCatalog): EmulatorReply {
  if (request.path !== '/') return { status: 404, body: `no such path ${request.path}` };
  const read = readParams(request);
  if ('reply' in read) return read.reply;
  const p = read.params;
  if (!p.Action) return failure(160, 'Missing Action', 'Unknown');
  if (p.Action !== ACTION) return failure(161, 'Action not exist', p.Action);
  if (!p.PublicKey || p.PublicKey !== catalog.credentials.PublicKey) return failure(172, 'User not exist');
  if (!p.Signature || p.Signature !== computeSignature(p, catalog.credentials.PrivateKey)) return failure(171, 'Signature VerifyAC Error');
  if (p.ProjectId && !catalog.projects.includes(p.ProjectId)) return failure(292, 'Project not exist');
  if (!p.Region) return failure(230, 'Params [Region] not available');
  const zones = catalog.regions[p.Region];
  if (!zones) return failure(230, `Params [Region] not available: ${p.Region}`);
  let zoneId: number | undefined;
  if (p.Zone) {
    zoneId = zones[p.Zone];
    if (zoneId === undefined) return failure(230, `Params [Zone] not available: ${p.Zone}`);
  }
  const gpuType = p.GPUType;
  const keep = (image: UcloudCatalogImage): boolean =>
    image.Region === p.Region &&
    (zoneId === undefined || image.Info.ZoneId === zoneId) &&
    (!gpuType || (!image.Info.NotSupportGPU && (!image.Info.SupportedGPUTypes || image.Info.SupportedGPUTypes.includes(gpuType))));
  const sets: Record<UcloudCatalogImage['Set'], UcloudImageInfo[]> = { ImageSet: [], PHostImageSet: [], ImageSetnew: [] };
  for (const image of catalog.images) if (keep(image)) sets[image.Set].push({ ...image.Info });
  return answer({ RetCode: 0, ...sets });
}

export const ucloudApi: EmulatorApi = {
  clouds: ['ucloud'],
  handle: (request, context) => handle(request, context.catalog as UcloudCatalog),
  throttled: () => failure(153, 'Request too frequently, please try again later'),
  serverError: () => failure(150, 'Service unavailable'),
  clientConfig: (cloud: CloudName, baseUrl, catalog) => {
    const c = (catalog as UcloudCatalog).credentials;
    return { [cloud]: { endpoint: baseUrl, publicKey: c.PublicKey, privateKey: c.PrivateKey, projectId: c.ProjectId } };
  },
  clientEnv: (_cloud, catalog) => {
    const c = (catalog as UcloudCatalog).credentials;
    return { UCLOUD_PUBLIC_KEY: c.PublicKey, UCLOUD_PRIVATE_KEY: c.PrivateKey, UCLOUD_PROJECT_ID: c.ProjectId, UCLOUD_REGION: 'cn-bj2' };
  },
  builtInCatalog: () => buildUcloudCatalog(),
};
