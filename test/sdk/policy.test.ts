/**
 * The policy helpers, called as @pulumi/policy calls a resource validation (hand-built args, a collecting
 * reportViolation), against the emulator's Alibaba Cloud and nscale catalogs.
 */
import { expect } from '@jest/globals';
import { Emulator } from '../../provider/emulator/server';
import { lookupImage, lookupImages } from '../../provider/lookup';
import type { Image } from '../../provider/core/image';
import type { CloudImagesConfig } from '../../provider/core/config';
import { REGION_IDS } from '../../provider/emulator/nscale/catalog';
import { checkImageId, imageIdPolicy, PolicyResource } from '../../sdk/policy';
import type { GetImageArgs } from '../../sdk';

let emulator: Emulator;
let config: CloudImagesConfig;
const NO_ENV = {};
const ECS = 'alicloud:ecs/instance:Instance';
const REGION = 'cn-hangzhou';

/** The policy's catalog and selectors: public Ubuntu x86_64 images in cn-hangzhou. */
const QUERY: GetImageArgs = { cloud: 'alicloud', region: REGION, visibility: 'public', osDistro: 'ubuntu', architecture: 'x86_64' };

function instance(name: string, imageId: unknown, type = ECS): PolicyResource {
  return { type, name, urn: `urn:pulumi:dev::web::${type}::${name}`, props: { imageId, instanceType: 'ecs.g7.large' } };
}

async function violationsOf(policy: ReturnType<typeof imageIdPolicy>, resource: PolicyResource): Promise<string[]> {
  const messages: string[] = [];
  await policy.validateResource(resource, (message) => messages.push(message));
  return messages;
}

async function images(args: Record<string, unknown>): Promise<Image[]> {
  return (await lookupImages(args, { config, env: NO_ENV })).result.images;
}

let newest: Image;
let older: Image;
let deprecated: Image;
let arm: Image;

beforeAll(async () => {
  emulator = await new Emulator().start();
  config = emulator.clientConfig();
  newest = (await lookupImage({ ...QUERY, mostRecent: true }, { config, env: NO_ENV })).result;
  const all = await images({ ...QUERY });
  older = all.find((i) => i.createdAt !== null && i.createdAt < newest.createdAt!)!;
  deprecated = (await images({ ...QUERY, status: 'deprecated' }))[0];
  arm = (await images({ ...QUERY, architecture: 'arm64' }))[0];
  // The catalog has what these tests need.
  expect(older).toBeDefined();
  expect(deprecated).toBeDefined();
  expect(arm).toBeDefined();
});

afterAll(async () => {
  await emulator?.stop();
});

function policy(extra: Partial<Parameters<typeof imageIdPolicy>[0]> = {}) {
  return imageIdPolicy({ name: 'ecs-approved-images', resources: { [ECS]: 'imageId' }, query: QUERY, config, env: NO_ENV, ...extra });
}

