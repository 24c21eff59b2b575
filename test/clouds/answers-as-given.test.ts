/**
 * Answers read as given, on every cloud: nothing guessed (unknown stays unknown), every status the package gives an
 * image selects it alone, keys are data, and an answer is complete or fails (issue 24).
 */
import { expect } from '@jest/globals';
import fc from 'fast-check';
import { normalizeImage as normalizeNscale } from '../../provider/clouds/nscale/normalize';
import { normalizeImage as normalizeIms } from '../../provider/clouds/huawei/normalize';
import type { ImsImage } from '../../provider/clouds/huawei/types';
import { normalizeImage as normalizeAlicloud } from '../../provider/clouds/alicloud/normalize';
import { normalizeAnswer as normalizeUcloud } from '../../provider/clouds/ucloud/normalize';
import { interpretAnswer as interpretAlicloud } from '../../provider/clouds/alicloud/errors';
import { HttpClient, parseJsonBody } from '../../provider/core/http/client';
import { CloudApiError } from '../../provider/core/errors';
import { Image, makeImage, STATUSES, warningsOf } from '../../provider/core/image';
import { compileQuery, validateQuery } from '../../provider/core/query';
import { selectImages } from '../../provider/core/select';
import { RequestSharing } from '../../provider/core/share';
import { lookupImage, lookupImages } from '../../provider/lookup';
import { Emulator } from '../../provider/emulator/server';
import { nscaleCatalog, REGION_IDS } from '../../provider/emulator/nscale/catalog';
import { imsCatalog } from '../../provider/emulator/huawei/catalog';
import { localServer } from '../helpers/server';
import { BUILT_IN_REGISTRY } from '../../provider/clouds';

const http = () => new HttpClient({ retry: { baseDelayMs: 1, maxDelayMs: 5 } });
const nscaleRecord = (metadata: object, spec: object = {}, status?: object) => ({
  metadata: { id: 'img-1', name: 'ubuntu-24.04', creationTime: '2025-01-02T03:04:05Z', ...metadata },
  spec: { virtualization: 'virtualized', architecture: 'x86_64', ...spec },
  ...(status === undefined ? {} : { status }),
});
const nscale = (record: unknown) => normalizeNscale(record, { regionId: REGION_IDS[0], visibility: 'public' });
const ims = (fields: Partial<ImsImage>) => normalizeIms({ id: 'img-1', name: 'n', created_at: '2025-01-02T03:04:05Z', ...fields }, 'huaweicloud', 'r');

