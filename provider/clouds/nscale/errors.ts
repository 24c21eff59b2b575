/**
 * What a Region Service answer means. Errors are OAuth 2.0-style JSON `{error, error_description, trace_id}`;
 * classification is the status table below plus one function. Messages name where a setting came from (the
 * config key or variable), never a credential.
 */
import { AuthenticationError, CloudApiError, ThrottlingError } from '../../core/errors';
import { HttpResponse, Interpretation, parseJsonBody } from '../../core/http/client';
import { FailureKind, kindOfStatus } from '../../core/http/classify';
import { NscaleErrorBody, OPERATION } from './types';

/** Where each setting came from, and the values that are not secret (for messages). */
export interface AnswerContext {
  regionId: string;
  regionSource: string;
  organizationId: string;
  organizationSource: string;
  tokenSource: string;
  /** For messages: `ListImages scope=owned`. */
  operation?: string;
}

interface StatusClass {
  kind: FailureKind;
  error: typeof CloudApiError;
  explain: (c: AnswerContext) => string;
}

/** The statuses the API documents (401/403/404/500) and the ones any HTTP service may send on the way. */
export const STATUSES: Readonly<Record<number, StatusClass>> = {
  401: {
    kind: 'final',
    error: AuthenticationError,
    explain: (c) =>
      `the service token from ${c.tokenSource} was refused (authentication failed or the token has expired); issue a new service token and set it there`,
  },
  403: {
    kind: 'final',
    error: AuthenticationError,
    explain: (c) =>
      `the service token from ${c.tokenSource} was refused for organization ${c.organizationId} (from ${c.organizationSource}): it lacks the privileges to list images there; check the organization ID, or use a token of that organization`,
  },
  404: {
    kind: 'final',
    error: CloudApiError,
    explain: (c) => `region ID ${c.regionId} (from ${c.regionSource}) was not found; check the region ID, or the endpoint if the region is served elsewhere`,
  },
  429: { kind: 'throttled', error: ThrottlingError, explain: () => 'too many requests' },
  500: { kind: 'transient', error: CloudApiError, explain: () => 'internal server error (the API says this may succeed on a retry)' },
  502: { kind: 'transient', error: CloudApiError, explain: () => 'bad gateway' },
  503: { kind: 'transient', error: CloudApiError, explain: () => 'service unavailable' },
  504: { kind: 'transient', error: CloudApiError, explain: () => 'gateway timeout' },
};

/** Turns one HTTP answer into the list of raw image records, or a classified error. */
export function interpretAnswer(response: HttpResponse, context: AnswerContext): Interpretation<unknown[]> {
  const operation = context.operation ?? OPERATION;
  if (response.status >= 200 && response.status < 300) {
    const parsed = parseJsonBody(response, 'nscale', operation);
    if (!parsed.ok) return parsed;
    if (!Array.isArray(parsed.value)) {
      return {
        ok: false,
        kind: 'final',
        error: new CloudApiError('the answer is not a JSON list of images', { cloud: 'nscale', operation, httpStatus: response.status }),
      };
    }
    return { ok: true, value: parsed.value };
  }
  const body = errorBody(response.body);
  const details = { cloud: 'nscale', operation, httpStatus: response.status, cloudCode: body?.error, requestId: body?.trace_id };
  const known = STATUSES[response.status];
  const said = body?.error_description ? `: ${body.error_description}` : '';
  if (known) return { ok: false, kind: known.kind, error: new known.error(`${known.explain(context)}${said ? ` (the API said${said})` : ''}`, details) };
  return {
    ok: false,
    kind: kindOfStatus(response.status),
    error: new CloudApiError(`unexpected HTTP status ${response.status}${said}`, details),
  };
}

/** The error body when there is one in the documented shape; proxies answer with HTML or nothing. */
export function errorBody(text: string): NscaleErrorBody | undefined {
  try {
    const value = JSON.parse(text) as Partial<NscaleErrorBody> | null;
    if (!value || typeof value !== 'object' || typeof value.error !== 'string') return undefined;
    return {
      error: value.error,
      error_description: typeof value.error_description === 'string' ? value.error_description : '',
      trace_id: typeof value.trace_id === 'string' ? value.trace_id : undefined,
    };
  } catch {
    return undefined;
  }
}
