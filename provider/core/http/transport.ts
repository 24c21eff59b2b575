/** Endpoint rules: https everywhere, plain http only to this machine (the emulator, a local proxy); no
 * credentials or fragment in the URL. */
import { TransportError, ValidationError } from '../errors';

export const REGION_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
import { redactUrl } from '../redact';

export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return host === 'localhost' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);
}

/** Checks and normalizes a base URL (no trailing slash). `{region}` is filled in when given. */
export function checkEndpoint(endpoint: string, argument = 'endpoint', region?: string): string {
  // A region goes into a host name: anything but a plain identifier could send credentials to another host.
  if (region !== undefined && endpoint.includes('{region}') && !REGION_PATTERN.test(region)) {
    throw new ValidationError('region', `${JSON.stringify(region.slice(0, 40))} is not a region name (letters, digits, '-', '_' and '.' only)`);
  }
  const filled = region === undefined ? endpoint : endpoint.split('{region}').join(region);
  let url: URL;
  try {
    url = new URL(filled);
  } catch {
    throw new TransportError(`invalid ${argument} ${JSON.stringify(redactUrl(filled))}: expected an absolute https:// URL`);
  }
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
    throw new TransportError(
      `refusing plain http:// for ${argument} ${redactUrl(filled)}: credentials and signatures would cross the network unencrypted; use https:// (http:// is allowed only for loopback hosts such as 127.0.0.1)`,
    );
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new TransportError(`invalid ${argument} ${redactUrl(filled)}: only https:// (or http:// to loopback) is supported`);
  }
  // user:password@ would go out as Basic auth, in place of (or beside) the cloud's own credentials.
  if (url.username || url.password) {
    throw new TransportError(
      `refusing ${argument} ${redactUrl(filled)}: it carries user:password@, which would be sent as Basic auth; give credentials in the cloud's configuration instead and remove them from the URL`,
    );
  }
  if (filled.includes('#')) {
    throw new TransportError(
      `refusing ${argument} ${redactUrl(filled.split('#')[0])}#…: a base URL has no fragment ('#'), and what follows it would never reach the server; remove it`,
    );
  }
  return filled.replace(/\/+$/, '');
}

/** A base URL (an endpoint setting or argument): an endpoint as checkEndpoint wants it, and no query string either,
 * since the client builds each request's path and query on it. */
export function checkBaseUrl(endpoint: string, argument = 'endpoint', region?: string): string {
  const checked = checkEndpoint(endpoint, argument, region);
  if (checked.includes('?')) {
    throw new TransportError(
      `refusing ${argument} ${redactUrl(checked.split('?')[0])}?…: a base URL has no query string ('?'); the client adds each request's own, so remove it`,
    );
  }
  return checked;
}
