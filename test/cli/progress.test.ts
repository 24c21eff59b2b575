/**
 * The progress line: on stderr while a lookup runs, only when stderr is a terminal. The terminal case runs the real
 * executable under a pseudo-terminal (`script`), against the emulator with latency; the pipe case runs it plainly.
 */
import { execFile } from 'child_process';
import * as path from 'path';
import fc from 'fast-check';
import { Emulator } from '../../provider/emulator/server';
import { describeProgress, ProgressLine } from '../../provider/cli/progress';
import { lookupImages } from '../../provider/lookup';
import type { LookupProgress } from '../../provider/core/http/client';
import { ensureBuilt, ROOT } from '../plugin/harness';

const CLI = path.join(ROOT, 'bin/cloudimages.js');

function run(file: string, args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(file, args, { env: { PATH: process.env.PATH, ...env }, timeout: 60_000, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

const shellQuote = (word: string) => `'${word.replace(/'/g, `'\\''`)}'`;

describe('the progress line', () => {
  let emulator: Emulator;
  beforeAll(async () => {
    ensureBuilt();
    emulator = await new Emulator({ latencyMs: 400 }).start();
  });
  afterAll(() => emulator?.stop());

  const argv = () => ['images', '--cloud', 'huaweicloud', '--region', 'cn-north-4', '--endpoint', emulator.endpoint('huaweicloud'), '--json'];

  test('at a terminal: pages done and requests in flight on stderr, erased before the result', async () => {
    // `script` gives the command a pseudo-terminal; what it wrote (stdout and stderr, as the terminal saw them) is
    // its output.
    const command = [process.execPath, CLI, ...argv()].map(shellQuote).join(' ');
    const { code, stdout } = await run('script', ['-qfec', command, '/dev/null'], emulator.clientEnv(['huaweicloud']));
    expect(code).toBe(0);
    expect(stdout).toMatch(/\rcloudimages: huaweicloud: \d+ pages?, \d+ in flight\x1b\[K/);
    // Erased (\r, erase line) before the JSON starts.
    expect(stdout).toMatch(/\r\x1b\[K\{/);
  }, 60_000);

  test('not at a terminal: nothing extra on stderr, stdout is the JSON alone', async () => {
    const { code, stdout, stderr } = await run(process.execPath, [CLI, ...argv()], emulator.clientEnv(['huaweicloud']));
    expect(code).toBe(0);
    expect(stderr).toBe('');
    expect((JSON.parse(stdout) as { ids: string[] }).ids.length).toBeGreaterThan(0);
  }, 60_000);

  test('the lookup reports every request: pages done, in flight, and what a paged cloud expects', async () => {
    const seen: LookupProgress[] = [];
    const fast = await new Emulator().start();
    try {
      await lookupImages(
        { cloud: 'alicloud', region: 'cn-hangzhou', visibility: 'private' },
        { config: fast.clientConfig(), env: {}, onProgress: (p) => seen.push(p) },
      );
      const last = seen.at(-1)!;
      expect(last.inFlight).toBe(0);
      expect(last.done).toBe(fast.count('alicloud'));
      expect(last.expected).toBe(last.done); // the first page's TotalCount told how many pages
      expect(Math.max(...seen.map((p) => p.inFlight))).toBeGreaterThan(1);
      for (const p of seen) expect(p.inFlight).toBeGreaterThanOrEqual(0);
    } finally {
      await fast.stop();
    }
  });
});

describe('the progress text', () => {
  it('says pages done of expected when known, pages done alone otherwise, and requests in flight', () => {
    expect(describeProgress({ done: 3, expected: 20, inFlight: 8 })).toBe('3/20 pages, 8 in flight');
    expect(describeProgress({ done: 3, expected: 0, inFlight: 1 })).toBe('3 pages, 1 in flight');
    expect(describeProgress({ done: 1, expected: 0, inFlight: 0 })).toBe('1 page, 0 in flight');
  });

  it('draws nothing for a quick lookup, at most every interval after, and erases only what it drew (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.nat(50), { maxLength: 40 }), (steps) => {
        let clock = 0;
        const written: string[] = [];
        const line = new ProgressLine(
          (t) => written.push(t),
          'cloudimages: x',
          () => clock,
          200,
          100,
        );
        const drawnAt: number[] = [];
        for (const step of steps) {
          clock += step;
          const before = written.length;
          line.update({ done: 1, expected: 0, inFlight: 1 });
          if (written.length > before) drawnAt.push(clock);
        }
        line.clear();
        for (const at of drawnAt) expect(at).toBeGreaterThanOrEqual(200);
        for (let i = 1; i < drawnAt.length; i++) expect(drawnAt[i] - drawnAt[i - 1]).toBeGreaterThanOrEqual(100);
        expect(written.filter((t) => t === '\r\x1b[K')).toHaveLength(drawnAt.length ? 1 : 0);
      }),
    );
  });
});

describe('the progress line before the first answer', () => {
  it('shows requests in flight once the delay has passed, without waiting for an answer; nothing after clear', async () => {
    const written: string[] = [];
    const line = new ProgressLine((t) => written.push(t), 'cloudimages: x', Date.now, 30, 10);
    line.update({ done: 0, expected: 0, inFlight: 3 });
    expect(written).toEqual([]);
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect(written).toEqual(['\rcloudimages: x: 0 pages, 3 in flight\x1b[K']);
    line.clear();
    const quick = new ProgressLine((t) => written.push(t), 'cloudimages: y', Date.now, 30, 10);
    quick.update({ done: 0, expected: 0, inFlight: 1 });
    quick.clear();
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect(written).toEqual(['\rcloudimages: x: 0 pages, 3 in flight\x1b[K', '\r\x1b[K']);
  });
});
