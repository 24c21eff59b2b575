import { expect } from '@jest/globals';
import { Emulator } from '../../../provider/emulator/server';
import { useEmulator } from '../../helpers/emulator';
import { HttpClient } from '../../../provider/core/http/client';
import { RequestSharing } from '../../../provider/core/share';
import { lookupImage, lookupImages } from '../../../provider/lookup';
import {
  AuthenticationError,
  CloudApiError,
  ConfigurationError,
  PagingError,
  ThrottlingError,
  TransportError,
  ValidationError,
} from '../../../provider/core/errors';
import { CloudImagesConfig } from '../../../provider/core/config';
import { anchoredLiteral, validateQuery } from '../../../provider/core/query';
import { listImages } from '../../../provider/clouds/alicloud/client';
import { alicloudModule } from '../../../provider/clouds/alicloud/index';
import { AdaptiveLimit } from '../../../provider/core/http/pool';
import { planFetch } from '../../../provider/core/backend';
import { computeSignature, encodeQuery, signParams } from '../../../provider/clouds/alicloud/signer';
import { AlicloudCatalog, AlicloudCatalogRecord, buildAlicloudCatalog } from '../../../provider/emulator/alicloud/catalog';
import { syntheticCatalog } from '../../helpers/alicloud-catalog';
import { BUILT_IN_REGISTRY } from '../../../provider/clouds';

const emulator = useEmulator();
let http: HttpClient;
let sharing: RequestSharing;
beforeEach(() => {
  emulator.clockSkewSeconds = 0;
  http = new HttpClient({ retry: { baseDelayMs: 1, maxDelayMs: 5 } });
  sharing = new RequestSharing();
});

const catalog = () => emulator.catalog.alicloud as AlicloudCatalog;
const options = (config: CloudImagesConfig = emulator.clientConfig(), env: Record<string, string> = {}) => ({ config, env, http, sharing });
const pageOf = (r: { query: Record<string, string | string[]> }) => Number(r.query.PageNumber);
const aliRequests = () => emulator.requests.filter((r) => r.cloud === 'alicloud');
/** The emulator's DescribeImages answers, as these tests read them. */
type AlicloudPage = { PageSize: number; TotalCount: number; Images: { Image: AlicloudCatalogRecord[] } };
type AlicloudError = { Code: string; Message: string };

async function refusal<T extends Error>(promise: Promise<unknown>, type: new (...args: never[]) => T): Promise<T> {
  try {
    await promise;
  } catch (err) {
    expect(err).toBeInstanceOf(type);
    return err as T;
  }
  throw new Error('expected the lookup to fail');
}

/** Expected IDs straight from the catalog records. */
const snapshotOf = (r: AlicloudCatalogRecord) =>
  ((r.DiskDeviceMappings as { DiskDeviceMapping?: { SnapshotId?: string }[] })?.DiskDeviceMapping ?? []).map((m) => m.SnapshotId).find(Boolean);

function expectedIds(filter: (r: AlicloudCatalogRecord) => boolean, source: AlicloudCatalogRecord[] = catalog().images): string[] {
  return source
    .filter(filter)
    .map((r) => r.ImageId)
    .sort();
}

