/**
 * UCloud's API as the emulator plays it: `DescribeUK8SImage` at the root path, parameters from a GET query
 * string or a POST body (form or JSON), the SHA-1 signature checked, errors as HTTP 200 with a RetCode.
 * Answers the public and custom image lists (and the undocumented `ImageSetnew`) filtered by Region, Zone and `GPUType`;
 * other parameters are accepted and ignored, as services do with filters they do not apply.
 * The signature is checked by the emulator's own implementation (`verify.ts`), over what arrived.
 */
import { randomUUID } from 'crypto';
import type { CloudName } from '../../clouds/registry';
import type { EmulatorApi, EmulatorReply, EmulatorRequest } from '../types';
import { buildUcloudCatalog, UcloudCatalog, UcloudCatalogImage, UcloudImageInfo } from './catalog';
import { readUcloudParams, verifyUcloudSignature } from './verify';

const ACTION = 'DescribeUK8SImage';

function answer(body: Record<string, unknown>, action = ACTION): EmulatorReply {
  return { status: 200, headers: { 'content-type': 'application/json' }, body: { Action: `${action}Response`, RequestUUID: randomUUID(), ...body } };
}

function failure(retCode: number, message: string, action?: string): EmulatorReply {
  return answer({ RetCode: retCode, Message: message }, action);
}

function handle(request: EmulatorRequest, catalog: UcloudCatalog): EmulatorReply {
  if (request.path !== '/') return { status: 404, body: `no such path ${request.path}` };
  if (request.method !== 'GET' && request.method !== 'POST') return { status: 405, body: 'method not allowed' };
  const read = readUcloudParams(request.method, request.rawQuery, request.headers, request.body);
  if ('error' in read) return failure(230, read.error);
  const p = read.params;
  if (!p.Action) return failure(160, 'Missing Action', 'Unknown');
  if (p.Action !== ACTION) return failure(161, 'Action not exist', p.Action);
  if (!p.PublicKey || p.PublicKey !== catalog.credentials.PublicKey) return failure(172, 'User not exist');
  if (!verifyUcloudSignature(p, catalog.credentials.PrivateKey)) return failure(171, 'Signature VerifyAC Error');
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
    (zoneId === undefined || image.Info.ZoneId === undefined || image.Info.ZoneId === zoneId) &&
    (!gpuType || (image.Info.NotSupportGPU === false && (!image.Info.SupportedGPUTypes || image.Info.SupportedGPUTypes.includes(gpuType))));
  const sets: Record<UcloudCatalogImage['Set'], UcloudImageInfo[]> = {
    ImageSet: [],
    PHostImageSet: [],
    ImageSetnew: [],
    CustomImageSet: [],
    CustomPHostImageSet: [],
  };
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
  clientRegion: (cloud, catalog) => ({ [cloud]: { region: Object.keys((catalog as UcloudCatalog).regions)[0] } }),
  clientEnv: (_cloud, catalog) => {
    const c = (catalog as UcloudCatalog).credentials;
    return { UCLOUD_PUBLIC_KEY: c.PublicKey, UCLOUD_PRIVATE_KEY: c.PrivateKey, UCLOUD_PROJECT_ID: c.ProjectId, UCLOUD_REGION: 'cn-bj2' };
  },
  builtInCatalog: () => buildUcloudCatalog(),
};
