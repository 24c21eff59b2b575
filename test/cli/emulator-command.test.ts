/** `cloudimages emulator` as a person starts it: a real process, queried by the CLI with the printed settings. */
import { ChildProcess, execFile, spawn } from 'child_process';
import * as path from 'path';
import * as readline from 'readline';

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