describe('imageIdPolicy', () => {
  test('has the shape of a ResourceValidationPolicy', () => {
    const p = policy({ maxAgeDays: 30 });
    expect(p).toMatchObject({ name: 'ecs-approved-images', enforcementLevel: 'mandatory' });
    expect(p.description).toBe(`Image IDs of ${ECS} must pass: exists, available, matches-query, max-age.`);
    expect(typeof p.validateResource).toBe('function');
  });

  test('a pinned, available, matching, recent and newest ID passes', async () => {
    const now = () => new Date(Date.parse(newest.createdAt!) + 5 * 86_400_000);
    expect(await violationsOf(policy({ maxAgeDays: 30, requireMostRecent: true, now }), instance('web', newest.id))).toEqual([]);
  });

  test('an ID that is not in the catalog fails the exists rule', async () => {
    const messages = await violationsOf(policy(), instance('web', 'm-bp1doesnotexist0000'));
    expect(messages).toEqual([
      `${ECS} "web" (urn:pulumi:dev::web::${ECS}::web) imageId: image m-bp1doesnotexist0000 is not an image of alicloud region cn-hangzhou (public images) [rule: exists]`,
    ]);
  });

  test('an image of another region is not an image of this one', async () => {
    const elsewhere = (await images({ cloud: 'alicloud', region: 'cn-shanghai', visibility: 'private' }))[0];
    expect(elsewhere).toBeDefined();
    const messages = await violationsOf(policy(), instance('web', elsewhere.id));
    expect(messages).toEqual([expect.stringMatching(new RegExp(`image ${elsewhere.id} is not an image of alicloud region cn-hangzhou .*\\[rule: exists\\]$`))]);
  });

  test('a deprecated image fails the available rule', async () => {
    const messages = await violationsOf(policy(), instance('legacy', deprecated.id));
    expect(messages).toEqual([
      `${ECS} "legacy" (urn:pulumi:dev::web::${ECS}::legacy) imageId: image ${deprecated.id} (${deprecated.name}) is deprecated, not available [rule: available]`,
    ]);
  });

  test('a wrong-architecture image fails matches-query, saying what it is and what was wanted', async () => {
    const messages = await violationsOf(policy(), instance('arm-node', arm.id));
    expect(messages).toEqual([
      `${ECS} "arm-node" (urn:pulumi:dev::web::${ECS}::arm-node) imageId: image ${arm.id} (${arm.name}) does not match the query: architecture is arm64, wanted x86_64 [rule: matches-query]`,
    ]);
  });

  test('a too-old image fails max-age with its creation date and age', async () => {
    const now = () => new Date(Date.parse(older.createdAt!) + 400 * 86_400_000);
    const messages = await violationsOf(policy({ maxAgeDays: 90, now }), instance('web', older.id));
    expect(messages).toEqual([
      expect.stringContaining(`image ${older.id} (${older.name}) was created ${older.createdAt}, 400 days ago; at most 90 days are allowed [rule: max-age]`),
    ]);
  });

  test("max-age measures as the query's maxAgeDays does: 30.5 days is more than 30", async () => {
    const now = () => new Date(Date.parse(older.createdAt!) + 30.5 * 86_400_000);
    expect(await violationsOf(policy({ maxAgeDays: 30, now }), instance('web', older.id))).toEqual([
      expect.stringContaining(`was created ${older.createdAt}, 30.5 days ago; at most 30 days are allowed [rule: max-age]`),
    ]);
    expect((await lookupImages({ ...QUERY, maxAgeDays: 30 }, { config, env: NO_ENV, now })).result.ids).not.toContain(older.id);
    expect(await violationsOf(policy({ maxAgeDays: 31, now }), instance('web', older.id))).toEqual([]);
  });

  test('ages in the query are selectors like any other: a too-young image fails matches-query', async () => {
    const now = () => new Date(Date.parse(newest.createdAt!) + 5 * 86_400_000);
    const messages = await violationsOf(policy({ query: { ...QUERY, minAgeDays: 7 }, now }), instance('web', newest.id));
    expect(messages).toEqual([
      expect.stringContaining(
        `image ${newest.id} (${newest.name}) does not match the query: created ${newest.createdAt}, 5 days ago, wanted at least 7 days [rule: matches-query]`,
      ),
    ]);
  });

  test('an older image fails most-recent, naming the newest', async () => {
    const messages = await violationsOf(policy({ requireMostRecent: true }), instance('web', older.id));
    expect(messages).toEqual([
      expect.stringContaining(
        `image ${older.id} (${older.name}) is not the most recent for the query; the newest is ${newest.id} (${newest.name}, created ${newest.createdAt}) [rule: most-recent]`,
      ),
    ]);
  });

  test('several rules fail at once, each reported', async () => {
    const armDeprecated = (await images({ ...QUERY, architecture: 'arm64', status: 'deprecated' }))[0];
    expect(armDeprecated).toBeDefined();
    const messages = await violationsOf(policy({ requireMostRecent: true }), instance('web', armDeprecated.id));
    expect(messages.map((m) => /\[rule: ([a-z-]+)\]$/.exec(m)![1])).toEqual(['available', 'matches-query', 'most-recent']);
  });

  test('other resource types, and resources without an image, are not checked', async () => {
    const p = policy();
    expect(await violationsOf(p, instance('bucket', 'anything', 'alicloud:oss/bucket:Bucket'))).toEqual([]);
    expect(await violationsOf(p, instance('from-template', undefined))).toEqual([]);
    expect(await violationsOf(p, instance('bad', 42))).toEqual([expect.stringContaining('expected an image ID string, got 42 [rule: exists]')]);
  });

  test('the query can come from the resource (its region), and a dotted property reaches nested IDs', async () => {
    const p = imageIdPolicy({
      name: 'nested',
      resources: { 'example:index:NodeGroup': 'launch.image' },
      query: (r) => ({ ...QUERY, region: r.props.region as string }),
      config,
      env: NO_ENV,
    });
    const ok: PolicyResource = { type: 'example:index:NodeGroup', name: 'ng', urn: 'urn:ng', props: { region: REGION, launch: { image: newest.id } } };
    const wrongRegion = { ...ok, props: { region: 'cn-shanghai', launch: { image: newest.id } } };
    expect(await violationsOf(p, ok)).toEqual([]);
    expect(await violationsOf(p, wrongRegion)).toEqual([expect.stringContaining(`image ${newest.id} is not an image of alicloud region cn-shanghai`)]);
  });

  test('GPU selectors on nscale: a non-GPU image and a missing model are explained', async () => {
    const nscaleQuery = { cloud: 'nscale', region: REGION_IDS[0], gpu: true, gpuModel: 'H100' } as const;
    const cpu = (await images({ cloud: 'nscale', region: nscaleQuery.region, gpu: false }))[0];
    const p = imageIdPolicy({ name: 'gpu', resources: { 'nscale:index:Instance': 'imageId' }, query: nscaleQuery, config, env: NO_ENV });
    const messages = await violationsOf(p, { type: 'nscale:index:Instance', name: 'trainer', urn: 'urn:trainer', props: { imageId: cpu.id } });
    expect(messages).toHaveLength(1);
    expect(messages[0]).toContain(
      `image ${cpu.id} (${cpu.name}) does not match the query: gpu is ${JSON.stringify(cpu.gpu.supported)}, wanted true; gpuModel is [], wanted H100 [rule: matches-query]`,
    );
  });

  test('a catalog that cannot be reached is a violation that says why, not a pass', async () => {
    const broken = imageIdPolicy({
      name: 'x',
      resources: { [ECS]: 'imageId' },
      query: QUERY,
      config: { alicloud: { ...config.alicloud, accessKeySecret: 'wrong-secret-value' } },
      env: NO_ENV,
    });
    const messages = await violationsOf(broken, instance('web', newest.id));
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatch(/could not be checked: .*\[rule: lookup\]$/);
    expect(messages[0]).not.toContain('wrong-secret-value');
  });

  test('a bad static query or maxAgeDays fails when the pack loads', () => {
    // (Casts: what JavaScript callers can pass; in TypeScript these do not compile, see test/sdk/types/policy-query.ts.)
    expect(() => policy({ query: { ...QUERY, architecture: 'sparc' as 'arm64' } })).toThrow(/invalid argument "architecture"/);
    expect(() => policy({ query: { ...QUERY, archtecture: 'arm64' } as GetImageArgs })).toThrow(
      /^invalid argument "archtecture": unknown argument; accepted arguments are cloud, region, /,
    );
    expect(() => policy({ maxAgeDays: -1 })).toThrow(/maxAgeDays must be a number of days/);
  });

  test('a query derived from the resource is validated as getImage validates it: a misspelt name rejects the check', async () => {
    const p = policy({ query: (r) => ({ ...QUERY, regoin: r.props.region as string }) as GetImageArgs });
    await expect(violationsOf(p, instance('web', newest.id))).rejects.toThrow(/^invalid argument "regoin": unknown argument; accepted arguments are/);
    const q = policy({ query: () => ({ ...QUERY, status: 'gone' as 'available' }) });
    await expect(violationsOf(q, instance('web', newest.id))).rejects.toThrow(/^invalid argument "status": "gone" is not accepted/);
  });
});

