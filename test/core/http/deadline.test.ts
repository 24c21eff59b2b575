import { HttpClient, HttpResponse, Interpretation } from '../../../provider/core/http/client';
import { CloudApiError, ThrottlingError, TimeoutError } from '../../../provider/core/errors';
import { RequestSharing } from '../../../provider/core/share';
import { lookupImages } from '../../../provider/lookup';
import { captureCli } from '../../helpers/cli';
import { useEmulator } from '../../helpers/emulator';
import { BUILT_IN_REGION } from '../../helpers/regions';
import { localServer } from '../../helpers/server';

function interpret(res: HttpResponse): Interpretation<unknown> {
  if (res.status === 200) return { ok: true, value: res.body };
  if (res.status === 429) return { ok: false, kind: 'throttled', error: new ThrottlingError('slow down', { cloud: 'toy', httpStatus: 429 }) };
  return {
    ok: false,
    kind: res.status >= 500 ? 'transient' : 'final',
    error: new CloudApiError(`HTTP ${res.status}`, { cloud: 'toy', httpStatus: res.status }),
  };
}
const client = (retry = { maxAttempts: 5, baseDelayMs: 1, maxDelayMs: 2 }) => new HttpClient({ timeoutMs: 30_000, maxResponseBytes: 1 << 20, retry });
const send = (http: HttpClient, url: string) => http.send({ cloud: 'toy', operation: 'List page 1', request: { method: 'GET', url, headers: {} }, interpret });

