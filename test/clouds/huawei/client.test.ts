import { expect } from '@jest/globals';
import { Emulator } from '../../../provider/emulator/server';
import { useEmulator } from '../../helpers/emulator';
import { HttpClient } from '../../../provider/core/http/client';
import { RequestSharing } from '../../../provider/core/share';
import { lookupImage, lookupImages, LookupOptions } from '../../../provider/lookup';
import { testRegistry } from '../../helpers/registry';
import {
  HUAWEI_CLOUD_PROFILE,
  huaweiCloudModule,
  imsModule,
  OPEN_TELEKOM_CLOUD_PROFILE,
  openTelekomCloudModule,
  pushDown,
} from '../../../provider/clouds/huawei';
import { planFetch } from '../../../provider/core/backend';
import { ImsCatalog, imsCatalog } from '../../../provider/emulator/huawei/catalog';
import { API_LIMIT_MAX } from '../../../provider/emulator/huawei/api';
import { AuthenticationError, ConfigurationError, PagingError, ThrottlingError, ValidationError } from '../../../provider/core/errors';
import { anchoredLiteral, validateQuery } from '../../../provider/core/query';
import type { ImsImage } from '../../../provider/clouds/huawei/types';
import { signRequest } from '../../../provider/clouds/huawei/signer';
import { listImages, ListOptions } from '../../../provider/clouds/huawei/client';
import { localServer } from '../../helpers/server';
import { BUILT_IN_REGISTRY } from '../../../provider/clouds';

const http = () => new HttpClient({ retry: { baseDelayMs: 1, maxDelayMs: 5 } });

const emulator = useEmulator({ catalog: { huaweicloud: imsCatalog('huaweicloud'), opentelekomcloud: imsCatalog('opentelekomcloud') } });
let options: () => LookupOptions;
beforeEach(() => {
  const sharing = new RequestSharing();
  const client = http();
  options = () => ({ config: emulator.clientConfig(), env: {}, http: client, sharing });
});

const hw = () => emulator.catalog.huaweicloud as ImsCatalog;
const recordsIn = (catalog: ImsCatalog, region: string, keep: (i: ImsImage) => boolean) =>
  catalog.images.filter((e) => e.region === region && keep(e.image)).map((e) => e.image);

describe('the built-in catalogs', () => {
  test('are deterministic and varied', () => {
    expect(imsCatalog('huaweicloud')).toEqual(imsCatalog('huaweicloud'));
    const images = hw().images.map((e) => e.image);
    expect(images.length).toBeGreaterThan(400);
    for (const type of ['gold', 'private', 'shared', 'market']) expect(images.some((i) => i.__imagetype === type)).toBe(true);
    for (const status of ['active', 'queued', 'saving', 'killed', 'deleted']) expect(images.some((i) => i.status === status)).toBe(true);
    expect(images.some((i) => i.__support_arm === 'true')).toBe(true);
    expect(images.some((i) => typeof i.__support_kvm_gpu_type === 'string')).toBe(true);
    expect(images.some((i) => i.virtual_env_type === 'Ironic')).toBe(true);
    expect(new Set(images.map((i) => i.created_at)).size).toBeLessThan(images.length); // ties exist
    expect((emulator.catalog.opentelekomcloud as ImsCatalog).images.some((e) => e.image.__support_arm !== undefined)).toBe(false);
  });
});

