import { useEmulator } from '../../helpers/emulator';
import { HttpClient } from '../../../provider/core/http/client';
import { RequestSharing } from '../../../provider/core/share';
import { lookupImage, lookupImages } from '../../../provider/lookup';
import { AuthenticationError, CloudApiError, ConfigurationError, ThrottlingError, TransportError, ValidationError } from '../../../provider/core/errors';
import { CloudImagesConfig } from '../../../provider/core/config';
import { validateQuery } from '../../../provider/core/query';
import { Encoding, listImages } from '../../../provider/clouds/ucloud/client';
import { normalizeAnswer } from '../../../provider/clouds/ucloud/normalize';
import { ucloudModule } from '../../../provider/clouds/ucloud/index';
import { planFetch } from '../../../provider/core/backend';
import { compareNameVersions } from '../../../provider/core/versions';
import { FULL_ZONE, UcloudCatalog } from '../../../provider/emulator/ucloud/catalog';
import { BUILT_IN_REGISTRY } from '../../../provider/clouds';

const emulator = useEmulator();
let http: HttpClient;
let sharing: RequestSharing;
beforeEach(() => {
  http = new HttpClient({ retry: { baseDelayMs: 1, maxDelayMs: 5 } });
  sharing = new RequestSharing();
});

const catalog = () => emulator.catalog.ucloud as UcloudCatalog;
const options = (config: CloudImagesConfig = emulator.clientConfig(), env: Record<string, string> = {}) => ({ config, env, http, sharing });
const ucloudConfig = (overrides: Record<string, string>): CloudImagesConfig => ({ ucloud: { ...emulator.clientConfig().ucloud, ...overrides } });
const where = { cloud: 'ucloud', region: FULL_ZONE.region, zone: FULL_ZONE.zone };

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected a rejection');
}

