/**
 * The package as a user's program sees it: both entry points (`@cloudimages/pulumi` and `/policy`) type-check under
 * the module resolutions Pulumi programs use, through package.json (exports, typesVersions, types), not through
 * this repository's source paths. Needs dist/ (npm test builds it first).
 */
import { expect } from '@jest/globals';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { buildIfMissing } from './helpers/build';
import { brokenLinks, docNames } from './helpers/docs';

const ROOT = path.resolve(__dirname, '..');
const TSC = path.join(ROOT, 'node_modules/typescript/bin/tsc');

describe('the published entry points', () => {
  let dir: string;
  beforeAll(() => {
    buildIfMissing('dist/sdk/policy/index.d.ts');
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cloudimages-consumer-'));
    fs.mkdirSync(path.join(dir, 'node_modules/@cloudimages'), { recursive: true });
    fs.symlinkSync(ROOT, path.join(dir, 'node_modules/@cloudimages/pulumi'), 'dir');
    fs.symlinkSync(path.join(ROOT, 'node_modules/@pulumi'), path.join(dir, 'node_modules/@pulumi'), 'dir');
    fs.symlinkSync(path.join(ROOT, 'node_modules/@types'), path.join(dir, 'node_modules/@types'), 'dir');
    fs.writeFileSync(
      path.join(dir, 'index.ts'),
      [
        'import * as cloudimages from "@cloudimages/pulumi";',
        'import { imageIdPolicy } from "@cloudimages/pulumi/policy";',
        'const image: Promise<cloudimages.Image> = cloudimages.getImage({ cloud: "nscale", gpuModel: "H100", mostRecent: true });',
        'export const id = image.then((i) => i.id);',
        'export const policy = imageIdPolicy({ name: "p", resources: { "alicloud:ecs/instance:Instance": "imageId" }, query: { cloud: "alicloud" } });',
        'export const lock = cloudimages.ImageLock;',
        'import { Emulator, builtInCatalog } from "@cloudimages/pulumi/emulator";',
        'import { mockImageLocks, stackConfigFor } from "@cloudimages/pulumi/testing";',
        'export const emulator: Promise<Emulator> = new Emulator({ catalog: builtInCatalog(), latencyMs: 0 }).start();',
        'export const mocks = mockImageLocks();',
        'export const config: Promise<Record<string, string>> = emulator.then(stackConfigFor);',
        '',
      ].join('\n'),
    );
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it.each([
    ['node', 'commonjs'],
    ['node16', 'node16'],
    ['bundler', 'esnext'],
  ])('type-check with moduleResolution %s', (moduleResolution, module) => {
    fs.writeFileSync(
      path.join(dir, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: { strict: true, noEmit: true, target: 'es2020', module, moduleResolution, skipLibCheck: true, types: ['node'] },
        files: ['index.ts'],
      }),
    );
    let output = '';
    try {
      execFileSync(process.execPath, [TSC, '-p', dir], { encoding: 'utf8' });
    } catch (err) {
      output = String((err as { stdout?: string }).stdout);
    }
    expect(output).toBe('');
  });
});

describe('the tarball', () => {
  const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
    main: string;
    types: string;
    exports: Record<string, string>;
    typesVersions: Record<string, Record<string, string[]>>;
    dependencies: Record<string, string>;
    scripts: Record<string, string | undefined>;
    repository: unknown;
    homepage: string;
    bugs: { url: string };
    license: string;
  };
  let files: string[];
  beforeAll(() => {
    // What `npm pack` would ship from this build (scripts skipped: npm test has just built dist/).
    const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: ROOT, encoding: 'utf8' });
    files = (JSON.parse(out) as { files: { path: string }[] }[])[0].files.map((f) => f.path);
  });

  it('ships the built package, its schema and plugin manifest, and the license; no benchmarks, tests or source maps', () => {
    expect(files).toEqual(
      expect.arrayContaining([
        'LICENSE',
        'README.md',
        'package.json',
        'schema.json',
        'PulumiPlugin.yaml',
        'bin/cloudimages.js',
        'bin/pulumi-resource-cloudimages',
      ]),
    );
    expect(files.filter((f) => /^dist\/bench\/|(^|\/)test\/|\.test\.|\.map$|\.ts$/.test(f) && !f.endsWith('.d.ts'))).toEqual([]);
    expect(files.every((f) => /^(dist\/(provider|sdk)\/|bin\/|docs\/[^/]+\.md$|[^/]+$)/.test(f))).toBe(true);
  });

  it('ships the docs/ pages the README links, so that every relative link of the shipped pages resolves in the package', () => {
    const pages = new Map(files.filter((f) => f.endsWith('.md')).map((f) => [f, fs.readFileSync(path.join(ROOT, f), 'utf8')]));
    expect([...pages.keys()].sort()).toEqual(docNames().sort());
    expect(brokenLinks(pages, (file) => files.includes(file) || files.some((f) => f.startsWith(`${file}/`)))).toEqual([]);
  });

  it('ships every file the exports and typesVersions name', () => {
    const targets = [manifest.main, manifest.types, ...Object.values(manifest.exports), ...Object.values(manifest.typesVersions['*']).flat()];
    for (const target of targets) expect(files).toContain(String(target).replace(/^\.\//, ''));
    expect(Object.keys(manifest.exports)).toEqual(['.', './policy', './emulator', './testing', './package.json']);
  });

  it('ships got as the CommonJS bundle the build makes, with the licence texts of what it bundles; got is no runtime dependency', () => {
    expect(files).toContain('dist/provider/core/http/vendor/got.js');
    expect(Object.keys(manifest.dependencies)).not.toContain('got');
    const bundle = fs.readFileSync(path.join(ROOT, 'dist/provider/core/http/vendor/got.js'), 'utf8');
    const listed = [...bundle.slice(0, 4000).matchAll(/^ \* {3}(\S+)@\S+ \(/gm)].map((m) => m[1]);
    expect(listed).toEqual(expect.arrayContaining(['got', 'cacheable-request', 'http2-wrapper', 'decompress-response']));
    for (const name of listed)
      expect(bundle).toMatch(new RegExp(`^/\\*! ${name.replace(/[/.]/g, '\\$&')}@\\S+\\n\\n(MIT License|Copyright|The MIT License|ISC|BSD|Apache)`, 'm'));
  });

  it('builds when packed, not when installed; says where it comes from; is Apache-2.0 with the license text', () => {
    expect(manifest.scripts.prepare).toBeUndefined();
    expect(manifest.scripts.prepack).toMatch(/npm run build/);
    expect(manifest.repository).toEqual({ type: 'git', url: expect.stringMatching(/^git\+https:\/\/github\.com\/.+\.git$/) });
    expect(manifest.homepage).toMatch(/^https:\/\/github\.com\//);
    expect(manifest.bugs.url).toMatch(/\/issues$/);
    expect(manifest.license).toBe('Apache-2.0');
    const license = fs.readFileSync(path.join(ROOT, 'LICENSE'), 'utf8');
    expect(license).toMatch(/^\s*Apache License\s+Version 2\.0, January 2004/);
    expect(license).toContain('TERMS AND CONDITIONS FOR USE, REPRODUCTION, AND DISTRIBUTION');
    expect(license).toContain('END OF TERMS AND CONDITIONS');
  });
});
