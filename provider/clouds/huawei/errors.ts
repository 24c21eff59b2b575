/**
 * How IMS and its API gateway (APIG) fail, as data. APIG answers `{error_code, error_msg, request_id}`; IMS
 * itself answers `{error: {code, message}}`. The request ID comes in `X-Request-Id` (or the body).
 */
import { AuthenticationError, CloudApiError, CloudApiErrorDetails, ThrottlingError } from '../../core/errors';
import { HttpResponse, Interpretation, parseJsonBody } from '../../core/http/client';
import type { Failure } from '../../core/http/classify';
import type { ImsErrorBody, ImsImage } from './types';

/** Throttled: retry with back-off. */
export const THROTTLING_CODES: ReadonlySet<string> = new Set(['APIG.0308']);
/** Credentials refused (bad AK/SK signature, expired or wrong token, wrong project). */
export const AUTHENTICATION_CODES: ReadonlySet<string> = new Set(['APIG.0301', 'APIG.0303', 'APIG.0307']);
/** HTTP statuses worth another attempt. */
export const TRANSIENT_STATUSES: ReadonlySet<number> = new Set([500, 502, 503, 504]);

export const isThrottling = (status: number, code?: string) => status === 429 || (code !== undefined && THROTTLING_CODES.has(code));
export const isAuthentication = (status: number, code?: string) => status === 401 || (code !== undefined && AUTHENTICATION_CODES.has(code));
export const isTransient = (status: number) => TRANSIENT_STATUSES.has(status);

/** Reads either error shape; tolerates bodies that are not JSON (a proxy's HTML page). */
export function readErrorBody(body: string): ImsErrorBody {
  try {
    const parsed = JSON.parse(body) as Record<string, unknown>;
    const nested = (parsed.error && typeof parsed.error === 'object' ? parsed.error : {}) as Record<string, unknown>;
    const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);
    return {
      code: str(parsed.error_code) ?? str(nested.code),
      message: str(parsed.error_msg) ?? str(nested.message) ?? str(parsed.message),
      requestId: str(parsed.request_id),
    };
  } catch {
    return {};
  }
}

export function requestIdOf(response: HttpResponse): string | undefined {
  const header = response.headers['x-request-id'];
  return (Array.isArray(header) ? header[0] : header) || undefined;
}

export interface AnswerContext {
  cloud: string;
  operation: string;
  /** The setting the credentials came from (`HW_ACCESS_KEY`, `cloudimages:huaweicloud.authToken`), never a value. */
  credentialSource: string;
}

function asRecords(value: unknown): ImsImage[] | undefined {
  const images = (value as { images?: unknown } | null)?.images;
  return Array.isArray(images) && images.every((i) => i !== null && typeof i === 'object' && typeof (i as ImsImage).id === 'string')
    ? (images as ImsImage[])
    : undefined;
}

/** What one answer means: the page's image records, or a classified error. */
export function interpretAnswer(response: HttpResponse, context: AnswerContext): Interpretation<ImsImage[]> {
  const { cloud, operation } = context;
  if (response.status < 200 || response.status >= 300) return { ok: false, ...classifyFailure(response, cloud, operation, context.credentialSource) };
  const parsed = parseJsonBody(response, cloud, operation);
  if (!parsed.ok) return parsed;
  const records = asRecords(parsed.value);
  if (!records)
    return {
      ok: false,
      kind: 'final',
      error: new CloudApiError('the answer has no "images" list of image records', { cloud, operation, httpStatus: response.status }),
    };
  return { ok: true, value: records };
}

/** Turns a non-2xx answer into the error a caller can act on, and its kind. */
function classifyFailure(response: HttpResponse, cloud: string, operation: string, credentialSource: string): Failure {
  const body = readErrorBody(response.body);
  const details: CloudApiErrorDetails = {
    cloud,
    operation,
    cloudCode: body.code,
    httpStatus: response.status,
    requestId: requestIdOf(response) ?? body.requestId,
  };
  const said = body.message ? `: ${body.message}` : '';
  if (isThrottling(response.status, body.code)) {
    return { error: new ThrottlingError(`throttled by the API gateway${said}`, details), kind: 'throttled' };
  }
  if (isAuthentication(response.status, body.code)) {
    return {
      error: new AuthenticationError(`the credentials from ${credentialSource} were refused${said}; check them, their project and region`, details),
      kind: 'final',
    };
  }
  if (response.status === 403) {
    return {
      error: new AuthenticationError(
        `access denied for the credentials from ${credentialSource}${said}; they need IMS read permission (ims:images:list) in this project`,
        details,
      ),
      kind: 'final',
    };
  }
  return {
    error: new CloudApiError(`request failed${said || ` with HTTP ${response.status}`}`, details),
    kind: isTransient(response.status) ? 'transient' : 'final',
  };
}
