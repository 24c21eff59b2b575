/**
 * What went wrong below HTTP, in words a user can act on: a timeout, a certificate that failed verification
 * (with the NODE_EXTRA_CA_CERTS hint for networks with their own certificate authority), a proxy that refused
 * or could not be reached, a connection that broke. Each is classified (classify.ts) like a cloud's answer.
 */
import { CloudApiError, TimeoutError, TlsError } from '../errors';
import { redactServerText, redactUrl } from '../redact';
import type { ProxyRoute } from './proxy';
import type { Failure } from './classify';

export interface FailureContext {
  cloud: string;
  operation: string;
  url: string;
  timeoutMs: number;
  proxy?: ProxyRoute;
}

/** Errors from the connection itself (reset, refused, cut short): worth retrying for reads. */
const TRANSIENT_NETWORK_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'EAI_AGAIN', 'ERR_STREAM_PREMATURE_CLOSE']);

/** OpenSSL's verification codes as Node reports them, in words. */
const CERTIFICATE_PROBLEMS: Record<string, string> = {
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'its issuer is not a certificate authority this machine trusts',
  UNABLE_TO_GET_ISSUER_CERT: 'its issuer is not a certificate authority this machine trusts',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'its issuer is not a certificate authority this machine trusts',
  SELF_SIGNED_CERT_IN_CHAIN: 'its chain ends in a self-signed certificate authority this machine does not trust',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'the certificate is self-signed',
  CERT_UNTRUSTED: 'the certificate is not trusted',
  CERT_HAS_EXPIRED: "the certificate has expired (or this machine's clock is wrong)",
  CERT_NOT_YET_VALID: "the certificate is not valid yet (or this machine's clock is wrong)",
  CERT_REVOKED: 'the certificate has been revoked',
  CERT_SIGNATURE_FAILURE: "the certificate's signature does not verify",
  INVALID_CA: 'a certificate in the chain is not a valid certificate authority',
};

type NodeError = Error & { code?: string; cause?: NodeError; reason?: string; host?: string; cert?: { subjectaltname?: string } };

/** Server-chosen text (a certificate's names) shown in a message: printable, quoted, bounded. */
function quoted(text: string, max = 120): string {
  return JSON.stringify(text.length > max ? `${text.slice(0, max)}…` : text);
}

function certificateProblem(err: NodeError, host: string): string | undefined {
  const code = err.code ?? '';
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') {
    const names = err.cause?.cert?.subjectaltname ?? err.cert?.subjectaltname;
    return `the certificate is for ${names ? quoted(names) : 'other host names'}, not ${host}`;
  }
  return CERTIFICATE_PROBLEMS[code];
}

/**
 * What is kept of an HTTP-client error as `cause`: its name, code and masked message, in a plain Error. The client's
 * own error object holds the request options (headers with `authorization` and `x-auth-token`, a URL with a signed
 * query, the proxy agent with its password), which `console.log(err)` would print in full.
 */
export function plainCause(err: unknown): Error {
  const e = (typeof err === 'object' && err !== null ? err : { message: String(err) }) as NodeError;
  const cause = new Error(redactServerText(typeof e.message === 'string' ? e.message : 'unknown failure'));
  if (typeof e.name === 'string' && e.name !== 'Error') cause.name = e.name;
  const code = typeof e.code === 'string' ? e.code : typeof e.cause?.code === 'string' ? e.cause.code : undefined;
  if (code !== undefined) Object.defineProperty(cause, 'code', { value: code, enumerable: true });
  return cause;
}

export function describeFailure(err: unknown, context: FailureContext): Failure {
  const e = err as NodeError;
  const code = e.code ?? '';
  const { cloud, operation } = context;
  const url = new URL(context.url);
  const where = redactUrl(`${url.origin}${url.pathname}`);
  const via = context.proxy ? ` through the proxy ${redactUrl(context.proxy.url)} (from ${context.proxy.variable})` : '';
  const details = { cloud, operation, cause: plainCause(e) };

  if (code === 'ETIMEDOUT' && e.name === 'TimeoutError') {
    return { kind: 'transient', error: new TimeoutError(`no answer within ${context.timeoutMs} ms from ${where}${via}`, details) };
  }
  const problem = certificateProblem(e, url.hostname);
  if (problem) {
    return {
      kind: 'final',
      error: new TlsError(
        `the TLS certificate of ${url.host}${via} failed verification: ${problem} (${code}). Verification stays on; if your network uses its own certificate authority (a TLS-inspecting proxy or firewall), set NODE_EXTRA_CA_CERTS to the path of that authority's PEM file`,
        details,
      ),
    };
  }
  if (context.proxy) {
    // hpagent reports a CONNECT left unanswered past the attempt's timeout as "Proxy timeout".
    if (e.message === 'Proxy timeout') {
      return {
        kind: 'transient',
        error: new TimeoutError(
          `the proxy ${redactUrl(context.proxy.url)} (from ${context.proxy.variable}) did not answer the request to open a tunnel to ${url.host} within ${context.timeoutMs} ms`,
          details,
        ),
      };
    }
    // hpagent reports a refused CONNECT as "Bad response: <status>".
    const refused = /^Bad response: (\d{3})$/.exec(e.message ?? '');
    if (refused) {
      const status = Number(refused[1]);
      const hint = status === 407 ? '; the proxy wants credentials: put them in the variable as http://user:password@host:port' : '';
      return {
        kind: status >= 500 ? 'transient' : 'final',
        error: new CloudApiError(
          `the proxy ${redactUrl(context.proxy.url)} (from ${context.proxy.variable}) refused to open a tunnel to ${url.host}: HTTP ${status}${hint}`,
          details,
        ),
      };
    }
    if (['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH'].includes(code)) {
      return {
        kind: code === 'ENOTFOUND' ? 'final' : 'transient',
        error: new CloudApiError(
          `could not reach the proxy ${redactUrl(context.proxy.url)} (from ${context.proxy.variable}): ${code}; check the variable, or list ${url.hostname} in NO_PROXY to connect directly`,
          details,
        ),
      };
    }
  }
  const hint = code === 'ENOTFOUND' && !context.proxy ? ' (the host name does not resolve; behind a proxy, set HTTPS_PROXY)' : '';
  return {
    kind: TRANSIENT_NETWORK_CODES.has(code) || /premature|aborted|socket hang up/i.test(e.message ?? '') ? 'transient' : 'final',
    error: new CloudApiError(`request to ${where}${via} failed: ${code || e.message}${hint}`, details),
  };
}