describe('paging', () => {
  test('a catalog larger than three pages is read completely, each marker the last ID of the page before', async () => {
    const expected = recordsIn(hw(), 'cn-north-4', (i) => i.__imagetype === 'gold' && i.status === 'active');
    expect(expected.length).toBeGreaterThan(120);
    const { result } = await lookupImages({ cloud: 'huaweicloud', region: 'cn-north-4', visibility: 'public', filters: { limit: '40' } }, options());
    expect(new Set(result.ids)).toEqual(new Set(expected.map((i) => i.id)));
    expect(result.ids).toHaveLength(expected.length);
    const pages = emulator.requests;
    expect(pages).toHaveLength(Math.floor(expected.length / 40) + 1);
    expect(pages.length).toBeGreaterThan(3);
    expect(pages[0].query).toMatchObject({ __imagetype: 'gold', status: 'active', limit: '40', sort_key: 'created_at', sort_dir: 'desc' });
    expect(pages[0].query.marker).toBeUndefined();
    const byCreation = [...expected].sort((a, b) => (a.created_at! < b.created_at! ? 1 : a.created_at! > b.created_at! ? -1 : a.id < b.id ? 1 : -1));
    for (let p = 1; p < pages.length; p++) expect(pages[p].query.marker).toBe(byCreation[p * 40 - 1].id);
  });

  test('the default page is 1000, the largest the server honours', async () => {
    await lookupImages({ cloud: 'huaweicloud', region: 'cn-north-4', visibility: 'private' }, options());
    expect(emulator.requests.map((r) => r.query.limit)).toEqual(['1000']);
    await expect(lookupImages({ cloud: 'huaweicloud', region: 'cn-north-4', filters: { limit: '5000' } }, options())).rejects.toThrow(ValidationError);
    await expect(lookupImages({ cloud: 'huaweicloud', region: 'cn-north-4', filters: { marker: 'x' } }, options())).rejects.toThrow(/filters.marker/);
  });

  test('a repeated marker is a PagingError, not a silent loop', async () => {
    const catalog: ImsCatalog = { ...imsCatalog('huaweicloud'), quirks: { ignoreMarker: true } };
    const broken = await new Emulator({ catalog: { huaweicloud: catalog } }).start();
    try {
      const run = lookupImages(
        { cloud: 'huaweicloud', region: 'cn-north-4', visibility: 'public', filters: { limit: '40' } },
        { config: broken.clientConfig(), env: {}, http: http(), sharing: new RequestSharing() },
      );
      await expect(run).rejects.toThrow(PagingError);
      await expect(run).rejects.toThrow(/marker .* already used/);
      expect(broken.requests).toHaveLength(2);
    } finally {
      await broken.stop();
    }
  });

  test('an ID seen twice (duplicate records across pages) is a PagingError', async () => {
    const base = imsCatalog('opentelekomcloud');
    const gold = base.images.filter((e) => e.region === 'eu-de' && e.image.__imagetype === 'gold' && e.image.status === 'active');
    // A copy of the newest image, backdated so it lands on a later page with the same ID.
    const copy = { region: 'eu-de', image: { ...gold[gold.length - 1].image, created_at: '2000-01-01T00:00:00Z' } };
    const dup = await new Emulator({ catalog: { opentelekomcloud: { ...base, images: [...base.images, copy] } } }).start();
    try {
      const run = lookupImages(
        { cloud: 'opentelekomcloud', region: 'eu-de', visibility: 'public', filters: { limit: '50' } },
        { config: dup.clientConfig(), env: {}, http: http(), sharing: new RequestSharing() },
      );
      await expect(run).rejects.toThrow(/came back twice/);
    } finally {
      await dup.stop();
    }
  });

  test('a page with more records than the limit asked for is a PagingError, and paging stops there', async () => {
    // A server that ignores `limit`: always one record more than asked.
    const server = await localServer((req, res) => {
      const limit = Number(new URL(String(req.url), 'http://x').searchParams.get('limit'));
      const images = Array.from({ length: limit + 1 }, (_, i) => ({
        id: `img-${req.url?.length}-${i}`,
        name: `image ${i}`,
        created_at: '2025-01-01T00:00:00Z',
      }));
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ images }));
    });
    try {
      const config = { huaweicloud: { endpoint: server.url, authToken: 'iam-token-123456' } };
      const listing = lookupImages(
        { cloud: 'huaweicloud', region: 'cn-north-4', visibility: 'private', filters: { limit: '10' } },
        { config, env: {}, http: http(), sharing: new RequestSharing() },
      );
      await expect(listing).rejects.toBeInstanceOf(PagingError);
      await expect(listing).rejects.toThrow(
        /^huaweicloud ListImages \(__imagetype=private[^)]*\) page 1: the page holds 11 images, more than the limit=10 asked for; the server ignores paging/,
      );
      expect(server.hits).toBe(1);
      const newest = lookupImage(
        { cloud: 'huaweicloud', region: 'cn-north-4', visibility: 'private', mostRecent: true },
        { config, env: {}, http: http(), sharing: new RequestSharing() },
      );
      await expect(newest).rejects.toThrow(/newest: the page holds 2 images, more than the limit=1 asked for/);
    } finally {
      await server.close();
    }
  });

  test('a hard page limit ends a listing that never ends', async () => {
    const registry = testRegistry({ huaweicloud: imsModule(HUAWEI_CLOUD_PROFILE, { maxPages: 2 }) });
    await expect(
      lookupImages({ cloud: 'huaweicloud', region: 'cn-north-4', visibility: 'public', filters: { limit: '10' } }, { ...options(), registry }),
    ).rejects.toThrow(/within 2 pages/);
    expect(emulator.requests).toHaveLength(2);
  });
});

