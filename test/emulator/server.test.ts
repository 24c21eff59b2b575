/** The emulator as a library (users run it in their tests): bounded memory whatever its clients do. */
import * as http from 'http';
import * as net from 'net';
import { Emulator, MAX_RECORDED_REQUESTS, MAX_REQUEST_BODY_BYTES } from '../../provider/emulator/server';

function post(url: string, body: Buffer): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    let answered = false;
    const req = http.request(url, { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': String(body.length) } }, (res) => {
      answered = true;
      let text = '';
      res.on('data', (d: Buffer) => (text += d.toString()));
      res.on('end', () => (req.destroy(), resolve({ status: res.statusCode!, body: text })));
    });
    req.on('error', (e) => (answered ? undefined : reject(e)));
    req.end(body);
  });
}

const get = (url: string) =>
  new Promise<number>((resolve, reject) => http.get(url, (res) => (res.resume(), res.on('end', () => resolve(res.statusCode!)))).on('error', reject));

describe('the emulator bounds what it keeps', () => {
  it('keeps the last recordLimit requests (MAX_RECORDED_REQUESTS by default) and still counts them all', async () => {
    expect(new Emulator().recordLimit).toBe(MAX_RECORDED_REQUESTS);
    expect(MAX_RECORDED_REQUESTS).toBe(10_000);
    const emulator = await new Emulator({ recordLimit: 5 }).start();
    try {
      for (let i = 0; i < 12; i++) await get(`${emulator.url}/nscale/page-${i}`);
      await get(`${emulator.url}/alicloud/?Action=DescribeRegions`);
      expect(emulator.requests).toHaveLength(5);
      expect(emulator.requests.map((r) => r.path)).toEqual(['/page-8', '/page-9', '/page-10', '/page-11', '/']);
      expect(emulator.count('nscale')).toBe(12);
      expect(emulator.count('alicloud')).toBe(1);
      expect(emulator.count()).toBe(13);
      emulator.resetCounts();
      expect([emulator.count(), emulator.requests.length]).toEqual([0, 0]);
    } finally {
      await emulator.stop();
    }
    expect(() => new Emulator({ recordLimit: -1 })).toThrow(RangeError);
  });

  it(`answers 413 to a body over ${MAX_REQUEST_BODY_BYTES} bytes and reads one at the cap`, async () => {
    const emulator = await new Emulator().start();
    try {
      const over = await post(`${emulator.url}/ucloud/`, Buffer.alloc(MAX_REQUEST_BODY_BYTES + 1, ' '));
      expect(over.status).toBe(413);
      expect(emulator.count()).toBe(0); // refused before it is a request
      const at = await post(`${emulator.url}/ucloud/`, Buffer.alloc(MAX_REQUEST_BODY_BYTES, ' '));
      expect(at.status).not.toBe(413);
      expect(emulator.count('ucloud')).toBe(1);
    } finally {
      await emulator.stop();
    }
  });

  it('a client hanging up mid-body rejects nothing (no unhandled rejection) and the next request is served', async () => {
    const rejections: unknown[] = [];
    const onRejection = (reason: unknown) => rejections.push(reason);
    process.on('unhandledRejection', onRejection);
    const emulator = await new Emulator().start();
    try {
      const port = Number(new URL(emulator.url).port);
      await new Promise<void>((resolve) => {
        const socket = net.connect(port, '127.0.0.1', () => {
          socket.write('POST /ucloud/ HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n{"Act');
          setTimeout(() => (socket.destroy(), resolve()), 50);
        });
      });
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(rejections).toEqual([]);
      expect(await get(`${emulator.url}/nscale/`)).toBeGreaterThan(0);
    } finally {
      process.off('unhandledRejection', onRejection);
      await emulator.stop();
    }
  });
});

/** Resolves once `condition` holds (checked every few milliseconds); fails the test if it never does. */
async function until(condition: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 1000 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 5));
  if (!condition()) throw new Error(`never happened: ${what}`);
}

describe('requests in flight (what concurrency tests count)', () => {
  it('counts the requests in flight, the most at once and the waves, whether answered or hung up on', async () => {
    const emulator = await new Emulator().start();
    try {
      expect([emulator.inFlight, emulator.maxInFlight, emulator.waves]).toEqual([0, 0, 0]);
      emulator.inject({ kind: 'delay', cloud: 'nscale', times: 3, delayMs: 60_000 });
      const held = [1, 2, 3].map(() => http.get(`${emulator.url}/nscale/held`).on('error', () => undefined));
      await until(() => emulator.inFlight === 3, 'three requests in flight');
      expect([emulator.maxInFlight, emulator.waves]).toEqual([3, 1]);
      for (const request of held) request.destroy();
      await until(() => emulator.inFlight === 0, 'the hung-up requests leave');
      expect(emulator.maxInFlight).toBe(3);
      expect(emulator.requests.map((r) => r.wave)).toEqual([1, 1, 1]);
      emulator.resetCounts();
      expect([emulator.maxInFlight, emulator.waves]).toEqual([0, 0]);
      for (let i = 0; i < 3; i++) {
        expect(await get(`${emulator.url}/nscale/one-by-one`)).toBe(404);
        await until(() => emulator.inFlight === 0, 'the answered request leaves');
      }
      expect([emulator.maxInFlight, emulator.waves]).toEqual([1, 3]);
      expect(emulator.requests.map((r) => r.wave)).toEqual([1, 2, 3]);
    } finally {
      await emulator.stop();
    }
  });
});

describe('latency', () => {
  // A fault injected while a request waits: the default works the answer out after the wait (tests that change the
  // emulator mid-request rely on it); workDuringLatency works it out on arrival, so only the network wait remains.
  const answerWithFaultInjectedMidWait = async (workDuringLatency: boolean) => {
    const latencyMs = 150;
    const emulator = await new Emulator({ latencyMs, workDuringLatency }).start();
    try {
      const started = Date.now();
      const status = get(`${emulator.url}/nscale/no-such-route`);
      await new Promise((resolve) => setTimeout(resolve, latencyMs / 3));
      emulator.inject({ cloud: 'nscale', kind: 'server-error' });
      return { status: await status, elapsed: Date.now() - started };
    } finally {
      await emulator.stop();
    }
  };

  it('by default, the answer is worked out after the wait', async () => {
    const { status, elapsed } = await answerWithFaultInjectedMidWait(false);
    expect(status).toBe(500);
    expect(elapsed).toBeGreaterThanOrEqual(145);
  });

  it('workDuringLatency: worked out on arrival, still sent latencyMs after it', async () => {
    expect(new Emulator().workDuringLatency).toBe(false);
    const { status, elapsed } = await answerWithFaultInjectedMidWait(true);
    expect(status).toBe(404);
    expect(elapsed).toBeGreaterThanOrEqual(145);
  });
});
