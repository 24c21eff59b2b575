import { expect } from '@jest/globals';
import type { ServerResponse } from 'http';
import * as zlib from 'zlib';
import { HttpClient, HttpResponse, Interpretation } from '../../../provider/core/http/client';
import { MIB } from '../../../provider/core/http/settings';
import { CloudApiError, ResponseTooLargeError } from '../../../provider/core/errors';
import { BUILT_CLIENT, runScript } from '../../helpers/child';
import { localServer } from '../../helpers/server';

const interpret = (res: HttpResponse): Interpretation<number> =>
  res.status === 200
    ? { ok: true, value: res.body.length }
    : { ok: false, kind: 'transient', error: new CloudApiError(`HTTP ${res.status}`, { cloud: 'toy' }) };
const client = (maxResponseBytes: number) => new HttpClient({ timeoutMs: 20_000, maxResponseBytes, retry: { maxAttempts: 4, baseDelayMs: 1, maxDelayMs: 2 } });
const get = (http: HttpClient, url: string) => http.send({ cloud: 'toy', operation: 'List page 1', request: { method: 'GET', url, headers: {} }, interpret });

/** A gzip bomb: `members` concatenated gzip members of 16 MiB of zeros each (about 16 KiB on the wire apiece). */
function gzipBomb(members: number): Buffer {
  return Buffer.concat(Array(members).fill(zlib.gzipSync(Buffer.alloc(16 * MIB))));
}

/** Writes `chunk` until the client hangs up, or `limit` bytes (the loop is bounded either way). */
function writeUntilClosed(res: ServerResponse, chunk: Buffer, limit: number): void {
  let written = 0;
  let closed = false;
  res.on('close', () => (closed = true));
  const pump = () => {
    while (!closed && written < limit) {
      written += chunk.length;
      if (!res.write(chunk)) return void res.once('drain', pump);
    }
    res.end();
  };
  pump();
}

/**
 * Peak memory each answer may cost its whole Node process (Node itself is about 40 MiB of it): the 64 MiB kept, and
 * got's copies of it not yet collected. Measured: the bomb 130-150 MiB, the endless body 145-165 MiB on Node 20 and
 * 22 (alone and inside loaded full runs alike) and 185-215 MiB on Node 24, whose collector runs later.
 */
const PEAK_RSS_BOUND_KIB = 256 * 1024;

