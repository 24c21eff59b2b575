/**
 * The example policy pack (examples/policy-pack, built on `@cloudimages/pulumi/policy`) in a real
 * `pulumi preview --policy-pack`: its advisory `gpu-locks-current` policy flags a pinned ImageLock whose image is no
 * longer the newest.
 *
 * `--policy-pack <folder>` runs a Node.js pack through the Node.js language host (pulumi-language-nodejs), which the
 * Go module registry does not serve (v3.276's engine no longer falls back to a `pulumi-analyzer-policy-nodejs`
 * plugin). `--policy-pack <executable file>` is run directly with the engine's address, as a compiled pack would be;
 * the suite gives it a two-line launcher that does what the language host does for a Node.js pack: run
 * `@pulumi/pulumi/cmd/run-policy-pack` on the pack's folder. Everything else is the engine's and the pack's code.
 */
import { expect } from '@jest/globals';
import * as fs from 'fs';
import * as path from 'path';
import type { Stack } from '@pulumi/pulumi/automation';
import { Emulator } from '../../provider/emulator/server';
import { lookupImage } from '../../provider/lookup';
import type { NscaleCatalog, NscaleCatalogEntry } from '../../provider/emulator/nscale/catalog';
import { REGION_IDS } from '../../provider/emulator/nscale/catalog';
import { BUILT_IN_REGISTRY } from '../../provider/clouds';
import * as cloudimages from '../../sdk';
import { emulatorConfig, events, inlineStack, ROOT, Sandbox, sandbox } from './engine';

const PACK = path.join(ROOT, 'examples', 'policy-pack');
const QUERY = { cloud: 'nscale', region: REGION_IDS[0], gpuModel: 'H100', mostRecent: true } as const;
const NEWER_ID = '00000000-aaaa-4bbb-8ccc-0000000000ee';

let emulator: Emulator;
let box: Sandbox;
let stack: Stack;
let launcher: string;

beforeAll(async () => {
  emulator = await new Emulator({ latencyMs: 0 }).start();
  box = await sandbox('policy');
  launcher = path.join(box.dir, 'policy-pack');
  const runner = require.resolve('@pulumi/pulumi/cmd/run-policy-pack');
  fs.writeFileSync(launcher, `#!/bin/sh\ncd '${PACK}' && exec node '${runner}' "$@" .\n`, { mode: 0o755 });
  // The pack's lookups use the clouds' environment variables (its default settings), as a user's would.
  const endpointVariable = BUILT_IN_REGISTRY.modules.find((m) => m.name === 'nscale')!.fields.find((f) => f.name === 'endpoint')!.env![0];
  Object.assign(box.env, emulator.clientEnv(['nscale']), { [endpointVariable]: emulator.endpoint('nscale') });
  stack = await inlineStack(box, 'cloudimages-policy', 'dev', () =>
    Promise.resolve({ pinnedId: new cloudimages.ImageLock('gpu-node', { query: QUERY, pin: true }).imageId }),
  );
  await stack.setAllConfig(emulatorConfig(emulator), true);
});

afterAll(async () => {
  await emulator?.stop();
  box?.remove();
});

function violations(list: ReturnType<typeof events>['list']) {
  return list.filter((e) => e.policyEvent).map((e) => e.policyEvent!);
}

test('a pinned lock on the newest image passes; once a newer image appears the pack flags the pinned ID', async () => {
  const pinned = (await lookupImage(QUERY, { config: emulator.clientConfig(), env: {} })).result.id;
  await stack.up();
  const clean = events();
  await stack.preview({ onEvent: clean.onEvent, policyPacks: [launcher] });
  expect(violations(clean.list)).toEqual([]);

  const catalog = emulator.catalog.nscale as NscaleCatalog;
  const newer = structuredClone<NscaleCatalogEntry>(catalog.images.find((entry) => entry.image.metadata.id === pinned)!);
  newer.image.metadata.id = NEWER_ID;
  newer.image.metadata.creationTime = '2031-01-01T00:00:00Z';
  catalog.images.push(newer);
  const seen = events();
  const preview = await stack.preview({ onEvent: seen.onEvent, policyPacks: [launcher] });
  const found = violations(seen.list);
  expect(found).toEqual([
    expect.objectContaining({
      policyName: 'gpu-locks-current',
      policyPackName: 'cloudimages-images',
      enforcementLevel: 'advisory',
      resourceUrn: expect.stringMatching(/::gpu-node$/),
      message: expect.stringContaining(pinned),
    }),
  ]);
  expect(found[0].message).toContain(NEWER_ID);
  expect(preview.stdout).toMatch(/Policies:[\s\S]*cloudimages-images[\s\S]*gpu-locks-current/);
});