describe('the most recent fast path', () => {
  const query = {
    cloud: 'huaweicloud',
    region: 'cn-north-4',
    mostRecent: true,
    visibility: 'public',
    osType: 'linux',
    osDistro: 'ubuntu',
    architecture: 'arm64',
  };

  test('two requests when every selector is pushed down (the newest record, then all since its time less a day), and the same answer as a full listing', async () => {
    const { result } = await lookupImage(query, options());
    expect(emulator.requests).toHaveLength(2);
    const pushed = {
      __imagetype: 'gold',
      status: 'active',
      __os_type: 'Linux',
      __platform: 'Ubuntu',
      architecture: 'arm',
      sort_key: 'created_at',
      sort_dir: 'desc',
    };
    expect(emulator.requests[0].query).toEqual({ ...pushed, limit: '1' });
    expect(emulator.requests[1].query).toEqual({ ...pushed, created_at: expect.stringMatching(/^gte:\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/), limit: '1000' });
    const since = Date.parse(String(emulator.requests[1].query.created_at).slice(4));
    expect(Date.parse(result.createdAt!) - since).toBe(86_400_000);
    const all = await lookupImages({ ...query, mostRecent: undefined }, options());
    expect(all.result.images.length).toBeGreaterThan(1);
    expect(result.id).toBe(all.result.ids[0]);
    expect(emulator.requests[2].query.limit).toBe('1000'); // getImages never takes the fast path
    expect(emulator.requests[2].query.created_at).toBeUndefined();
  });

  test('the default visibility (gold and private) costs one request per image type', async () => {
    const { result } = await lookupImage({ ...query, visibility: undefined }, options());
    expect([...new Set(emulator.requests.map((r) => r.query.__imagetype))].sort()).toEqual(['gold', 'private']);
    expect(emulator.requests.filter((r) => r.query.limit === '1')).toHaveLength(2);
    expect(['public', 'private']).toContain(result.visibility);
  });

  test('a selector that cannot be pushed down (a regex) reads the full listing', async () => {
    await lookupImage({ ...query, nameRegex: 'Ubuntu 2' }, options());
    expect(emulator.requests.every((r) => r.query.limit === '1000')).toBe(true);
  });

  test('a tie at the newest second is resolved by name then ID, as the contract orders', async () => {
    const base = imsCatalog('huaweicloud');
    const at = '2030-05-01T10:00:00Z';
    const mk = (id: string, name: string) => ({
      region: 'cn-north-4',
      image: {
        ...base.images[0].image,
        id,
        name,
        created_at: at,
        status: 'active',
        __imagetype: 'gold',
        __platform: 'Ubuntu',
        __os_version: 'Ubuntu 22.04 server 64bit',
        __os_type: 'Linux',
        __support_arm: 'true',
      },
    });
    // The server breaks ties by ID descending ("zz…" first); the contract wants name ascending ("Alpha").
    const tied = await new Emulator({ catalog: { huaweicloud: { ...base, images: [...base.images, mk('zzzz-1', 'Zeta'), mk('aaaa-2', 'Alpha')] } } }).start();
    try {
      const { result } = await lookupImage(query, { config: tied.clientConfig(), env: {}, http: http(), sharing: new RequestSharing() });
      expect(result.name).toBe('Alpha');
      expect(tied.requests).toHaveLength(2);
      expect(tied.requests[1].query.created_at).toBe('gte:2030-04-30T10:00:00Z');
    } finally {
      await tied.stop();
    }
  });

  test('mostRecent over shared images is refused before any request', async () => {
    await expect(lookupImage({ ...query, visibility: 'shared' }, options())).rejects.toThrow(ValidationError);
    expect(emulator.requests).toHaveLength(0);
  });
});

