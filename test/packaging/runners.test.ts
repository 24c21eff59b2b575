/**
 * The SDK page's unit-test example (docs/sdk.md, "Unit tests with Pulumi's mocks"), copied as a new user copies it
 * into a new project that installs the packed tarball, passes under the three test runners users write Pulumi tests with:
 * jest + ts-jest, mocha + ts-node and vitest, with no Node flags and no configuration for this package. A failing
 * lookup in a user's test rejects at once with the package's typed error.
 *
 * The project's runner dependencies are installed once from the npm registry into a cache folder keyed by their
 * versions (outside this repository, so nothing resolves from our own node_modules); the tarball is packed from
 * this build and installed again on every run. Needs dist/ (npm test builds it first).
 */
import { expect } from '@jest/globals';
import { execFileSync, spawnSync } from 'child_process';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { buildIfMissing } from '../helpers/build';

const ROOT = path.resolve(__dirname, '../..');
const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { devDependencies: Record<string, string> };

/** What the user's project installs besides our tarball: the runners as a new user gets them today. */
const USER_DEPENDENCIES: Record<string, string> = {
  '@pulumi/pulumi': manifest.devDependencies['@pulumi/pulumi'],
  typescript: '5.9.3',
  '@types/node': '20.19.43',
  jest: '30.5.2',
  'ts-jest': '29.4.15',
  '@types/jest': '30.0.0',
  mocha: '12.0.3',
  'ts-node': '10.9.2',
  expect: '30.5.2',
  vitest: '4.1.12',
};

const PROJECT_FILES: Record<string, string> = {
  'tsconfig.json': JSON.stringify(
    {
      compilerOptions: {
        strict: true,
        target: 'es2022',
        module: 'commonjs',
        moduleResolution: 'node',
        esModuleInterop: true,
        skipLibCheck: true,
        types: ['jest', 'node'],
      },
    },
    null,
    2,
  ),
  // Each runner's own usual configuration: nothing in it is about this package.
  'jest.config.js': 'module.exports = { preset: "ts-jest", testEnvironment: "node", testMatch: ["**/*.test.ts"], testTimeout: 30000 };\n',
  '.mocharc.json': JSON.stringify({ require: ['ts-node/register'], file: ['mocha-globals.ts'], spec: ['*.test.ts'], timeout: 30000 }),
  // The example's test is written for jest's globals; a mocha user maps them once (the `expect` package is jest's).
  'mocha-globals.ts':
    'import { expect } from "expect";\nconst g = globalThis as Record<string, unknown>;\nObject.assign(g, { expect, beforeAll: g.before, afterAll: g.after });\n',
  'vitest.config.mjs': 'export default { test: { globals: true, include: ["*.test.ts"], testTimeout: 30000 } };\n',
  // Not from the docs: a lookup that fails (no image matches) must reject at once with our typed error.
  'lookup-error.test.ts': [
    'import * as pulumi from "@pulumi/pulumi";',
    'import { CloudImagesInvokeError, getImage, getImageOutput, NoImageError } from "@cloudimages/pulumi";',
    'import { Emulator } from "@cloudimages/pulumi/emulator";',
    'import { mockImageLocks, outputValue, stackConfigFor } from "@cloudimages/pulumi/testing";',
    '',
    'const query = { cloud: "nscale", region: "3f8a1c52-6b1d-4e0f-9a7c-2d5e8b4c1a90", nameRegex: "^no-such-image$", mostRecent: true } as const;',
    '',
    'describe("a lookup that fails", () => {',
    '    let emulator: Emulator;',
    '    beforeAll(async () => {',
    '        emulator = await new Emulator().start();',
    '        await pulumi.runtime.setMocks(mockImageLocks(), "my-project", "dev", false);',
    '        pulumi.runtime.setAllConfig(stackConfigFor(emulator));',
    '    });',
    '    afterAll(() => emulator.stop());',
    '',
    '    it("rejects promptly with the package\'s typed error", async () => {',
    '        const started = Date.now();',
    '        const error = await getImage(query).then(() => undefined, (e: unknown) => e);',
    '        expect(error).toBeInstanceOf(CloudImagesInvokeError);',
    '        expect((error as CloudImagesInvokeError).code).toBe("NO_IMAGE");',
    '        expect((error as CloudImagesInvokeError).cause).toBeInstanceOf(NoImageError);',
    '        expect((error as Error).message).toMatch(/no image matches the query/);',
    '        expect(emulator.count()).toBeGreaterThan(0);',
    '        expect(Date.now() - started).toBeLessThan(5000);',
    '    });',
    '',
    '    it("rejects promptly in the Output form too, through outputValue", async () => {',
    '        const started = Date.now();',
    '        const error = await outputValue(getImageOutput(query)).then(() => undefined, (e: unknown) => e);',
    '        expect((error as CloudImagesInvokeError).cause).toBeInstanceOf(NoImageError);',
    '        expect(Date.now() - started).toBeLessThan(5000);',
    '    });',
    '});',
    '',
  ].join('\n'),
};

/** The page that holds the example. */
const EXAMPLE_PAGE = 'docs/sdk.md';

