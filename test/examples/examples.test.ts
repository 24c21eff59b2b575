/**
 * Every example program (except the quickstart, tested with the root project) runs under Pulumi's mocks against the
 * emulator: stack configuration points each cloud at it, as `pulumi config set --path cloudimages:<cloud>.endpoint`
 * would. ImageLock's provider is run from its serialized form, as the engine runs it.
 */
import { expect } from '@jest/globals';
import { Emulator } from '../../provider/emulator/server';
import { lookupImage, lookupImages } from '../../provider/lookup';
import type { NscaleCatalog, NscaleCatalogEntry } from '../../provider/emulator/nscale/catalog';
import { REGION_IDS } from '../../provider/emulator/nscale/catalog';
import * as path from 'path';
import type { ImageIdPolicyArgs, ImageValidationPolicy, PolicyResource } from '../../sdk/policy';

type ImageValidationPolicyProvider = PolicyResource['provider'];
import { ensureBuilt, linkPackage, ROOT, runExample } from './harness';
import { stackConfigFor } from '../../sdk/testing';

let emulator: Emulator;
let cloudConfig: Record<string, unknown>;

beforeAll(async () => {
  emulator = await new Emulator().start();
  const config = emulator.clientConfig() as Record<string, unknown>;
  cloudConfig = Object.fromEntries(Object.entries(config).map(([cloud, section]) => [`cloudimages:${cloud}`, section]));
});

afterAll(async () => {
  await emulator?.stop();
});

const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/;

describe('alicloud-ecs', () => {
  const project = 'cloudimages-alicloud-ecs';

  test.each([
    [{}, 'cn-hangzhou'],
    [{ [`${project}:region`]: 'cn-shanghai' }, 'cn-shanghai'],
  ])(
    'an ECS instance boots the newest public Ubuntu 22.04 x86_64 image its instance type can use, in one region everywhere (%j)',
    async (extra, region) => {
      const { outputs, resources } = await runExample('alicloud-ecs', { project, config: { ...cloudConfig, ...extra } });
      // The newest Ubuntu 22.04 x86_64 build of the region that runs on ecs.g7.large: not a GPU-driver (nvidia) build.
      const expected = (
        await lookupImage(
          {
            cloud: 'alicloud',
            region,
            visibility: 'public',
            osDistro: 'ubuntu',
            osVersion: '22.04',
            architecture: 'x86_64',
            nameRegex: '^ubuntu_22_04_x64_20G_alibase_',
            mostRecent: true,
          },
          { config: emulator.clientConfig(), env: {} },
        )
      ).result;
      expect(outputs.imageId).toBe(expected.id);
      expect(outputs.imageName).not.toMatch(/nvidia|gpu/i);
      expect(outputs.imageCreatedAt).toMatch(ISO);
      const instance = resources.find((r) => r.type === 'alicloud:ecs/instance:Instance')!;
      expect(instance.inputs.imageId).toBe(outputs.imageId);
      expect(instance.inputs).toMatchObject({ instanceType: 'ecs.g7.large', vswitchId: 'vswitch-id', securityGroups: ['group-id'] });
      expect(outputs.instanceId).toBe('web-id');
      // Every alicloud resource goes through one explicit provider in the lookup's region, and the zone follows it.
      const provider = resources.find((r) => r.type === 'pulumi:providers:alicloud')!;
      expect(provider.inputs.region).toBe(region);
      const alicloudResources = resources.filter((r) => r.type.startsWith('alicloud:'));
      expect(alicloudResources.map((r) => r.provider)).toEqual(alicloudResources.map(() => expect.stringContaining(`::${provider.name}::${provider.id}`)));
      expect(resources.find((r) => r.type === 'alicloud:vpc/switch:Switch')!.inputs.zoneId).toBe(`${region}-i`);
    },
    60000,
  );
});

test('nscale-gpu: an H100 image with Kubernetes 1.29 or 1.30 and a driver >= 535', async () => {
  const { outputs } = await runExample('nscale-gpu', {
    project: 'cloudimages-nscale-gpu',
    config: { ...cloudConfig, 'cloudimages-nscale-gpu:regionId': REGION_IDS[0] },
  });
  expect(outputs.kubernetesVersion).toMatch(/^v?1\.(29|30)\./);
  expect(Number(String(outputs.gpuDriver).split('.')[0])).toBeGreaterThanOrEqual(535);
  expect((outputs.candidateIds as string[]).length).toBeGreaterThan(1);
  expect(outputs.candidateIds).toContain(outputs.imageId);
}, 60000);

