/** `cloudimages emulator` as a person starts it: a real process, queried by the CLI with the printed settings. */
import { ChildProcess, execFile, spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as readline from 'readline';
import { captureCli } from '../helpers/cli';
import { Emulator } from '../../provider/emulator/server';

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

  it('prints its address, every cloud\'s endpoint with its image count, and the fake credentials', () => {
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
        resolve({ code: error ? Number((error as { code?: number }).code) : 0, stdout })),
    );
    expect(result.code).toBe(0);
    const { ids, images } = JSON.parse(result.stdout);
    expect(ids.length).toBeGreaterThan(0);
    expect(images.every((i: { gpu: { models: string[] } }) => i.gpu.models.some((m) => /H100/.test(m)))).toBe(true);
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