describe('errors and retries', () => {
  test('a 429 APIG.0308 is retried and recovered', async () => {
    emulator.inject({ kind: 'throttle', cloud: 'huaweicloud', times: 2 });
    const { result } = await lookupImages({ cloud: 'huaweicloud', region: 'ap-southeast-3', visibility: 'private' }, options());
    expect(result.ids.length).toBeGreaterThan(0);
    expect(emulator.requests.map((r) => r.status)).toEqual([429, 429, 200]);
  });

  test('throttled beyond the retry budget is a ThrottlingError with the cloud code', async () => {
    emulator.inject({ kind: 'throttle', cloud: 'huaweicloud', times: Infinity });
    const run = lookupImages({ cloud: 'huaweicloud', region: 'ap-southeast-3', visibility: 'public' }, options());
    await expect(run).rejects.toThrow(ThrottlingError);
    expect(emulator.requests).toHaveLength(5); // the retry budget, then stop
    await expect(run).rejects.toThrow(/APIG\.0308/);
  });

  test('a 502 is retried', async () => {
    emulator.inject({ kind: 'server-error', cloud: 'opentelekomcloud' });
    const { result } = await lookupImages({ cloud: 'opentelekomcloud', region: 'eu-nl', visibility: 'public' }, options());
    expect(result.ids.length).toBeGreaterThan(0);
    expect(emulator.requests.map((r) => r.status)).toEqual([502, 200]);
  });

  test('a wrong secret key is APIG.0301, names the settings used and never their values', async () => {
    const config = emulator.clientConfig();
    config.huaweicloud = { ...config.huaweicloud, secretKey: 'wrong-secret-key-0123456789' };
    const run = lookupImages({ cloud: 'huaweicloud', region: 'cn-north-4' }, { ...options(), config });
    await expect(run).rejects.toThrow(AuthenticationError);
    const err = (await run.catch((e: unknown) => e)) as AuthenticationError;
    expect(err.cloudCode).toBe('APIG.0301');
    expect(err.requestId).toMatch(/^emu/);
    expect(err.message).toContain('cloudimages:huaweicloud.secretKey');
    expect(err.message).not.toContain('wrong-secret-key-0123456789');
    expect(err.message).not.toContain(hw().credentials.accessKey);
    expect(emulator.requests.map((r) => r.status)).toEqual([401, 401]); // one per image type, none retried
  });

  test('a signature made for other parameters is refused (the emulator checks the whole canonical request)', async () => {
    const { credentials } = hw();
    const url = `${emulator.endpoint('huaweicloud').replace('{region}', 'cn-north-4')}/v2/cloudimages?limit=1`;
    const signed = signRequest({ method: 'GET', url, headers: { 'x-project-id': credentials.projectId } }, credentials, new Date());
    const ok = await fetch(url, { headers: signed.headers });
    expect(ok.status).toBe(200);
    const tampered = await fetch(url.replace('limit=1', 'limit=2'), { headers: signed.headers });
    expect(tampered.status).toBe(401);
    expect(await tampered.json()).toMatchObject({ error_code: 'APIG.0301' });
    const stale = signRequest({ method: 'GET', url, headers: {} }, credentials, new Date(Date.now() - 3600_000));
    expect((await fetch(url, { headers: stale.headers })).status).toBe(401);
  });
});

