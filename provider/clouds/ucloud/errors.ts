/**
 * What a UCloud answer means. UCloud answers HTTP 200 for its own errors and puts the outcome in `RetCode`
 * (0 is success) and `Message`; classification is data (the table below) plus one function.
 */
import { AuthenticationError, CloudApiError, ThrottlingError } from '../../core/errors';
import { HttpResponse, Interpretation, parseJsonBody } from '../../core/http/client';
import { FailureKind, kindOfStatus } from '../../core/http/classify';
import { IMAGE_LISTS, OPERATION } from './types';

/** Where each credential came from (config key or variable name), for messages; never the values. */
export interface CredentialSources {
  publicKey: string;
  privateKey: string;
  projectId?: string;
}

/** What an answer is read with (the same name in every cloud's errors.ts): where the credentials came from, and the
 * operation (default DescribeUK8SImage). */
export interface AnswerContext extends CredentialSources {
  operation?: string;
}

type Explain = (sources: CredentialSources) => string;

interface RetCodeClass {
  kind: FailureKind;
  error: typeof CloudApiError;
  explain: Explain;
}

/** The RetCodes cloudimages acts on; every other non-zero RetCode is a plain, final CloudApiError. */
export const RET_CODES: Readonly<Record<number, RetCodeClass>> = {
  171: {
    kind: 'final',
    error: AuthenticationError,
    explain: (s) => `the signature was rejected: check that the private key from ${s.privateKey} belongs to the public key from ${s.publicKey}`,
  },
  172: {
    kind: 'final',
    error: AuthenticationError,
    explain: (s) => `no user has the public key from ${s.publicKey}: check that it holds your API public key`,
  },
  153: { kind: 'throttled', error: ThrottlingError, explain: () => 'too many requests' },
  150: { kind: 'transient', error: CloudApiError, explain: () => 'the service is unavailable' },
  292: {
    kind: 'final',
    error: CloudApiError,
    explain: (s) => `the project was not found: check the project ID from ${s.projectId ?? 'the default project (none was set)'}`,
  },
};

/** The request ID for support tickets: `RequestUUID` in the answer body, else the gateway's header; either may be absent. */
function requestIdOf(body: Record<string, unknown>, response: HttpResponse): string | undefined {
  if (typeof body.RequestUUID === 'string' && body.RequestUUID) return body.RequestUUID;
  const header = response.headers['x-ucloud-request-uuid'];
  return (Array.isArray(header) ? header[0] : header) || undefined;
}

/**
 * Why a RetCode 0 answer cannot be a complete catalog, or undefined: an answer without any of its image lists
 * (missing or null) is not an empty catalog, and an ImageId twice in one list is not one listing (the same rule
 * as every cloud's, core/backend.ts refuseDuplicateIds; an ID in both the VM and bare-metal lists is documented
 * and merged by the normalizer).
 */
function incompleteImageLists(body: Record<string, unknown>): string | undefined {
  const present = IMAGE_LISTS.filter((key) => body[key] !== undefined && body[key] !== null);
  if (present.length === 0)
    return `the answer has RetCode 0 but none of its image lists (${IMAGE_LISTS.join(', ')}); an answer without its list is not an empty catalog`;
  for (const key of present) {
    const list = body[key];
    if (!Array.isArray(list)) continue; // the normalizer says what is wrong with it
    const seen = new Set<unknown>();
    for (const entry of list) {
      const id = entry !== null && typeof entry === 'object' ? (entry as Record<string, unknown>).ImageId : undefined;
      if (typeof id !== 'string' || id === '') continue;
      if (seen.has(id)) return `image ${JSON.stringify(id.slice(0, 80))} appears twice in ${key}: the server repeats records, so the listing cannot be trusted`;
      seen.add(id);
    }
  }
  return undefined;
}

/** Turns one HTTP answer into a parsed body (RetCode 0) or a classified error. */
export function interpretAnswer(response: HttpResponse, context: AnswerContext): Interpretation<Record<string, unknown>> {
  const { operation = OPERATION, ...sources } = context;
  const details = { cloud: 'ucloud', operation, httpStatus: response.status };
  if (response.status < 200 || response.status >= 300) {
    return {
      ok: false,
      kind: kindOfStatus(response.status),
      error:
        response.status === 429 ? new ThrottlingError('too many requests', details) : new CloudApiError(`unexpected HTTP status ${response.status}`, details),
    };
  }
  const parsed = parseJsonBody(response, 'ucloud', operation);
  if (!parsed.ok) return parsed;
  const body = parsed.value;
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    return { ok: false, kind: 'final', error: new CloudApiError('the answer is not a JSON object', details) };
  }
  const record = body as Record<string, unknown>;
  const requestId = requestIdOf(record, response);
  const retCode =
    typeof record.RetCode === 'number'
      ? record.RetCode
      : typeof record.RetCode === 'string' && /^\d+$/.test(record.RetCode)
        ? Number(record.RetCode)
        : undefined;
  if (retCode === undefined) {
    return {
      ok: false,
      kind: 'final',
      error: new CloudApiError('the answer has no RetCode, so it is not a UCloud API answer (check the endpoint)', { ...details, requestId }),
    };
  }
  if (retCode === 0) {
    const incomplete = incompleteImageLists(record);
    return incomplete ? { ok: false, kind: 'final', error: new CloudApiError(incomplete, { ...details, requestId }) } : { ok: true, value: record };
  }
  const known = RET_CODES[retCode];
  const serverMessage = typeof record.Message === 'string' && record.Message ? `; the service said: ${record.Message}` : '';
  const ErrorClass = known?.error ?? CloudApiError;
  const what = known ? known.explain(sources) : 'the request failed';
  return {
    ok: false,
    kind: known?.kind ?? 'final',
    error: new ErrorClass(`${what} (RetCode ${retCode})${serverMessage}`, { ...details, cloudCode: String(retCode), requestId }),
  };
}