test('ucloud-uk8s: CPU and GPU node pool images of the zone, newest by name version (with the warning)', async () => {
  const { outputs, warnings } = await runExample('ucloud-uk8s', { project: 'cloudimages-ucloud-uk8s', config: cloudConfig });
  expect(outputs.nodePoolImageName).toMatch(/ubuntu/i);
  expect(outputs.gpuNodePoolImageName).toMatch(/gpu/i);
  expect(outputs.nodePoolImageId).not.toBe(outputs.gpuNodePoolImageId);
  expect(outputs.gpuNodePoolImageName).toMatch(/ubuntu/i);
  expect(warnings.filter((w) => /ucloud reports no creation time/.test(w))).toHaveLength(2);
  // Each query names one distribution, so neither warns that its candidates span several.
  expect(warnings.filter((w) => /span several distributions/.test(w))).toEqual([]);
}, 60000);

test('huawei-ecs: the newest public Ubuntu 22.04 x86_64 VM images on Huawei Cloud and Open Telekom Cloud', async () => {
  const { outputs } = await runExample('huawei-ecs', { project: 'cloudimages-huawei-ecs', config: cloudConfig });
  // What the example documents: the release and a VM image, even where an older release or a bare-metal image is newer.
  for (const [cloud, region, key] of [
    ['huaweicloud', 'cn-north-4', 'huaweiImageId'],
    ['opentelekomcloud', 'eu-de', 'otcImageId'],
  ] as const) {
    const all = (await lookupImages({ cloud, region, visibility: 'public', osDistro: 'ubuntu' }, { config: emulator.clientConfig(), env: {} })).result.images;
    const chosen = all.find((i) => i.id === outputs[key])!;
    expect(chosen).toMatchObject({ osVersion: '22.04', machineType: 'vm', architecture: 'x86_64' });
    expect(chosen).toBe(all.find((i) => i.osVersion === '22.04' && i.machineType === 'vm' && i.architecture === 'x86_64'));
  }
  expect(outputs.huaweiImageId).toEqual(expect.any(String));
  expect(outputs.otcImageId).toEqual(expect.any(String));
  expect(outputs.huaweiImageId).not.toBe(outputs.otcImageId);
  expect(outputs.huaweiImageName).toMatch(/ubuntu/i);
  expect(outputs.otcImageName).toMatch(/ubuntu/i);
}, 60000);

test.each([
  ['nscale-gpu', 'cloudimages-nscale-gpu', 'imageId'],
  ['image-lock', 'cloudimages-image-lock', 'pinnedImageId'],
])(
  '%s runs under mocks with stackConfigFor(emulator) alone: no NSCALE_REGION_ID, no regionId in the project',
  async (example, project, output) => {
    expect(process.env.NSCALE_REGION_ID).toBeUndefined();
    const { outputs } = await runExample(example, { project, config: stackConfigFor(emulator) });
    expect(outputs[output]).toMatch(/^[0-9a-f-]{36}$/);
  },
  60000,
);