describe('credentials and settings', () => {
  test('an IAM token in X-Auth-Token works, and so do temporary AK/SK with a security token', async () => {
    const { credentials } = hw();
    const endpoint = emulator.endpoint('huaweicloud');
    const byToken = await lookupImages(
      { cloud: 'huaweicloud', region: 'cn-north-4', visibility: 'private' },
      { ...options(), config: { huaweicloud: { endpoint, authToken: credentials.authToken } } },
    );
    const tempEnv = {
      HW_ACCESS_KEY: credentials.tempAccessKey,
      HW_SECRET_KEY: credentials.tempSecretKey,
      HW_SECURITY_TOKEN: credentials.securityToken,
      HW_PROJECT_ID: credentials.projectId,
    };
    const byTemp = await lookupImages(
      { cloud: 'huaweicloud', region: 'cn-north-4', visibility: 'private', endpoint },
      { ...options(), config: {}, env: tempEnv },
    );
    const { HW_SECURITY_TOKEN: _dropped, ...withoutToken } = tempEnv;
    await expect(lookupImages({ cloud: 'huaweicloud', region: 'cn-north-4', endpoint }, { ...options(), config: {}, env: withoutToken })).rejects.toThrow(
      /X-Security-Token/,
    );
    expect(byToken.result.ids.length).toBeGreaterThan(0);
    expect(byTemp.result.ids).toEqual(byToken.result.ids);
    const badToken = lookupImages(
      { cloud: 'huaweicloud', region: 'cn-north-4' },
      { ...options(), config: { huaweicloud: { endpoint, authToken: 'not-the-token-123' } } },
    );
    await expect(badToken).rejects.toThrow(/cloudimages:huaweicloud\.authToken were refused/);
  });

  test('missing credentials are a ConfigurationError naming what to set, before any request', async () => {
    const endpoint = emulator.endpoint('huaweicloud');
    await expect(lookupImages({ cloud: 'huaweicloud', region: 'cn-north-4', endpoint }, { ...options(), config: {} })).rejects.toThrow(
      /HW_ACCESS_KEY or OS_ACCESS_KEY.*HW_AUTH_TOKEN or OS_AUTH_TOKEN/,
    );
    await expect(
      lookupImages({ cloud: 'opentelekomcloud', region: 'eu-de', endpoint }, { ...options(), config: {}, env: { HW_ACCESS_KEY: 'a', HW_SECRET_KEY: 'b' } }),
    ).rejects.toThrow(/OS_ACCESS_KEY/);
    await expect(
      lookupImages({ cloud: 'huaweicloud', region: 'cn-north-4', endpoint }, { ...options(), config: {}, env: { OS_ACCESS_KEY: 'a', OS_SECRET_KEY: 'b' } }),
    ).rejects.toThrow(/project ID.*HW_PROJECT_ID/);
    await expect(lookupImages({ cloud: 'huaweicloud', endpoint }, options())).rejects.toThrow(ConfigurationError);
    expect(emulator.requests).toHaveLength(0);
  });

  test('endpoints: query overrides config overrides the default; {region} is filled', () => {
    const env = { OS_ACCESS_KEY: 'AKEXAMPLE0000000', OS_SECRET_KEY: 'sk-example-secret', OS_PROJECT_ID: 'p1', OS_REGION_NAME: 'eu-nl' };
    const q = (extra: object) => ({ ...validateQuery({ cloud: 'opentelekomcloud', ...extra }, BUILT_IN_REGISTRY), visibility: undefined });
    expect(planFetch(openTelekomCloudModule, q({}), {}, env).key).toContain('"endpoint":"https://ims.eu-nl.otc.t-systems.com"');
    expect(planFetch(huaweiCloudModule, { ...q({ region: 'ap-southeast-1' }), cloud: 'huaweicloud' }, {}, env).key).toContain(
      'https://ims.ap-southeast-1.myhuaweicloud.com',
    );
    const config = { opentelekomcloud: { endpoint: 'https://ims.example.test/{region}' } };
    expect(planFetch(openTelekomCloudModule, q({}), config, env).key).toContain('https://ims.example.test/eu-nl');
    expect(planFetch(openTelekomCloudModule, q({ endpoint: 'https://other.test/{region}' }), config, env).key).toContain('https://other.test/eu-nl');
    expect(() => planFetch(openTelekomCloudModule, q({ endpoint: 'http://ims.example.test' }), config, env)).toThrow(/refusing plain http/);
  });

  test('the fetch key has identity, project and parameters but no secret; identical requests share one fetch', async () => {
    const env = { OS_ACCESS_KEY: 'AKEXAMPLE0000000', OS_SECRET_KEY: 'sk-example-secret', OS_PROJECT_ID: 'p1', OS_REGION_NAME: 'eu-de' };
    const key = planFetch(openTelekomCloudModule, validateQuery({ cloud: 'opentelekomcloud', osType: 'linux' }, BUILT_IN_REGISTRY), {}, env).key;
    expect(key).not.toContain('AKEXAMPLE0000000');
    expect(key).not.toContain('sk-example-secret');
    expect(key).toMatch(/"identity":"ak:[0-9a-f]{16}"/);
    expect(key).toContain('"project":"p1"');
    expect(key).toContain('__os_type');
    const other = planFetch(
      openTelekomCloudModule,
      validateQuery({ cloud: 'opentelekomcloud', osType: 'linux' }, BUILT_IN_REGISTRY),
      {},
      { ...env, OS_ACCESS_KEY: 'AKOTHER000000000' },
    ).key;
    expect(other).not.toBe(key);

    const opts = options();
    const q = { cloud: 'opentelekomcloud', region: 'eu-de', osType: 'windows' };
    const [a, b] = await Promise.all([lookupImages(q, opts), lookupImages({ ...q, nameRegex: 'Datacenter' }, opts)]);
    expect(opts.sharing!.fetches).toBe(1);
    expect(b.result.ids.length).toBeLessThanOrEqual(a.result.ids.length);
    expect(a.result.images.every((i) => i.osType === 'windows' && i.cloud === 'opentelekomcloud')).toBe(true);
  });
});