describe('nothing guessed', () => {
  it('nscale without spec.virtualization has an unknown machine type, which neither vm nor baremetal selects', () => {
    const image = nscale(nscaleRecord({}, { virtualization: undefined }));
    expect(image.machineType).toBe('unknown');
    for (const machineType of ['vm', 'baremetal']) {
      expect(selectImages([image], compileQuery(validateQuery({ cloud: 'nscale', machineType }, BUILT_IN_REGISTRY)))).toEqual([]);
    }
    expect(nscale(nscaleRecord({}, { virtualization: 'virtualized' })).machineType).toBe('vm');
  });

  it('makeImage states nothing a cloud did not: no machine type is unknown, on every cloud', () => {
    expect(makeImage({ id: 'x', cloud: 'nscale', region: 'r' }).machineType).toBe('unknown');
    expect(ims({ virtual_env_type: undefined }).machineType).toBe('unknown');
  });

  it("Go's zero values are unknown: the zero time is no creation time (with a warning), empty strings are null", () => {
    const image = nscale(
      nscaleRecord(
        { creationTime: '0001-01-01T00:00:00Z', description: '' },
        {
          sizeGiB: 0,
          os: { kernel: 'linux', family: '', distro: 'ubuntu', version: '', variant: '', codename: '' },
          gpu: { vendor: '', driver: '', models: [] },
        },
      ),
    );
    expect(image).toMatchObject({
      createdAt: null,
      description: null,
      osVersion: null,
      family: null,
      sizeGiB: null,
      gpu: { supported: null, vendor: null, driver: null },
    });
    expect(nscale(nscaleRecord({}, { os: { distro: '' }, architecture: '' }))).toMatchObject({ osDistro: null, architecture: 'unknown' });
    expect(nscale(nscaleRecord({}, { gpu: { vendor: 'NVIDIA', driver: '' } })).gpu.supported).toBe(true);
    expect(warningsOf(image).join('\n')).toMatch(/Go's zero time/);
    expect(ims({ created_at: '0001-01-01T00:00:00Z', __os_version: '', __description: '' })).toMatchObject({
      createdAt: null,
      osName: null,
      description: null,
    });
  });

  it('an IMS record without __imagetype keeps the visibility Glance states; __imagetype wins where both are given', () => {
    expect(ims({ visibility: 'public' }).visibility).toBe('public');
    expect(ims({ visibility: 'private' }).visibility).toBe('private');
    expect(ims({ visibility: 'community' }).visibility).toBeNull();
    expect(ims({ visibility: 'constructor' }).visibility).toBeNull();
    expect(ims({ visibility: 'public', __imagetype: 'market' }).visibility).toBe('marketplace');
  });

  it('an IMS GPU attribute given as a boolean true means a GPU (without a model), so gpu: false does not select it', () => {
    for (const flag of [true, 'true', 'True'] as const) {
      const image = ims({ __support_kvm_gpu_type: flag });
      expect(image.gpu).toMatchObject({ supported: true, models: [] });
      expect(selectImages([image], compileQuery(validateQuery({ cloud: 'huaweicloud', gpu: false }, BUILT_IN_REGISTRY)))).toEqual([]);
    }
    expect(ims({ __support_xen_gpu_type: 'false' }).gpu).toMatchObject({ supported: false, models: [] });
    expect(ims({ __support_kvm_gpu_type: 'V100,T4' }).gpu).toMatchObject({ supported: true, models: ['V100', 'T4'] });
  });

  it('Glance kernel and ramdisk images (aki, ari) are not offered as machine images', async () => {
    const images = [
      { id: 'kernel', name: 'vmlinuz', disk_format: 'aki', container_format: 'aki', status: 'active', __imagetype: 'gold', created_at: '2025-01-03T00:00:00Z' },
      { id: 'ramdisk', name: 'initrd', disk_format: 'ari', container_format: 'ari', status: 'active', __imagetype: 'gold', created_at: '2025-01-02T00:00:00Z' },
      {
        id: 'machine',
        name: 'ubuntu',
        disk_format: 'zvhd2',
        container_format: 'bare',
        status: 'active',
        __imagetype: 'gold',
        created_at: '2025-01-01T00:00:00Z',
      },
    ];
    const server = await localServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ images })));
    try {
      const { result } = await lookupImages(
        { cloud: 'huaweicloud', region: 'cn-north-4', visibility: 'public' },
        { config: { huaweicloud: { endpoint: server.url, authToken: 'iam-token-123456' } }, env: {}, http: http(), sharing: new RequestSharing() },
      );
      expect(result.ids).toEqual(['machine']);
    } finally {
      await server.close();
    }
  });
});

describe('a record without a name is listed with name null and a warning, on every cloud', () => {
  const expectNameless = (image: Image | null | undefined) => {
    expect(image?.name).toBeNull();
    expect(warningsOf(image!)).toContain(`image ${JSON.stringify(image!.id)}: the record has no name; it is listed with name null`);
  };
  it.each([
    ['nscale', () => nscale(nscaleRecord({ name: undefined }))],
    ['nscale (empty)', () => nscale(nscaleRecord({ name: '' }))],
    ['huaweicloud', () => ims({ name: undefined })],
    ['alicloud', () => normalizeAlicloud({ ImageId: 'm-1' }, { region: 'r' })],
    ['ucloud', () => normalizeUcloud({ RetCode: 0, ImageSet: [{ ImageId: 'uimage-1', ZoneId: 1 }] }, { region: 'r' })[0]],
  ])('%s', (_cloud, read) => expectNameless(read()));

  it('sorts after named images of the same time, matches no nameRegex, and is chosen by ID among the nameless', () => {
    const at = '2025-01-01T00:00:00Z';
    const named = makeImage({ id: 'b', name: 'zzz', cloud: 'nscale', region: 'r', createdAt: at });
    const nameless = makeImage({ id: 'a', cloud: 'nscale', region: 'r', createdAt: at });
    expect(selectImages([nameless, named], compileQuery(validateQuery({ cloud: 'nscale' }, BUILT_IN_REGISTRY))).map((i) => i.id)).toEqual(['b', 'a']);
    expect(selectImages([nameless, named], compileQuery(validateQuery({ cloud: 'nscale', nameRegex: '.*' }, BUILT_IN_REGISTRY))).map((i) => i.id)).toEqual([
      'b',
    ]);
    expect(selectImages([nameless, named], compileQuery(validateQuery({ cloud: 'nscale', nameRegex: 'null' }, BUILT_IN_REGISTRY))).map((i) => i.id)).toEqual(
      [],
    );
  });
});

