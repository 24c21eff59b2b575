/**
 * Real DescribeImages answers (test/fixtures/real/alicloud, sources in SOURCES.md) replayed through the real client on
 * loopback. The replay server answers like the service: it filters by ImageOwnerAlias and pages by PageNumber/PageSize;
 * the records it sends are the published records, untouched. Expectations come from reading each raw record: the
 * mechanical fields by `oracle`, the judgement calls (architecture, visibility) from the table written by hand.
 */
import type * as http from 'http';
import { localServer } from '../../helpers/server';
import { collapsed, realFiles, realJson, realText, replayOptions } from '../../helpers/real-answers';
import { lookupImages } from '../../../provider/lookup';
import { CloudApiError, PagingError } from '../../../provider/core/errors';
import type { Image } from '../../../provider/core/image';
import type { AlicloudImageRecord } from '../../../provider/clouds/alicloud/types';

/** Only the fields the corpus has are read; the type is the normalizer's view of a record. */
type RawRecord = AlicloudImageRecord;
interface RawBody {
  RegionId?: string;
  TotalCount?: number | string;
  PageSize?: number | string;
  Images: { Image: RawRecord[] };
}

/** The region each body was answered in (its RegionId; the trimmed aliyun-cli body has none, its images are cn-beijing's `m-2ze…`). */
const REGION: Record<string, string> = {
  'aliyun-cli-pager-page5-of-37.json': 'cn-beijing',
  'aliyun-cli-pager-coreos-custom.json': 'cn-beijing',
  'aliyun-sdk-js-cn-beijing-page1.json': 'cn-beijing',
  'docs-zh-cn-2019-sles11sp3.json': 'cn-hangzhou',
  'docs-zh-cn-2021-windows-self-tagged.json': 'cn-hangzhou',
  'docs-en-2019-java-sdk-freebsd.json': 'cn-hangzhou',
  'captured-2022-cn-beijing-alinux2-debian10.json': 'cn-beijing',
};

/** Read off each raw record by hand: [architecture, visibility]. */
const JUDGED: Record<string, [Image['architecture'], Image['visibility']]> = {
  'win2016_64_dtc_1607_en-us_40G_alibase_20170915.vhd': ['x86_64', 'public'],
  'sles_11_sp4_64_20G_alibase_20170907.vhd': ['x86_64', 'public'],
  'sles_12_sp2_64_20G_alibase_20170907.vhd': ['x86_64', 'public'],
  'centos_6_09_64_20G_alibase_20170825.vhd': ['x86_64', 'public'],
  'freebsd_11_03_64_20G_alibase_20170901.vhd': ['x86_64', 'public'],
  'debian_9_02_64_20G_alibase_20171023.vhd': ['x86_64', 'public'],
  'coreos_1465_8_0_64_30G_alibase_20171024.vhd': ['x86_64', 'public'],
  'm-2ze1cneefoj075diqyeh': ['x86_64', 'shared'],
  'm-2zehotvqa0rcish17xpn': ['x86_64', 'private'],
  'centos_7_04_64_20G_alibase_201701015.vhd': ['x86_64', 'public'],
  'ubuntu_14_0405_32_40G_alibase_20170711.vhd': ['i386', 'public'],
  'ubuntu_14_0405_64_40G_alibase_20170711.vhd': ['x86_64', 'public'],
  'centos_6_08_32_40G_alibase_20170710.vhd': ['i386', 'public'],
  'centos_6_08_64_40G_alibase_20170710.vhd': ['x86_64', 'public'],
  'centos_7_03_64_40G_alibase_20170710.vhd': ['x86_64', 'public'],
  'debian_8_08_32_40G_alibase_20170711.vhd': ['i386', 'public'],
  'debian_8_08_64_40G_alibase_20170711.vhd': ['x86_64', 'public'],
  'ubuntu_16_0402_64_40G_alibase_20170711.vhd': ['x86_64', 'public'],
  'ubuntu_16_0402_32_40G_alibase_20170711.vhd': ['i386', 'public'],
  'win2008r2_64_ent_sp1_en-us_40G_alibase_20170622.vhd': ['x86_64', 'public'],
  'suse11sp3_64_20G_aliaegis_20150428.vhd': ['x86_64', 'public'],
  'm-bp1g7004ksh0oeuc****': ['x86_64', 'private'],
  'freebsd_11_02_64_30G_alibase_20190722.vhd': ['x86_64', 'public'],
  'aliyun_2_1903_x64_20G_alibase_20220408.vhd': ['x86_64', 'public'],
  'debian_10_12_x64_20G_alibase_20220328.vhd': ['x86_64', 'public'],
};