describe('push-down', () => {
  const plan = (args: object, profile = HUAWEI_CLOUD_PROFILE) =>
    pushDown(validateQuery({ cloud: profile.cloud, ...args }, BUILT_IN_REGISTRY), profile, ['private', 'public']);

  test('Huawei pushes architecture; Open Telekom Cloud does not', () => {
    expect(plan({ architecture: 'arm64' }).params).toContainEqual(['architecture', 'arm']);
    expect(plan({ architecture: 'arm64' }, OPEN_TELEKOM_CLOUD_PROFILE).params.map(([k]) => k)).not.toContain('architecture');
    expect(plan({ architecture: 'arm64' }, OPEN_TELEKOM_CLOUD_PROFILE).exact).toBe(false);
    expect(plan({ architecture: 'x86_64' }).exact).toBe(false); // 32-bit images would pass architecture=x86
    expect(plan({ architecture: 'i386' }).params).toEqual(
      expect.arrayContaining([
        ['architecture', 'x86'],
        ['__os_bit', '32'],
      ]),
    );
  });

  test('name when the regex is a literal; machine type; tags; filters pass through', () => {
    expect(anchoredLiteral('^Ubuntu 22\\.04 server 64bit$')).toBe('Ubuntu 22.04 server 64bit');
    expect(anchoredLiteral('^Ubuntu.*$')).toBeUndefined();
    const p = plan({
      nameRegex: '^CentOS 7\\.9 64bit$',
      machineType: 'baremetal',
      tags: { env: 'prod' },
      filters: { __support_kvm_gpu_type: 'V100', created_at: 'gt:2024-01-01T00:00:00Z' },
    });
    expect(p.params).toEqual([
      ['virtual_env_type', 'Ironic'],
      ['name', 'CentOS 7.9 64bit'],
      ['tag', 'env=prod'],
      ['__support_kvm_gpu_type', 'V100'],
      ['created_at', 'gt:2024-01-01T00:00:00Z'],
    ]);
    expect(p.listings).toEqual([
      [
        ['__imagetype', 'gold'],
        ['status', 'active'],
      ],
      [
        ['__imagetype', 'private'],
        ['status', 'active'],
      ],
    ]);
    expect(p.exact).toBe(true);
  });

  test('statuses: one listing per native status; deleted only when asked; none for deprecated', () => {
    expect(plan({ status: 'pending', visibility: 'public' }).listings).toEqual([[['__imagetype', 'gold']]]);
    expect(plan({ status: 'pending', visibility: 'public' }).exact).toBe(false);
    expect(plan({ status: ['available', 'unavailable'], visibility: 'public' }).listings).toEqual([
      [['__imagetype', 'gold']],
      [
        ['__imagetype', 'gold'],
        ['status', 'deleted'],
      ],
    ]);
    expect(plan({ status: 'deprecated' }).listings).toEqual([]);
  });

  test('deleted images are found when asked for', async () => {
    const deleted = recordsIn(hw(), 'cn-north-4', (i) => i.status === 'deleted' && i.__imagetype === 'private');
    const { result } = await lookupImages({ cloud: 'huaweicloud', region: 'cn-north-4', status: 'unavailable', visibility: 'private' }, options());
    expect(new Set(result.ids)).toEqual(new Set(deleted.map((i) => i.id)));
    expect(deleted.length).toBeGreaterThan(0);
  });

  test('GPU images and bare-metal images come through normalized', async () => {
    const gpu = await lookupImages(
      { cloud: 'huaweicloud', region: 'cn-north-4', gpu: true, gpuModel: 'V100', visibility: ['public', 'private', 'shared', 'marketplace'] },
      options(),
    );
    expect(gpu.result.images.length).toBeGreaterThan(0);
    expect(gpu.result.images.every((i) => i.gpu.supported && i.gpu.models.some((m) => m.startsWith('V100')) && i.gpu.vendor === null)).toBe(true);
    const bms = await lookupImages({ cloud: 'opentelekomcloud', region: 'eu-de', machineType: 'baremetal' }, options());
    expect(bms.result.images.length).toBeGreaterThan(0);
    expect(emulator.requests.at(-1)!.query.virtual_env_type).toBe('Ironic');
  });
});