describe('statuses', () => {
  it('a state such as constructor, toString or __proto__ is an unknown status, never a prototype member', () => {
    for (const state of ['constructor', 'toString', '__proto__', 'hasOwnProperty', 'retired', '']) {
      expect(nscale(nscaleRecord({}, {}, { state })).status).toBe('unavailable');
      expect(ims({ status: state }).status).toBe('unavailable');
      expect(normalizeAlicloud({ ImageId: 'm-1', Status: state }, { region: 'r' }).status).toBe('unavailable');
    }
  });

  // Every status the package gives an image selects it when asked for alone, over the emulator's API.
  const settled = <T>(p: Promise<T>) =>
    p.then(
      (v) => v,
      () => undefined,
    );
  const eachStatusAlone = async (emulator: Emulator, args: Record<string, unknown>) => {
    const options = { config: emulator.clientConfig(), env: {}, http: http(), sharing: new RequestSharing() };
    const all = await lookupImages({ ...args, status: [...STATUSES] }, options);
    expect(all.result.ids.length).toBeGreaterThan(0);
    for (const status of STATUSES) {
      const alone = await settled(lookupImages({ ...args, status }, { ...options, sharing: new RequestSharing() }));
      const expected = all.result.images.filter((i) => i.status === status).map((i) => i.id);
      expect({ status, ids: alone?.result.ids ?? [] }).toEqual({ status, ids: expected });
    }
    return all.result.images;
  };

  it.each([
    ['alicloud', 'cn-hangzhou'],
    ['ucloud', 'cn-bj2'],
    ['nscale', REGION_IDS[0]],
    ['opentelekomcloud', 'eu-de'],
  ])('%s (built-in catalog): each status alone lists exactly the images in it', async (cloud, region) => {
    const emulator = await new Emulator().start();
    try {
      await eachStatusAlone(emulator, { cloud, region });
    } finally {
      await emulator.stop();
    }
  });

  it('nscale: an image without a state or with an undocumented one is unavailable, and --status unavailable lists it', async () => {
    const base = nscaleCatalog();
    const seed = base.images[0];
    const states = [undefined, { state: 'retired' }, { state: 'constructor' }, {}, { state: 'ready' }, { state: 'creating' }, { state: 'failed' }];
    const images = states.map((status, i) => {
      const image = JSON.parse(JSON.stringify(seed.image)) as Record<string, unknown> & { metadata: Record<string, unknown> };
      image.metadata = { ...image.metadata, id: `state-${i}`, name: `state ${i}` };
      if (status === undefined) delete image.status;
      else image.status = status;
      return { ...seed, image };
    });
    const emulator = await new Emulator({ catalog: { nscale: { ...base, images } as unknown as typeof base } }).start();
    try {
      const listed = await eachStatusAlone(emulator, { cloud: 'nscale', region: seed.regionId });
      expect(
        listed
          .filter((i) => i.status === 'unavailable')
          .map((i) => i.id)
          .sort(),
      ).toEqual(['state-0', 'state-1', 'state-2', 'state-3']);
    } finally {
      await emulator.stop();
    }
  });

  it('huaweicloud: an undocumented Glance state (deactivated, uploading) is unavailable, and --status unavailable lists it with the deleted ones', async () => {
    const base = imsCatalog('huaweicloud');
    const template = base.images.find((e) => e.region === 'cn-north-4' && e.image.__imagetype === 'gold')!;
    const statuses = ['active', 'queued', 'saving', 'killed', 'deleted', 'deactivated', 'uploading', 'constructor'];
    const images = statuses.map((status, i) => ({ region: 'cn-north-4', image: { ...template.image, id: `s-${status}`, name: `status ${i}`, status } }));
    const emulator = await new Emulator({ catalog: { huaweicloud: { ...base, images } } }).start();
    try {
      const listed = await eachStatusAlone(emulator, { cloud: 'huaweicloud', region: 'cn-north-4', visibility: 'public' });
      expect(
        listed
          .filter((i) => i.status === 'unavailable')
          .map((i) => i.id)
          .sort(),
      ).toEqual(['s-constructor', 's-deactivated', 's-deleted', 's-uploading']);
    } finally {
      await emulator.stop();
    }
  });
});

