/**
 * The Region Service client: a pure request builder, and one request per scope (the API does not page: the answer
 * is the whole list).
 */
import type { HttpClient, OutgoingRequest } from '../../core/http/client';
import { AnswerContext, interpretAnswer } from './errors';
import { authorize } from './signer';
import { NscaleScope, NscaleState, OPERATION } from './types';

export interface NscaleSettings {
  /** Base URL without a trailing slash. */
  endpoint: string;
  regionId: string;
  organizationId: string;
  serviceToken: string;
  /** Where each came from, for messages. */
  sources: { endpoint: string; regionId: string; organizationId: string; serviceToken: string };
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
    headers: { accept: 'application/json', ...authorize(settings.serviceToken) },
  };
}

/** Lists the raw image records of one scope: one request, retried by the HTTP layer when the API allows. */
export function listImages(http: HttpClient, settings: NscaleSettings, params: ListParams): Promise<unknown[]> {
  const operation = `${OPERATION} scope=${params.scope}`;
  const context: AnswerContext = {
    regionId: settings.regionId,
    regionSource: settings.sources.regionId,
    organizationId: settings.organizationId,
    organizationSource: settings.sources.organizationId,
    tokenSource: settings.sources.serviceToken,
    operation,
  };
  return http.send({ cloud: 'nscale', operation, request: buildRequest(settings, params), interpret: (response) => interpretAnswer(response, context) });
}
