/**
 * The package as a user's program sees it: both entry points (`@cloudimages/pulumi` and `/policy`) type-check under
 * the module resolutions Pulumi programs use, through package.json (exports, typesVersions, types), not through
 * this repository's source paths. Needs dist/ (npm test builds it first).
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '..');
const TSC = path.join(ROOT, 'node_modules/typescript/bin/tsc');

describe('the published entry points', () => {
  let dir: string;
  beforeAll(() => {
    if (!fs.existsSync(path.join(ROOT, 'dist/sdk/policy/index.d.ts'))) execFileSync(process.execPath, [TSC, '-p', path.join(ROOT, 'tsconfig.build.json')]);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cloudimages-consumer-'));
    fs.mkdirSync(path.join(dir, 'node_modules/@cloudimages'), { recursive: true });
    fs.symlinkSync(ROOT, path.join(dir, 'node_modules/@cloudimages/pulumi'), 'dir');
    fs.symlinkSync(path.join(ROOT, 'node_modules/@pulumi'), path.join(dir, 'node_modules/@pulumi'), 'dir');
    fs.symlinkSync(path.join(ROOT, 'node_modules/@types'), path.join(dir, 'node_modules/@types'), 'dir');
    fs.writeFileSync(path.join(dir, 'index.ts'), [
      'import * as cloudimages from "@cloudimages/pulumi";',
      'import { imageIdPolicy } from "@cloudimages/pulumi/policy";',
      'const image: Promise<cloudimages.Image> = cloudimages.getImage({ cloud: "nscale", gpuModel: "H100", mostRecent: true });',
      'export const id = image.then((i) => i.id);',
      'export const policy = imageIdPolicy({ name: "p", resources: { "alicloud:ecs/instance:Instance": "imageId" }, query: { cloud: "alicloud" } });',
      'export const lock = cloudimages.ImageLock;',
      '',
    ].join('\n'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it.each([
    ['node', 'commonjs'],
    ['node16', 'node16'],
    ['bundler', 'esnext'],
  ])('type-check with moduleResolution %s', (moduleResolution, module) => {
    fs.writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify({
      compilerOptions: { strict: true, noEmit: true, target: 'es2020', module, moduleResolution, skipLibCheck: true, types: ['node'] },
      files: ['index.ts'],
    }));
    let output = '';
    try {
      execFileSync(process.execPath, [TSC, '-p', dir], { encoding: 'utf8' });
    } catch (err) {
      output = String((err as { stdout?: string }).stdout);
    }
    expect(output).toBe('');
  });
});
