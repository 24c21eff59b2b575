import * as net from 'net';
import * as path from 'path';
import { HttpClient, HttpResponse, Interpretation } from '../../../provider/core/http/client';
import { proxyFor } from '../../../provider/core/http/proxy';
import { MIB } from '../../../provider/core/http/settings';
import { CloudApiError, ConfigurationError, TimeoutError, TlsError } from '../../../provider/core/errors';
import { loopbackProxy } from '../../helpers/proxy';
import { captureCli } from '../../helpers/cli';
import { BUILT_CLIENT, runScript } from '../../helpers/child';
import { localHttpsServer, localServer, TLS_FIXTURES, tlsFixture } from '../../helpers/server';

const PROXY_VARIABLES = ['https_proxy', 'HTTPS_PROXY', 'http_proxy', 'HTTP_PROXY', 'all_proxy', 'ALL_PROXY', 'no_proxy', 'NO_PROXY'];
const saved = Object.fromEntries(PROXY_VARIABLES.map((name) => [name, process.env[name]]));
function setProxyEnv(values: Record<string, string>): void {
  for (const name of PROXY_VARIABLES) delete process.env[name];
  Object.assign(process.env, values);
}
afterEach(() => {
  for (const name of PROXY_VARIABLES) {
    if (saved[name] === undefined) delete process.env[name];
    else process.env[name] = saved[name];
  }
});

const interpret = (res: HttpResponse): Interpretation<string> =>
  res.status === 200 ? { ok: true, value: res.body } : { ok: false, kind: 'final', error: new CloudApiError(`HTTP ${res.status}`, { cloud: 'toy' }) };
const client = () => new HttpClient({ timeoutMs: 5000, maxResponseBytes: MIB, retry: { maxAttempts: 1 } });
const get = (url: string) => client().send({ cloud: 'toy', operation: 'List', request: { method: 'GET', url, headers: {} }, interpret });

describe('which requests take a proxy (curl rules)', () => {
  const proxied = (url: string, env: Record<string, string>) => {
    setProxyEnv(env);
    return proxyFor(url)?.url;
  };
  const proxy = 'http://proxy.corp.example:3128';

  it('takes HTTPS_PROXY for https:// and never HTTP_PROXY for it; ALL_PROXY is the fallback; lower case wins', () => {
    expect(proxied('https://ecs.aliyuncs.com', { HTTPS_PROXY: proxy })).toBe(`${proxy}/`);
    expect(proxied('https://ecs.aliyuncs.com', { HTTP_PROXY: proxy })).toBeUndefined();
    expect(proxied('https://ecs.aliyuncs.com', { ALL_PROXY: proxy })).toBe(`${proxy}/`);
    expect(proxied('https://ecs.aliyuncs.com', { https_proxy: 'http://lower:1', HTTPS_PROXY: 'http://upper:2' })).toBe('http://lower:1/');
    expect(proxyFor('https://ecs.aliyuncs.com')?.variable).toBe('https_proxy');
    expect(proxied('https://ecs.aliyuncs.com', {})).toBeUndefined();
  });

  it.each([
    ['*', 'https://ims.eu-de.otc.t-systems.com', false],
    ['ecs.aliyuncs.com', 'https://ecs.aliyuncs.com', false],
    ['aliyuncs.com', 'https://ecs.cn-hangzhou.aliyuncs.com', false], // curl: a bare domain covers its subdomains
    ['.aliyuncs.com', 'https://aliyuncs.com', false], // curl: and a dotted one the domain itself
    ['.aliyuncs.com', 'https://ecs.aliyuncs.com', false],
    ['*.aliyuncs.com', 'https://ecs.aliyuncs.com', false],
    ['aliyuncs.com', 'https://notaliyuncs.com', true],
    ['example.com, ecs.aliyuncs.com', 'https://ecs.aliyuncs.com', false], // comma and space separated
    ['example.com ecs.aliyuncs.com', 'https://ecs.aliyuncs.com', false],
    ['ecs.aliyuncs.com:443', 'https://ecs.aliyuncs.com', false], // a port must match (443 is https's default)
    ['ecs.aliyuncs.com:8443', 'https://ecs.aliyuncs.com', true],
    ['ecs.aliyuncs.com:8443', 'https://ecs.aliyuncs.com:8443', false],
    ['ECS.ALIYUNCS.COM', 'https://ecs.aliyuncs.com', false],
  ])('NO_PROXY=%j and %s: proxied %s', (noProxy, url, expected) => {
    expect(proxied(url, { HTTPS_PROXY: proxy, NO_PROXY: noProxy }) !== undefined).toBe(expected);
    expect(proxied(url, { HTTPS_PROXY: proxy, no_proxy: noProxy }) !== undefined).toBe(expected);
  });

  it.each(['http://127.0.0.1:8080', 'http://localhost:1', 'https://[::1]:9443'])('never sends loopback %s (the emulator) to a proxy', (url) => {
    expect(proxied(url, { HTTPS_PROXY: proxy, HTTP_PROXY: proxy, ALL_PROXY: proxy })).toBeUndefined();
  });

  it('refuses a proxy variable that is not an http(s) URL, naming the variable', () => {
    setProxyEnv({ HTTPS_PROXY: 'http://[bad' });
    expect(() => proxyFor('https://ecs.aliyuncs.com')).toThrow(ConfigurationError);
    expect(() => proxyFor('https://ecs.aliyuncs.com')).toThrow(/^HTTPS_PROXY is not a proxy URL/);
    setProxyEnv({ all_proxy: 'socks5://127.0.0.1:1080' });
    expect(() => proxyFor('https://ecs.aliyuncs.com')).toThrow(/^all_proxy names a socks5 proxy .*only http:\/\/ and https:\/\/ proxies/);
  });
});