describe('keys are data: __proto__ as a tag or software key is kept on every cloud', () => {
  const own = (record: Record<string, string>, key: string) =>
    Object.prototype.hasOwnProperty.call(record, key) && Object.getPrototypeOf(record) === Object.prototype;
  const body = (text: string) => JSON.parse(text) as unknown;
  it.each([
    [
      'nscale tags',
      () => nscale(body('{"metadata":{"id":"i","name":"n","creationTime":"2025-01-01T00:00:00Z","tags":[{"name":"__proto__","value":"x"}]},"spec":{}}')).tags,
    ],
    [
      'nscale softwareVersions',
      () =>
        nscale(body('{"metadata":{"id":"i","name":"n","creationTime":"2025-01-01T00:00:00Z"},"spec":{"softwareVersions":{"__proto__":"1.2.3"}}}'))
          .softwareVersions,
    ],
    ['IMS tags (k=v)', () => ims({ tags: ['__proto__=x'] }).tags],
    ['IMS tags (k.v)', () => ims({ tags: ['__proto__.x'] }).tags],
    ['alicloud tags', () => normalizeAlicloud(body('{"ImageId":"m-1","Tags":{"Tag":[{"TagKey":"__proto__","TagValue":"x"}]}}') as never, { region: 'r' }).tags],
  ])('%s', (_where, read) => {
    const record = read();
    expect(own(record, '__proto__')).toBe(true);
    expect(record.__proto__).toBe(Object.getOwnPropertyDescriptor(record, '__proto__')!.value);
    expect(Object.keys(record)).toEqual(['__proto__']);
  });

  it('a __proto__ tag selects its image', () => {
    const image = ims({ status: 'active', tags: ['__proto__=x'] });
    expect(
      selectImages(
        [image],
        compileQuery(validateQuery({ cloud: 'huaweicloud', tags: JSON.parse('{"__proto__":"x"}') as Record<string, string> }, BUILT_IN_REGISTRY)),
      ),
    ).toEqual([image]);
  });
});