describe('image-lock', () => {
  const project = 'cloudimages-image-lock';
  const lockConfig = () => ({ [`${project}:regionId`]: REGION_IDS[0], [`${project}:endpoint`]: emulator.endpoint('nscale') });

  test('follow and pinned locks resolve the same image; no drift; credentials from the environment stay out of state', async () => {
    const env = emulator.clientEnv(['nscale']);
    const { outputs, resources, warnings } = await runExample('image-lock', { project, config: lockConfig(), env });
    expect(outputs.followImageId).toBe(outputs.pinnedImageId);
    expect(outputs).toMatchObject({ latestImageId: outputs.pinnedImageId, drifted: false, pinnedImageStatus: 'available' });
    expect(outputs.resolvedAt).toMatch(/^\d{4}-\d\d-\d\dT/);
    // The two locks are independent, so the engine may see them registered in either order (it does under load).
    expect(resources.map((r) => [r.type, r.name]).sort(([, a], [, b]) => a.localeCompare(b))).toEqual([
      ['pulumi-nodejs:dynamic/cloudimages:ImageLock', 'follow'],
      ['pulumi-nodejs:dynamic/cloudimages:ImageLock', 'pinned'],
    ]);
    const state = JSON.stringify(resources);
    expect(env.NSCALE_SERVICE_TOKEN).toEqual(expect.any(String));
    expect(state).not.toContain(env.NSCALE_SERVICE_TOKEN);
    expect(warnings).toEqual([]);
  }, 60000);

  test('with the credentials only in the stack configuration (as pulumi config set --secret --path sets them), the locks resolve too', async () => {
    const nscale = emulator.clientConfig().nscale as Record<string, string>;
    const { serviceToken, organizationId } = nscale;
    const env = { NSCALE_SERVICE_TOKEN: '', NSCALE_ORGANIZATION_ID: '' };
    const { outputs, resources } = await runExample('image-lock', {
      project,
      config: { ...lockConfig(), 'cloudimages:nscale': { serviceToken, organizationId } },
      env,
    });
    expect(outputs.pinnedImageId).toMatch(/^[0-9a-f-]{36}$/);
    expect(outputs.followImageId).toBe(outputs.pinnedImageId);
    expect(JSON.stringify(resources)).not.toContain(serviceToken);
  }, 60000);

  test('a later run after a newer image is published: follow moves (imageId change), pinned stays and warns with both IDs', async () => {
    const env = emulator.clientEnv(['nscale']);
    const first = await runExample('image-lock', { project, config: lockConfig(), env });
    const original = first.outputs.pinnedImageId as string;
    const catalog = emulator.catalog.nscale as NscaleCatalog;
    const newer = structuredClone<NscaleCatalogEntry>(catalog.images.find((e) => e.image.metadata.id === original)!);
    newer.image.metadata.id = '99999999-aaaa-4bbb-8ccc-000000000099';
    newer.image.metadata.name = `${newer.image.metadata.name}-rebuild`;
    newer.image.metadata.creationTime = '2031-01-01T00:00:00Z';
    catalog.images.push(newer);
    try {
      const previous = Object.fromEntries(first.resources.map((r) => [r.name, r]));
      const second = await runExample('image-lock', { project, config: lockConfig(), env, previous });
      const follow = second.resources.find((r) => r.name === 'follow')!;
      // What the preview shows for the follow lock: ~ imageId: "<original>" => "<newer>".
      expect([previous.follow.inputs.imageId, follow.inputs.imageId]).toEqual([original, newer.image.metadata.id]);
      expect(second.outputs).toMatchObject({
        followImageId: newer.image.metadata.id,
        pinnedImageId: original,
        latestImageId: newer.image.metadata.id,
        drifted: true,
        pinnedImageStatus: 'available',
      });
      expect(second.outputs.resolvedAt).not.toBe(first.outputs.resolvedAt);
      expect(second.warnings).toEqual([`image ${original} is pinned, but the query now selects ${newer.image.metadata.id}; set pin: false to move to it`]);

      // A third run with nothing new changes nothing, resolvedAt included.
      const again = Object.fromEntries(second.resources.map((r) => [r.name, r]));
      const third = await runExample('image-lock', { project, config: lockConfig(), env, previous: again });
      expect(third.outputs).toEqual(second.outputs);
    } finally {
      catalog.images.pop();
    }
  }, 60000);
});

