/**
 * The policy pack's age limit against the emulator's built-in catalog: that catalog is a snapshot of mid-2024, so with
 * today's clock every image in it is older than the pack's 180 days; with the clock the pack documents for it
 * (POLICY_AS_OF=2024-07-01) the ECS policy passes the current builds and flags only the old ones.
 */
import * as path from 'path';
import { Emulator } from '../../provider/emulator/server';
import { lookupImages } from '../../provider/lookup';
import type { ImageIdPolicyArgs, ImageValidationPolicy } from '../../sdk/policy';
import { ensureBuilt, linkPackage, ROOT } from './harness';

type Settings = Pick<ImageIdPolicyArgs, 'config' | 'env' | 'now'>;
let pack: { makePolicies(settings: Settings): ImageValidationPolicy[]; packClock(env: Record<string, string | undefined>): (() => Date) | undefined };
let emulator: Emulator;

beforeAll(async () => {
  ensureBuilt();
  linkPackage('policy-pack');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  pack = require(path.join(ROOT, 'examples/policy-pack/policies.ts')) as typeof pack;
  emulator = await new Emulator().start();
}, 60000);
afterAll(() => emulator?.stop());

const ECS = 'alicloud:ecs/instance:Instance';
const REGION = 'cn-hangzhou';
const DAY = 86_400_000;

/** Every available public Ubuntu x86_64 image of the region, and the rules the pack's ECS policy reports on each. */
async function verdicts(now: (() => Date) | undefined) {
  const settings: Settings = { config: emulator.clientConfig(), env: { ALIBABA_CLOUD_REGION: REGION }, now };
  const [ecs] = pack.makePolicies(settings);
  const images = (
    await lookupImages(
      { cloud: 'alicloud', region: REGION, visibility: 'public', osDistro: 'ubuntu', architecture: 'x86_64' },
      { config: settings.config, env: {} },
    )
  ).result.images;
  expect(images.length).toBeGreaterThan(3);
  return Promise.all(
    images.map(async (image) => {
      const rules: string[] = [];
      await ecs.validateResource({ type: ECS, name: 'web', urn: `urn:pulumi:dev::p::${ECS}::web`, props: { imageId: image.id } }, (m) =>
        rules.push(/\[rule: ([a-z-]+)\]$/.exec(m)![1]),
      );
      return { createdAt: Date.parse(image.createdAt!), rules };
    }),
  );
}

test('as of the date the pack documents for the built-in catalog, the current builds pass and only the old ones are flagged', async () => {
  const asOf = pack.packClock({ POLICY_AS_OF: '2024-07-01' })!;
  const all = await verdicts(asOf);
  const young = all.filter((v) => asOf().getTime() - v.createdAt <= 180 * DAY);
  const old = all.filter((v) => asOf().getTime() - v.createdAt > 180 * DAY);
  expect(young.length).toBeGreaterThan(1);
  expect(old.length).toBeGreaterThan(0);
  expect(young.map((v) => v.rules)).toEqual(young.map(() => []));
  expect(old.map((v) => v.rules)).toEqual(old.map(() => ['max-age']));
  // The date is the catalog's: its newest build is a day old then, not from the future.
  const newest = Math.max(...all.map((v) => v.createdAt));
  expect(asOf().getTime() - newest).toBeGreaterThan(0);
  expect(asOf().getTime() - newest).toBeLessThan(7 * DAY);
}, 60000);

test("with today's clock every image of the built-in catalog is flagged max-age: why the pack takes POLICY_AS_OF", async () => {
  expect(pack.packClock({})).toBeUndefined();
  const all = await verdicts(undefined);
  expect(all.map((v) => v.rules)).toEqual(all.map(() => ['max-age']));
}, 60000);

test('POLICY_AS_OF must be a date or a UTC time', () => {
  expect(pack.packClock({ POLICY_AS_OF: '2024-07-01T12:00:00Z' })!().toISOString()).toBe('2024-07-01T12:00:00.000Z');
  for (const bad of ['yesterday', '07/01/2024', '2024-13-01', '1719792000']) {
    expect(() => pack.packClock({ POLICY_AS_OF: bad })).toThrow(
      `POLICY_AS_OF must be an ISO 8601 date or UTC time (e.g. 2024-07-01), got ${JSON.stringify(bad)}`,
    );
  }
});
