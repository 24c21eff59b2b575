/**
 * Proxies from the environment, as curl and the clouds' own SDKs read them: `HTTPS_PROXY` for https:// URLs,
 * `HTTP_PROXY` for http:// ones, `ALL_PROXY` as the fallback, `NO_PROXY` for exceptions (lower case wins over
 * upper case). `proxy-from-env` decides which proxy a URL takes; `hpagent` opens the connection through it,
 * tunnelling with CONNECT so TLS runs end to end with the cloud and certificates are checked as without a proxy.
 * Loopback hosts (the emulator) never take a proxy, as in Go's net/http: a corporate proxy cannot reach them.
 */
import type { Agent as HttpAgent } from 'http';
import type { Agent as HttpsAgent } from 'https';
import { HttpProxyAgent, HttpsProxyAgent } from 'hpagent';
import { ConfigurationError } from '../errors';
import { redactUrl, registerSecret } from '../redact';
import { isLoopbackHost } from './transport';

export interface ProxyRoute {
  /** The proxy's URL (may carry credentials: show it only through redactUrl). */
  url: string;
  /** The variable it came from, for messages. */
  variable: string;
  agent: { http: HttpAgent; https: HttpsAgent };
}

// proxy-from-env ships no types; this is its one export.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { getProxyForUrl } = require('proxy-from-env') as { getProxyForUrl: (url: string | URL) => string };

const agents = new Map<string, ProxyRoute['agent']>();

/** The proxy a request to `target` goes through, or undefined for a direct connection. Proxies are the
 * process's (read from process.env on each request), like curl's and every SDK's. */
export function proxyFor(target: string): ProxyRoute | undefined {
  const env = process.env;
  const url = new URL(target);
  if (isLoopbackHost(url.hostname) || coveredByDomainRule(url, env.no_proxy || env.NO_PROXY || '')) return undefined;
  let proxy = getProxyForUrl(url);
  if (!proxy) return undefined;
  const variable = sourceVariable(url.protocol.slice(0, -1), env);
  // A scheme-less `host:port` is an http:// proxy, as curl reads it (proxy-from-env would take the target's scheme).
  const raw = env[variable];
  if (raw && !raw.includes('://')) proxy = `http://${raw}`;
  const expected = 'expected http://host:port or https://host:port (with user:password@ if the proxy asks for them, special characters %-encoded)';
  let parsed: URL;
  try {
    parsed = new URL(proxy);
  } catch {
    throw new ConfigurationError(`${variable} is not a proxy URL: ${expected}`, variable);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new ConfigurationError(
      `${variable} names a ${parsed.protocol.slice(0, -1)} proxy (${redactUrl(proxy)}); only http:// and https:// proxies are supported`,
      variable,
    );
  }
  let password: string;
  try {
    // The proxy agent decodes both for Proxy-Authorization, and would throw `URI malformed` from inside a request.
    decodeURIComponent(parsed.username);
    password = decodeURIComponent(parsed.password);
  } catch {
    throw new ConfigurationError(`${variable} has a user or password with a '%' that does not start a valid escape (%XX): ${expected}`, variable);
  }
  registerSecret(password);
  let agent = agents.get(parsed.href);
  if (!agent) {
    // Keep-alive through the tunnel too: paging reuses connections as it does without a proxy.
    const options = { proxy: parsed, keepAlive: true };
    agent = { http: new HttpProxyAgent(options), https: new HttpsProxyAgent(options) };
    agents.set(parsed.href, agent);
  }
  return { url: parsed.href, variable, agent };
}

/**
 * curl's one NO_PROXY rule that proxy-from-env lacks: `example.com` and `.example.com` both cover the domain itself
 * and every subdomain (proxy-from-env matches a bare name exactly and a dotted one only below it).
 */
function coveredByDomainRule(url: URL, noProxy: string): boolean {
  const host = url.hostname.toLowerCase();
  const port = Number(url.port) || (url.protocol === 'https:' ? 443 : 80);
  return noProxy
    .toLowerCase()
    .split(/[\s,]+/)
    .some((entry) => {
      const withPort = /^(.+):(\d+)$/.exec(entry);
      if (withPort && Number(withPort[2]) !== port) return false;
      const name = (withPort ? withPort[1] : entry).replace(/^\*?\.?/, '');
      return name !== '' && (host === name || host.endsWith(`.${name}`));
    });
}

/** Which variable proxy-from-env took the proxy from (it reads lower case first, then upper case). */
function sourceVariable(scheme: string, env: NodeJS.ProcessEnv): string {
  for (const base of [`${scheme}_proxy`, 'all_proxy']) {
    for (const name of [base, base.toUpperCase()]) if (env[name]) return name;
  }
  return `${scheme.toUpperCase()}_PROXY`;
}
