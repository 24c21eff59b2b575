/**
 * Answers crafted to hurt or broken by accident, against every cloud: records built to make patterns backtrack,
 * hostile text in every field, dates that Date.parse would guess at, answers without their list or with a record
 * twice, and arguments that try to steer the request. Time bounds are generous (the quadratic pattern this replaces
 * took 61 s on one record): they catch super-linear matching, not slow machines.
 */
import fc from 'fast-check';
import * as http from 'http';
import { normalizeImage as normalizeIms } from '../../provider/clouds/huawei/normalize';
import { normalizeImage as normalizeAlicloud } from '../../provider/clouds/alicloud/normalize';
import { identifyOs, canonicalVersion, distroId } from '../../provider/core/os';
import { interpretAnswer as interpretUcloud } from '../../provider/clouds/ucloud/errors';
import { CloudApiError, ValidationError } from '../../provider/core/errors';
import { Image, MAX_TEXT_LENGTH, warningsOf } from '../../provider/core/image';
import { registerSecret } from '../../provider/core/redact';
import { lookupImage, lookupImages } from '../../provider/lookup';
import { HttpClient } from '../../provider/core/http/client';
import { RequestSharing } from '../../provider/core/share';
import { Emulator } from '../../provider/emulator/server';
import { CLOUD_NAMES, CloudName } from '../../provider/clouds/registry';
import { localServer } from '../helpers/server';
import { BUILT_IN_REGION } from '../helpers/regions';
import { ADAPTERS, adapterOf } from '../clouds/adapters';
import type { CraftedRecord } from '../clouds/adapter';
import { hostileString } from '../helpers/hostile';

const SPACES = ' '.repeat(200_000);
const SECRET = 'hostile-answer-secret-4f9a2b';
registerSecret(SECRET);

describe('normalizers on records built to make regular expressions backtrack', () => {
  it('reads an IMS __os_version of "64" and 200,000 spaces at once', () => {
    const started = Date.now();
    const image = normalizeIms({ id: 'img-1', name: 'n', __os_version: `64${SPACES}` }, 'huaweicloud', 'cn-north-4');
    expect(Date.now() - started).toBeLessThan(3000);
    expect(image.osVersion).toBeNull(); // no distribution named, so no version (and the bitness is never one)
    expect(warningsOf(image)).toEqual([expect.stringContaining('osName is 200002 characters long; cut to 4096')]);
  });

  it('reads an Alibaba OSNameEn with a bitness and 200,000 spaces at once', () => {
    const started = Date.now();
    const image = normalizeAlicloud({ ImageId: 'm-1', ImageName: 'n', OSNameEn: `Ubuntu 22.04 64${SPACES}-${SPACES}bit` }, { region: 'cn-hangzhou' });
    expect(Date.now() - started).toBeLessThan(3000);
    expect(image).toMatchObject({ osDistro: 'ubuntu', osVersion: '22.04' });
  });
});

describe('the OS parser (core/os) on hostile text (property)', () => {
  it('never throws, never hangs, and reports only bounded, control-free IDs and versions', () => {
    fc.assert(
      fc.property(fc.array(hostileString, { maxLength: 3 }), fc.option(hostileString), (texts, platform) => {
        const started = Date.now();
        const os = identifyOs(texts, platform);
        expect(Date.now() - started).toBeLessThan(2000);
        for (const value of [os.distro, os.version]) {
          if (value === null) continue;
          expect(value.length).toBeLessThanOrEqual(64);
          expect(value).not.toMatch(/\p{Cc}/u);
        }
        if (os.distro !== null) expect(distroId(os.distro)).toBe(os.distro);
        for (const text of texts) canonicalVersion(text, os.distro);
      }),
      { numRuns: 300 },
    );
  });
});

/** Each normalizer on one hostile record (one per API, from the clouds' test adapters): an Image (or, for UCloud,
 * Images) or a typed error, nothing else. */
const NORMALIZERS = ADAPTERS.flatMap((adapter) => (adapter.hostile ? [[adapter.cloud, adapter.hostile.records, adapter.hostile.normalize] as const] : []));