/** The OS each raw record names, as /etc/os-release would (ID, VERSION_ID; Windows by release), read by hand. */
const OS: Record<string, [string, string | null]> = {
  'win2016_64_dtc_1607_en-us_40G_alibase_20170915.vhd': ['windows', '2016'], // Windows Server  2016 数据中心版 64位英文版
  'sles_11_sp4_64_20G_alibase_20170907.vhd': ['sles', '11.4'], // SUSE Linux  Enterprise Server 11 SP4 64位
  'sles_12_sp2_64_20G_alibase_20170907.vhd': ['sles', '12.2'], // … 12 SP2 64位
  'centos_6_09_64_20G_alibase_20170825.vhd': ['centos', '6.9'],
  'freebsd_11_03_64_20G_alibase_20170901.vhd': ['freebsd', '11.1'], // Platform Freebsd, OSType linux
  'debian_9_02_64_20G_alibase_20171023.vhd': ['debian', '9.2'],
  'coreos_1465_8_0_64_30G_alibase_20171024.vhd': ['coreos', '1465.8.0'], // Platform CoreOS
  'm-2ze1cneefoj075diqyeh': ['ubuntu', null], // OSName Ubuntu_64: the 64 is bitness, no version
  'm-2zehotvqa0rcish17xpn': ['ubuntu', null],
  'centos_7_04_64_20G_alibase_201701015.vhd': ['centos', '7.4'],
  'ubuntu_14_0405_32_40G_alibase_20170711.vhd': ['ubuntu', '14.04'], // Ubuntu  14.04 32位
  'ubuntu_14_0405_64_40G_alibase_20170711.vhd': ['ubuntu', '14.04'],
  'centos_6_08_32_40G_alibase_20170710.vhd': ['centos', '6.8'],
  'centos_6_08_64_40G_alibase_20170710.vhd': ['centos', '6.8'],
  'centos_7_03_64_40G_alibase_20170710.vhd': ['centos', '7.3'],
  'debian_8_08_32_40G_alibase_20170711.vhd': ['debian', '8.8'],
  'debian_8_08_64_40G_alibase_20170711.vhd': ['debian', '8.8'],
  'ubuntu_16_0402_64_40G_alibase_20170711.vhd': ['ubuntu', '16.04'],
  'ubuntu_16_0402_32_40G_alibase_20170711.vhd': ['ubuntu', '16.04'],
  'win2008r2_64_ent_sp1_en-us_40G_alibase_20170622.vhd': ['windows', '2008 R2'], // Platform says only Windows Server 2008
  'suse11sp3_64_20G_aliaegis_20150428.vhd': ['sles', '11.3'],
  'm-bp1g7004ksh0oeuc****': ['windows', '2016'],
  'freebsd_11_02_64_30G_alibase_20190722.vhd': ['freebsd', '11.2'],
  'aliyun_2_1903_x64_20G_alibase_20220408.vhd': ['alinux', '2.1903'], // Platform Aliyun; os-release VERSION_ID 2.1903
  'debian_10_12_x64_20G_alibase_20220328.vhd': ['debian', '10.12'],
};

