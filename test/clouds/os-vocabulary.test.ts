/**
 * One OS vocabulary on every cloud, driven through the real clients against the emulator, whose catalogs carry the
 * shapes real answers show (test/fixtures/real): Chinese-only OSName, SUSE service packs, CoreOS, Windows R2
 * releases, OTC x86 images without architecture attributes, UCloud's custom image sets.
 */
import { HttpClient } from '../../provider/core/http/client';
import { RequestSharing } from '../../provider/core/share';
import { lookupImage, lookupImages, LookupOptions } from '../../provider/lookup';
import { useEmulator } from '../helpers/emulator';
import type { AlicloudCatalog } from '../../provider/emulator/alicloud/catalog';
import type { ImsCatalog } from '../../provider/emulator/huawei/catalog';

const emulator = useEmulator();
let options: () => LookupOptions;
beforeEach(() => {
  const sharing = new RequestSharing();
  const http = new HttpClient({ retry: { baseDelayMs: 1, maxDelayMs: 5 } });
  options = () => ({ config: emulator.clientConfig(), env: {}, http, sharing });
});

const IMS_AND_ECS = [
  ['alicloud', 'cn-hangzhou'],
  ['huaweicloud', 'cn-north-4'],
  ['opentelekomcloud', 'eu-de'],
] as const;

describe('one osDistro value works on every cloud', () => {
  test.each(IMS_AND_ECS)('suse on %s (%s) selects SLES, its versions as VERSION_ID (12 SP5 → 12.5)', async (cloud, region) => {
    const { result } = await lookupImages({ cloud, region, visibility: 'public', osDistro: 'suse' }, options());
    expect(result.images.length).toBeGreaterThan(0);
    expect(result.images.every((i) => i.osDistro === 'sles' && /^1[25]\.[1-9]$/.test(i.osVersion ?? ''))).toBe(true);
    const sp = await lookupImages(
      { cloud, region, visibility: 'public', osDistro: 'SLES', osVersion: result.images[0].osVersion!.replace('.', ' SP') },
      options(),
    );
    expect(sp.result.ids.length).toBeGreaterThan(0);
    expect(sp.result.images.every((i) => i.osVersion === result.images[0].osVersion)).toBe(true);
  });

  test.each(IMS_AND_ECS)('Windows Server on %s: 2012 R2 and 2012 are different releases', async (cloud, region) => {
    const r2 = await lookupImages({ cloud, region, visibility: 'public', osDistro: 'windows', osVersion: '2012 R2' }, options());
    const plain = await lookupImages({ cloud, region, visibility: 'public', osDistro: 'windows', osVersion: '2012' }, options());
    expect(r2.result.ids.length).toBeGreaterThan(0);
    expect(plain.result.ids.length).toBeGreaterThan(0);
    expect(r2.result.images.every((i) => / R2 /.test(i.osName ?? ''))).toBe(true);
    expect(plain.result.images.some((i) => / R2 /.test(i.osName ?? ''))).toBe(false);
  });

  test.each(IMS_AND_ECS)('CoreOS on %s has its distribution and its version', async (cloud, region) => {
    const { result } = await lookupImages({ cloud, region, visibility: 'public', osDistro: 'CoreOS', osVersion: '1465.8.0' }, options());
    expect(result.ids.length).toBeGreaterThan(0);
  });
});

describe('Alibaba Cloud answers without OSNameEn', () => {
  test('records with only the Chinese OSName are in the catalog and read from it', async () => {
    const catalog = emulator.catalog.alicloud as AlicloudCatalog;
    const chineseOnly = catalog.images.filter((r) => r.region === 'cn-hangzhou' && !('OSNameEn' in r) && r.ImageOwnerAlias === 'system');
    expect(chineseOnly.length).toBeGreaterThan(5);
    const { result } = await lookupImages({ cloud: 'alicloud', region: 'cn-hangzhou', visibility: 'public', status: ['available', 'deprecated'] }, options());
    for (const record of chineseOnly) {
      const image = result.images.find((i) => i.id === record.ImageId)!;
      expect(image.osName).toBe(String(record.OSName).replace(/\s+/g, ' '));
      expect(image.osDistro).not.toBeNull();
      expect(image.osVersion).toMatch(/^\d/);
    }
  });

  test('a custom OSName without a version (Ubuntu_64) has no version, never the bitness', async () => {
    const { result } = await lookupImages({ cloud: 'alicloud', region: 'cn-hangzhou', visibility: 'private', nameRegex: '^stemcell-' }, options());
    expect(result.images.map((i) => [i.osDistro, i.osVersion])).toEqual([['ubuntu', null]]);
    const bitness = await lookupImages({ cloud: 'alicloud', region: 'cn-hangzhou', visibility: 'private', osVersion: '64' }, options());
    expect(bitness.result.ids).toEqual([]);
  });
});

describe('IMS architecture: arm marked, x86 unmarked', () => {
  test('Open Telekom Cloud records carry no architecture attribute, and are x86_64', async () => {
    const records = (emulator.catalog.opentelekomcloud as ImsCatalog).images.map((e) => e.image);
    expect(records.some((r) => '__support_amd' in r || '__support_arm' in r)).toBe(false);
    const { result, reason } = await lookupImage(
      { cloud: 'opentelekomcloud', region: 'eu-de', osDistro: 'centos', architecture: 'x86_64', mostRecent: true },
      options(),
    );
    expect(result).toMatchObject({ osDistro: 'centos', architecture: 'x86_64' });
    expect(reason).toMatch(/newest/);
  });

  test('Huawei Cloud: every unmarked 64-bit image is x86_64, every marked one arm64', async () => {
    const { result } = await lookupImages({ cloud: 'huaweicloud', region: 'cn-north-4', visibility: 'public' }, options());
    const records = new Map((emulator.catalog.huaweicloud as ImsCatalog).images.map((e) => [e.image.id, e.image]));
    for (const image of result.images) {
      const record = records.get(image.id)!;
      expect(image.architecture).toBe(record.__support_arm === 'true' ? 'arm64' : record.__os_bit === '32' ? 'i386' : 'x86_64');
    }
    expect(new Set(result.images.map((i) => i.architecture))).toEqual(new Set(['x86_64', 'arm64', 'i386']));
  });
});

describe("UCloud: the account's own images", () => {
  test('visibility private lists CustomImageSet and CustomPHostImageSet entries only', async () => {
    const { result } = await lookupImages({ cloud: 'ucloud', region: 'cn-bj2', zone: 'cn-bj2-02', visibility: 'private' }, options());
    expect(result.images.length).toBeGreaterThanOrEqual(3);
    expect(result.images.every((i) => i.name!.startsWith('custom-') && i.visibility === 'private')).toBe(true);
    expect(new Set(result.images.map((i) => i.machineType))).toEqual(new Set(['vm', 'baremetal']));
  });

  test('mostRecent is trusted over them by default, and orders them by the versions in their names', async () => {
    const { result } = await lookupImage(
      { cloud: 'ucloud', region: 'cn-bj2', zone: 'cn-bj2-02', osDistro: 'rocky', nameRegex: '^custom-', mostRecent: true },
      options(),
    );
    expect(result.name).toBe('custom-k8s-node-rocky-8.10-v10');
    expect(result.visibility).toBe('private');
  });
});
