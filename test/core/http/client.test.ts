import '../../../provider/clouds'; // builds the built-in clouds' registry, which registers their credential parameters for masking
import { HttpClient, HttpResponse, Interpretation, parseJsonBody } from '../../../provider/core/http/client';
import { mapWithConcurrency } from '../../../provider/core/http/pool';
import { CloudApiError, ThrottlingError, TimeoutError, TransportError } from '../../../provider/core/errors';
import { registerSecret } from '../../../provider/core/redact';
import { localServer } from '../../helpers/server';

const fast = () => new HttpClient({ retry: { maxAttempts: 4, baseDelayMs: 1, maxDelayMs: 5 }, timeoutMs: 2000 });

/** A toy cloud: 200 → ok, 429 → throttled (retry), 5xx → retry, other → fail. */
function interpret(res: HttpResponse): Interpretation<unknown> {
  if (res.status === 200) return parseJsonBody(res, 'toy', 'List');
  if (res.status === 429)
    return {
      ok: false,
      kind: 'throttled',
      error: new ThrottlingError('slow down', { cloud: 'toy', httpStatus: 429, requestId: String(res.headers['x-request-id']) }),
    };
  return {
    ok: false,
    kind: res.status >= 500 ? 'transient' : 'final',
    error: new CloudApiError(`HTTP ${res.status}`, { cloud: 'toy', httpStatus: res.status }),
  };
}

