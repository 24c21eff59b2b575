import * as fs from 'fs';
import * as path from 'path';
import { normalizeImage, unwrapImages } from '../../../provider/clouds/alicloud/normalize';
import { warningsOf } from '../../../provider/core/image';

const seed = JSON.parse(fs.readFileSync(path.join(__dirname, '../../fixtures/alicloud/describe-images-seed.json'), 'utf8')) as unknown;

describe('alicloud normalizer', () => {
  it("normalizes the seed document's JSON example to the expected image", () => {
    const records = unwrapImages(seed)!;
    expect(records).toHaveLength(1);
    expect(normalizeImage(records[0], { region: 'cn-hangzhou' })).toEqual({
      id: 'm-bp1g7004ksh0oeuc****',
      name: 'Oracle_DTS',
      cloud: 'alicloud',
      region: 'cn-hangzhou',
      zone: null,
      description: 'Archive log for Oracle',
      architecture: 'x86_64',
      osType: 'windows',
      osName: 'Windows Server 2016 Data Center Edition 64bit Chinese Edition',
      osDistro: 'windows',
      osVersion: '2016',
      createdAt: '2019-11-15T06:07:05Z',
      status: 'available',
      visibility: 'private',
      sizeGiB: 60,
      machineType: 'any',
      gpu: { supported: null, vendor: null, driver: null, models: [] },
      softwareVersions: {},
      tags: { DTS: 'Oracle' },
      family: 'hangzhou-daily-update',
    });
  });

  it('leaves volatile fields out: Usage, Progress and IsSubscribed changing does not change the image', () => {
    const record = unwrapImages(seed)![0];
    const a = normalizeImage(record, { region: 'r' });
    const b = normalizeImage({ ...record, Usage: 'instance', Progress: '32%', IsSubscribed: true, RemainTime: 9 }, { region: 'r' });
    expect(b).toEqual(a);
  });

  it.each([
    ['Available', 'available'],
    ['Creating', 'pending'],
    ['Waiting', 'pending'],
    ['CreateFailed', 'failed'],
    ['UnAvailable', 'unavailable'],
    ['Deprecated', 'deprecated'],
    ['SomethingNew', 'unavailable'],
  ])('maps Status %s to %s', (status, expected) => {
    expect(normalizeImage({ ImageId: 'm-1', Status: status }, { region: 'r' }).status).toBe(expected);
  });

  it.each([
    ['system', 'public'],
    ['self', 'private'],
    ['others', 'shared'],
    ['marketplace', 'marketplace'],
    ['', null],
  ])('maps ImageOwnerAlias %j to %j', (alias, expected) => {
    expect(normalizeImage({ ImageId: 'm-1', ImageOwnerAlias: alias }, { region: 'r' }).visibility).toBe(expected);
  });

  it.each([
    ['x86_64', 'x86_64'],
    ['arm64', 'arm64'],
    ['i386', 'i386'],
    ['aarch64', 'arm64'],
    ['sparc', 'unknown'],
    [undefined, 'unknown'],
  ])('maps Architecture %j to %j', (arch, expected) => {
    expect(normalizeImage({ ImageId: 'm-1', Architecture: arch }, { region: 'r' }).architecture).toBe(expected);
  });

  it('reads OS type in either case, sizes as strings, and reports nothing it was not told', () => {
    const image = normalizeImage({ ImageId: 'ubuntu_22_04_arm64_20G_alibase_20240130.vhd', OSType: 'Linux', Size: '20' }, { region: 'cn-shanghai' });
    // No ImageName: the name is null (with a warning), never guessed from the ID.
    expect(image).toMatchObject({ osType: 'linux', sizeGiB: 20, name: null, createdAt: null, family: null, osDistro: null, description: null });
    expect(warningsOf(image)).toEqual(['image "ubuntu_22_04_arm64_20G_alibase_20240130.vhd": the record has no name; it is listed with name null']);
  });

  it('marks images as GPU-capable only when they were asked for with a GPU instance type', () => {
    expect(normalizeImage({ ImageId: 'm-1' }, { region: 'r', gpuInstanceType: 'ecs.gn7i-c8g1.2xlarge' }).gpu).toEqual({
      supported: true,
      vendor: null,
      driver: null,
      models: [],
    });
    expect(normalizeImage({ ImageId: 'm-1' }, { region: 'r' }).gpu.supported).toBeNull();
  });

  it('reads an unparseable CreationTime as no creation time, with a warning, instead of guessing a date', () => {
    const image = normalizeImage({ ImageId: 'm-1', ImageName: 'one', CreationTime: 'yesterday' }, { region: 'r' });
    expect(image.createdAt).toBeNull();
    expect(warningsOf(image)).toEqual([expect.stringMatching(/^image "m-1": CreationTime "yesterday" is not an RFC 3339 date-time/)]);
  });

  it('unwraps empty pages in both shapes and refuses what is not a list', () => {
    expect(unwrapImages({ Images: {} })).toEqual([]);
    expect(unwrapImages({ Images: { Image: [] } })).toEqual([]);
    expect(unwrapImages({ Images: { Image: 'x' } })).toBeUndefined();
    expect(unwrapImages({ Items: [] })).toBeUndefined();
  });

  it.each([
    // [Platform, OSNameEn, OSName (Chinese), distro, version]
    ['Ubuntu', 'Ubuntu  22.04 64 bit', 'Ubuntu  22.04 64位', 'ubuntu', '22.04'],
    ['CentOS', 'CentOS  7.9 64 bit', 'CentOS  7.9 64位', 'centos', '7.9'],
    ['Aliyun', 'Alibaba Cloud Linux  3.2104 LTS 64 bit', 'Alibaba Cloud Linux  3.2104 LTS 64位', 'alinux', '3'],
    ['Windows Server 2022', 'Windows Server  2022 Data Center Edition 64bit English Edition', 'Windows Server  2022 数据中心版 64位英文版', 'windows', '2022'],
    ['Rocky Linux', 'Rocky Linux  9.3 64 bit', undefined, 'rocky', '9.3'],
    ['Anolis', 'Anolis OS  8.8 RHCK 64 bit', undefined, 'anolis', '8.8'],
    ['Debian', 'Debian  11.9 32 bit', undefined, 'debian', '11.9'],
    ['Others Linux', 'Others Linux 64 bit', undefined, null, null],
    // Older answers: only the Chinese OSName.
    ['Windows Server 2008', undefined, 'Windows Server  2008 R2 企业版 64位英文版', 'windows', '2008 R2'],
    ['SUSE', undefined, 'SUSE Linux Enterprise Server 12 SP2 64位', 'sles', '12.2'],
    ['CoreOS', undefined, 'CoreOS  1465.8.0 64位', 'coreos', '1465.8.0'],
    ['CoreOS', undefined, undefined, 'coreos', null],
    ['Ubuntu', undefined, 'Ubuntu_64', 'ubuntu', null],
    ['Red Hat', 'Red Hat Enterprise Linux 8.4 64 bit', undefined, 'rhel', '8.4'],
  ])('reads Platform %j, OSNameEn %j, OSName %j as %j %j', (platform, osNameEn, osName, distro, version) => {
    const image = normalizeImage({ ImageId: 'm-1', Platform: platform, OSNameEn: osNameEn, OSName: osName }, { region: 'r' });
    expect([image.osDistro, image.osVersion]).toEqual([distro, version]);
    expect(image.osName).toBe((osNameEn ?? osName)?.replace(/\s+/g, ' ') ?? null);
  });
});
