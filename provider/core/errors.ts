import { redact } from './redact';
import { escapeControls } from './text';

/**
 * Every error cloudimages throws is a CloudImagesError with a stable `code`. Subclasses exist where a caller
 * can act differently: fix an argument, fix configuration, wait, or change the query.
 * Messages never contain credentials: build them from names of variables, never from values. Every message is
 * masked and has its control characters escaped here, whatever server text it quotes, so no surface (CLI, plugin,
 * SDK) can print a secret or a terminal escape from an error.
 */
/** Every `code` an error of this package can carry: stable, for callers to switch on. */
export type ErrorCode =
  | 'CLOUDIMAGES_ERROR'
  | 'INVALID_ARGUMENT'
  | 'CONFIGURATION'
  | 'TRANSPORT'
  | 'CLOUD_API'
  | 'AUTHENTICATION'
  | 'THROTTLED'
  | 'TIMEOUT'
  | 'TLS'
  | 'RESPONSE_TOO_LARGE'
  | 'PAGING'
  | 'CANCELLED'
  | 'NO_IMAGE'
  | 'AMBIGUOUS_IMAGE';

export interface CloudImagesErrorOptions {
  /** The error this one explains (a network failure, a parse error, the failed page): kept as `cause`. */
  cause?: unknown;
}

export class CloudImagesError extends Error {
  readonly code: ErrorCode = 'CLOUDIMAGES_ERROR';
  constructor(message: string, options?: CloudImagesErrorOptions) {
    super(escapeControls(redact(message)), options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
  }
}

/** An argument is wrong; raised before any request. `argument` is the query field (e.g. `architecture`). */
export class ValidationError extends CloudImagesError {
  override readonly code = 'INVALID_ARGUMENT';
  constructor(
    readonly argument: string,
    readonly reason: string,
    options?: CloudImagesErrorOptions,
  ) {
    super(`invalid argument "${argument}": ${reason}`, options);
  }
}

/** Configuration or credentials are missing or unusable; `setting` names what to set. */
export class ConfigurationError extends CloudImagesError {
  override readonly code = 'CONFIGURATION';
  /** `setting`: always `cloudimages:<cloud>.<field>`, the configuration key to set. */
  constructor(
    message: string,
    readonly setting?: string,
    options?: CloudImagesErrorOptions,
  ) {
    super(message, options);
  }
}

/** Refused before sending: e.g. plain http:// to a non-loopback host. */
export class TransportError extends CloudImagesError {
  override readonly code: ErrorCode = 'TRANSPORT';
}

export interface CloudApiErrorDetails {
  cloud: string;
  /** The cloud's own error code (`Throttling.User`, `APIG.0301`, `171`, `unauthorized`). */
  cloudCode?: string;
  httpStatus?: number;
  requestId?: string;
  /** What was being asked, e.g. `DescribeImages page 3`. */
  operation?: string;
  /** The error behind this one, kept as `cause`. */
  cause?: unknown;
  /** Attempts made (an error that explains a failed request passes its attempts on). */
  attempts?: number;
}

/** The cloud answered with an error (or an answer we cannot use). */
export class CloudApiError extends CloudImagesError {
  override readonly code: ErrorCode = 'CLOUD_API';
  readonly cloud: string;
  readonly cloudCode?: string;
  readonly httpStatus?: number;
  readonly requestId?: string;
  readonly operation?: string;
  /** Attempts the HTTP client made before giving up with this error (1: it was final at once); the client sets it
   * when it gives up, so every CloudApiError a request rejects with carries it. */
  attempts?: number;
  constructor(message: string, details: CloudApiErrorDetails) {
    const parts = [
      details.cloudCode && `code ${details.cloudCode}`,
      details.httpStatus && `HTTP ${details.httpStatus}`,
      details.requestId && `request ID ${details.requestId}`,
    ].filter(Boolean);
    super(`${details.cloud}${details.operation ? ` ${details.operation}` : ''}: ${message}${parts.length ? ` (${parts.join(', ')})` : ''}`, {
      cause: details.cause,
    });
    this.cloud = details.cloud;
    this.cloudCode = details.cloudCode;
    this.httpStatus = details.httpStatus;
    this.requestId = details.requestId;
    this.operation = details.operation;
    if (details.attempts !== undefined) this.attempts = details.attempts;
  }
}

/** Credentials were refused. The message names the variable or config key used, never its value. */
export class AuthenticationError extends CloudApiError {
  override readonly code = 'AUTHENTICATION';
}

/** Still throttled after the retry budget ran out. */
export class ThrottlingError extends CloudApiError {
  override readonly code = 'THROTTLED';
}

/** No answer in time. */
export class TimeoutError extends CloudApiError {
  override readonly code = 'TIMEOUT';
}

/** The server's certificate failed verification (verification is never turned off). */
export class TlsError extends CloudApiError {
  override readonly code = 'TLS';
}

/** An answer grew past CLOUDIMAGES_MAX_RESPONSE_MB after decompression; reading stopped there. */
export class ResponseTooLargeError extends CloudApiError {
  override readonly code = 'RESPONSE_TOO_LARGE';
}

/** A request stopped because another request of the same lookup failed for good (its `cause`). Pools and
 * lookups report that failure, not this. */
export class CancelledError extends CloudImagesError {
  override readonly code = 'CANCELLED';
  constructor(operation: string, cause: unknown) {
    super(`${operation}: cancelled, because another request of this lookup failed`, { cause });
  }
}

/** A paging run that cannot be trusted to be complete (failed page, totals that do not add up, repeated marker). */
export class PagingError extends CloudApiError {
  override readonly code = 'PAGING';
}

/** A funnel step: the candidates left after the catalog itself (`catalog`), then after each selector. */
export interface NoImageFunnelStep {
  selector: string;
  remaining: number;
}

/** An image that came close: the selectors it fails, as users write them. */
export interface NoImageNearMiss {
  id: string;
  name: string | null;
  /** Set when the name does not single the image out (other images in the catalog carry it): messages add the ID. */
  nameShared?: true;
  failed: string[];
}

/**
 * getImage found nothing; the message repeats the query and shows the funnel and the closest images compactly.
 * `funnel` says which selector emptied the list; `nearMisses` are up to three images failing the fewest selectors.
 */
export class NoImageError extends CloudImagesError {
  override readonly code = 'NO_IMAGE';
  constructor(
    message: string,
    readonly funnel: NoImageFunnelStep[] = [],
    readonly nearMisses: NoImageNearMiss[] = [],
  ) {
    super(message);
  }
}

/** getImage found several and was not told to choose the most recent. */
export class AmbiguousImageError extends CloudImagesError {
  override readonly code = 'AMBIGUOUS_IMAGE';
  constructor(
    message: string,
    readonly count: number,
    readonly ids: string[],
  ) {
    super(message);
  }
}