describe('one deadline per lookup (CLOUDIMAGES_DEADLINE_MS)', () => {
  it('fails at once with a ThrottlingError saying when, if Retry-After is beyond what is left', async () => {
    const server = await localServer((_req, res) => res.writeHead(429, { 'retry-after': '3600' }).end());
    try {
      const started = Date.now();
      const sent = send(client().forLookup(300_000), server.url);
      await expect(sent).rejects.toBeInstanceOf(ThrottlingError);
      await expect(sent).rejects.toThrow(
        /^toy List page 1: the service asked to retry in 3600 s \(at \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\), past this lookup's deadline \(\d+(\.\d)? s left of CLOUDIMAGES_DEADLINE_MS=300000\); try again after \d{4}-/,
      );
      expect(server.hits).toBe(1);
      expect(Date.now() - started).toBeLessThan(5000);
    } finally {
      await server.close();
    }
  });

  it.each([
    ['9999999999999', '9999999999999'],
    ['400 digits', '1'.repeat(400)],
    ['a date in year 275760', 'Fri, 31 Dec 275760 23:59:59 GMT'],
    ['a date past what Date holds', 'Sat, 01 Jan +275760 00:00:00 GMT'],
  ])('Retry-After: %s (beyond the deadline or what a date holds) is a ThrottlingError at once', async (_label, retryAfter) => {
    const server = await localServer((_req, res) => res.writeHead(429, { 'retry-after': retryAfter }).end());
    try {
      const started = Date.now();
      const sent = send(client().forLookup(300_000), server.url);
      await expect(sent).rejects.toBeInstanceOf(ThrottlingError);
      await expect(sent).rejects.not.toThrow(/Invalid time value/);
      expect(server.hits).toBeLessThanOrEqual(5);
      expect(Date.now() - started).toBeLessThan(5000);
    } finally {
      await server.close();
    }
  });

  it('the CLI says ThrottlingError for Retry-After: 9999999999999, not "unexpected error: Invalid time value"', async () => {
    const server = await localServer((_req, res) =>
      res.writeHead(429, { 'retry-after': '9999999999999', 'content-type': 'application/json' }).end('{"error":"too_many_requests"}'),
    );
    try {
      const { code, stderr } = await captureCli(
        { NSCALE_SERVICE_TOKEN: 'tok-123456789', NSCALE_ORGANIZATION_ID: 'org' },
        'images',
        '--cloud',
        'nscale',
        '--region',
        '11111111-2222-3333-4444-555555555555',
        '--endpoint',
        server.url,
      );
      expect(code).toBe(1);
      expect(stderr).toContain('the service asked to retry in');
      expect(stderr).toContain('try again later');
      expect(stderr).not.toContain('unexpected error');
    } finally {
      await server.close();
    }
  });

  it('waits out a Retry-After that fits, and counts it against the deadline', async () => {
    const asked = new Set<string>();
    // Each path: 429 with Retry-After: 1 the first time, then the answer.
    const server = await localServer((req, res) =>
      asked.has(String(req.url)) ? res.end('{}') : (asked.add(String(req.url)), res.writeHead(429, { 'retry-after': '1' }).end()),
    );
    try {
      const started = Date.now();
      await expect(send(client().forLookup(10_000), `${server.url}/a`)).resolves.toBe('{}');
      expect(Date.now() - started).toBeGreaterThanOrEqual(950);
      await expect(send(client().forLookup(900), `${server.url}/b`)).rejects.toThrow(/asked to retry in 1 s .*past this lookup's deadline/);
    } finally {
      await server.close();
    }
  });

  it('bounds an attempt by what is left, whatever CLOUDIMAGES_TIMEOUT_MS says', async () => {
    const server = await localServer(() => undefined /* never answers */);
    try {
      const started = Date.now();
      const sent = send(client().forLookup(800), `${server.url}/v2/images`);
      await expect(sent).rejects.toBeInstanceOf(TimeoutError);
      await expect(sent).rejects.toThrow(
        /^toy List page 1: the lookup ran out of time after 1 attempt of this request: it may take 800 ms in all \(CLOUDIMAGES_DEADLINE_MS\), pages, retries and waits included; the last attempt: toy List page 1: no answer within \d+ ms/,
      );
      expect(Date.now() - started).toBeLessThan(10_000); // the per-request timeout is 30 s
    } finally {
      await server.close();
    }
  });

  it('stops retrying when the next back-off would end past the deadline', async () => {
    const server = await localServer((_req, res) => res.writeHead(503).end());
    try {
      const sent = send(client({ maxAttempts: 50, baseDelayMs: 200, maxDelayMs: 400 }).forLookup(1500), server.url);
      await expect(sent).rejects.toThrow(/the lookup ran out of time after \d+ attempts of this request.*; the last attempt: toy: HTTP 503/);
      expect(server.hits).toBeGreaterThan(1);
      expect(server.hits).toBeLessThan(50);
    } finally {
      await server.close();
    }
  });

  it('leaves a client without a lookup as it was: retries and Retry-After as the policy says', async () => {
    const server = await localServer((_req, res, hit) => (hit < 3 ? res.writeHead(503).end() : res.end('ok')));
    try {
      await expect(send(client(), server.url)).resolves.toBe('ok');
      expect(server.hits).toBe(3);
    } finally {
      await server.close();
    }
  });

  describe('through a lookup', () => {
    const emulator = useEmulator();
    const nscale = () => ({ cloud: 'nscale', region: BUILT_IN_REGION.nscale(emulator) });

    it('bounds the whole lookup, from the environment', async () => {
      emulator.inject({ kind: 'delay', delayMs: 10_000, times: Infinity });
      const started = Date.now();
      const sent = lookupImages(nscale(), { config: emulator.clientConfig(), env: { CLOUDIMAGES_DEADLINE_MS: '700' }, sharing: new RequestSharing() });
      await expect(sent).rejects.toBeInstanceOf(TimeoutError);
      await expect(sent).rejects.toThrow(/the lookup ran out of time .*it may take 700 ms in all \(CLOUDIMAGES_DEADLINE_MS\)/);
      expect(Date.now() - started).toBeLessThan(8000);
    });

    it('with CLOUDIMAGES_TIMEOUT_MS=1000 and 429 Retry-After: 3600 (the reported case), the CLI fails at once saying when', async () => {
      const server = await localServer((_req, res) =>
        res.writeHead(429, { 'retry-after': '3600', 'content-type': 'application/json' }).end('{"error":"too_many_requests"}'),
      );
      try {
        const started = Date.now();
        const { code, stderr } = await captureCli(
          { ...emulator.clientEnv(['nscale']), CLOUDIMAGES_TIMEOUT_MS: '1000' },
          'images',
          '--cloud',
          'nscale',
          '--region',
          nscale().region,
          '--endpoint',
          server.url,
        );
        expect(code).toBe(1);
        expect(stderr).toMatch(
          /^cloudimages: nscale .*the service asked to retry in 3600 s \(at .*Z\), past this lookup's deadline \(.* left of CLOUDIMAGES_DEADLINE_MS=300000\)/,
        );
        expect(server.hits).toBe(1);
        expect(Date.now() - started).toBeLessThan(10_000);
      } finally {
        await server.close();
      }
    });
  });
});
