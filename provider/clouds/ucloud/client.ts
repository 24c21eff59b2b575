/**
 * The UCloud API client: building a request (pure: parameters → signed method, URL, body) is separate from
 * sending it. GET with a query string is the default; POST with a form or JSON body is what the service also
 * accepts, and what long parameter lists need.
 */
import type { Setting } from '../../core/config';
import { HttpClient, OutgoingRequest } from '../../core/http/client';
import { CredentialSources, interpretAnswer } from './errors';
import { ParamMap, signParams } from './signer';

/** `query`: GET with a query string; `form`/`json`: POST with that body. */
export type Encoding = 'query' | 'form' | 'json';

/** A URL longer than this is sent as a POST form instead (proxies cut long query strings). */
export const MAX_GET_URL = 4096;

export interface UcloudCredentials {
  publicKey: Setting;
  privateKey: Setting;
  projectId?: Setting;
}

export interface CallOptions {
  /** Base URL, already checked (`checkEndpoint`); the API lives at its root path. */
  endpoint: string;
  credentials: UcloudCredentials;
  /** Action and request parameters (without PublicKey and Signature; ProjectId is added from credentials). */
  params: ParamMap & { Action: string };
  encoding?: Encoding;
}

function encodeForm(params: Record<string, string>): string {
  return Object.entries(params)
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
    .join('&');
}

/** The signed request (pure). JSON bodies carry the flattened string values, which is exactly what was signed. */
export function buildRequest(options: CallOptions): OutgoingRequest {
  const { credentials } = options;
  const params = { ...options.params, ...(credentials.projectId ? { ProjectId: credentials.projectId.value } : {}) };
  const signed = signParams(params, credentials.publicKey.value, credentials.privateKey.value);
  const base = `${options.endpoint.replace(/\/+$/, '')}/`;
  let encoding = options.encoding ?? 'query';
  const form = encodeForm(signed);
  if (encoding === 'query' && base.length + 1 + form.length > MAX_GET_URL) encoding = 'form';
  switch (encoding) {
    case 'query':
      return { method: 'GET', url: `${base}?${form}`, headers: { accept: 'application/json' } };
    case 'form':
      return { method: 'POST', url: base, headers: { accept: 'application/json', 'content-type': 'application/x-www-form-urlencoded' }, body: form };
    case 'json':
      return { method: 'POST', url: base, headers: { accept: 'application/json', 'content-type': 'application/json' }, body: JSON.stringify(signed) };
  }
}

export function credentialSources(credentials: UcloudCredentials): CredentialSources {
  return { publicKey: credentials.publicKey.source, privateKey: credentials.privateKey.source, projectId: credentials.projectId?.source };
}

/** Sends one action (DescribeUK8SImage answers the whole list at once); resolves with the answer body (RetCode 0) or throws the classified error. Retries 150/153. */
export function listImages(http: HttpClient, options: CallOptions): Promise<Record<string, unknown>> {
  const request = buildRequest(options);
  return http.send({
    cloud: 'ucloud',
    operation: options.params.Action,
    request,
    // No timestamp or nonce in UCloud's signature, so the request signed once is valid on every attempt.
    interpret: (response) => interpretAnswer(response, { ...credentialSources(options.credentials), operation: options.params.Action }),
  });
}
