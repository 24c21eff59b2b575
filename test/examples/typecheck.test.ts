/**
 * The examples type-check as users compile them: examples/tsconfig.json maps "@cloudimages/pulumi" (and /policy) to
 * this checkout's sources, and @pulumi/alicloud and @pulumi/policy are real (dev) dependencies.
 * Same as `npm run typecheck:examples`.
 */
import { expect } from '@jest/globals';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '..', '..');
const EXAMPLES = ['alicloud-ecs', 'ucloud-uk8s', 'nscale-gpu', 'huawei-ecs', 'image-lock', 'policy-pack'];

test('every example is a Pulumi TypeScript program (or policy pack) with its own package.json and tsconfig.json', () => {
  for (const example of EXAMPLES) {
    const dir = path.join(ROOT, 'examples', example);
    const manifest = example === 'policy-pack' ? 'PulumiPolicy.yaml' : 'Pulumi.yaml';
    expect([example, fs.readFileSync(path.join(dir, manifest), 'utf8')]).toEqual([example, expect.stringMatching(/runtime:\s*(\n\s+name: )?nodejs/)]);
    const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    expect(pkg.dependencies['@cloudimages/pulumi']).toBe('file:../..');
    expect((JSON.parse(fs.readFileSync(path.join(dir, 'tsconfig.json'), 'utf8')) as { files: string[] }).files).toContain('index.ts');
  }
});

test('the examples type-check (tsc -p examples/tsconfig.json)', () => {
  const tsc = path.join(ROOT, 'node_modules/typescript/bin/tsc');
  const result = spawnSync(process.execPath, [tsc, '-p', path.join(ROOT, 'examples/tsconfig.json'), '--noEmit'], { cwd: ROOT, encoding: 'utf8' });
  expect(result.stdout + result.stderr).toBe('');
  expect(result.status).toBe(0);
  // Every example is in the check.
  const listed = spawnSync(process.execPath, [tsc, '-p', path.join(ROOT, 'examples/tsconfig.json'), '--noEmit', '--listFilesOnly'], {
    cwd: ROOT,
    encoding: 'utf8',
  }).stdout;
  for (const example of EXAMPLES) expect(listed).toContain(path.join(ROOT, 'examples', example, 'index.ts'));
}, 120000);