/** Every string an image carries. */
function stringsOf(image: Image): string[] {
  return [
    image.id,
    image.name,
    image.region,
    image.zone,
    image.description,
    image.osName,
    image.osDistro,
    image.osVersion,
    image.family,
    image.createdAt,
    image.gpu.vendor,
    image.gpu.driver,
    ...image.gpu.models,
    ...Object.keys(image.tags),
    ...Object.values(image.tags),
    ...Object.keys(image.softwareVersions),
    ...Object.values(image.softwareVersions),
  ].filter((s): s is string => typeof s === 'string');
}

describe.each(NORMALIZERS)('the %s normalizer on hostile records (property)', (_cloud, records, normalize) => {
  it('returns bounded images or throws a CloudApiError, quickly, and never keeps a secret', () => {
    fc.assert(
      fc.property(records, hostileString, (record, extra) => {
        // Put the secret and a long run into whatever string fields the record has.
        for (const [key, value] of Object.entries(record)) if (typeof value === 'string' && extra.length % 2 === 0) record[key] = `${value}${SECRET}${extra}`;
        const started = Date.now();
        let images: Image[];
        try {
          images = normalize(record);
        } catch (err) {
          expect(err).toBeInstanceOf(CloudApiError);
          return;
        } finally {
          // Generous on a loaded 2-core machine; a super-linear pattern takes tens of seconds on these records.
          expect(Date.now() - started).toBeLessThan(5000);
        }
        for (const image of images) {
          for (const text of stringsOf(image)) {
            expect(text.length).toBeLessThanOrEqual(MAX_TEXT_LENGTH);
            expect(text).not.toContain(SECRET);
          }
          if (image.createdAt !== null) expect(image.createdAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
        }
      }),
      { numRuns: 150 },
    );
  });
});

describe('JSON values that break careless code (found by the properties above)', () => {
  // String({toString: ""}) and Number() of it throw a TypeError; "constructor" finds Object in a plain lookup table.
  const POISON: unknown[] = [{ toString: '' }, { valueOf: {}, toString: {} }, 'constructor', '__proto__', 'toString'];
  const vocabulary = (image: Image) => [image.status, image.architecture, image.osType, image.machineType, image.visibility ?? 'null'];

  it.each(POISON.map((value) => [JSON.stringify(value), value]))(
    '%s in any read field: an image with vocabulary values, or a CloudApiError',
    (_label, poison) => {
      const cases = ADAPTERS.flatMap((adapter) => adapter.hostile?.poisoned(poison) ?? []);
      for (const run of cases) {
        let images: Image[];
        try {
          images = run();
        } catch (err) {
          expect(err).toBeInstanceOf(CloudApiError);
          continue;
        }
        for (const image of images) {
          for (const value of vocabulary(image)) expect(typeof value).toBe('string');
          expect(image.sizeGiB === null || typeof image.sizeGiB === 'number').toBe(true);
          for (const value of Object.values(image.tags)) expect(typeof value).toBe('string');
        }
      }
    },
  );
});

describe('creation times on every cloud that reports them', () => {
  /** The clouds that report creation times, and how each reads one. */
  const REPORTING = ADAPTERS.flatMap((adapter) => (adapter.createdAt ? [adapter.cloud] : []));
  const created = (cloud: CloudName, value: string): Image => adapterOf(cloud).createdAt!(value);

  it.each(REPORTING)('%s: "image-3" and "5" are no creation time, with a warning, never 2001', (cloud) => {
    for (const value of ['image-3', '5', '+010000-01-01T00:00:00Z']) {
      const image = created(cloud, value);
      expect(image.createdAt).toBeNull();
      expect(warningsOf(image)).toEqual(
        [expect.stringContaining('is not an RFC 3339 date-time')]
          .slice(0, value.startsWith('+') ? 0 : 1)
          .concat(value.startsWith('+') ? [expect.any(String)] : []),
      );
    }
  });

  it.each(REPORTING)('%s: a time without a zone is UTC under any TZ', (cloud) => {
    const before = process.env.TZ;
    try {
      const seen = ['UTC', 'Asia/Shanghai', 'America/Los_Angeles'].map((tz) => {
        process.env.TZ = tz;
        return created(cloud, '2024-03-01T08:00:00').createdAt;
      });
      expect(seen).toEqual(['2024-03-01T08:00:00Z', '2024-03-01T08:00:00Z', '2024-03-01T08:00:00Z']);
    } finally {
      process.env.TZ = before;
    }
  });
});

describe('UCloud: a success without its image list is not an empty catalog', () => {
  const answer = (body: unknown) =>
    interpretUcloud({ status: 200, headers: {}, body: JSON.stringify(body) }, { publicKey: 'UCLOUD_PUBLIC_KEY', privateKey: 'UCLOUD_PRIVATE_KEY' });
  it.each([
    ['no lists at all', { RetCode: 0 }],
    ['null lists', { RetCode: 0, ImageSet: null, PHostImageSet: null }],
  ])('%s is an error', (_what, body) => {
    const outcome = answer(body);
    expect(outcome.ok).toBe(false);
    expect(!outcome.ok && outcome.error).toBeInstanceOf(CloudApiError);
    expect(!outcome.ok && outcome.error.message).toMatch(/RetCode 0 but none of its image lists/);
  });
  it('one list, even empty, is a complete answer', () => {
    expect(answer({ RetCode: 0, ImageSet: [] }).ok).toBe(true);
    expect(answer({ RetCode: 0, PHostImageSet: [{ ImageId: 'a', ImageName: 'a' }] }).ok).toBe(true);
  });
});

describe.each([...CLOUD_NAMES])('%s against a crafted loopback server', (cloud: CloudName) => {
  let emulator: Emulator;
  let config: Record<string, Record<string, string>>;
  let records: CraftedRecord[] = [];
  let server: Awaited<ReturnType<typeof localServer>>;
  const region = () => BUILT_IN_REGION[cloud](emulator);
  const reportsCreationTime = adapterOf(cloud).createdAt !== undefined;
  const client = () => new HttpClient({ timeoutMs: 5000, retry: { maxAttempts: 1 } });

  beforeAll(async () => {
    emulator = await new Emulator().start();
    config = emulator.clientConfig() as Record<string, Record<string, string>>;
    server = await localServer((req: http.IncomingMessage, res: http.ServerResponse) => {
      const answer = adapterOf(cloud).successAnswer(new URL(req.url ?? '/', 'http://127.0.0.1'), records);
      res.writeHead(answer.status, { 'content-type': 'application/json' }).end(JSON.stringify(answer.body));
    });
    config[cloud].endpoint = `${server.url}/${cloud}`;
  });
  afterAll(async () => {
    await server.close();
    await emulator.stop();
  });

  const list = (args: Record<string, unknown> = {}, env: Record<string, string> = {}) =>
    lookupImages({ cloud, region: region(), ...args }, { config, env, http: client(), sharing: new RequestSharing() });

  it('an image listed twice in one answer fails the listing (the same rule on every cloud)', async () => {
    records = [
      { id: 'img-dup', name: 'a' },
      { id: 'img-other', name: 'b' },
      { id: 'img-dup', name: 'a' },
    ];
    await expect(list()).rejects.toThrow(/img-dup.*(appears twice|came back twice)|2 distinct images were read, TotalCount is 3/);
    await expect(list()).rejects.toBeInstanceOf(CloudApiError);
  });

  it('a record with hostile text and a guessed-at date comes back bounded, escaped in errors, with warnings', async () => {
    records = [{ id: 'img-1', name: `ubuntu ${'x'.repeat(10_000)}`, description: '\u001b]52;c;ZXZpbA==\u0007', created: 'image-3' }];
    const { result, warnings } = await list();
    expect(result.images).toHaveLength(1);
    expect(result.images[0].name).toHaveLength(MAX_TEXT_LENGTH);
    if (reportsCreationTime) {
      expect(result.images[0].createdAt).toBeNull();
      expect(warnings.join('\n')).toMatch(/is not an RFC 3339 date-time/);
    }
    expect(warnings.join('\n')).toMatch(/name is 10007 characters long; cut to 4096/);
  });

  it('getImage over a guessed-at date says so in its warnings', async () => {
    records = [{ id: 'img-1', name: 'ubuntu', created: '5' }];
    const outcome = await lookupImage(
      { cloud, region: region(), mostRecent: true, visibility: cloud === 'alicloud' || cloud.includes('cloud') ? undefined : undefined },
      { config, env: {}, http: client(), sharing: new RequestSharing() },
    ).catch((e: Error) => e);
    if (outcome instanceof Error) expect(outcome).toBeInstanceOf(CloudApiError);
    else if (reportsCreationTime) expect(outcome.warnings.join('\n')).toMatch(/"5" is not an RFC 3339 date-time/);
  });
});

describe('arguments as data', () => {
  let emulator: Emulator;
  let hits = 0;
  let server: Awaited<ReturnType<typeof localServer>>;
  beforeAll(async () => {
    emulator = await new Emulator().start();
    server = await localServer((_req, res) => {
      hits++;
      res.writeHead(500).end();
    });
  });
  afterAll(async () => {
    await server.close();
    await emulator.stop();
  });
  beforeEach(() => (hits = 0));
  const options = (cloud: CloudName, env: Record<string, string> = {}) => {
    const config = emulator.clientConfig() as Record<string, Record<string, string>>;
    config[cloud].endpoint = `${server.url}/${cloud}`;
    if (cloud === 'nscale') delete config.nscale.regionId;
    return { config, env, http: new HttpClient({ retry: { maxAttempts: 1 } }), sharing: new RequestSharing() };
  };

  it.each([
    ['alicloud', ['signature', 'accesskeyid', 'pagenumber', 'PAGESIZE', 'signaturenonce', 'Signature.1']],
    ['huaweicloud', ['Marker', 'MARKER', 'sort_KEY', 'Limit']],
    ['opentelekomcloud', ['Marker', 'Sort_Dir']],
    ['ucloud', ['signature', 'publickey', 'ACTION', 'projectid']],
  ] as [CloudName, string[]][])('%s refuses filters that set signed or managed parameters, in any letter case, before any request', async (cloud, names) => {
    for (const name of names) {
      const err = await lookupImages({ cloud, region: BUILT_IN_REGION[cloud](emulator), filters: { [name]: 'x' } }, options(cloud)).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ValidationError);
      expect((err as ValidationError).argument).toBe(`filters.${name}`);
    }
    expect(hits).toBe(0);
  });

  it.each(['..', '.', 'not-a-uuid', '3f8a1c52-6b1d-4e0f-9a7c-2d5e8b4c1a90/../x'])(
    'nscale refuses the region ID %j from NSCALE_REGION_ID before any request',
    async (regionId) => {
      const err = await lookupImages({ cloud: 'nscale' }, options('nscale', { NSCALE_REGION_ID: regionId })).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ValidationError);
      expect((err as ValidationError).argument).toBe('region');
      expect((err as ValidationError).message).toContain('NSCALE_REGION_ID');
      expect(hits).toBe(0);
    },
  );

  it('nscale refuses a region argument that is not a UUID, naming the argument', async () => {
    const err = await lookupImages({ cloud: 'nscale', region: 'eu-west-1' }, options('nscale')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as ValidationError).argument).toBe('region');
    expect(hits).toBe(0);
  });

  it.each([
    ['alicloud', 'ALIBABA_CLOUD_REGION'],
    ['ucloud', 'UCLOUD_REGION'],
  ] as [CloudName, string][])('%s checks a region from %s as strictly as the argument, before any request', async (cloud, variable) => {
    const { config, ...rest } = options(cloud, { [variable]: '../evil' });
    delete config[cloud].region;
    const err = await lookupImages({ cloud }, { config, ...rest }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as ValidationError).message).toContain(`"../evil" from ${variable} is not a region name`);
    expect(hits).toBe(0);
  });
});