describe('requests through a proxy', () => {
  it('tunnel https with CONNECT, and the certificate is still checked end to end', async () => {
    const server = await localHttpsServer(tlsFixture('server'), (_req, res) => res.end('{}'));
    const proxy = await loopbackProxy({ route: (authority) => (authority === 'ecs.cloudimages.test:443' ? server.port : undefined) });
    try {
      setProxyEnv({ HTTPS_PROXY: proxy.url });
      const sent = get('https://ecs.cloudimages.test/v1/images');
      // The test CA is not trusted in this process: the tunnel opens, then verification refuses the certificate.
      await expect(sent).rejects.toBeInstanceOf(TlsError);
      await expect(sent).rejects.toThrow(
        `the TLS certificate of ecs.cloudimages.test through the proxy ${proxy.url}/ (from HTTPS_PROXY) failed verification: its issuer is not a certificate authority this machine trusts (UNABLE_TO_VERIFY_LEAF_SIGNATURE)`,
      );
      expect(proxy.connects).toEqual(['ecs.cloudimages.test:443']);
      expect(server.hits).toBe(0);
    } finally {
      await proxy.close();
      await server.close();
    }
  });

  it('send the credentials in the proxy URL, and say what to do on 407 without showing them', async () => {
    const server = await localHttpsServer(tlsFixture('server'), (_req, res) => res.end('{}'));
    const proxy = await loopbackProxy({ route: () => server.port, credentials: 'alice:pr0xy-s3cret' });
    const at = proxy.url.replace('http://', '');
    try {
      setProxyEnv({ HTTPS_PROXY: `http://alice:wrong-s3cret@${at}` });
      const refused = get('https://ecs.cloudimages.test/');
      await expect(refused).rejects.toThrow(
        `the proxy http://***:***@${at}/ (from HTTPS_PROXY) refused to open a tunnel to ecs.cloudimages.test: HTTP 407; the proxy wants credentials`,
      );
      await expect(refused).rejects.not.toThrow(/wrong-s3cret/);
      setProxyEnv({ HTTPS_PROXY: `http://alice:pr0xy-s3cret@${at}` });
      await expect(get('https://ecs.cloudimages.test/')).rejects.toBeInstanceOf(TlsError); // tunnel opened
      expect(proxy.connects).toHaveLength(2);
    } finally {
      await proxy.close();
      await server.close();
    }
  });

  it('name the proxy when it cannot be reached, and suggest NO_PROXY', async () => {
    const closed = await localServer(() => undefined);
    const url = closed.url;
    await closed.close();
    setProxyEnv({ HTTPS_PROXY: url });
    await expect(get('https://ecs.aliyuncs.com/')).rejects.toThrow(
      `toy List: could not reach the proxy ${url}/ (from HTTPS_PROXY): ECONNREFUSED; check the variable, or list ecs.aliyuncs.com in NO_PROXY`,
    );
  });

  it('leave loopback alone: the emulator answers directly even with every proxy variable set', async () => {
    const proxy = await loopbackProxy({ route: () => undefined });
    const server = await localServer((_req, res) => res.end('direct'));
    try {
      setProxyEnv({ HTTPS_PROXY: proxy.url, HTTP_PROXY: proxy.url, ALL_PROXY: proxy.url });
      await expect(get(server.url)).resolves.toBe('direct');
      expect(proxy.connects).toEqual([]);
    } finally {
      await proxy.close();
      await server.close();
    }
  });
});