describe('checkImageId', () => {
  test('refuses a misspelt query before any request, as getImage does', async () => {
    const before = emulator.count();
    await expect(checkImageId(newest.id, { query: { ...QUERY, osDistor: 'ubuntu' } as GetImageArgs, lookup: { config, env: NO_ENV } })).rejects.toThrow(
      /^invalid argument "osDistor": unknown argument/,
    );
    await expect(checkImageId(newest.id, { query: { ...QUERY, visibility: 'friends' as 'public' }, lookup: { config, env: NO_ENV } })).rejects.toThrow(
      /^invalid argument "visibility": "friends" is not accepted/,
    );
    expect(emulator.count()).toBe(before);
  });

  test('returns structured violations for use outside policy packs', async () => {
    expect(await checkImageId(newest.id, { query: QUERY, lookup: { config, env: NO_ENV } })).toEqual([]);
    expect(await checkImageId(deprecated.id, { query: QUERY, lookup: { config, env: NO_ENV } })).toEqual([
      { rule: 'available', message: `image ${deprecated.id} (${deprecated.name}) is deprecated, not available` },
    ]);
  });

  test('runs nameRegex under the same time budget as selection: a backtracking pattern fails the check, it does not hang', async () => {
    const started = Date.now();
    const violations = await checkImageId(newest.id, { query: { ...QUERY, nameRegex: '^([\\s\\S]+)+!$' }, lookup: { config, env: NO_ENV } });
    expect(violations).toEqual([{ rule: 'matches-query', message: expect.stringMatching(/could not be matched .*took longer than 1000 ms/) }]);
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(await checkImageId(newest.id, { query: { ...QUERY, nameRegex: '^ubuntu' }, lookup: { config, env: NO_ENV } })).toEqual([]);
    expect(await checkImageId(newest.id, { query: { ...QUERY, nameRegex: '^windows' }, lookup: { config, env: NO_ENV } })).toEqual([
      { rule: 'matches-query', message: expect.stringContaining('does not match /^windows/') },
    ]);
  });
});