describe('the emulator', () => {
  test(`caps limit silently at ${API_LIMIT_MAX}, like Glance`, async () => {
    const base = imsCatalog('huaweicloud');
    const many = Array.from({ length: 1100 }, (_, i) => ({
      region: 'cn-north-4',
      image: { ...base.images[0].image, id: `id-${String(i).padStart(5, '0')}`, status: 'active' },
    }));
    const big = await new Emulator({ catalog: { huaweicloud: { ...base, images: many } } }).start();
    try {
      const url = `${big.endpoint('huaweicloud').replace('{region}', 'cn-north-4')}/v2/cloudimages?limit=5000`;
      const response = await fetch(url, { headers: { 'x-auth-token': base.credentials.authToken } });
      expect(response.status).toBe(200);
      expect(((await response.json()) as { images: unknown[] }).images).toHaveLength(1000);
      const bad = await fetch(url.replace('limit=5000', 'architecture=arm&foo=1'), { headers: { 'x-auth-token': base.credentials.authToken } });
      expect(bad.status).toBe(400);
    } finally {
      await big.stop();
    }
  });

  test('Open Telekom Cloud rejects the Huawei-only architecture filter', async () => {
    const { credentials } = emulator.catalog.opentelekomcloud as ImsCatalog;
    const url = `${emulator.endpoint('opentelekomcloud').replace('{region}', 'eu-de')}/v2/cloudimages?architecture=arm`;
    const response = await fetch(url, { headers: { 'x-auth-token': credentials.authToken } });
    expect(response.status).toBe(400);
  });
});