/** One request in a fresh Node process, so NODE_EXTRA_CA_CERTS can take effect. */
function requestInChild(url: string, env: Record<string, string>) {
  const script = `
    const { HttpClient } = require(${JSON.stringify(BUILT_CLIENT)});
    new HttpClient({ timeoutMs: 5000, maxResponseBytes: 1 << 20, retry: { maxAttempts: 1 } })
      .send({ cloud: 'toy', operation: 'List', request: { method: 'GET', url: process.argv[1], headers: {} }, interpret: (r) => ({ ok: true, value: r.body }) })
      .then((body) => console.log(JSON.stringify({ ok: true, body })), (e) => console.log(JSON.stringify({ ok: false, name: e.name, message: e.message })));`;
  return runScript<{ ok: boolean; body?: string; name?: string; message?: string }>(script, [url], env);
}

describe('a network with its own certificate authority (NODE_EXTRA_CA_CERTS, as the hint says)', () => {
  it('reaches the cloud through the proxy once the CA is trusted, and still refuses a certificate for another host', async () => {
    const seen: string[] = [];
    const server = await localHttpsServer(tlsFixture('server'), (req, res) => {
      seen.push(`${req.headers.host} ${req.url}`);
      res.end('{"through":"tunnel"}');
    });
    const proxy = await loopbackProxy({ route: () => server.port });
    try {
      const env = { HTTPS_PROXY: proxy.url, NODE_EXTRA_CA_CERTS: path.join(TLS_FIXTURES, 'ca.pem') };
      await expect(requestInChild('https://ecs.cloudimages.test/v1/images?page=2', env)).resolves.toEqual({ ok: true, body: '{"through":"tunnel"}' });
      expect(seen).toEqual(['ecs.cloudimages.test /v1/images?page=2']);
      const wrongHost = await requestInChild('https://ims.example.test/', env);
      expect(wrongHost).toMatchObject({ ok: false, name: 'TlsError' });
      expect(wrongHost.message).toContain(
        'failed verification: the certificate is for "DNS:ecs.cloudimages.test, DNS:*.cloudimages.test, DNS:localhost, IP Address:127.0.0.1", not ims.example.test (ERR_TLS_CERT_ALTNAME_INVALID)',
      );
      expect(wrongHost.message).toContain('set NODE_EXTRA_CA_CERTS');
      expect(proxy.connects).toEqual(['ecs.cloudimages.test:443', 'ims.example.test:443']);
    } finally {
      await proxy.close();
      await server.close();
    }
  });
});