/** The TypeScript blocks of the page's section "Unit tests with Pulumi's mocks", by the file name on their first line. */
function docExample(page: string): Record<string, string> {
  const start = page.search(/^#+ Unit tests with Pulumi's mocks/m);
  if (start < 0) throw new Error(`${EXAMPLE_PAGE} has no "Unit tests with Pulumi's mocks" section`);
  const end = page.indexOf('\n#', start + 1);
  const files: Record<string, string> = {};
  for (const block of page.slice(start, end < 0 ? undefined : end).matchAll(/```ts\n(\/\/ ([\w.-]+\.ts)\n[\s\S]*?)```/g)) files[block[2]] = block[1];
  return files;
}

function cacheKey(): string {
  return crypto
    .createHash('sha256')
    .update(JSON.stringify([USER_DEPENDENCIES, process.platform, process.arch]))
    .digest('hex')
    .slice(0, 16);
}

/**
 * The runners' installed dependencies, made once per set of versions and kept for later runs (with a first install
 * of the tarball, so its own dependencies are there too): a template that each run copies.
 */
function runnersTemplate(tarball: string): string {
  const dir = path.join(os.tmpdir(), `cloudimages-user-project-${cacheKey()}`);
  if (fs.existsSync(path.join(dir, 'node_modules/.installed'))) return dir;
  const staging = fs.mkdtempSync(`${dir}.staging-`);
  fs.writeFileSync(
    path.join(staging, 'package.json'),
    JSON.stringify({ name: 'my-pulumi-program', private: true, devDependencies: USER_DEPENDENCIES }, null, 2),
  );
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: staging, stdio: 'inherit' });
  execFileSync('npm', ['install', '--no-save', '--no-audit', '--no-fund', '--loglevel=error', tarball], { cwd: staging, stdio: 'inherit' });
  fs.writeFileSync(path.join(staging, 'node_modules/.installed'), '');
  fs.rmSync(dir, { recursive: true, force: true });
  fs.renameSync(staging, dir); // whole or not at all: an interrupted install leaves only a staging folder
  return dir;
}

/** The environment of a user's shell: no NODE_OPTIONS, nothing of this jest run. */
function userEnv(): NodeJS.ProcessEnv {
  return {
    PATH: `${path.dirname(process.execPath)}${path.delimiter}${process.env.PATH}`,
    HOME: process.env.HOME,
    TMPDIR: os.tmpdir(),
    CI: 'true',
    NO_COLOR: '1',
  };
}

let project: string;
let packed: string;

beforeAll(() => {
  buildIfMissing('dist/sdk/index.js');
  // This build as users get it: the packed tarball (scripts skipped: dist/ is built).
  packed = fs.mkdtempSync(path.join(os.tmpdir(), 'cloudimages-tarball-'));
  const out = execFileSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', packed], { cwd: ROOT, encoding: 'utf8' });
  const tarball = path.join(packed, (JSON.parse(out) as { filename: string }[])[0].filename);
  const template = runnersTemplate(tarball);
  // A new project of its own for this run (runs may overlap): the cached dependencies hard-linked in (npm replaces a
  // package it reinstalls by new files, so the template stays as it was), then the tarball installed afresh.
  project = fs.mkdtempSync(path.join(os.tmpdir(), 'cloudimages-user-project-run-'));
  for (const file of ['package.json', 'package-lock.json']) fs.copyFileSync(path.join(template, file), path.join(project, file));
  execFileSync('cp', ['-al', path.join(template, 'node_modules'), path.join(project, 'node_modules')]);
  const hiddenLockfile = path.join(project, 'node_modules/.package-lock.json'); // npm rewrites it in place
  fs.rmSync(hiddenLockfile);
  fs.copyFileSync(path.join(template, 'node_modules/.package-lock.json'), hiddenLockfile);
  execFileSync('npm', ['install', '--no-save', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error', tarball], { cwd: project, stdio: 'inherit' });
  const example = docExample(fs.readFileSync(path.join(ROOT, EXAMPLE_PAGE), 'utf8'));
  for (const [file, text] of Object.entries({ ...PROJECT_FILES, ...example })) {
    fs.writeFileSync(path.join(project, file), text);
  }
}, 900000);

afterAll(() => {
  for (const dir of [project, packed]) if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe("the SDK page's unit test in a new project, from the packed tarball", () => {
  test('the example is there to copy: gpu-node.ts, index.ts and index.test.ts, the same text for every runner', () => {
    const example = docExample(fs.readFileSync(path.join(ROOT, EXAMPLE_PAGE), 'utf8'));
    expect(Object.keys(example)).toEqual(['gpu-node.ts', 'index.ts', 'index.test.ts']);
    expect(example['index.test.ts']).toContain('from "@cloudimages/pulumi/testing"');
  });

  test('nothing above the project resolves modules for it (no node_modules in any parent folder)', () => {
    for (let d = path.dirname(project); ; d = path.dirname(d)) {
      expect(fs.existsSync(path.join(d, 'node_modules'))).toBe(false);
      if (path.dirname(d) === d) break;
    }
  });

  test.each([
    ['jest + ts-jest', ['node_modules/jest/bin/jest.js', '--ci'], /Tests:\s+3 passed, 3 total/],
    ['mocha + ts-node', ['node_modules/mocha/bin/mocha.js'], /\b3 passing\b/],
    ['vitest', ['node_modules/vitest/vitest.mjs', 'run'], /Tests\s+3 passed \(3\)/],
  ])(
    'passes under %s with no Node flags',
    (_runner, args, passed) => {
      const run = spawnSync(process.execPath, args, { cwd: project, env: userEnv(), encoding: 'utf8', timeout: 240000 });
      const output = `${run.stdout}\n${run.stderr}`;
      expect({ status: run.status, output }).toEqual({ status: 0, output: expect.stringMatching(passed) });
      expect(output).not.toMatch(/experimental-vm-modules|ERR_REQUIRE_ESM/i);
    },
    300000,
  );
});