/** Every field but the OS vocabulary (osDistro, osVersion), straight from the raw record. */
function oracle(raw: RawRecord, region: string): Omit<Image, 'osDistro' | 'osVersion'> {
  const judged = JUDGED[raw.ImageId];
  if (!judged) throw new Error(`no hand-read expectation for ${raw.ImageId}`);
  if (raw.Status !== 'Available') throw new Error(`the corpus has only Available images, not ${raw.Status}`);
  const tags: Record<string, string> = {};
  for (const tag of raw.Tags?.Tag ?? []) tags[String(tag.TagKey)] = String(tag.TagValue);
  return {
    id: raw.ImageId,
    name: raw.ImageName ?? raw.ImageId,
    cloud: 'alicloud',
    region,
    zone: null,
    description: collapsed(raw.Description),
    architecture: judged[0],
    osType: (raw.OSType ?? '').toLowerCase() as Image['osType'],
    osName: collapsed(raw.OSNameEn) ?? collapsed(raw.OSName),
    createdAt: raw.CreationTime ?? null,
    status: 'available',
    visibility: judged[1],
    sizeGiB: Number(raw.Size),
    machineType: 'any',
    gpu: { supported: null, vendor: null, driver: null, models: [] },
    softwareVersions: {},
    tags,
    family: collapsed(raw.ImageFamily),
  };
}

const withoutOs = ({ osDistro: _d, osVersion: _v, ...rest }: Image) => rest;
const ALL_VISIBILITIES = ['public', 'private', 'shared', 'marketplace'];

/** A DescribeImages service holding `records`: filters by owner alias, pages; paging fields keep the body's types. */
async function replayService(body: RawBody) {
  const records = body.Images.Image;
  const seen: URLSearchParams[] = [];
  const server = await localServer((req: http.IncomingMessage, res: http.ServerResponse) => {
    const q = new URL(req.url ?? '/', 'http://127.0.0.1').searchParams;
    seen.push(q);
    const alias = q.get('ImageOwnerAlias');
    const size = Number(q.get('PageSize'));
    const page = Number(q.get('PageNumber'));
    const matching = records.filter((r) => alias === null || r.ImageOwnerAlias === alias);
    const total = typeof body.TotalCount === 'string' ? String(matching.length) : matching.length;
    res.setHeader('content-type', 'application/json');
    res.end(
      JSON.stringify({
        ...body,
        TotalCount: total,
        PageNumber: page,
        PageSize: typeof body.PageSize === 'string' ? String(size) : size,
        Images: { Image: matching.slice((page - 1) * size, page * size) },
      }),
    );
  });
  return { server, seen };
}

/** A server answering every request with the stored bytes, unchanged. */
async function exactService(file: string) {
  const text = realText('alicloud', file);
  return localServer((_req, res) => {
    res.setHeader('content-type', 'application/json');
    res.end(text);
  });
}

const options = (endpoint: string) => replayOptions({ alicloud: { endpoint, accessKeyId: 'replay-key-id', accessKeySecret: 'replay-secret' } });

