/**
 * What an Alibaba Cloud error answer means, as data: tables of codes plus one-line predicates. The answer is
 * `{Code, Message, RequestId}` with an HTTP 4xx/5xx status.
 */
import { AuthenticationError, CloudApiError, ThrottlingError } from '../../core/errors';
import { HttpResponse, Interpretation, parseJsonBody } from '../../core/http/client';
import type { Failure } from '../../core/http/classify';
import type { NumberedPage } from '../../core/paging';
import { unwrapImages } from './normalize';
import type { AlicloudImageRecord } from './types';

/** Credentials refused or not allowed: retrying cannot help, the user must change a setting. */
export const AUTHENTICATION_CODES: ReadonlySet<string> = new Set([
  'InvalidAccessKeyId',
  'InvalidAccessKeyId.NotFound',
  'InvalidAccessKeyId.Inactive',
  'InvalidAccessKeySecret',
  'SignatureDoesNotMatch',
  'IncompleteSignature',
  'InvalidSecurityToken.Expired',
  'InvalidSecurityToken.Malformed',
  'InvalidSecurityToken.MismatchWithAccessKey',
  'MissingSecurityToken',
  'Forbidden.AccessKeyDisabled',
  'Forbidden.RAM',
  'Forbidden.Unauthorized',
  'NoPermission',
]);

/** Transient failures of the service itself: worth another attempt, as any 5xx is. */
export const TRANSIENT_CODES: ReadonlySet<string> = new Set([
  'InternalError',
  'ServiceUnavailable',
  'UnknownError',
  'ServiceTimeout',
  // Each attempt is signed with a fresh nonce, so a collision (or a replayed attempt) heals on retry.
  'SignatureNonceUsed',
]);

/** Codes whose message alone does not say what to do: the hint that follows it. */
export const HINTS: Readonly<Record<string, string>> = {
  'InvalidTimeStamp.Expired': "the request Timestamp is more than 15 minutes off the service clock; check this machine's clock (NTP)",
  'InvalidTimeStamp.Format': 'the request Timestamp is malformed',
  'InvalidRegionId.NotFound': 'check the region argument or setting',
  'InvalidInstanceType.ValueNotSupported': 'check filters.InstanceType',
};

export const isThrottling = (code: string | undefined, status: number): boolean =>
  (code !== undefined && /^Throttling(\.|$)/.test(code)) || (code === undefined && status === 429);
export const isAuthentication = (code: string | undefined): boolean => code !== undefined && AUTHENTICATION_CODES.has(code);
export const isTransient = (code: string | undefined, status: number): boolean => status >= 500 || (code !== undefined && TRANSIENT_CODES.has(code));

/** What an answer is read with (the same name in every cloud's errors.ts). */
export interface AnswerContext {
  operation: string;
  /** Where each credential came from, for authentication messages: names only, never values. */
  credentialSources: { accessKeyId: string; accessKeySecret: string; securityToken?: string };
}

/** Turns an error answer into a typed error and its kind (transient, throttled, final). */
export function classifyError(status: number, body: unknown, context: AnswerContext): Failure {
  const record = body !== null && typeof body === 'object' ? (body as Record<string, unknown>) : {};
  const code = typeof record.Code === 'string' && record.Code ? record.Code : undefined;
  const message = typeof record.Message === 'string' && record.Message ? record.Message : `HTTP ${status} without an error message`;
  const details = {
    cloud: 'alicloud',
    cloudCode: code,
    httpStatus: status,
    requestId: typeof record.RequestId === 'string' ? record.RequestId : undefined,
    operation: context.operation,
  };
  if (isThrottling(code, status)) return { kind: 'throttled', error: new ThrottlingError(message, details) };
  if (isAuthentication(code)) {
    const s = context.credentialSources;
    const used = `AccessKey ID from ${s.accessKeyId}, secret from ${s.accessKeySecret}${s.securityToken ? `, security token from ${s.securityToken}` : ''}`;
    return { kind: 'final', error: new AuthenticationError(`credentials refused: ${message} (${used})`, details) };
  }
  const hint = code !== undefined ? HINTS[code] : undefined;
  return { kind: isTransient(code, status) ? 'transient' : 'final', error: new CloudApiError(hint ? `${message}; ${hint}` : message, details) };
}

/** One DescribeImages page, read: its records and TotalCount. */
export type Page = NumberedPage<AlicloudImageRecord>;

/** What one answer means: a page, or a classified error. */
export function interpretAnswer(response: HttpResponse, context: AnswerContext): Interpretation<Page> {
  const parsed = parseJsonBody(response, 'alicloud', context.operation);
  if (response.status < 200 || response.status >= 300) {
    if (!parsed.ok) return { ...parsed, kind: response.status >= 500 ? parsed.kind : 'final' };
    return { ok: false, ...classifyError(response.status, parsed.value, context) };
  }
  if (!parsed.ok) return parsed;
  const body = parsed.value as Record<string, unknown> | null;
  const records = unwrapImages(body);
  const totalCount = countOf(body?.TotalCount);
  if (!records || !Number.isInteger(totalCount) || totalCount < 0) {
    return {
      ok: false,
      kind: 'transient',
      error: new CloudApiError('the answer is not a DescribeImages page (expected Images.Image[] and TotalCount)', {
        cloud: 'alicloud',
        operation: context.operation,
        httpStatus: response.status,
        requestId: typeof body?.RequestId === 'string' ? body.RequestId : undefined,
      }),
    };
  }
  const bad = records.find((r) => r === null || typeof r !== 'object' || typeof r.ImageId !== 'string' || r.ImageId === '');
  if (bad !== undefined) {
    return {
      ok: false,
      kind: 'transient',
      error: new CloudApiError('the answer holds an image record without ImageId', {
        cloud: 'alicloud',
        operation: context.operation,
        httpStatus: response.status,
      }),
    };
  }
  return { ok: true, value: { records, total: totalCount } };
}

/** A count as the service writes it: a non-negative integer, or its digits as text (`"37"`). Anything else
 * (`null`, `""`, `false`, `[]`, which Number() reads as 0) is not a count: NaN, never an empty catalog. */
function countOf(value: unknown): number {
  if (typeof value === 'number') return value;
  return typeof value === 'string' && /^\d{1,15}$/.test(value) ? Number(value) : Number.NaN;
}
