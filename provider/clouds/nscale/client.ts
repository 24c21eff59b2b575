/**
 * The Region Service client: settings (query, then config, then environment), a pure request builder, and one
 * request per scope (the API does not page: the answer is the whole list).
 */
import { createHash } from 'crypto';
import type { CloudImagesConfig, Env } from '../../core/config';
import { readSetting, settingHint } from '../../core/config';
import { ConfigurationError } from '../../core/errors';
import { HttpClient, OutgoingRequest } from '../../core/http/client';
import { checkEndpoint } from '../../core/http/transport';
import type { Query } from '../../core/query';
import { interpretAnswer, RequestContext } from './errors';
import { OPERATION } from './normalize';
import type { NscaleScope, NscaleState } from './types';

/** Unconfirmed: the host the official tooling uses for europe-west4; override it when yours differs. */
export const DEFAULT_ENDPOINT = 'https://region.nks.europe-west4.nscale.com';
export const ENV = {
  serviceToken: ['NSCALE_SERVICE_TOKEN'],
  organizationId: ['NSCALE_ORGANIZATION_ID'],
  regionId: ['NSCALE_REGION_ID'],
  endpoint: ['NSCALE_REGION_SERVICE_API_ENDPOINT'],
} as const;

export interface NscaleSettings {
  /** Base URL without a trailing slash. */
  endpoint: string;
  regionId: string;
  organizationId: string;
  serviceToken: string;
  /** Where each came from, for messages. */
  sources: { endpoint: string; regionId: string; organizationId: string; serviceToken: string };
}

/**
 * Resolves every setting or throws ConfigurationError naming what to set. Endpoint: `query.endpoint`, then
 * config `nscale.endpoint`, then NSCALE_REGION_SERVICE_API_ENDPOINT, then the default. Region ID:
 * `query.region`, then config `regionId`, then NSCALE_REGION_ID.
 */
export function resolveSettings(query: Query, config: CloudImagesConfig, env: Env): NscaleSettings {
  const token = required(config, env, 'serviceToken', true, 'the service token');
  const organization = required(config, env, 'organizationId', false, 'the organization ID');
  const region = query.region !== undefined
    ? { value: query.region, source: 'the region argument' }
    : required(config, env, 'regionId', false, 'the region ID (or pass region)');
  const configured = readSetting('nscale', config, env, 'endpoint', [...ENV.endpoint]);
  const endpoint = query.endpoint !== undefined
    ? { value: query.endpoint, source: 'the endpoint argument' }
    : (configured ?? { value: DEFAULT_ENDPOINT, source: 'the default endpoint' });
  return {
    endpoint: checkEndpoint(endpoint.value, 'endpoint'),
    regionId: region.value,
    organizationId: organization.value,
    serviceToken: token.value,
    sources: { endpoint: endpoint.source, regionId: region.source, organizationId: organization.source, serviceToken: token.source },
  };
}

function required(config: CloudImagesConfig, env: Env, field: keyof typeof ENV, secret: boolean, what: string) {
  const found = readSetting('nscale', config, env, field, [...ENV[field]], secret);
  if (!found) throw new ConfigurationError(`nscale needs ${what}: set ${settingHint('nscale', field, [...ENV[field]])}`, field);
  return found;
}

/** A short hash that tells tokens apart in sharing keys without revealing them. */
export function tokenFingerprint(token: string): string {
  return createHash('sha256').update(token).digest('hex').slice(0, 16);
}

export interface ListParams {
  scope: NscaleScope;
  /** Sent as a form-exploded array (`status=pending&status=creating`); empty means "any state". */
  status: readonly NscaleState[];
}

/** Builds the request (pure, so it is testable without a server). */
export function buildRequest(settings: NscaleSettings, params: ListParams): OutgoingRequest {
  const search = new URLSearchParams();
  search.append('organizationID', settings.organizationId);
  search.append('scope', params.scope);
  for (const state of params.status) search.append('status', state);
  return {
    method: 'GET',
    url: `${settings.endpoint}/api/v2/regions/${encodeURIComponent(settings.regionId)}/images?${search.toString()}`,
    headers: { accept: 'application/json', authorization: `Bearer ${settings.serviceToken}` },
  };
}

/** Lists the raw image records of one scope: one request, retried by the HTTP layer when the API allows. */
export function listImages(http: HttpClient, settings: NscaleSettings, params: ListParams): Promise<unknown[]> {
  const operation = `${OPERATION} scope=${params.scope}`;
  const context: RequestContext = {
    regionId: settings.regionId,
    regionSource: settings.sources.regionId,
    organizationId: settings.organizationId,
    organizationSource: settings.sources.organizationId,
    tokenSource: settings.sources.serviceToken,
    operation,
  };
  return http.send({ cloud: 'nscale', operation, request: buildRequest(settings, params), interpret: (response) => interpretAnswer(response, context) });
}