describe('complete or fail', () => {
  const page = (totalCount: unknown) => ({
    status: 200,
    headers: {},
    body: JSON.stringify({ RequestId: 'r', TotalCount: totalCount, PageNumber: 1, PageSize: 100, Images: { Image: [] } }),
  });
  it.each([[null], [''], [false], [[]], [{}], ['1e3'], [' 3'], [-1], [1.5], ['0x10']])(
    'Alibaba TotalCount %j is not a count: an error, never an empty catalog',
    (totalCount) => {
      const read = interpretAlicloud(page(totalCount), { operation: 'DescribeImages' } as never);
      expect(read.ok).toBe(false);
      expect(!read.ok && read.error).toBeInstanceOf(CloudApiError);
    },
  );

  it.each([[0], ['0'], [37], ['37']])('Alibaba TotalCount %j is a count', (totalCount) => {
    expect(interpretAlicloud(page(totalCount), { operation: 'DescribeImages' } as never).ok).toBe(true);
  });

  it('a body that starts with a UTF-8 byte-order mark is read, on every cloud (the one JSON reader)', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const read = parseJsonBody({ status: 200, headers: {}, body: `\uFEFF${JSON.stringify(value)}` }, 'nscale', 'ListImages');
        expect(read.ok && read.value).toEqual(read.ok ? JSON.parse(JSON.stringify(value)) : undefined);
        expect(read.ok).toBe(true);
      }),
    );
  });

  const serveBytes = async (bytes: Buffer, run: (endpoint: string) => Promise<unknown>) => {
    const server = await localServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(bytes));
    try {
      return await run(server.url);
    } finally {
      await server.close();
    }
  };
  const imsLookup = (endpoint: string) =>
    lookupImages(
      { cloud: 'huaweicloud', region: 'cn-north-4', visibility: 'public' },
      { config: { huaweicloud: { endpoint, authToken: 'iam-token-123456' } }, env: {}, http: http(), sharing: new RequestSharing() },
    );

  it('a BOM-prefixed answer from a server is listed', async () => {
    const body = Buffer.concat([
      Buffer.from([0xef, 0xbb, 0xbf]),
      Buffer.from(JSON.stringify({ images: [{ id: 'img-1', name: 'one', status: 'active', __imagetype: 'gold', created_at: '2025-01-01T00:00:00Z' }] })),
    ]);
    const listed = (await serveBytes(body, imsLookup)) as Awaited<ReturnType<typeof imsLookup>>;
    expect(listed.result.ids).toEqual(['img-1']);
  });

  it.each([
    ['an invalid byte', Buffer.from([0x69, 0xff, 0x31])],
    ['a truncated sequence', Buffer.from([0x69, 0xe2, 0x82])],
    ['an overlong encoding', Buffer.from([0x69, 0xc0, 0xaf])],
  ])('an image ID with %s (not UTF-8) is refused: decoded lossily it would name another image', async (_what, idBytes) => {
    const body = Buffer.concat([
      Buffer.from('{"images":[{"id":"'),
      idBytes,
      Buffer.from('","name":"one","status":"active","__imagetype":"gold","created_at":"2025-01-01T00:00:00Z"}]}'),
    ]);
    const failed = await serveBytes(body, imsLookup).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(failed).toBeInstanceOf(CloudApiError);
    expect((failed as Error).message).toMatch(/not valid UTF-8/);
  });

  it('an ID spelled with a lone surrogate escape is refused too; other non-ASCII IDs are kept', () => {
    expect(() => makeImage({ id: JSON.parse('"img-\\ud800"') as string, cloud: 'nscale', region: 'r' })).toThrow(/not valid UTF-8/);
    expect(makeImage({ id: 'образ-𝔘', cloud: 'nscale', region: 'r' }).id).toBe('образ-𝔘');
  });
});

describe('when nothing matches, the funnel counts every status', () => {
  const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  it.each(['alicloud', 'huaweicloud', 'opentelekomcloud', 'nscale'])(
    '%s: an image only in another status is counted and offered as a near miss; the region is not blamed',
    async (cloud) => {
      const emulator = await new Emulator().start();
      try {
        const options = () => ({ config: emulator.clientConfig(), env: {}, http: http(), sharing: new RequestSharing() });
        const region = { alicloud: 'cn-hangzhou', huaweicloud: 'cn-north-4', opentelekomcloud: 'eu-de', nscale: REGION_IDS[0] }[cloud]!;
        const all = (await lookupImages({ cloud, region, status: [...STATUSES] }, options())).result.images;
        const byName = new Map<string, Image[]>();
        for (const image of all) byName.set(image.name ?? '', [...(byName.get(image.name ?? '') ?? []), image]);
        const lonely = all.find((i) => i.status !== 'available' && i.name !== null && byName.get(i.name)!.length === 1);
        expect(lonely).toBeDefined();
        const failed = await lookupImage(
          { cloud, region, visibility: lonely!.visibility ?? undefined, nameRegex: `^${escape(lonely!.name!)}$` },
          options(),
        ).then(
          () => undefined,
          (e: unknown) => e as Error & { funnel: { selector: string; remaining: number }[]; nearMisses: { id: string; failed: string[] }[] },
        );
        expect(failed?.name).toBe('NoImageError');
        expect(failed!.funnel[1]).toEqual({ selector: 'status', remaining: expect.any(Number) });
        expect(failed!.funnel[0].remaining).toBeGreaterThan(failed!.funnel[1].remaining);
        expect(failed!.nearMisses[0]).toEqual(expect.objectContaining({ id: lonely!.id, failed: ['status'] }));
        expect(failed!.message).toMatch(new RegExp(`in the catalog \\([^)]*\\d+ ${lonely!.status}`));
        expect(failed!.message).toMatch(/loosen status$/);
        expect(failed!.message).not.toMatch(/check the region/);
      } finally {
        await emulator.stop();
      }
    },
  );
});
