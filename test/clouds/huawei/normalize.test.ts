import * as fs from 'fs';
import * as path from 'path';
import { architectureOf, distroFromPlatform, gpuModelsOf, normalizeImage, platformForDistro, tagsOf } from '../../../provider/clouds/huawei/normalize';
import type { ImsImage } from '../../../provider/clouds/huawei/types';

// The example response of the IMS API reference ("Querying Images", seed 002), extracted verbatim.
const seed = JSON.parse(fs.readFileSync(path.join(__dirname, '../../fixtures/huawei/seed-example-response.json'), 'utf8')) as { images: ImsImage[] };

const record = (fields: Partial<ImsImage>): ImsImage => ({ id: 'img-1', name: 'n', ...fields });

describe('the seed example response', () => {
  test('normalizes to the two CentOS gold images', () => {
    const images = seed.images.map((r) => normalizeImage(r, 'huaweicloud', 'cn-north-4'));
    const common = {
      cloud: 'huaweicloud',
      region: 'cn-north-4',
      zone: null,
      description: null,
      architecture: 'x86_64',
      osType: 'linux',
      osName: 'CentOS 7.3 64bit',
      osDistro: 'centos',
      osVersion: '7.3',
      status: 'available',
      visibility: 'public',
      sizeGiB: 100,
      machineType: 'vm',
      gpu: { supported: false, vendor: null, driver: null, models: [] },
      softwareVersions: {},
      tags: {},
      family: null,
    };
    expect(images).toEqual([
      { ...common, id: 'bc6bed6e-ba3a-4447-afcc-449174a3eb52', name: 'CentOS 7.3 64bit vivado', createdAt: '2018-09-06T14:03:27Z' },
      { ...common, id: '0328c25e-c840-4496-81ac-c4e01b214b1f', name: 'CentOS 7.3 64bit with sdx', createdAt: '2018-09-06T14:03:05Z' },
    ]);
  });

  test('updated_at stays out: a record that differs only in its update time gives the same image', () => {
    const a = normalizeImage(seed.images[0], 'opentelekomcloud', 'eu-de');
    const b = normalizeImage({ ...seed.images[0], updated_at: '2030-01-01T00:00:00Z', __lazyloading: 'false' }, 'opentelekomcloud', 'eu-de');
    expect(b).toEqual(a);
    expect(JSON.stringify(a)).not.toContain('2018-09-06T15:17:33Z');
  });
});