describe('UCloud DescribeUK8SImage against the emulator', () => {
  test('GET: signed query string, the public and custom lists mapped, scoped to the zone', async () => {
    const { result } = await lookupImages(where, options());
    const [request] = emulator.requests;
    expect(emulator.count('ucloud')).toBe(1);
    expect(request.method).toBe('GET');
    expect(request.query).toMatchObject({
      Action: 'DescribeUK8SImage',
      Region: 'cn-bj2',
      Zone: 'cn-bj2-02',
      ProjectId: catalog().credentials.ProjectId,
      PublicKey: catalog().credentials.PublicKey,
    });
    expect(request.query.Signature).toMatch(/^[0-9a-f]{40}$/);
    // Custom images without a ZoneId are served in every zone of their region.
    const zoneId = catalog().regions['cn-bj2']['cn-bj2-02'];
    const expected = catalog().images.filter((i) => i.Region === 'cn-bj2' && (i.Info.ZoneId === zoneId || i.Info.ZoneId === undefined));
    expect(result.images).toHaveLength(expected.length);
    expect(new Set(result.images.map((i) => i.machineType))).toEqual(new Set(['vm', 'baremetal']));
    expect(result.images.every((i) => i.zone === 'cn-bj2-02' && i.region === 'cn-bj2' && i.createdAt === null)).toBe(true);
    // By default both UCloud's images and the account's own: the custom sets are private.
    const own = new Set(expected.filter((i) => i.Set.startsWith('Custom')).map((i) => i.Info.ImageId));
    expect(own.size).toBeGreaterThanOrEqual(3);
    for (const image of result.images) expect(image.visibility).toBe(own.has(image.id) ? 'private' : 'public');
    const phost = new Set(expected.filter((i) => i.Set === 'PHostImageSet' || i.Set === 'CustomPHostImageSet').map((i) => i.Info.ImageId));
    for (const image of result.images) expect(image.machineType).toBe(phost.has(image.id) ? 'baremetal' : 'vm');
    // The undocumented ImageSetnew list arrives too, as VM images.
    const fromNew = expected.filter((i) => i.Set === 'ImageSetnew').map((i) => i.Info.ImageId);
    expect(fromNew.length).toBeGreaterThan(0);
    expect(result.images.filter((i) => fromNew.includes(i.id)).every((i) => i.machineType === 'vm')).toBe(true);
  });

  test.each<Encoding>(['form', 'json'])('POST %s: signed body, same answer as GET', async (encoding) => {
    const plan = planFetch(ucloudModule, validateQuery(where, BUILT_IN_REGISTRY), emulator.clientConfig(), {});
    const fromGet = await plan.run(http);
    const c = catalog().credentials;
    const credentials = {
      publicKey: { value: c.PublicKey, source: 'x' },
      privateKey: { value: c.PrivateKey, source: 'y' },
      projectId: { value: c.ProjectId, source: 'z' },
    };
    const body = await listImages(http, {
      endpoint: emulator.endpoint('ucloud'),
      credentials,
      params: { Action: 'DescribeUK8SImage', Region: 'cn-bj2', Zone: 'cn-bj2-02' },
      encoding,
    });
    expect(emulator.requests.map((r) => r.method)).toEqual(['GET', 'POST']);
    expect(emulator.requests[1].query).toEqual({});
    expect(normalizeAnswer(body, { region: 'cn-bj2', zone: 'cn-bj2-02' })).toEqual(fromGet);
  });

  test('a query string too long for GET goes as a POST form', async () => {
    const { result } = await lookupImages({ ...where, filters: { Padding: Array.from({ length: 20 }, () => 'x'.repeat(250)) } }, options());
    expect(result.images.length).toBeGreaterThan(0);
    expect(emulator.requests[0].method).toBe('POST');
    expect(emulator.requests[0].query).toEqual({});
  });

  test('GPU selection: only GPU-capable images; a GPUType filter passes through', async () => {
    const gpu = await lookupImages({ ...where, gpu: true }, options());
    expect(gpu.result.images.length).toBeGreaterThan(0);
    expect(gpu.result.images.every((i) => i.gpu.supported === true)).toBe(true);
    const noGpu = await lookupImages({ ...where, gpu: false }, options());
    expect(noGpu.result.images.length).toBeGreaterThan(0);
    expect(noGpu.result.images.every((i) => i.gpu.supported === false)).toBe(true);

    const t4 = await lookupImages({ ...where, filters: { GPUType: 'T4' } }, options());
    expect(emulator.requests.at(-1)!.query.GPUType).toBe('T4');
    expect(t4.result.images.length).toBeGreaterThan(0);
    expect(t4.result.images.length).toBeLessThan(gpu.result.images.length + noGpu.result.images.length);
    expect(t4.result.images.every((i) => i.gpu.supported === true && (i.gpu.models.length === 0 || i.gpu.models.includes('T4')))).toBe(true);
  });

  test('bare-metal selection', async () => {
    const { result } = await lookupImages({ ...where, machineType: 'baremetal', gpu: true }, options());
    expect(result.images.length).toBeGreaterThan(0);
    expect(result.images.every((i) => i.machineType === 'baremetal' && i.gpu.supported === true && /^(uk8s|custom)-phost-/.test(i.name!))).toBe(true);
    expect(result.images.some((i) => i.visibility === 'private')).toBe(true);
  });

  test('mostRecent orders by the version numbers in names (8.10 after 8.9) and warns', async () => {
    const outcome = await lookupImage({ ...where, osDistro: 'rocky', gpu: true, machineType: 'vm', mostRecent: true }, options());
    const names = catalog()
      .images.filter(
        (i) => i.Region === 'cn-bj2' && i.Info.ZoneId === 4001 && i.Set !== 'PHostImageSet' && !i.Info.NotSupportGPU && i.Info.ImageName.includes('-rocky-'),
      )
      .map((i) => i.Info.ImageName);
    expect(names.some((n) => n.includes('-8.9-'))).toBe(true);
    expect(outcome.result.name).toBe([...names].sort(compareNameVersions).at(-1));
    expect(outcome.result.name).toMatch(/^uk8s-rocky-8\.10-x86_64-gpu-b\d+$/);
    expect(outcome.warnings).toEqual([expect.stringContaining('ucloud reports no creation time')]);
  });

  test('credentials from UCLOUD_* variables when configuration leaves them out', async () => {
    const env = emulator.clientEnv(['ucloud']);
    const { result } = await lookupImages({ cloud: 'ucloud', zone: 'cn-bj2-03' }, options({ ucloud: { endpoint: emulator.endpoint('ucloud') } }, env));
    expect(result.images.length).toBeGreaterThan(0);
    expect(emulator.requests[0].query).toMatchObject({ Region: env.UCLOUD_REGION, ProjectId: env.UCLOUD_PROJECT_ID });
  });

  test('RetCode 171: wrong private key names the setting used, never its value', async () => {
    const err = await rejection(lookupImages(where, options(ucloudConfig({ privateKey: 'wrong-private-key-value-123' }))));
    expect(err).toBeInstanceOf(AuthenticationError);
    expect((err as AuthenticationError).cloudCode).toBe('171');
    expect(err.message).toContain('cloudimages:ucloud.privateKey');
    expect(err.message).not.toContain('wrong-private-key-value-123');
    expect(emulator.count('ucloud')).toBe(1);

    const env = { ...emulator.clientEnv(['ucloud']), UCLOUD_PRIVATE_KEY: 'another-wrong-private-key' };
    const fromEnv = await rejection(lookupImages(where, options({ ucloud: { endpoint: emulator.endpoint('ucloud') } }, env)));
    expect(fromEnv.message).toContain('UCLOUD_PRIVATE_KEY');
    expect(fromEnv.message).not.toContain('another-wrong-private-key');
  });

  test('RetCode 172: unknown public key names UCLOUD_PUBLIC_KEY', async () => {
    const env = { ...emulator.clientEnv(['ucloud']), UCLOUD_PUBLIC_KEY: 'nobody-has-this-public-key' };
    const err = await rejection(lookupImages(where, options({ ucloud: { endpoint: emulator.endpoint('ucloud') } }, env)));
    expect(err).toBeInstanceOf(AuthenticationError);
    expect((err as AuthenticationError).cloudCode).toBe('172');
    expect(err.message).toContain('UCLOUD_PUBLIC_KEY');
    expect(err.message).not.toContain('nobody-has-this-public-key');
  });

  test('RetCode 292: unknown project, not retried', async () => {
    const err = await rejection(lookupImages(where, options(ucloudConfig({ projectId: 'org-missing' }))));
    expect(err).toBeInstanceOf(CloudApiError);
    expect((err as CloudApiError).cloudCode).toBe('292');
    expect(err.message).toContain('cloudimages:ucloud.projectId');
    expect(emulator.count('ucloud')).toBe(1);
  });

  test('RetCode 153 (throttled) and 150 (unavailable) are retried', async () => {
    emulator.inject({ kind: 'throttle', cloud: 'ucloud', times: 2 });
    emulator.inject({ kind: 'server-error', cloud: 'ucloud', times: 1 });
    const { result } = await lookupImages(where, options());
    expect(result.images.length).toBeGreaterThan(0);
    expect(emulator.requests.map((r) => r.fault)).toEqual(['throttle', 'throttle', 'server-error', undefined]);
  });

  test('still throttled after the retry budget: ThrottlingError with RetCode 153', async () => {
    emulator.inject({ kind: 'throttle', cloud: 'ucloud', times: Infinity });
    const err = await rejection(lookupImages(where, options()));
    expect(err).toBeInstanceOf(ThrottlingError);
    expect((err as ThrottlingError).cloudCode).toBe('153');
    expect((err as ThrottlingError).requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(err.message).toMatch(/^ucloud DescribeUK8SImage: still throttled after \d+ attempts.*request ID [0-9a-f-]{36}/);
    expect((err as ThrottlingError).attempts).toBe(http.retry.maxAttempts);
    expect(emulator.count('ucloud')).toBe(http.retry.maxAttempts);
  });

  test('still unavailable: CloudApiError with RetCode 150 after every attempt', async () => {
    emulator.inject({ kind: 'server-error', cloud: 'ucloud', times: Infinity });
    const err = await rejection(lookupImages(where, options()));
    expect((err as CloudApiError).cloudCode).toBe('150');
    expect(err.message).toContain('unavailable');
    expect(emulator.count('ucloud')).toBe(http.retry.maxAttempts);
  });

  test('other RetCodes carry RetCode and Message; a cut-off answer is retried; a foreign shape is not', async () => {
    const badZone = await rejection(lookupImages({ ...where, zone: 'cn-bj2-99' }, options()));
    expect((badZone as CloudApiError).cloudCode).toBe('230');
    expect(badZone.message).toContain('Params [Zone] not available');

    emulator.resetCounts();
    emulator.inject({ kind: 'invalid-json', cloud: 'ucloud' });
    expect((await lookupImages(where, options())).result.images.length).toBeGreaterThan(0);
    expect(emulator.count('ucloud')).toBe(2);

    emulator.resetCounts();
    emulator.inject({ kind: 'wrong-shape', cloud: 'ucloud' });
    const shape = await rejection(lookupImages({ ...where, zone: 'cn-bj2-03' }, options()));
    expect(shape.message).toContain('no RetCode');
    expect(emulator.count('ucloud')).toBe(1);
  });

  test('the endpoint: query overrides configuration; plain http only to loopback', async () => {
    const config = ucloudConfig({ endpoint: 'http://127.0.0.1:9/ucloud' });
    const { result } = await lookupImages({ ...where, endpoint: emulator.endpoint('ucloud') }, options(config));
    expect(result.images.length).toBeGreaterThan(0);
    await expect(lookupImages({ ...where, endpoint: 'http://api.ucloud.example.com' }, options())).rejects.toThrow(TransportError);
    expect(planFetch(ucloudModule, validateQuery(where, BUILT_IN_REGISTRY), { ucloud: { publicKey: 'p', privateKey: 'k' } }, {}).key).toContain(
      'https://api.ucloud.cn',
    );
  });

  test('the sharing key: endpoint, region, zone, project, public-key hash and params; never the private key', async () => {
    const config = emulator.clientConfig();
    const c = catalog().credentials;
    const key = planFetch(ucloudModule, validateQuery({ ...where, filters: { GPUType: 'T4' } }, BUILT_IN_REGISTRY), config, {}).key;
    for (const part of [emulator.endpoint('ucloud'), 'cn-bj2', 'cn-bj2-02', c.ProjectId, 'GPUType', 'T4']) expect(key).toContain(part);
    expect(key).not.toContain(c.PrivateKey);
    expect(key).not.toContain(c.PublicKey);
    const other = planFetch(ucloudModule, validateQuery(where, BUILT_IN_REGISTRY), ucloudConfig({ publicKey: 'another-public-key' }), {}).key;
    expect(other).not.toBe(planFetch(ucloudModule, validateQuery(where, BUILT_IN_REGISTRY), config, {}).key);
    expect(planFetch(ucloudModule, validateQuery(where, BUILT_IN_REGISTRY), ucloudConfig({ privateKey: 'another-private-key' }), {}).key).toBe(
      planFetch(ucloudModule, validateQuery(where, BUILT_IN_REGISTRY), config, {}).key,
    );

    await Promise.all([lookupImages(where, options()), lookupImages({ ...where, gpu: true }, options())]);
    expect(sharing.fetches).toBe(1);
    expect(emulator.count('ucloud')).toBe(1);
  });

  test('configuration errors before any request: missing keys, missing region, reserved filters', () => {
    expect(() => planFetch(ucloudModule, validateQuery(where, BUILT_IN_REGISTRY), {}, {})).toThrow(ConfigurationError);
    expect(() => planFetch(ucloudModule, validateQuery(where, BUILT_IN_REGISTRY), {}, {})).toThrow(/UCLOUD_PUBLIC_KEY/);
    expect(() => planFetch(ucloudModule, validateQuery(where, BUILT_IN_REGISTRY), {}, { UCLOUD_PUBLIC_KEY: 'p' })).toThrow(/UCLOUD_PRIVATE_KEY/);
    expect(() => planFetch(ucloudModule, validateQuery({ cloud: 'ucloud' }, BUILT_IN_REGISTRY), emulator.clientConfig(), {})).toThrow(/UCLOUD_REGION/);
    expect(() => planFetch(ucloudModule, validateQuery({ ...where, filters: { Zone: 'x' } }, BUILT_IN_REGISTRY), emulator.clientConfig(), {})).toThrow(
      ValidationError,
    );
    expect(() => planFetch(ucloudModule, validateQuery({ ...where, filters: { Zone: 'x' } }, BUILT_IN_REGISTRY), emulator.clientConfig(), {})).toThrow(
      'filters.Zone',
    );
    expect(emulator.count()).toBe(0);
  });

  test("the module declares no creation time; UCloud's and the account's own images by default, both trusted", () => {
    expect(ucloudModule).toMatchObject({
      name: 'ucloud',
      reportsCreationTime: false,
      defaultVisibility: ['public', 'private'],
      trustedVisibilities: ['public', 'private'],
    });
  });
});

describe('selectors UK8S cannot answer', () => {
  it.each([
    ['gpuVendor', { gpuVendor: 'NVIDIA' }],
    ['gpuDriver', { gpuDriver: '>=525' }],
    ['softwareVersions', { softwareVersions: { kubernetes: '^1.30' } }],
  ] as const)('%s is refused before any request', async (argument, args) => {
    await expect(lookupImages({ cloud: 'ucloud', region: 'cn-bj2', ...args }, { config: emulator.clientConfig(), env: {}, http, sharing })).rejects.toThrow(
      new RegExp(`invalid argument "${argument}": ucloud images do not report this`),
    );
    expect(emulator.count('ucloud')).toBe(0);
  });
});