describe('policy-pack', () => {
  test('its policies (imported from policies.ts, not the pack) pass an approved ECS image and fail a deprecated one', async () => {
    ensureBuilt();
    linkPackage('policy-pack');
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { makePolicies } = require(path.join(ROOT, 'examples/policy-pack/policies.ts')) as {
      makePolicies: (settings: Pick<ImageIdPolicyArgs, 'config' | 'env' | 'now'>) => ImageValidationPolicy[];
    };
    const config = emulator.clientConfig();
    const base = { cloud: 'alicloud', region: 'cn-hangzhou', visibility: 'public', osDistro: 'ubuntu', architecture: 'x86_64' };
    const good = (await lookupImage({ ...base, mostRecent: true }, { config, env: {} })).result;
    const deprecated = (await lookupImages({ ...base, status: 'deprecated' }, { config, env: {} })).result.images[0];
    const now = () => new Date(Date.parse(good.createdAt!) + 10 * 86_400_000);
    const [ecs, locks] = makePolicies({ config, env: {}, now });
    expect([ecs.name, ecs.enforcementLevel, locks.name, locks.enforcementLevel]).toEqual(['ecs-approved-images', 'mandatory', 'gpu-locks-current', 'advisory']);
    const validate = async (policy: typeof ecs, type: string, props: Record<string, unknown>, provider?: ImageValidationPolicyProvider) => {
      const messages: string[] = [];
      await policy.validateResource({ type, name: 'r', urn: `urn:pulumi:dev::p::${type}::r`, props, provider }, (m: string) => messages.push(m));
      return messages;
    };
    const ECS = 'alicloud:ecs/instance:Instance';
    const inRegion = (region: string) => ({
      type: 'pulumi:providers:alicloud',
      name: region,
      urn: `urn:pulumi:dev::p::pulumi:providers:alicloud::${region}`,
      props: { region },
    });
    expect(await validate(ecs, ECS, { imageId: good.id }, inRegion('cn-hangzhou'))).toEqual([]);
    // Each instance is checked in its own provider's region: the Hangzhou image does not exist in Shanghai, and
    // Shanghai's own newest Ubuntu passes there.
    expect(await validate(ecs, ECS, { imageId: good.id }, inRegion('cn-shanghai'))).toEqual([expect.stringMatching(/\[rule: exists\]$/)]);
    const shanghai = (await lookupImage({ ...base, region: 'cn-shanghai', mostRecent: true }, { config, env: {} })).result;
    expect(await validate(ecs, ECS, { imageId: shanghai.id }, inRegion('cn-shanghai'))).toEqual([]);
    // Without a provider region, ALIBABA_CLOUD_REGION decides, as it does for the alicloud provider.
    const [ecsEnv] = makePolicies({ config, env: { ALIBABA_CLOUD_REGION: 'cn-shanghai' }, now });
    expect(await validate(ecsEnv, ECS, { imageId: shanghai.id })).toEqual([]);
    // An old build: deprecated, and older than the pack's 180 days.
    expect(await validate(ecs, ECS, { imageId: deprecated.id }, inRegion('cn-hangzhou'))).toEqual([
      expect.stringMatching(/is deprecated, not available \[rule: available\]$/),
      expect.stringMatching(/days ago; at most 180 days are allowed \[rule: max-age\]$/),
    ]);
    // The lock policy checks an ImageLock's imageId against its own query (plus H100): an older pin is reported.
    const LOCK = 'pulumi-nodejs:dynamic/cloudimages:ImageLock';
    const lockQuery = { cloud: 'nscale', region: REGION_IDS[0], softwareVersions: { kubernetes: '>=1.29.0 <1.31.0' }, mostRecent: true };
    const newestLock = (await lookupImage({ ...lockQuery, gpu: true, gpuModel: 'H100' }, { config, env: {} })).result;
    const older = (await lookupImages({ ...lockQuery, mostRecent: undefined, gpu: true, gpuModel: 'H100' }, { config, env: {} })).result.images[1];
    expect(await validate(locks, LOCK, { query: lockQuery, imageId: newestLock.id })).toEqual([]);
    expect(await validate(locks, LOCK, { query: lockQuery, imageId: older.id })).toEqual([expect.stringContaining(`the newest is ${newestLock.id}`)]);
  }, 60000);

  test('index.ts starts as a pack: PolicyPack reads its name and version from the folder it runs in', () => {
    // Found by a real pulumi preview --policy-pack: "Version must be defined in the package.json file."
    linkPackage('policy-pack');
    const served: unknown[][] = [];
    const cwd = process.cwd();
    process.chdir(path.join(ROOT, 'examples/policy-pack'));
    try {
      jest.isolateModules(() => {
        jest.doMock('@pulumi/policy/server', () => ({ serve: (...args: unknown[]) => served.push(args) }));
        require(path.join(ROOT, 'examples/policy-pack/index.ts')); // eslint-disable-line @typescript-eslint/no-require-imports
      });
    } finally {
      process.chdir(cwd);
      jest.dontMock('@pulumi/policy/server');
    }
    expect(served).toHaveLength(1);
    expect(served[0].slice(0, 2)).toEqual(['cloudimages-images', expect.stringMatching(/^\d+\.\d+\.\d+/)]);
  });
});