describe('proxy variables as curl reads them, and proxies that misbehave', () => {
  it('a scheme-less HTTPS_PROXY=host:port is an http:// proxy (as curl reads it), and tunnels', async () => {
    setProxyEnv({ HTTPS_PROXY: 'proxy.corp.example:3128' });
    expect(proxyFor('https://ecs.aliyuncs.com')?.url).toBe('http://proxy.corp.example:3128/');
    const server = await localHttpsServer(tlsFixture('server'), (_req, res) => res.end('{}'));
    const proxy = await loopbackProxy({ route: () => server.port });
    try {
      setProxyEnv({ HTTPS_PROXY: proxy.url.replace('http://', '') });
      await expect(get('https://ecs.cloudimages.test/')).rejects.toBeInstanceOf(TlsError); // the tunnel opened
      expect(proxy.connects).toEqual(['ecs.cloudimages.test:443']);
    } finally {
      await proxy.close();
      await server.close();
    }
  });

  it.each(['http://alice:50%@127.0.0.1:3128', 'http://al%zzice:pw@127.0.0.1:3128', 'http://alice:%E0%A4%A@127.0.0.1:3128'])(
    'a proxy URL that cannot be decoded (%s) is a configuration error naming the variable',
    async (value) => {
      setProxyEnv({ https_proxy: value });
      expect(() => proxyFor('https://ecs.aliyuncs.com')).toThrow(ConfigurationError);
      expect(() => proxyFor('https://ecs.aliyuncs.com')).toThrow(/^https_proxy has a user or password with a '%' that does not start a valid escape/);
      await expect(get('https://ecs.aliyuncs.com/')).rejects.toBeInstanceOf(ConfigurationError);
      const cli = await captureCli(
        { NSCALE_SERVICE_TOKEN: 'token-0123456789', NSCALE_ORGANIZATION_ID: 'org-1' },
        'images',
        '--cloud',
        'nscale',
        '--region',
        '11111111-2222-3333-4444-555555555555',
      );
      expect(cli.code).toBe(2);
      expect(cli.stderr).toMatch(/^cloudimages: https_proxy has a user or password with a '%'/);
    },
  );

  it('a proxy that accepts the connection but never answers CONNECT ends by the lookup deadline, and the attempt timeout covers CONNECT', async () => {
    const sockets = new Set<net.Socket>();
    const silent = net.createServer((socket) => {
      sockets.add(socket);
      socket.on('data', () => undefined); // reads the CONNECT, never answers
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    setProxyEnv({ HTTPS_PROXY: `http://127.0.0.1:${(silent.address() as net.AddressInfo).port}` });
    try {
      const send = (client: HttpClient) =>
        client.send({ cloud: 'toy', operation: 'List', request: { method: 'GET', url: 'https://ecs.aliyuncs.com/', headers: {} }, interpret });
      // The deadline: 1.2 s for the lookup, attempts of up to 30 s.
      let started = Date.now();
      const byDeadline = await send(new HttpClient({ timeoutMs: 30_000, retry: { maxAttempts: 5, baseDelayMs: 1, maxDelayMs: 2 } }).forLookup(1200)).catch(
        (e: unknown) => e,
      );
      expect(byDeadline).toBeInstanceOf(TimeoutError);
      expect(Date.now() - started).toBeLessThan(4000);
      // The attempt timeout, without a lookup: one attempt of 800 ms.
      started = Date.now();
      const byTimeout = await send(new HttpClient({ timeoutMs: 800, retry: { maxAttempts: 1 } })).catch((e: unknown) => e);
      expect(byTimeout).toBeInstanceOf(TimeoutError);
      expect((byTimeout as Error).message).toContain('did not answer the request to open a tunnel to ecs.aliyuncs.com within 800 ms');
      expect(Date.now() - started).toBeLessThan(4000);
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  }, 15_000);
});
