/** `cloudimages emulator` as a person starts it: a real process, queried by the CLI with the printed settings. */
import { ChildProcess, execFile, spawn } from 'child_process';
import * as fs from 'fs';
import * as http from 'http';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import * as readline from 'readline';
import { captureCli } from '../helpers/cli';
import { Emulator, MAX_REQUEST_BODY_BYTES } from '../../provider/emulator/server';

const BIN = path.resolve(__dirname, '../../bin/cloudimages.js');

describe('cloudimages emulator', () => {
  let child: ChildProcess;
  const lines: string[] = [];

  beforeAll(async () => {
    child = spawn(process.execPath, [BIN, 'emulator', '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
    const reader = readline.createInterface({ input: child.stdout! });
    await new Promise<void>((resolve, reject) => {
      reader.on('line', (line) => {
        lines.push(line);
        if (/^\s+export NSCALE_REGION_ID=/.test(line)) resolve();
      });
      child.once('exit', (code) => reject(new Error(`emulator exited with ${code}`)));
    });
  });
  afterAll(() => child.kill('SIGTERM'));

  it("prints its address, every cloud's endpoint with its image count, and the fake credentials", () => {
    expect(lines[0]).toMatch(/^cloudimages emulator listening on http:\/\/127\.0\.0\.1:\d+$/);
    for (const cloud of ['alicloud', 'huaweicloud', 'opentelekomcloud', 'ucloud', 'nscale']) {
      expect(lines.join('\n')).toMatch(new RegExp(`^  ${cloud}\\s+--endpoint http://127\\.0\\.0\\.1:\\d+/${cloud}\\S*\\s+\\((\\d{3,}) images\\)$`, 'm'));
    }
  });

  it('answers the CLI configured from what it printed', async () => {
    const env: Record<string, string> = { PATH: process.env.PATH ?? '' };
    for (const line of lines) {
      const m = /^\s+export (\w+)=(.*)$/.exec(line);
      if (m) env[m[1]] = m[2];
    }
    const endpoint = /--endpoint (\S+\/nscale)\b/.exec(lines.join('\n'))![1];
    const result = await new Promise<{ code: number; stdout: string }>((resolve) =>
      execFile(process.execPath, [BIN, 'images', '--cloud', 'nscale', '--endpoint', endpoint, '--gpu-model', 'H100', '--json'], { env }, (error, stdout) =>
        resolve({ code: error ? Number((error as { code?: number }).code) : 0, stdout }),
      ),
    );
    expect(result.code).toBe(0);
    const { ids, images } = JSON.parse(result.stdout) as { ids: string[]; images: { gpu: { models: string[] } }[] };
    expect(ids.length).toBeGreaterThan(0);
    expect(images.every((i) => i.gpu.models.some((m) => /H100/.test(m)))).toBe(true);
  });
});

describe('cloudimages emulator: as tough as the client', () => {
  let child: ChildProcess;
  let port: number;
  let stderr = '';

  beforeAll(async () => {
    child = spawn(process.execPath, [BIN, 'emulator', '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    const reader = readline.createInterface({ input: child.stdout! });
    port = await new Promise<number>((resolve, reject) => {
      reader.on('line', (line) => {
        const m = /listening on http:\/\/127\.0\.0\.1:(\d+)$/.exec(line);
        if (m) resolve(Number(m[1]));
      });
      child.once('exit', (code) => reject(new Error(`emulator exited with ${code}`)));
    });
  });
  afterAll(() => child.kill('SIGTERM'));

  const status = (path: string) =>
    new Promise<number>((resolve, reject) =>
      http.get({ host: '127.0.0.1', port, path }, (res) => (res.resume(), resolve(res.statusCode!))).on('error', reject),
    );

  it('a client that hangs up in the middle of a request body does not take it down', async () => {
    for (let i = 0; i < 3; i++) {
      await new Promise<void>((resolve) => {
        const socket = net.connect(port, '127.0.0.1', () => {
          socket.write('POST /ucloud/ HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{"Action":"Describe');
          setTimeout(() => (socket.destroy(), resolve()), 50);
        });
      });
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(child.exitCode).toBeNull();
    expect(await status('/nscale/')).toBeGreaterThan(0);
    expect(stderr).toBe('');
  });

  it('answers 413 to a body beyond the documented cap, without reading it all, and serves on', async () => {
    const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      let answered = false;
      const req = http.request(
        {
          host: '127.0.0.1',
          port,
          path: '/ucloud/',
          method: 'POST',
          headers: { 'content-type': 'application/json', 'content-length': String(300 * 1024 * 1024) },
        },
        (res) => {
          answered = true;
          let body = '';
          res.on('data', (d: Buffer) => (body += d.toString()));
          res.on('end', () => {
            req.destroy();
            resolve({ status: res.statusCode!, body });
          });
        },
      );
      req.on('error', (e) => (answered ? undefined : reject(e)));
      const chunk = Buffer.alloc(64 * 1024, 'a');
      // Writes until the server answers (it must not wait for 300 MB).
      const pump = () => {
        while (!answered && !req.destroyed && req.write(chunk));
        if (!answered && !req.destroyed) req.once('drain', pump);
      };
      pump();
    });
    expect(answer.status).toBe(413);
    expect(answer.body).toContain(`larger than ${MAX_REQUEST_BODY_BYTES} bytes`);
    expect(child.exitCode).toBeNull();
    expect(await status('/nscale/')).toBeGreaterThan(0);
  });
});

describe('cloudimages emulator --host', () => {
  it('warns on a non-loopback host that the fake credentials are then public, and not on loopback', async () => {
    const run = (host: string) =>
      new Promise<string>((resolve, reject) => {
        const child = spawn(process.execPath, [BIN, 'emulator', '--port', '0', '--host', host], { stdio: ['ignore', 'pipe', 'pipe'] });
        let err = '';
        child.stderr.on('data', (d: Buffer) => (err += d.toString()));
        readline.createInterface({ input: child.stdout }).on('line', (line) => {
          if (/export NSCALE_REGION_ID=/.test(line)) {
            child.kill('SIGTERM');
            child.once('exit', () => resolve(err));
          }
        });
        child.once('error', reject);
      });
    expect(await run('0.0.0.0')).toMatch(
      /^cloudimages emulator: warning: listening on 0\.0\.0\.0, not loopback: other machines can reach it, and the credentials below \(fake, but accepted\) are then public/,
    );
    expect(await run('127.0.0.1')).toBe('');
  });
});

describe('cloudimages emulator: bad usage and failures are one line, never a stack trace', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cloudimages-emulator-cli-'));
    fs.writeFileSync(path.join(dir, 'broken.json'), '{"nscale": {"images": [');
    fs.writeFileSync(path.join(dir, 'list.json'), '[]');
    fs.writeFileSync(path.join(dir, 'aws.json'), '{"aws": {"credentials": {}, "images": []}}');
    fs.writeFileSync(path.join(dir, 'no-images.json'), '{"nscale": {"credentials": {}}}');
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  function expectOneLine(stderr: string, message: RegExp): void {
    const lines = stderr.trimEnd().split('\n');
    expect(lines[0]).toMatch(message);
    expect(lines.slice(1).every((line) => line === 'Run "cloudimages --help" for usage.')).toBe(true);
    expect(stderr).not.toMatch(/\n\s+at /);
  }

  it.each([
    [['--latency-ms', '-5'], /^cloudimages emulator: --latency-ms takes a whole number from 0 to 600000 .*, got "-5"$/],
    [['--latency-ms', 'fast'], /--latency-ms takes a whole number .*got "fast"$/],
    [['--latency-ms', '1e3'], /--latency-ms takes a whole number .*got "1e3"$/],
    [['--port', '70000'], /^cloudimages emulator: --port takes a whole number from 0 \(a free port\) to 65535, got "70000"$/],
    [['--port', '-1'], /--port takes a whole number/],
    [['--catalog', 'missing.json'], /^cloudimages emulator: cannot read --catalog .*missing\.json: no such file or directory$/],
    [['--catalog', 'broken.json'], /^cloudimages emulator: --catalog .*broken\.json is not JSON \(.*\); start from the output of --write-catalog$/],
    [['--catalog', 'list.json'], /--catalog .*list\.json must be an object with one entry per cloud/],
    [['--catalog', 'aws.json'], /--catalog .*aws\.json: unknown cloud "aws"; clouds are alicloud, huaweicloud, opentelekomcloud, ucloud, nscale$/],
    [['--catalog', 'no-images.json'], /"nscale" must have "credentials" \(an object\) and "images" \(a list\)/],
  ])('%j exits 2', async (flags, message) => {
    const argv = flags.map((f) => (f.endsWith('.json') ? path.join(dir, f) : f));
    const { code, stdout, stderr } = await captureCli({}, 'emulator', ...argv);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expectOneLine(stderr, message);
  });

  it('a port in use exits 1 and says what to do', async () => {
    const busy = await new Emulator().start();
    try {
      const port = new URL(busy.url).port;
      const { code, stderr } = await captureCli({}, 'emulator', '--port', port);
      expect(code).toBe(1);
      expect(stderr).toBe(`cloudimages emulator: port ${port} on 127.0.0.1 is already in use; choose another --port, or --port 0 for a free one\n`);
    } finally {
      await busy.stop();
    }
  });

  it('a --write-catalog that cannot be written exits 1 with one line', async () => {
    const { code, stderr } = await captureCli({}, 'emulator', '--write-catalog', path.join(dir, 'no-such-dir', 'c.json'));
    expect(code).toBe(1);
    expect(stderr).toMatch(/^cloudimages emulator: cannot write --write-catalog .*c\.json: no such file or directory\n$/);
  });

  it('the library refuses a negative latency too', () => {
    expect(() => new Emulator({ latencyMs: -5 })).toThrow(/latencyMs is the milliseconds added to every answer, 0 or more; got -5/);
  });
});