describe('what IMS cannot answer, regions and credential sources', () => {
  test('selectors IMS cannot answer are refused before any request', () => {
    for (const [args, argument] of [
      [{ gpuVendor: 'NVIDIA' }, 'gpuVendor'],
      [{ gpuDriver: '>=525' }, 'gpuDriver'],
      [{ softwareVersions: { kubernetes: '^1.30' } }, 'softwareVersions'],
    ] as const) {
      expect(() =>
        planFetch(huaweiCloudModule, validateQuery({ cloud: 'huaweicloud', region: 'cn-north-4', ...args }, BUILT_IN_REGISTRY), emulator.clientConfig(), {}),
      ).toThrow(new RegExp(`invalid argument "${argument}": huaweicloud images do not report this`));
    }
  });

  test('machineType vm is selected locally (undocumented env types are not vm), so it is not pushed down', () => {
    const plan = planFetch(
      huaweiCloudModule,
      validateQuery({ cloud: 'huaweicloud', region: 'cn-north-4', machineType: 'vm' }, BUILT_IN_REGISTRY),
      emulator.clientConfig(),
      {},
    );
    expect(plan.key).not.toContain('virtual_env_type');
  });

  test('a region from the environment that is not a plain name is refused before any request', () => {
    const env = { HW_ACCESS_KEY: 'ak-1234567', HW_SECRET_KEY: 'sk-1234567', HW_PROJECT_ID: 'p', HW_REGION_NAME: 'attacker.example/x#' };
    expect(() => planFetch(huaweiCloudModule, validateQuery({ cloud: 'huaweicloud' }, BUILT_IN_REGISTRY), {}, env)).toThrow(/invalid argument "region"/);
  });

  test('credentials come from one source: a configured token is not overridden by AK/SK in the environment', async () => {
    const creds = (emulator.catalog.huaweicloud as ImsCatalog).credentials;
    const config = { huaweicloud: { endpoint: emulator.endpoint('huaweicloud'), authToken: creds.authToken } };
    const env = { HW_ACCESS_KEY: 'stale-access-key-0000', HW_SECRET_KEY: 'stale-secret-key-0000', HW_PROJECT_ID: creds.projectId };
    const { result } = await lookupImages(
      { cloud: 'huaweicloud', region: 'cn-north-4', visibility: 'public' },
      { config, env, http: http(), sharing: new RequestSharing() },
    );
    // The stale AK/SK would be refused (APIG.0301): an answer means the configured token was used.
    expect(result.ids.length).toBeGreaterThan(0);
  });
});

describe('marker paging reads each page while the next travels', () => {
  const listOptions = (endpoint: string): ListOptions => ({
    cloud: 'huaweicloud',
    endpoint,
    headers: {},
    credentialSource: 'test',
    params: [],
    listings: [[]],
    pageSize: 2,
    maxPages: 10,
    fastPath: false,
  });
  const page = (ids: string[]) => JSON.stringify({ images: ids.map((id) => ({ id, name: id, status: 'active' })) });

  it('asks for page k+1 before page k is read, and returns every record read, in order', async () => {
    const server = await localServer((req, res) => {
      const marker = new URL(String(req.url), 'http://x').searchParams.get('marker');
      res.end(page(marker === null ? ['a', 'b'] : marker === 'b' ? ['c', 'd'] : ['e']));
    });
    try {
      const lookup = http().forLookup();
      const sentWhenRead: Record<string, number> = {};
      const read = await listImages(lookup, listOptions(server.url), (record) => ((sentWhenRead[record.id] = lookup.sent), record.id));
      expect(read).toEqual(['a', 'b', 'c', 'd', 'e']);
      expect(sentWhenRead).toEqual({ a: 2, b: 2, c: 3, d: 3, e: 3 }); // the last page has nothing after it
    } finally {
      await server.close();
    }
  });

  it('a record that cannot be read aborts the page in flight and fails once it has settled', async () => {
    let settlePage2!: (hungUp: boolean) => void;
    const page2HungUp = new Promise<boolean>((resolve) => (settlePage2 = resolve)); // by the client, before its answer
    const server = await localServer((req, res) => {
      const marker = new URL(String(req.url), 'http://x').searchParams.get('marker');
      if (marker === null) return res.end(page(['a', 'b']));
      const answer = setTimeout(() => res.end(page(['c'])), 10_000); // page 2: only an abort ends it early
      res.once('close', () => (clearTimeout(answer), settlePage2(!res.writableEnded)));
    });
    try {
      const lookup = http().forLookup();
      const failing = listImages(lookup, listOptions(server.url), (record) => {
        if (record.id === 'b') throw new PagingError('b cannot be read', { cloud: 'huaweicloud' });
        return record.id;
      });
      await expect(failing).rejects.toThrow('b cannot be read');
      expect(lookup.sent).toBe(2); // page 2 was asked for before page 1 was read
      expect(lookup.inFlight).toBe(0); // and aborted, settled before the rejection
      expect(await page2HungUp).toBe(true); // the server saw page 2 hung up on, not answered
    } finally {
      await server.close();
    }
  });
});
