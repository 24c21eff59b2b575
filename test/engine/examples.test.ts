/**
 * The examples/ programs in a real `pulumi preview` against the emulator. docs/imagelock-policy.md runs them with
 * `cd examples/<name> && pulumi preview`, which needs the Node.js language host (pulumi-language-nodejs), and the Go
 * module registry does not serve it; so each program runs as an inline program, loaded the way the host's runner
 * loads it (its module's exports are the stack outputs; a function export is called). alicloud-ecs creates an
 * `alicloud:ecs/instance:Instance`, whose provider plugin the engine would download: it runs under mocks only
 * (test/examples/examples.test.ts).
 */
import * as fs from 'fs';
import * as path from 'path';
import { Emulator } from '../../provider/emulator/server';
import { REGION_IDS } from '../../provider/emulator/nscale/catalog';
import { UNKNOWN } from '../../provider/surface';
import { diagnostics, emulatorConfig, events, inlineStack, ROOT, Sandbox, sandbox, stackOutputsOf } from './engine';

let emulator: Emulator;
let box: Sandbox;

beforeAll(async () => {
  emulator = await new Emulator({ latencyMs: 0 }).start();
  box = await sandbox('examples');
});

afterAll(async () => {
  await emulator?.stop();
  box?.remove();
});

/** The project name in an example's Pulumi.yaml (its config namespace). */
function projectName(folder: string): string {
  return /^name:\s*(\S+)/m.exec(fs.readFileSync(path.join(folder, 'Pulumi.yaml'), 'utf8'))![1];
}

const EXAMPLES: [string, string, Record<string, string>][] = [
  ['quickstart', 'examples/quickstart', {}],
  ['huawei-ecs', 'examples/huawei-ecs', {}],
  ['ucloud-uk8s', 'examples/ucloud-uk8s', {}],
  ['nscale-gpu', 'examples/nscale-gpu', { regionId: REGION_IDS[0] }],
  ['image-lock', 'examples/image-lock', { regionId: REGION_IDS[0] }],
];

test.each(EXAMPLES)('%s: pulumi preview shows every output, known, with no error', async (_name, folder, settings) => {
  const dir = path.join(ROOT, folder);
  const project = projectName(folder === 'examples/quickstart' ? ROOT : dir);
  const stack = await inlineStack(box, project, 'dev', async () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const program = require(path.join(dir, 'index.ts')) as (() => Promise<Record<string, unknown>>) | Record<string, unknown>;
    return typeof program === 'function' ? await program() : { ...program };
  });
  const config = emulatorConfig(emulator);
  for (const [key, value] of Object.entries(settings)) config[`${project}:${key}`] = { value };
  await stack.setAllConfig(config, true);
  const seen = events();
  await stack.preview({ onEvent: seen.onEvent });
  expect(diagnostics(seen.list, 'error')).toEqual([]);
  const outputs = stackOutputsOf(seen.list);
  expect(Object.keys(outputs).length).toBeGreaterThan(1);
  for (const [key, value] of Object.entries(outputs)) {
    expect([key, value]).not.toEqual([key, UNKNOWN]);
    expect([key, value]).not.toEqual([key, null]);
  }
});