describe('alicloud backend against the emulator: paging', () => {
  let big: Emulator;
  const SIZE = 1042; // 11 pages of 100

  beforeAll(async () => {
    big = await new Emulator({ catalog: { alicloud: syntheticCatalog(SIZE) } }).start();
  });
  afterAll(() => big.stop());
  beforeEach(() => {
    big.clearFaults();
    big.resetCounts();
  });
  const bigOptions = () => ({ config: big.clientConfig(), env: {}, http, sharing });

  it('reads every page once, 100 at a time, with the pages after the first fetched concurrently', async () => {
    big.latencyMs = 200; // a round trip long enough that the pages asked together are in flight together
    try {
      const { result } = await lookupImages({ cloud: 'alicloud', region: 'cn-hangzhou', visibility: 'private' }, bigOptions());
      expect(result.ids).toHaveLength(SIZE);
      expect([...result.ids].sort()).toEqual(
        expectedIds(
          () => true,
          (big.catalog.alicloud as AlicloudCatalog).images.filter((i) => i.region === 'cn-hangzhou'),
        ),
      );
      const requests = big.requests.filter((r) => r.cloud === 'alicloud');
      expect(requests).toHaveLength(11);
      expect(requests.map(pageOf).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
      expect(requests.every((r) => r.query.PageSize === '100' && r.query.ImageOwnerAlias === 'self' && r.query.Format === 'JSON')).toBe(true);
      // Page 1 alone, then pages 2–11 (every remaining page, under the ceiling of DEFAULT_CONCURRENCY) all at once,
      // only after page 1 had answered: two waves, ten requests in flight together.
      expect(requests.map((r) => [pageOf(r), r.wave]).sort((a, b) => a[0] - b[0])).toEqual([[1, 1], ...[2, 3, 4, 5, 6, 7, 8, 9, 10, 11].map((p) => [p, 2])]);
      expect([big.waves, big.maxInFlight]).toEqual([2, 10]);
    } finally {
      big.latencyMs = 0;
    }
  });

  it('recovers a throttled page and still returns the complete list', async () => {
    big.inject({ kind: 'throttle', cloud: 'alicloud', times: 2, when: (r) => r.query.get('PageNumber') === '4' });
    const { result } = await lookupImages({ cloud: 'alicloud', region: 'cn-hangzhou', visibility: 'private' }, bigOptions());
    expect(result.ids).toHaveLength(SIZE);
    const page4 = big.requests.filter((r) => pageOf(r) === 4);
    expect(page4.map((r) => r.fault ?? 'ok')).toEqual(['throttle', 'throttle', 'ok']);
    expect(page4[0].status).toBe(400);
    expect(big.count('alicloud')).toBe(13);
  });

  it('fails the whole query when a page fails after retries, never a shorter list', async () => {
    big.inject({ kind: 'server-error', cloud: 'alicloud', times: Infinity, when: (r) => r.query.get('PageNumber') === '3' });
    const err = await refusal(lookupImages({ cloud: 'alicloud', region: 'cn-hangzhou', visibility: 'private' }, bigOptions()), PagingError);
    expect(err.message).toMatch(/page 3 of 11 failed, so the list would be incomplete: .*unknown error/);
    expect(err.cloudCode).toBe('InternalError');
    expect(err.httpStatus).toBe(500);
    expect(err.requestId).toMatch(/^[0-9A-F-]{36}$/);
    expect(err.attempts).toBe(http.retry.maxAttempts); // the failed page's, passed on by the paging error
    expect(big.requests.filter((r) => pageOf(r) === 3)).toHaveLength(http.retry.maxAttempts);
    // The failure is not remembered: the next call (faults gone) succeeds.
    big.clearFaults();
    const { result } = await lookupImages({ cloud: 'alicloud', region: 'cn-hangzhou', visibility: 'private' }, bigOptions());
    expect(result.ids).toHaveLength(SIZE);
  });

  it('keeps throttling as ThrottlingError when a page stays throttled', async () => {
    big.inject({ kind: 'throttle', cloud: 'alicloud', times: Infinity, when: (r) => r.query.get('PageNumber') === '2' });
    const err = await refusal(lookupImages({ cloud: 'alicloud', region: 'cn-hangzhou', visibility: 'private' }, bigOptions()), ThrottlingError);
    expect(err.cloudCode).toBe('Throttling.User');
    expect(err.message).toMatch(/still throttled after 5 attempts/);
  });

  it('refuses totals that do not add up (the catalog changed between pages)', async () => {
    const images = (big.catalog.alicloud as AlicloudCatalog).images;
    const extra = { ...images[images.length - 1], ImageId: 'm-latecomer', ImageName: 'latecomer' };
    big.inject({ kind: 'delay', delayMs: 0, when: (r) => r.query.get('PageNumber') === '2' && (images.push(extra), true) });
    try {
      const err = await refusal(lookupImages({ cloud: 'alicloud', region: 'cn-hangzhou', visibility: 'private' }, bigOptions()), PagingError);
      expect(err.message).toMatch(/reports TotalCount 1043, page 1 reported 1042.*Retry the query/);
    } finally {
      images.splice(images.indexOf(extra), 1);
    }
  });

  it('never lets more than the current limit run, and a throttle narrows what starts next', async () => {
    const limit = new AdaptiveLimit(4);
    let peak = 0;
    const peaks: number[] = [];
    const task = (i: number) =>
      limit.run(async () => {
        peak = Math.max(peak, limit.inFlight);
        await new Promise((r) => setTimeout(r, 5));
        if (i === 3) {
          peaks.push(peak);
          peak = 0;
          limit.throttled(); // 4 → 2
        }
      });
    await Promise.all(Array.from({ length: 16 }, (_, i) => task(i)));
    expect(peaks).toEqual([4]);
    expect(peak).toBe(2); // tasks already running finish; new ones start only under the halved limit
    expect(limit.inFlight).toBe(0);
  });

  it('halves the pool on throttling and earns slots back one success streak at a time', () => {
    const limit = new AdaptiveLimit(8);
    limit.throttled();
    expect(limit.current).toBe(4);
    limit.throttled();
    limit.throttled();
    limit.throttled();
    expect(limit.current).toBe(1);
    limit.succeeded();
    expect(limit.current).toBe(2);
    limit.succeeded();
    expect(limit.current).toBe(2);
    limit.succeeded();
    expect(limit.current).toBe(3);
    for (let i = 0; i < 100; i++) limit.succeeded();
    expect(limit.current).toBe(8);
  });
});

describe('alicloud backend against the emulator: queries', () => {
  it('asks for system and self images by default (two listings) and never returns shared ones', async () => {
    const { result } = await lookupImages({ cloud: 'alicloud', region: 'cn-shanghai' }, options());
    const aliases = new Set(aliRequests().map((r) => r.query.ImageOwnerAlias));
    expect(aliases).toEqual(new Set(['self', 'system']));
    expect([...result.ids].sort()).toEqual(
      expectedIds((r) => r.region === 'cn-shanghai' && ['system', 'self'].includes(String(r.ImageOwnerAlias)) && r.Status === 'Available'),
    );
    expect(result.images.some((i) => i.visibility === 'shared' || i.visibility === 'marketplace')).toBe(false);
  });

  it('pushes architecture, OS type, status, owner, exact name and tags down to the request', async () => {
    const target = catalog().images.find(
      (r) =>
        r.region === 'cn-hangzhou' &&
        r.ImageOwnerAlias === 'self' &&
        r.Architecture === 'arm64' &&
        r.Status === 'Available' &&
        String(r.ImageName).startsWith('k8s-node-'),
    )!;
    const { result } = await lookupImages(
      {
        cloud: 'alicloud',
        region: 'cn-hangzhou',
        architecture: 'aarch64',
        osType: 'linux',
        visibility: 'private',
        nameRegex: `^${target.ImageName.replace(/\./g, '\\.')}$`,
        tags: { team: 'platform' },
      },
      options(),
    );
    expect(result.ids).toEqual([target.ImageId]);
    const [request] = aliRequests();
    expect(aliRequests()).toHaveLength(1);
    expect(request.query).toMatchObject({
      Action: 'DescribeImages',
      Version: '2014-05-26',
      RegionId: 'cn-hangzhou',
      Architecture: 'arm64',
      OSType: 'linux',
      Status: 'Available',
      ImageOwnerAlias: 'self',
      ImageName: target.ImageName,
      'Tag.1.Key': 'team',
      'Tag.1.Value': 'platform',
      PageSize: '100',
      PageNumber: '1',
    });
  });

  it('maps several statuses to one comma-separated Status and filters passed through as given', async () => {
    const { result } = await lookupImages(
      {
        cloud: 'alicloud',
        region: 'cn-hangzhou',
        visibility: 'public',
        status: ['deprecated', 'pending'],
        filters: { ImageFamily: 'acs:ubuntu_22_04', 'Filter.1.Key': 'CreationStartTime', 'Filter.1.Value': '2023-09-01T00:00:00Z' },
      },
      options(),
    );
    const request = aliRequests()[0];
    expect(request.query).toMatchObject({ Status: 'Deprecated,Creating,Waiting', ImageFamily: 'acs:ubuntu_22_04', 'Filter.1.Key': 'CreationStartTime' });
    const expected = expectedIds(
      (r) =>
        r.region === 'cn-hangzhou' &&
        r.ImageOwnerAlias === 'system' &&
        r.ImageFamily === 'acs:ubuntu_22_04' &&
        ['Deprecated', 'Creating', 'Waiting'].includes(String(r.Status)) &&
        Date.parse(String(r.CreationTime)) >= Date.parse('2023-09-01T00:00:00Z'),
    );
    expect(expected.length).toBeGreaterThan(0);
    expect([...result.ids].sort()).toEqual(expected);
    expect(result.images.every((i) => i.status === 'deprecated')).toBe(true);
  });

  it('answers gpu: true with a GPU InstanceType: images that run on it, marked GPU-capable', async () => {
    const { result } = await lookupImages(
      { cloud: 'alicloud', region: 'cn-hangzhou', visibility: 'public', gpu: true, filters: { InstanceType: 'ecs.gn7i-c8g1.2xlarge' } },
      options(),
    );
    expect(aliRequests()[0].query.InstanceType).toBe('ecs.gn7i-c8g1.2xlarge');
    expect(result.ids.length).toBeGreaterThan(0);
    expect(result.images.every((i) => i.gpu.supported === true && i.architecture === 'x86_64')).toBe(true);
    expect([...result.ids].sort()).toEqual(
      expectedIds((r) => r.region === 'cn-hangzhou' && r.ImageOwnerAlias === 'system' && r.Status === 'Available' && r.Architecture === 'x86_64'),
    );
  });

  it('answers a CPU InstanceType with the images that boot on it: no GPU-driver image (the vendor: "the instance type for which the image can be used")', async () => {
    const query = { cloud: 'alicloud', region: 'cn-hangzhou', visibility: 'public', osDistro: 'ubuntu', osVersion: '22.04', architecture: 'x86_64' } as const;
    const all = (await lookupImages(query, options())).result;
    expect(all.images.some((i) => /nvidia/.test(i.name ?? ''))).toBe(true);
    const { result } = await lookupImages({ ...query, filters: { InstanceType: 'ecs.g7.large' } }, options());
    expect(result.ids.length).toBeGreaterThan(0);
    expect(result.images.filter((i) => /nvidia/.test(i.name ?? ''))).toEqual([]);
    expect([...result.ids].sort()).toEqual(
      all.images
        .filter((i) => !/nvidia/.test(i.name ?? ''))
        .map((i) => i.id)
        .sort(),
    );
    const gpu = (await lookupImages({ ...query, filters: { InstanceType: 'ecs.gn7i-c8g1.2xlarge' } }, options())).result;
    expect([...gpu.ids].sort()).toEqual([...all.ids].sort());
  });

  it('honours the other documented filters: Usage, ResourceGroupId, SnapshotId', async () => {
    const records = catalog().images.filter(
      (r) => r.region === 'cn-hangzhou' && r.Status === 'Available' && ['system', 'self'].includes(String(r.ImageOwnerAlias)),
    );
    const { result: inUse } = await lookupImages({ cloud: 'alicloud', region: 'cn-hangzhou', filters: { Usage: 'instance' } }, options());
    expect([...inUse.ids].sort()).toEqual(
      records
        .filter((r) => r.Usage === 'instance')
        .map((r) => r.ImageId)
        .sort(),
    );
    expect(inUse.ids.length).toBeGreaterThan(0);
    expect(inUse.ids.length).toBeLessThan(records.length);
    // An image made from a snapshot, in a resource group of its own.
    const base = records.find((r) => r.ImageOwnerAlias === 'self')!;
    const made = structuredClone(base);
    Object.assign(made, { ImageId: 'm-bpsnapshot0000000001', ImageName: 'from-snapshot', ResourceGroupId: 'rg-bpfirsthour0001' });
    (made.DiskDeviceMappings as { DiskDeviceMapping: { SnapshotId: string }[] }).DiskDeviceMapping[0].SnapshotId = 's-bpfirsthour0001';
    catalog().images.push(made);
    try {
      for (const filters of [{ SnapshotId: 's-bpfirsthour0001' }, { ResourceGroupId: 'rg-bpfirsthour0001' }]) {
        expect((await lookupImages({ cloud: 'alicloud', region: 'cn-hangzhou', filters }, options())).result.ids).toEqual(['m-bpsnapshot0000000001']);
      }
    } finally {
      catalog().images.pop();
    }
    expect(snapshotOf(base)).toBeUndefined();
    const bad = await refusal(lookupImages({ cloud: 'alicloud', region: 'cn-hangzhou', filters: { Usage: 'sometimes' } }, options()), CloudApiError);
    expect(bad.cloudCode).toBe('InvalidUsage');
  });

  it.each([
    [{}, /DescribeImages has no GPU attribute; pass the GPU instance type .* filters: \{InstanceType: "ecs\.gn7i-c8g1\.2xlarge"\}/],
    [{ filters: { InstanceType: 'ecs.g7.large' } }, /ecs\.g7\.large is not a GPU instance type/],
  ])('refuses gpu: true without a GPU InstanceType, before any request (%j)', async (extra, message) => {
    const err = await refusal(lookupImages({ cloud: 'alicloud', region: 'cn-hangzhou', gpu: true, ...extra }, options()), ValidationError);
    expect(err.argument).toBe('gpu');
    expect(err.message).toMatch(message);
    expect(emulator.count()).toBe(0);
  });

  it.each([
    [{ gpuVendor: 'nvidia', gpu: true, filters: { InstanceType: 'ecs.gn7i-c8g1.2xlarge' } }, 'gpuVendor'],
    [{ softwareVersions: { kubernetes: '>=1.29.0' } }, 'softwareVersions'],
    [{ filters: { PageSize: '10' } }, 'filters.PageSize'],
    [{ filters: { ImageOwnerAlias: 'others' } }, 'filters.ImageOwnerAlias'],
    [{ architecture: 'arm64', filters: { Architecture: 'x86_64' } }, 'filters.Architecture'],
    [{ region: 'cn hangzhou' }, 'region'],
  ])('refuses what it cannot answer, naming the argument (%j)', async (extra, argument) => {
    const err = await refusal(lookupImages({ cloud: 'alicloud', region: 'cn-hangzhou', ...extra }, options()), ValidationError);
    expect(err.argument).toBe(argument);
    expect(emulator.count()).toBe(0);
  });

  it('chooses the newest with mostRecent over trusted images and refuses it over shared ones', async () => {
    const { result } = await lookupImage(
      { cloud: 'alicloud', region: 'cn-hangzhou', mostRecent: true, architecture: 'arm64', nameRegex: '^ubuntu_22_04_arm64' },
      options(),
    );
    const candidates = catalog().images.filter(
      (r) => r.region === 'cn-hangzhou' && r.Architecture === 'arm64' && r.Status === 'Available' && r.ImageName.startsWith('ubuntu_22_04_arm64'),
    );
    const newest = candidates
      .map((r) => r.CreationTime as string)
      .sort()
      .pop();
    expect(result.createdAt).toBe(newest);
    expect(result.id).toMatch(/^ubuntu_22_04_arm64_20G_alibase_\d{8}\.vhd$/);
    const err = await refusal(lookupImage({ cloud: 'alicloud', region: 'cn-hangzhou', mostRecent: true, visibility: 'shared' }, options()), ValidationError);
    expect(err.argument).toBe('mostRecent');
  });

  it('shares one fetch between identical queries, keyed without secrets', async () => {
    const query = { cloud: 'alicloud', region: 'cn-hangzhou', visibility: 'public', architecture: 'arm64' };
    const [a, b] = await Promise.all([lookupImages(query, options()), lookupImages({ ...query, nameRegex: 'ubuntu' }, options())]);
    expect(sharing.fetches).toBe(1);
    expect(a.result.ids.length).toBeGreaterThan(b.result.ids.length);
    const systemArm = expectedIds(
      (r) => r.region === 'cn-hangzhou' && r.ImageOwnerAlias === 'system' && r.Architecture === 'arm64' && r.Status === 'Available',
    );
    expect(a.result.ids).toHaveLength(systemArm.length);
    expect(aliRequests()).toHaveLength(Math.ceil(systemArm.length / 100));
    const config = emulator.clientConfig();
    const plan = planFetch(alicloudModule, validateQuery(query, BUILT_IN_REGISTRY), config, {});
    expect(plan.key).toContain(emulator.endpoint('alicloud'));
    expect(plan.key).toContain('cn-hangzhou');
    expect(plan.key).not.toContain(catalog().credentials.accessKeyId);
    expect(plan.key).not.toContain(catalog().credentials.accessKeySecret);
    const other = planFetch(
      alicloudModule,
      validateQuery(query, BUILT_IN_REGISTRY),
      { alicloud: { ...config.alicloud, accessKeyId: 'another-account-key' } },
      {},
    );
    expect(other.key).not.toBe(plan.key);
  });

  it('resolves the endpoint: query over config over the regional default', () => {
    const q = validateQuery({ cloud: 'alicloud', region: 'eu-central-1' }, BUILT_IN_REGISTRY);
    const creds = { accessKeyId: 'k-123456', accessKeySecret: 's-123456' };
    expect(planFetch(alicloudModule, q, { alicloud: creds }, {}).key).toContain('"endpoint":"https://ecs.eu-central-1.aliyuncs.com"');
    expect(planFetch(alicloudModule, q, { alicloud: { ...creds, endpoint: 'https://ecs-proxy.example.com/{region}' } }, {}).key).toContain(
      '"endpoint":"https://ecs-proxy.example.com/eu-central-1"',
    );
    expect(
      planFetch(alicloudModule, { ...q, endpoint: 'http://127.0.0.1:9/x' }, { alicloud: { ...creds, endpoint: 'https://ecs-proxy.example.com' } }, {}).key,
    ).toContain('"endpoint":"http://127.0.0.1:9/x"');
    expect(() => planFetch(alicloudModule, { ...q, endpoint: 'http://ecs.example.com' }, { alicloud: creds }, {})).toThrow(TransportError);
  });

  it('recognises an exact name only when the regular expression has nothing special in it', () => {
    expect(anchoredLiteral('^ubuntu_22_04_x64_20G_alibase_20240130\\.vhd$')).toBe('ubuntu_22_04_x64_20G_alibase_20240130.vhd');
    expect(anchoredLiteral('^web-base-20240101$')).toBe('web-base-20240101');
    expect(anchoredLiteral('^ubuntu.*$')).toBeUndefined();
    expect(anchoredLiteral('ubuntu')).toBeUndefined();
    expect(anchoredLiteral('^a|b$')).toBeUndefined();
  });
});

describe('alicloud backend against the emulator: credentials and errors', () => {
  const endpointOnly = () => ({ alicloud: { endpoint: emulator.endpoint('alicloud') } });

  it('reads credentials from the environment in the documented order', async () => {
    const c = catalog().credentials;
    const { result } = await lookupImages(
      { cloud: 'alicloud', visibility: 'public', architecture: 'i386' },
      options(endpointOnly(), {
        ALICLOUD_ACCESS_KEY: c.accessKeyId,
        ALICLOUD_SECRET_KEY: c.accessKeySecret,
        ALICLOUD_REGION: 'ap-southeast-1',
      }),
    );
    expect(result.ids.length).toBeGreaterThan(0);
    expect(aliRequests()[0].query.RegionId).toBe('ap-southeast-1');
    // The ALIBABA_CLOUD_* name wins over the ALICLOUD_* one.
    const err = await refusal(
      lookupImages(
        { cloud: 'alicloud', region: 'cn-hangzhou' },
        options(endpointOnly(), {
          ALIBABA_CLOUD_ACCESS_KEY_ID: 'not-a-known-key',
          ALICLOUD_ACCESS_KEY: c.accessKeyId,
          ALIBABA_CLOUD_ACCESS_KEY_SECRET: c.accessKeySecret,
        }),
      ),
      AuthenticationError,
    );
    expect(err.cloudCode).toBe('InvalidAccessKeyId.NotFound');
    expect(err.message).toMatch(/AccessKey ID from ALIBABA_CLOUD_ACCESS_KEY_ID, secret from ALIBABA_CLOUD_ACCESS_KEY_SECRET/);
    expect(err.message).not.toContain('not-a-known-key');
    expect(err.message).not.toContain(c.accessKeySecret);
  });

  it('uses STS credentials with their security token', async () => {
    const c = catalog().credentials;
    const sts = { endpoint: emulator.endpoint('alicloud'), accessKeyId: c.stsAccessKeyId, accessKeySecret: c.stsAccessKeySecret };
    const { result } = await lookupImages(
      { cloud: 'alicloud', region: 'eu-central-1', visibility: 'public' },
      options({ alicloud: sts }, { ALIBABA_CLOUD_SECURITY_TOKEN: c.securityToken }),
    );
    expect(result.ids.length).toBeGreaterThan(0);
    expect(aliRequests()[0].query.SecurityToken).toBe(c.securityToken);
    emulator.resetCounts();
    sharing = new RequestSharing(); // the same account and query would otherwise share the answer above
    const err = await refusal(
      lookupImages({ cloud: 'alicloud', region: 'eu-central-1', visibility: 'public' }, options({ alicloud: { ...sts, securityToken: 'stale-token-123456' } })),
      AuthenticationError,
    );
    expect(err.cloudCode).toBe('InvalidSecurityToken.MismatchWithAccessKey');
    expect(err.message).toMatch(/security token from cloudimages:alicloud\.securityToken/);
    expect(err.message).not.toContain('stale-token-123456');
    expect(emulator.count('alicloud')).toBe(1);
  });

  it('never retries a wrong secret, and names the config key it came from, not the value', async () => {
    const config = emulator.clientConfig();
    const wrong = 'wrong-secret-0123456789';
    const err = await refusal(
      lookupImages({ cloud: 'alicloud', region: 'cn-hangzhou', visibility: 'public' }, options({ alicloud: { ...config.alicloud, accessKeySecret: wrong } })),
      AuthenticationError,
    );
    expect(err.cloudCode).toBe('SignatureDoesNotMatch');
    expect(err.httpStatus).toBe(400);
    expect(err.requestId).toBeTruthy();
    expect(err.message).toMatch(
      /credentials refused: Specified signature is not matched with our calculation\. \(AccessKey ID from cloudimages:alicloud\.accessKeyId, secret from cloudimages:alicloud\.accessKeySecret\)/,
    );
    expect(err.message).not.toContain(wrong);
    expect(emulator.count('alicloud')).toBe(1);
  });

  it('says which setting is missing before any request', async () => {
    const err = await refusal(lookupImages({ cloud: 'alicloud', region: 'cn-hangzhou' }, options(endpointOnly(), {})), ConfigurationError);
    expect(err.message).toBe(
      'alicloud: no AccessKey ID; set config cloudimages:alicloud.accessKeyId or environment variable ALIBABA_CLOUD_ACCESS_KEY_ID or ALICLOUD_ACCESS_KEY',
    );
    const noRegion = await refusal(lookupImages({ cloud: 'alicloud' }, options()), ConfigurationError);
    expect(noRegion.message).toMatch(
      /no region; pass region, or set config cloudimages:alicloud\.region or environment variable ALIBABA_CLOUD_REGION or ALICLOUD_REGION/,
    );
    expect(emulator.count()).toBe(0);
  });

  it('reports a skewed clock as a stale timestamp, with a hint, without retrying', async () => {
    emulator.clockSkewSeconds = 3600;
    const err = await refusal(lookupImages({ cloud: 'alicloud', region: 'cn-hangzhou', visibility: 'public' }, options()), CloudApiError);
    expect(err.cloudCode).toBe('InvalidTimeStamp.Expired');
    expect(err.message).toMatch(/check this machine's clock/);
    expect(emulator.count('alicloud')).toBe(1);
  });

  it('recovers from a server error and an unparseable answer on the first page', async () => {
    emulator.inject({ kind: 'server-error', cloud: 'alicloud' });
    emulator.inject({ kind: 'invalid-json', cloud: 'alicloud' });
    const { result } = await lookupImages({ cloud: 'alicloud', region: 'eu-central-1', visibility: 'public' }, options());
    expect(result.ids).toHaveLength(expectedIds((r) => r.region === 'eu-central-1' && r.ImageOwnerAlias === 'system' && r.Status === 'Available').length);
    expect(aliRequests().map((r) => r.fault ?? 'ok')).toEqual(['server-error', 'invalid-json', 'ok']);
  });

  it('surfaces a service error with its code, message and request ID, without retrying', async () => {
    const err = await refusal(
      lookupImages({ cloud: 'alicloud', region: 'cn-hangzhou', filters: { InstanceType: 'ecs.nonexistent.large' } }, options()),
      CloudApiError,
    );
    expect(err.code).toBe('CLOUD_API');
    expect(err.cloudCode).toBe('InvalidInstanceType.ValueNotSupported');
    expect(err.attempts).toBe(1);
    expect(err.message).toMatch(
      /^alicloud DescribeImages page 1: The specified InstanceType does not exist or beyond the permitted range\.; check filters\.InstanceType \(code InvalidInstanceType\.ValueNotSupported, HTTP 400, request ID [0-9A-F-]{36}\)$/,
    );
    // At most one per owner alias, no retries: the first refusal aborts the other alias's request, which the
    // emulator may or may not have seen by then.
    expect(emulator.count('alicloud')).toBeGreaterThanOrEqual(1);
    expect(emulator.count('alicloud')).toBeLessThanOrEqual(2);
  });

  it('retries a reused nonce with a fresh one, and fails if the nonce never changes', async () => {
    const c = catalog().credentials;
    const base = {
      endpoint: emulator.endpoint('alicloud'),
      credentials: { accessKeyId: c.accessKeyId, accessKeySecret: c.accessKeySecret },
      params: { RegionId: 'eu-central-1', ImageOwnerAlias: 'system' },
      errorContext: { credentialSources: { accessKeyId: 'a', accessKeySecret: 'b' } },
    };
    const nonces = ['n-1', 'n-1', 'n-2'];
    const records = await listImages(http, { ...base, nonce: () => nonces.shift() ?? 'n-x' });
    expect(records.length).toBeGreaterThan(0);
    emulator.resetCounts();
    await listImages(http, { ...base, nonce: () => 'n-fixed' });
    const err = await refusal(listImages(http, { ...base, nonce: () => 'n-fixed' }), CloudApiError);
    expect(err.cloudCode).toBe('SignatureNonceUsed');
    expect(err.attempts).toBe(http.retry.maxAttempts);
    expect(emulator.count('alicloud')).toBe(1 + http.retry.maxAttempts);
  });
});

describe('alicloud emulator', () => {
  const c = () => catalog().credentials;
  function signedUrl(params: Record<string, string>, options: { secret?: string; nonce?: string; now?: Date } = {}): string {
    const signed = signParams({
      method: 'GET',
      params: { Action: 'DescribeImages', Version: '2014-05-26', RegionId: 'cn-hangzhou', ...params },
      credentials: { accessKeyId: c().accessKeyId, accessKeySecret: options.secret ?? c().accessKeySecret },
      now: options.now ?? new Date(),
      nonce: options.nonce ?? `nonce-${Math.random()}`,
    });
    return `${emulator.endpoint('alicloud')}/?${encodeQuery(signed)}`;
  }
  const get = async (url: string) => {
    const response = await fetch(url);
    return { status: response.status, type: response.headers.get('content-type') ?? '', text: await response.text() };
  };

  it('answers XML unless Format=JSON', async () => {
    const url = signedUrl({ PageSize: '2' }).replace('Format=JSON', 'Format=XML');
    // Re-sign for XML: the signature covers Format.
    const signed = Object.fromEntries(new URL(url).searchParams);
    const { Signature: _s, ...rest } = signed;
    const xmlUrl = `${emulator.endpoint('alicloud')}/?${encodeQuery({ ...rest, Signature: computeSignature('GET', rest, c().accessKeySecret) })}`;
    const xml = await get(xmlUrl);
    expect(xml.status).toBe(200);
    expect(xml.type).toMatch(/text\/xml/);
    expect(xml.text).toMatch(
      /^<\?xml version="1\.0" encoding="UTF-8"\?><DescribeImagesResponse><PageNumber>1<\/PageNumber><TotalCount>\d+<\/TotalCount><PageSize>2<\/PageSize>/,
    );
    expect(xml.text.match(/<Image>/g)).toHaveLength(2);
    expect(xml.text.match(/<ImageId>[^<]+<\/ImageId>/g)).toHaveLength(2);
    expect(xml.text).toMatch(/<Tags>(<Tag><TagKey>|<\/Tags>)/);
    const json = await get(signedUrl({ PageSize: '2' }));
    expect(json.type).toMatch(/application\/json/);
    expect((JSON.parse(json.text) as AlicloudPage).Images.Image).toHaveLength(2);
  });

  it('refuses a bad signature, a stale timestamp, a reused nonce and PageSize above 100', async () => {
    const bad = JSON.parse((await get(signedUrl({}, { secret: 'not-the-secret' }))).text) as AlicloudError;
    expect(bad.Code).toBe('SignatureDoesNotMatch');
    const stale = JSON.parse((await get(signedUrl({}, { now: new Date(Date.now() - 20 * 60_000) }))).text) as AlicloudError;
    expect(stale.Code).toBe('InvalidTimeStamp.Expired');
    const once = signedUrl({}, { nonce: 'only-once' });
    expect((await get(once)).status).toBe(200);
    const again = await get(once);
    expect(again.status).toBe(400);
    expect((JSON.parse(again.text) as AlicloudError).Code).toBe('SignatureNonceUsed');
    const big = await get(signedUrl({ PageSize: '101' }));
    expect(big.status).toBe(400);
    expect(JSON.parse(big.text)).toMatchObject({ Code: 'InvalidParameter', Message: expect.stringMatching(/PageSize/) });
    const unknown = await get(signedUrl({ Architecture: 'sparc' }));
    expect(unknown.status).toBe(404);
    expect((JSON.parse(unknown.text) as AlicloudError).Code).toBe('InvalidArchitecture');
  });

  it('defaults Status to Available, pages 10 by default, and keeps one order that is not by date or name', async () => {
    const first = JSON.parse((await get(signedUrl({ ImageOwnerAlias: 'system' }))).text) as AlicloudPage;
    expect(first.PageSize).toBe(10);
    expect(first.TotalCount).toBe(expectedIds((r) => r.region === 'cn-hangzhou' && r.ImageOwnerAlias === 'system' && r.Status === 'Available').length);
    const images = first.Images.Image;
    expect(images.every((i) => i.Status === 'Available' && !('region' in i))).toBe(true);
    const times = images.map((i) => String(i.CreationTime));
    const names = images.map((i) => i.ImageName);
    expect(times).not.toEqual([...times].sort());
    expect(times).not.toEqual([...times].sort().reverse());
    expect(names).not.toEqual([...names].sort());
    const again = JSON.parse((await get(signedUrl({ ImageOwnerAlias: 'system' }))).text) as AlicloudPage;
    expect(again.Images.Image.map((i) => i.ImageId)).toEqual(images.map((i) => i.ImageId));
  });

  it('generates a realistic, deterministic built-in catalog', () => {
    const a = buildAlicloudCatalog();
    expect(buildAlicloudCatalog()).toEqual(a);
    expect(a.images.length).toBeGreaterThan(500);
    const values = (field: string) => new Set(a.images.map((i) => String(i[field])));
    expect(values('region')).toEqual(new Set(['cn-hangzhou', 'cn-shanghai', 'ap-southeast-1', 'eu-central-1']));
    expect(values('Architecture')).toEqual(new Set(['x86_64', 'arm64', 'i386']));
    expect(values('ImageOwnerAlias')).toEqual(new Set(['system', 'self', 'others', 'marketplace']));
    for (const s of ['Available', 'Deprecated', 'Creating', 'Waiting', 'CreateFailed', 'UnAvailable']) expect(values('Status')).toContain(s);
    expect(a.images.some((i) => /nvidia/i.test(i.ImageName))).toBe(true);
    const times = a.images.map((i) => `${i.region}/${String(i.CreationTime)}`);
    expect(new Set(times).size).toBeLessThan(times.length); // ties in CreationTime
    expect(Object.values(a.credentials).some((v) => v.startsWith('LTAI'))).toBe(false);
    expect(new Set(a.images.map((i) => i.ImageId + i.region)).size).toBe(a.images.length);
  });
});

describe('selectors DescribeImages cannot answer', () => {
  it('gpu: false is refused: without a GPU attribute "does not run on GPU machines" cannot be told', async () => {
    await expect(
      lookupImages({ cloud: 'alicloud', region: 'cn-hangzhou', gpu: false }, { config: emulator.clientConfig(), env: {}, http, sharing }),
    ).rejects.toThrow(/invalid argument "gpu": DescribeImages has no GPU attribute/);
    expect(emulator.count('alicloud')).toBe(0);
  });
});