describe('field rules', () => {
  test('architecture on both clouds: __support_arm (string boolean) → arm64, __os_bit 32 → i386, any other → x86_64', () => {
    expect(architectureOf(record({ __support_arm: 'true', __os_bit: '64' }))).toBe('arm64');
    expect(architectureOf(record({ __support_arm: 'True' }))).toBe('arm64');
    expect(architectureOf(record({ __support_arm: 'false', __os_bit: '32' }))).toBe('i386');
    expect(architectureOf(record({ __os_bit: '64' }))).toBe('x86_64');
    expect(architectureOf(record({}))).toBe('x86_64');
    // Open Telekom Cloud's own x86 images carry no architecture attribute at all.
    for (const cloud of ['huaweicloud', 'opentelekomcloud'] as const) {
      expect(normalizeImage(record({ __os_bit: '64' }), cloud, 'r').architecture).toBe('x86_64');
      expect(normalizeImage(record({ __support_arm: 'true' }), cloud, 'r').architecture).toBe('arm64');
      expect(normalizeImage(record({ __os_bit: '32', __support_amd: 'true' }), cloud, 'r').architecture).toBe('i386');
    }
  });

  test.each([
    ['active', 'available'],
    ['queued', 'pending'],
    ['saving', 'pending'],
    ['killed', 'failed'],
    ['deleted', 'unavailable'],
    ['pending_delete', 'unavailable'],
  ])('status %s → %s', (status, expected) => {
    expect(normalizeImage(record({ status }), 'huaweicloud', 'r').status).toBe(expected);
  });

  test.each([
    ['gold', 'public'],
    ['private', 'private'],
    ['shared', 'shared'],
    ['market', 'marketplace'],
    ['weird', null],
  ])('__imagetype %s → %s', (t, v) => {
    expect(normalizeImage(record({ __imagetype: t }), 'huaweicloud', 'r').visibility).toBe(v);
  });

  test('machine type from virtual_env_type', () => {
    expect(normalizeImage(record({ virtual_env_type: 'Ironic' }), 'huaweicloud', 'r').machineType).toBe('baremetal');
    expect(normalizeImage(record({ virtual_env_type: 'FusionCompute' }), 'huaweicloud', 'r').machineType).toBe('vm');
    // Undocumented env types (ISO and data images), or none, are not known: unknown, which no machineType selects.
    expect(normalizeImage(record({ virtual_env_type: 'IsoImage' }), 'huaweicloud', 'r').machineType).toBe('unknown');
    expect(normalizeImage(record({ virtual_env_type: undefined }), 'huaweicloud', 'r').machineType).toBe('unknown');
  });

  test('GPU: supported when a __support_*_gpu_type value is present, models from it', () => {
    const kvm = normalizeImage(record({ __support_kvm_gpu_type: 'V100,T4' }), 'huaweicloud', 'r');
    // IMS reports GPU types, not vendors or drivers: those stay null rather than guessed from model names.
    expect(kvm.gpu).toEqual({ supported: true, vendor: null, driver: null, models: ['V100', 'T4'] });
    expect(gpuModelsOf(record({ __support_xen_gpu_type: 'M60_vGPU', __support_kvm_gpu_type: 'M60_vGPU;P4' }))).toEqual(['M60_vGPU', 'P4']);
    expect(normalizeImage(record({ __support_kvm_gpu_type: 'Ascend310' }), 'huaweicloud', 'r').gpu.vendor).toBeNull();
    expect(normalizeImage(record({ __support_kvm: 'true' }), 'huaweicloud', 'r').gpu.supported).toBe(false);
  });

  test.each([
    // [__platform, __os_version, osDistro, osVersion]
    ['Windows', 'Windows Server 2019 Datacenter 64bit English', 'windows', '2019'],
    ['Windows', 'Windows Server 2008 R2 Enterprise 64bit', 'windows', '2008 R2'],
    ['Ubuntu', 'Ubuntu 22.04 server 64bit', 'ubuntu', '22.04'],
    ['EulerOS', 'EulerOS 2.5 64bit', 'euleros', '2.5'],
    ['EulerOS', 'Huawei Cloud EulerOS 2.0 Standard 64 bit', 'hce', '2.0'],
    ['SUSE', 'SUSE Linux Enterprise Server 12 SP2 64bit', 'sles', '12.2'],
    ['OpenSUSE', 'OpenSUSE 15.5 64bit', 'opensuse-leap', '15.5'],
    ['Red Hat', 'Red Hat Enterprise Linux 8.4 64bit', 'rhel', '8.4'],
    ['Oracle Linux', 'Oracle Linux 8.6 64bit', 'ol', '8.6'],
    ['CoreOS', 'CoreOS 1465.8.0', 'coreos', '1465.8.0'],
    ['CentOS', 'CentOS 6.10 32bit', 'centos', '6.10'],
    ['Other', 'Other', null, null],
    ['Other', 'Other Linux(64 bit)', null, null],
    ['Debian', undefined, 'debian', null],
  ])('OS: __platform %j, __os_version %j → %j %j', (platform, osVersion, distro, version) => {
    const image = normalizeImage(record({ __platform: platform, __os_version: osVersion }), 'opentelekomcloud', 'r');
    expect([image.osDistro, image.osVersion, image.osName]).toEqual([distro, version, osVersion ?? null]);
  });

  test('OS: type; the platform ↔ distribution table both ways', () => {
    expect(distroFromPlatform('Red Hat')).toBe('rhel');
    expect(distroFromPlatform('SUSE')).toBe('sles');
    expect(distroFromPlatform('Oracle Linux')).toBe('ol');
    expect(distroFromPlatform('Other')).toBeNull();
    expect(platformForDistro('OracleLinux')).toBe('Oracle Linux');
    expect(platformForDistro('ol')).toBe('Oracle Linux');
    expect(platformForDistro('suse')).toBe('SUSE');
    expect(platformForDistro('rhel')).toBe('Red Hat');
    expect(platformForDistro('opensuse-leap')).toBe('OpenSUSE');
    expect(platformForDistro('gentoo')).toBeUndefined();
    const win = normalizeImage(record({ __os_type: 'Windows', __platform: 'Windows', __description: 'Windows image' }), 'huaweicloud', 'r');
    expect([win.osType, win.osDistro, win.description]).toEqual(['windows', 'windows', 'Windows image']);
  });

  test('tags in both formats; size from min_disk', () => {
    expect(tagsOf(['env=prod', 'team.platform', 'a=b=c', 'bare'])).toEqual({ env: 'prod', team: 'platform', a: 'b=c', bare: '' });
    expect(normalizeImage(record({ min_disk: '40' }), 'huaweicloud', 'r').sizeGiB).toBe(40);
    expect(normalizeImage(record({ min_disk: 0 }), 'huaweicloud', 'r').sizeGiB).toBeNull();
  });

  test('a record without an ID is an error; a garbage date is no creation time, never a guess', () => {
    expect(() => normalizeImage(record({ id: '' }), 'huaweicloud', 'r')).toThrow(/no id/);
    expect(normalizeImage(record({ created_at: 'yesterday' }), 'huaweicloud', 'r').createdAt).toBeNull();
  });
});