describe('HttpClient', () => {
  it('retries throttling and 5xx, then succeeds', async () => {
    const server = await localServer((_req, res, hit) => {
      if (hit === 1) res.writeHead(429, { 'x-request-id': 'r1' }).end();
      else if (hit === 2) res.writeHead(503).end();
      else res.end('{"ok":true}');
    });
    try {
      await expect(fast().send({ cloud: 'toy', operation: 'List', request: { method: 'GET', url: server.url, headers: {} }, interpret })).resolves.toEqual({
        ok: true,
      });
      expect(server.hits).toBe(3);
    } finally {
      await server.close();
    }
  });

  it('gives up after the retry budget with a throttling error naming the cloud and request ID', async () => {
    const server = await localServer((_req, res) => res.writeHead(429, { 'x-request-id': 'req-42' }).end());
    try {
      const sent = fast().send({ cloud: 'toy', operation: 'List page 2', request: { method: 'GET', url: server.url, headers: {} }, interpret });
      await expect(sent).rejects.toBeInstanceOf(ThrottlingError);
      await expect(sent).rejects.toThrow(/^toy List page 2: still throttled after 4 attempts.*request ID req-42/);
      await expect(sent).rejects.toMatchObject({ attempts: 4 });
      expect(server.hits).toBe(4);
    } finally {
      await server.close();
    }
  });

  it('does not retry what the cloud says is final (e.g. authentication)', async () => {
    const server = await localServer((_req, res) => res.writeHead(403).end());
    try {
      const sent = fast().send({ cloud: 'toy', operation: 'List', request: { method: 'GET', url: server.url, headers: {} }, interpret });
      await expect(sent).rejects.toThrow(/HTTP 403/);
      await expect(sent).rejects.toMatchObject({ attempts: 1 });
      expect(server.hits).toBe(1);
    } finally {
      await server.close();
    }
  });

  it('honours Retry-After (seconds) before the next attempt', async () => {
    const times: number[] = [];
    const server = await localServer((_req, res, hit) => {
      times.push(Date.now());
      if (hit === 1) res.writeHead(429, { 'retry-after': '1' }).end();
      else res.end('{}');
    });
    try {
      await fast().send({ cloud: 'toy', operation: 'List', request: { method: 'GET', url: server.url, headers: {} }, interpret });
      expect(times[1] - times[0]).toBeGreaterThanOrEqual(950);
    } finally {
      await server.close();
    }
  });

  it('signs before every attempt, so nonces and timestamps are fresh on retries', async () => {
    const seen: string[] = [];
    const server = await localServer((req, res, hit) => {
      seen.push(String(req.headers['x-nonce']));
      if (hit < 3) res.writeHead(500).end();
      else res.end('{}');
    });
    let nonce = 0;
    try {
      await fast().send({
        cloud: 'toy',
        operation: 'List',
        request: { method: 'GET', url: server.url, headers: {} },
        interpret,
        sign: (r) => ({ ...r, headers: { ...r.headers, 'x-nonce': String(++nonce) } }),
      });
      expect(seen).toEqual(['1', '2', '3']);
    } finally {
      await server.close();
    }
  });

  it('retries a connection reset and a cut-off body, then fails with a typed error', async () => {
    const server = await localServer((req, res) => {
      res.writeHead(200, { 'content-length': '100' });
      res.write('{"Images": [');
      setTimeout(() => req.socket.destroy(), 5);
    });
    try {
      const sent = fast().send({ cloud: 'toy', operation: 'List', request: { method: 'GET', url: server.url, headers: {} }, interpret });
      await expect(sent).rejects.toBeInstanceOf(CloudApiError);
      await expect(sent).rejects.toMatchObject({ attempts: 4 });
      expect(server.hits).toBe(4);
    } finally {
      await server.close();
    }
  });

  it('retries invalid JSON and then says so', async () => {
    const server = await localServer((_req, res) => res.end('<html>bad gateway</html>'));
    try {
      await expect(fast().send({ cloud: 'toy', operation: 'List', request: { method: 'GET', url: server.url, headers: {} }, interpret })).rejects.toThrow(
        /not valid JSON/,
      );
      expect(server.hits).toBe(4);
    } finally {
      await server.close();
    }
  });

  it('times out with a message that says which request and how long', async () => {
    const server = await localServer(() => undefined /* never answers */);
    try {
      const client = new HttpClient({ timeoutMs: 150, retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 2 } });
      const sent = client.send({
        cloud: 'toy',
        operation: 'List page 1',
        request: { method: 'GET', url: `${server.url}/v2/images?limit=5`, headers: {} },
        interpret,
      });
      await expect(sent).rejects.toBeInstanceOf(TimeoutError);
      await expect(sent).rejects.toThrow(/^toy List page 1: no answer within 150 ms from http:\/\/127\.0\.0\.1:\d+\/v2\/images$/);
    } finally {
      await server.close();
    }
  });

  it('refuses plain http:// to a non-loopback host before sending', async () => {
    await expect(
      fast().send({ cloud: 'toy', operation: 'List', request: { method: 'GET', url: 'http://ecs.example.com/', headers: {} }, interpret }),
    ).rejects.toBeInstanceOf(TransportError);
  });

  it('sends a user agent that names the package and version', async () => {
    let agent = '';
    const server = await localServer((req, res) => {
      agent = String(req.headers['user-agent']);
      res.end('{}');
    });
    try {
      await fast().send({ cloud: 'toy', operation: 'List', request: { method: 'GET', url: server.url, headers: {} }, interpret });
      expect(agent).toMatch(/^cloudimages\/\d+\.\d+\.\d+ \(\+@cloudimages\/pulumi; node v\d+/);
    } finally {
      await server.close();
    }
  });

  it('debug logs mask signatures, tokens and registered secrets', async () => {
    registerSecret('super-secret-token-123');
    const lines: string[] = [];
    const server = await localServer((_req, res) => res.end('{}'));
    try {
      const client = new HttpClient({ debug: true, log: (l) => lines.push(l) });
      await client.send({
        cloud: 'toy',
        operation: 'List',
        request: {
          method: 'GET',
          url: `${server.url}/?Signature=abc123&AccessKeyId=AK1&PageNumber=2`,
          headers: { authorization: 'Bearer super-secret-token-123', 'x-auth-token': 'tok' },
        },
        interpret,
      });
      expect(lines).toHaveLength(1);
      expect(lines[0]).toContain('PageNumber=2');
      for (const secret of ['abc123', 'AK1', 'super-secret-token-123', '"tok"']) expect(lines[0]).not.toContain(secret);
    } finally {
      await server.close();
    }
  });
});

describe('mapWithConcurrency', () => {
  it('keeps at most N in flight and returns results in input order', async () => {
    let running = 0;
    let peak = 0;
    const out = await mapWithConcurrency([5, 1, 4, 2, 3, 0], 2, async (ms, i) => {
      peak = Math.max(peak, ++running);
      await new Promise((r) => setTimeout(r, ms * 3));
      running--;
      return i;
    });
    expect(out).toEqual([0, 1, 2, 3, 4, 5]);
    expect(peak).toBe(2);
  });

  it('rejects on the first failure: no partial list', async () => {
    await expect(mapWithConcurrency([1, 2, 3], 3, (n) => (n === 2 ? Promise.reject(new Error('page 2 failed')) : Promise.resolve(n)))).rejects.toThrow(
      'page 2 failed',
    );
  });

  it('reads a changing limit (adaptive concurrency)', async () => {
    let limit = 4;
    let peakAfterDrop = 0;
    let running = 0;
    await mapWithConcurrency(
      Array.from({ length: 12 }, (_, i) => i),
      () => limit,
      async (i) => {
        running++;
        if (i === 0) limit = 1;
        if (i > 4) peakAfterDrop = Math.max(peakAfterDrop, running);
        await new Promise((r) => setTimeout(r, 2));
        running--;
      },
    );
    expect(peakAfterDrop).toBe(1);
  });
});
