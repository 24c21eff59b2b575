/**
 * The root Pulumi project: Pulumi.yaml runs examples/quickstart, which (by default, offline) starts the bundled
 * emulator and chooses an image on each cloud. Here the program runs under `pulumi.runtime.setMocks` with its
 * dependency on `@cloudimages/pulumi` linked as `npm install` links the `file:../..` dependency; the package's
 * main export is dist/, so this needs a build (done here if dist/ is missing).
 */
import { expect } from '@jest/globals';
import * as fs from 'fs';
import * as path from 'path';
import * as pulumi from '@pulumi/pulumi';
import { ensureBuilt, ROOT } from '../plugin/harness';

const QUICKSTART = path.join(ROOT, 'examples/quickstart');

function linkPackage(): void {
  const link = path.join(QUICKSTART, 'node_modules/@cloudimages/pulumi');
  if (fs.existsSync(path.join(link, 'package.json'))) return;
  fs.mkdirSync(path.dirname(link), { recursive: true });
  fs.symlinkSync(path.relative(path.dirname(link), ROOT), link, 'dir');
}

describe('Pulumi.yaml', () => {
  const text = fs.readFileSync(path.join(ROOT, 'Pulumi.yaml'), 'utf8');

  test('is a nodejs project whose main is the quickstart', () => {
    expect(text).toMatch(/^name: cloudimages-quickstart$/m);
    expect(text).toMatch(/^runtime:\n {2}name: nodejs$/m);
    const main = /^main: (\S+)$/m.exec(text)?.[1];
    expect(main).toBe('examples/quickstart/');
    expect(fs.existsSync(path.join(ROOT, main!, 'index.ts'))).toBe(true);
    // The quickstart's own Pulumi.yaml declares the same project and configuration.
    const own = fs.readFileSync(path.join(QUICKSTART, 'Pulumi.yaml'), 'utf8');
    expect(own.split('\nconfig:')[1]).toBe(text.split('\nconfig:')[1]);
    expect(own).toMatch(/^name: cloudimages-quickstart$/m);
  });

  test('the quickstart is a Pulumi TypeScript program depending on this package', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(QUICKSTART, 'package.json'), 'utf8')) as { main: string; dependencies: Record<string, string> };
    expect(pkg.main).toBe('index.ts');
    expect(pkg.dependencies).toMatchObject({ '@cloudimages/pulumi': 'file:../..', '@pulumi/pulumi': expect.any(String) });
    expect((JSON.parse(fs.readFileSync(path.join(QUICKSTART, 'tsconfig.json'), 'utf8')) as { files: string[] }).files).toEqual(['index.ts']);
  });
});

/** The quickstart's stack outputs. */
interface QuickstartOutputs {
  alicloudUbuntuArm64: ChosenImage;
  huaweicloudUbuntu: ChosenImage;
  opentelekomcloudUbuntu: ChosenImage;
  ucloudGpuNode: ChosenImage;
  nscaleH100Kubernetes: ChosenImage;
  alicloudWindowsImageIds: string[];
}
type ChosenImage = { name: string; createdAt: string | null };

test('the quickstart program chooses an image on every cloud against the emulator', async () => {
  ensureBuilt();
  linkPackage();
  const invokes: unknown[] = [];
  await pulumi.runtime.setMocks(
    {
      newResource: (args) => ({ id: `${args.name}-id`, state: args.inputs as Record<string, unknown> }),
      call: (args) => {
        invokes.push(args);
        return {};
      },
    },
    'cloudimages-quickstart',
    'dev',
    true,
  );
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const program = require(path.join(QUICKSTART, 'index.ts')) as () => Promise<QuickstartOutputs>;
  const warn = jest.spyOn(pulumi.log, 'warn').mockResolvedValue(undefined);
  let warnings: unknown[][] = [];
  const outputs = await program().finally(() => {
    warnings = [...warn.mock.calls];
    warn.mockRestore();
  });
  expect(warnings).toEqual([[expect.stringMatching(/^getImage: ucloud reports no creation time/)]]);
  expect(Object.keys(outputs)).toEqual([
    'alicloudUbuntuArm64',
    'huaweicloudUbuntu',
    'opentelekomcloudUbuntu',
    'ucloudGpuNode',
    'nscaleH100Kubernetes',
    'alicloudWindowsImageIds',
  ]);
  expect(outputs.alicloudUbuntuArm64.name).toMatch(/^ubuntu_22_04_arm64/);
  // Ubuntu 22.04 VM images, not the newest Ubuntu of any release (18.04) or a bare-metal build.
  expect(outputs.huaweicloudUbuntu.name).toMatch(/^Ubuntu 22\.04 server 64bit\(\d{8}\)$/);
  expect(outputs.opentelekomcloudUbuntu.name).toMatch(/^Ubuntu 22\.04 server 64bit\(\d{8}\)$/);
  expect(outputs.ucloudGpuNode.name).toMatch(/^uk8s-ubuntu-/);
  expect(outputs.ucloudGpuNode.name).toMatch(/gpu/);
  expect(outputs.ucloudGpuNode.createdAt).toBeNull();
  expect(outputs.nscaleH100Kubernetes.name).toMatch(/v1\.(29|30)\./);
  for (const key of ['alicloudUbuntuArm64', 'huaweicloudUbuntu', 'opentelekomcloudUbuntu', 'nscaleH100Kubernetes'] as const) {
    expect(outputs[key].createdAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  }
  expect(outputs.alicloudWindowsImageIds.length).toBeGreaterThan(1);
  expect(invokes).toEqual([]);
}, 60000);