describe('alicloud: real DescribeImages answers through the client', () => {
  it('has a region and a hand-read expectation for every stored body and record', () => {
    expect(Object.keys(REGION).sort()).toEqual(realFiles('alicloud'));
    const ids = realFiles('alicloud').flatMap((f) => realJson<RawBody>('alicloud', f).Images.Image.map((r) => r.ImageId));
    expect([...ids].sort()).toEqual(Object.keys(JUDGED).sort());
    expect(Object.keys(OS).sort()).toEqual(Object.keys(JUDGED).sort());
  });

  describe.each(realFiles('alicloud'))('%s', (file) => {
    const body = realJson<RawBody>('alicloud', file);
    const region = REGION[file];

    it('lists every record once, one owner alias per listing, each field as the raw record says', async () => {
      const { server, seen } = await replayService(body);
      try {
        const { result } = await lookupImages({ cloud: 'alicloud', region, visibility: ALL_VISIBILITIES }, options(server.url));
        const byId = new Map(result.images.map((i) => [i.id, i]));
        expect([...byId.keys()].sort()).toEqual(body.Images.Image.map((r) => r.ImageId).sort());
        for (const raw of body.Images.Image) expect(withoutOs(byId.get(raw.ImageId)!)).toEqual(oracle(raw, region));
        expect(seen.map((q) => q.get('ImageOwnerAlias')).sort()).toEqual(['marketplace', 'others', 'self', 'system']);
        expect(seen.every((q) => q.get('RegionId') === region && q.get('PageNumber') === '1')).toBe(true);
      } finally {
        await server.close();
      }
    });

    it('names each OS as os-release does: distribution ID and VERSION_ID (SUSE SP as minor, Windows R2, bitness never a version)', async () => {
      const { server } = await replayService(body);
      try {
        const { result } = await lookupImages({ cloud: 'alicloud', region, visibility: ALL_VISIBILITIES }, options(server.url));
        expect(Object.fromEntries(result.images.map((i) => [i.id, [i.osDistro, i.osVersion]]))).toEqual(
          Object.fromEntries(body.Images.Image.map((r) => [r.ImageId, OS[r.ImageId]])),
        );
      } finally {
        await server.close();
      }
    });
  });

  describe('selecting among the real records of cn-beijing', () => {
    const beijing: RawBody = {
      RegionId: 'cn-beijing',
      Images: {
        Image: ['aliyun-cli-pager-page5-of-37.json', 'aliyun-cli-pager-coreos-custom.json', 'aliyun-sdk-js-cn-beijing-page1.json'].flatMap(
          (f) => realJson<RawBody>('alicloud', f).Images.Image,
        ),
      },
    };
    const pick = async (selectors: Record<string, unknown>) => {
      const { server } = await replayService(beijing);
      try {
        const { result } = await lookupImages({ cloud: 'alicloud', region: 'cn-beijing', visibility: ALL_VISIBILITIES, ...selectors }, options(server.url));
        return [...result.ids].sort();
      } finally {
        await server.close();
      }
    };

    it.each([
      [{ osDistro: 'sles', osVersion: '12.2' }, ['sles_12_sp2_64_20G_alibase_20170907.vhd']],
      [{ osDistro: 'suse', osVersion: '12 SP2' }, ['sles_12_sp2_64_20G_alibase_20170907.vhd']],
      [{ osDistro: 'windows', osVersion: '2008 R2' }, ['win2008r2_64_ent_sp1_en-us_40G_alibase_20170622.vhd']],
      [{ osDistro: 'windows', osVersion: '2008' }, []],
      [{ osDistro: 'coreos' }, ['coreos_1465_8_0_64_30G_alibase_20171024.vhd']],
      [{ osDistro: 'ubuntu', osVersion: '64' }, []],
      [{ osDistro: 'ubuntu', architecture: 'i386' }, ['ubuntu_14_0405_32_40G_alibase_20170711.vhd', 'ubuntu_16_0402_32_40G_alibase_20170711.vhd']],
    ])('%j selects %j', async (selectors, ids) => {
      expect(await pick(selectors)).toEqual(ids);
    });
  });

  it('takes a vendor-documented page byte for byte (TotalCount 1, OSName and OSNameEn, a tag)', async () => {
    const server = await exactService('docs-zh-cn-2021-windows-self-tagged.json');
    try {
      const { result } = await lookupImages({ cloud: 'alicloud', region: 'cn-hangzhou', visibility: 'private' }, options(server.url));
      const raw = realJson<RawBody>('alicloud', 'docs-zh-cn-2021-windows-self-tagged.json').Images.Image[0];
      expect(result.images.map(withoutOs)).toEqual([oracle(raw, 'cn-hangzhou')]);
      expect(result.images[0].osName).toBe('Windows Server 2016 Data Center Edition 64bit Chinese Edition');
      expect(result.images[0].tags).toEqual({ DTS: 'Oracle' });
    } finally {
      await server.close();
    }
  });

  it('refuses a captured page that is part of a longer listing (TotalCount "37", 5 records) instead of passing it off as complete', async () => {
    const server = await exactService('aliyun-cli-pager-page5-of-37.json');
    try {
      await expect(lookupImages({ cloud: 'alicloud', region: 'cn-beijing', visibility: 'public' }, options(server.url))).rejects.toBeInstanceOf(PagingError);
    } finally {
      await server.close();
    }
  });

  it('refuses a body without TotalCount as not a DescribeImages page', async () => {
    const server = await exactService('aliyun-cli-pager-coreos-custom.json');
    try {
      const failure = lookupImages({ cloud: 'alicloud', region: 'cn-beijing', visibility: 'public' }, options(server.url));
      await expect(failure).rejects.toBeInstanceOf(CloudApiError);
      await expect(failure).rejects.toThrow(/TotalCount/);
    } finally {
      await server.close();
    }
  });
});
