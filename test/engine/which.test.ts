/**
 * `npm run --silent engine:which` (scripts/engine.sh which): the pulumi the engine suite uses. PULUMI_BIN wins, then a
 * `pulumi` on PATH; only without either does it build the pinned CLI into .engine/bin.
 */
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ROOT } from './engine';

const SCRIPT = path.join(ROOT, 'scripts', 'engine.sh');
let dir: string;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cloudimages-which-'));
  for (const folder of ['a', 'b']) {
    fs.mkdirSync(path.join(dir, folder));
    fs.writeFileSync(path.join(dir, folder, 'pulumi'), '#!/bin/sh\necho v3.0.0\n', { mode: 0o755 });
  }
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const which = (env: Record<string, string>) =>
  spawnSync('bash', [SCRIPT, 'which'], { env: { PATH: process.env.PATH!, HOME: os.homedir(), ...env }, encoding: 'utf8' });

test('PULUMI_BIN wins over a pulumi on PATH, and is printed as an absolute path', () => {
  const result = which({ PULUMI_BIN: path.relative(process.cwd(), path.join(dir, 'a', 'pulumi')), PATH: `${path.join(dir, 'b')}:${process.env.PATH}` });
  expect(result.stdout).toBe(`${path.join(dir, 'a', 'pulumi')}\n`);
});

test('a pulumi on PATH is used as it is, without building', () => {
  const result = which({ PATH: `${path.join(dir, 'b')}:${process.env.PATH}` });
  expect(result.stdout).toBe(`${path.join(dir, 'b', 'pulumi')}\n`);
  expect(result.stderr).toBe('');
});

test('a PULUMI_BIN that is not an executable file is refused, naming it', () => {
  const result = which({ PULUMI_BIN: dir });
  expect(result.status).toBe(1);
  expect(result.stdout).toBe('');
  expect(result.stderr).toContain(`PULUMI_BIN=${dir} is not an executable file`);
});

test('npm run --silent engine:which prints only the path of the CLI the suite runs', () => {
  const printed = execFileSync('npm', ['run', '--silent', 'engine:which'], { cwd: ROOT, encoding: 'utf8' });
  expect(printed).toBe(`${process.env.CLOUDIMAGES_ENGINE_PULUMI}\n`);
});