describe('bounded answers (CLOUDIMAGES_MAX_RESPONSE_MB)', () => {
  const eightMiB = Buffer.alloc(8 * MIB, 'a');
  it.each([
    ['gzip', zlib.gzipSync(eightMiB)],
    ['deflate', zlib.deflateSync(eightMiB)],
    ['br', zlib.brotliCompressSync(eightMiB, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 4 } })],
  ])('counts %s answers after decompression, stops at the cap and does not retry', async (encoding, body) => {
    expect(body.length).toBeLessThan(MIB); // small on the wire: only the inflated size is over the cap
    const server = await localServer((_req, res) => res.writeHead(200, { 'content-encoding': encoding }).end(body));
    try {
      const sent = get(client(MIB), server.url);
      await expect(sent).rejects.toBeInstanceOf(ResponseTooLargeError);
      await expect(sent).rejects.toThrow(
        /^toy List page 1: the answer grew past 1 MiB, the limit set by CLOUDIMAGES_MAX_RESPONSE_MB; reading stopped\. Narrow the query, or raise CLOUDIMAGES_MAX_RESPONSE_MB/,
      );
      expect(server.hits).toBe(1);
    } finally {
      await server.close();
    }
  });

  it('accepts an answer of exactly the cap and refuses one byte more', async () => {
    const server = await localServer((req, res) => res.end(Buffer.alloc(req.url === '/over' ? MIB + 1 : MIB, 'x')));
    try {
      await expect(get(client(MIB), `${server.url}/exact`)).resolves.toBe(MIB);
      await expect(get(client(MIB), `${server.url}/over`)).rejects.toBeInstanceOf(ResponseTooLargeError);
    } finally {
      await server.close();
    }
  });

  it('refuses at once an answer whose declared length is over the cap, without waiting for the body', async () => {
    const server = await localServer((_req, res) => {
      res.writeHead(200, { 'content-length': String(10 * MIB) });
      res.flushHeaders(); // and never send the body: only the header can end this request before the timeout
    });
    try {
      const started = Date.now();
      await expect(get(client(MIB), server.url)).rejects.toThrow(/the answer declares 10485760 bytes, above 1 MiB/);
      expect(Date.now() - started).toBeLessThan(10_000); // the timeout is 20 s
    } finally {
      await server.close();
    }
  });

  it('bounds a 1 MB gzip bomb and an endless body in seconds and with bounded memory, with the default cap (64 MiB)', async () => {
    const bomb = gzipBomb(64); // 1 GiB inflated
    expect(bomb.length).toBeLessThan(1.1 * MIB);
    const server = await localServer((req, res) => {
      if (req.url === '/bomb') res.writeHead(200, { 'content-encoding': 'gzip', 'content-type': 'application/json' }).end(bomb);
      else writeUntilClosed(res.writeHead(200, { 'content-type': 'application/json' }), Buffer.alloc(64 * 1024, ' '), 4096 * MIB);
    });
    // A fresh process per answer, so its peak memory is that request's and nothing else's.
    const script = `
      const { HttpClient } = require(${JSON.stringify(BUILT_CLIENT)});
      const started = Date.now();
      new HttpClient({ retry: { maxAttempts: 3 } })
        .send({ cloud: 'toy', operation: 'List', request: { method: 'GET', url: process.argv[1], headers: {} }, interpret: (r) => ({ ok: true, value: r.body.length }) })
        .then(() => undefined, (e) => e)
        .then((error) => console.log(JSON.stringify({ ms: Date.now() - started, error: error && error.name, message: error && error.message, ...peakRss() })));
      // The peak of this process's own memory: VmHWM starts anew at exec. Not getrusage's maxRSS: on Linux it keeps
      // the forked parent's high-water mark, here the test runner's, hundreds of MiB late in a full run. (The script
      // is a template literal, so its regex escapes are doubled.) Elsewhere, the largest RSS sampled every 2 ms.
      let sampledKiB = 0;
      setInterval(() => (sampledKiB = Math.max(sampledKiB, process.memoryUsage.rss() / 1024)), 2).unref();
      function peakRss() {
        let status = '';
        try { status = require('fs').readFileSync('/proc/self/status', 'utf8'); } catch {}
        const hwm = /^VmHWM:\\s+(\\d+) kB$/m.exec(status);
        return hwm ? { maxRssKiB: Number(hwm[1]), measuredBy: 'VmHWM' } : { maxRssKiB: Math.round(sampledKiB), measuredBy: 'sampling' };
      }`;
    try {
      for (const answer of ['bomb', 'endless']) {
        const result = await runScript<{ ms: number; error: string; message: string; maxRssKiB: number; measuredBy: string }>(script, [
          `${server.url}/${answer}`,
        ]);
        expect({ answer, ...result }).toMatchObject({
          answer,
          error: 'ResponseTooLargeError',
          message: expect.stringContaining('grew past 64 MiB, the limit set by CLOUDIMAGES_MAX_RESPONSE_MB'),
        });
        expect(result.ms).toBeLessThan(15_000);
        if (process.platform === 'linux') expect(result.measuredBy).toBe('VmHWM');
        expect(result.maxRssKiB).toBeGreaterThan(20 * 1024); // Node itself: a reading, not a parse failure
        expect({ answer, peakRss: result.maxRssKiB < PEAK_RSS_BOUND_KIB ? 'bounded' : `${result.maxRssKiB} KiB` }).toEqual({ answer, peakRss: 'bounded' });
      }
      expect(server.hits).toBe(2); // one attempt each: an answer over the cap is not retried
    } finally {
      await server.close();
    }
  });
});
