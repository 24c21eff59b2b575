/**
 * The OS vocabulary on every real answer in test/fixtures/real (see SOURCES.md): each OS name the clouds really
 * send, read off by hand into its os-release ID and VERSION_ID. A new real body with an OS name not in the table
 * fails here until someone reads it and adds the row. (Replay through the clients is in real-answers.test.ts.)
 */
import * as fs from 'fs';
import * as path from 'path';
import type { Image } from '../../provider/core/image';
import { normalizeImage as normalizeAlicloud, unwrapImages } from '../../provider/clouds/alicloud/normalize';
import { normalizeImage as normalizeIms } from '../../provider/clouds/huawei/normalize';
import type { ImsImage } from '../../provider/clouds/huawei/types';
import { normalizeAnswer as normalizeUcloud } from '../../provider/clouds/ucloud/normalize';

const REAL = path.join(__dirname, '../fixtures/real');
const bodies = (cloud: string) =>
  fs
    .readdirSync(path.join(REAL, cloud))
    .filter((f) => f.endsWith('.json'))
    .map((f) => ({ file: `${cloud}/${f}`, body: JSON.parse(fs.readFileSync(path.join(REAL, cloud, f), 'utf8')) as unknown }));

/** OS name (as the record gives it; the Alibaba platform after a `|`) → [osDistro, osVersion]. */
const JUDGED: Record<string, [string | null, string | null]> = {
  // Alibaba: Chinese-only OSName in older answers, OSNameEn in newer ones.
  'CentOS  7.4 64位': ['centos', '7.4'],
  'CoreOS  1465.8.0 64位': ['coreos', '1465.8.0'],
  'Debian  9.2 64位': ['debian', '9.2'],
  Ubuntu_64: ['ubuntu', null],
  'CentOS  6.9 64位': ['centos', '6.9'],
  'FreeBSD  11.1 64位': ['freebsd', '11.1'],
  'SUSE Linux  Enterprise Server 11 SP4 64位': ['sles', '11.4'],
  'SUSE Linux  Enterprise Server 12 SP2 64位': ['sles', '12.2'],
  'SUSE Linux  Enterprise Server 11 SP3 64位': ['sles', '11.3'],
  'Windows Server  2016 数据中心版 64位英文版': ['windows', '2016'],
  'Windows Server  2016 Data Center Edition 64bit Chinese Edition': ['windows', '2016'],
  'CentOS  6.8 32位': ['centos', '6.8'],
  'CentOS  6.8 64位': ['centos', '6.8'],
  'CentOS  7.3 64位': ['centos', '7.3'],
  'Debian  8.8 32位': ['debian', '8.8'],
  'Debian  8.8 64位': ['debian', '8.8'],
  'Ubuntu  14.04 32位': ['ubuntu', '14.04'],
  'Ubuntu  14.04 64位': ['ubuntu', '14.04'],
  'Ubuntu  16.04 32位': ['ubuntu', '16.04'],
  'Ubuntu  16.04 64位': ['ubuntu', '16.04'],
  'Windows Server  2008 R2 企业版 64位英文版': ['windows', '2008 R2'],
  'Alibaba Cloud Linux 2.1903 LTS 64 bit': ['alinux', '2.1903'],
  'Debian  10.12 64 bit': ['debian', '10.12'],
  'FreeBSD  11.2 64 bit': ['freebsd', '11.2'],
  // IMS (__os_version).
  'CentOS 7.3 64bit': ['centos', '7.3'],
  'CentOS 7.9 64bit': ['centos', '7.9'],
  'openEuler 20.03 64bit': ['openeuler', '20.03'],
  'Ubuntu 14.04 server 64bit': ['ubuntu', '14.04'],
};

/** Alibaba's osName folds the double spaces the service sends (`CentOS  7.4`), so the table is read the same way. */
const judged = new Map(Object.entries(JUDGED).map(([name, facts]) => [name.replace(/\s+/g, ' '), facts]));

function check(images: Image[], file: string): void {
  expect(images.length).toBeGreaterThan(0);
  for (const image of images) {
    const key = (image.osName ?? `(no OS name) ${image.name}`).replace(/\s+/g, ' ');
    expect([file, key, judged.has(key)]).toEqual([file, key, true]);
    expect([file, key, image.osDistro, image.osVersion]).toEqual([file, key, ...judged.get(key)!]);
  }
}

describe('osDistro and osVersion of every real answer', () => {
  test.each(bodies('alicloud'))('Alibaba $file', ({ file, body }) => {
    check(
      unwrapImages(body)!.map((r) => normalizeAlicloud(r, { region: 'cn-beijing' })),
      file,
    );
  });

  test.each([...bodies('huawei'), ...bodies('opentelekomcloud')])('IMS $file', ({ file, body }) => {
    const { images: list } = body as { images?: ImsImage[] };
    const records = Array.isArray(list) ? list : [body as ImsImage];
    const images = records.map((r) => normalizeIms(r, file.startsWith('huawei') ? 'huaweicloud' : 'opentelekomcloud', 'r'));
    check(images, file);
    // Architecture as issue 13 rules it: the arm image is marked, x86 images (all of OTC's) carry nothing.
    for (const [record, image] of records.map((r, i) => [r, images[i]] as const))
      expect(image.architecture).toBe(record.__support_arm === 'true' ? 'arm64' : 'x86_64');
  });

  test('UCloud: the vendor CLI fixture names its distribution only in the image name; the doc examples name none', () => {
    const [cli, doc2020, doc2026] = [
      'ucloud-cli-test-custom-image-set.json',
      'ucloud-docs-describe-uk8s-image-2020.json',
      'ucloud-docs-describe-uk8s-image-2026.json',
    ].map((f) => normalizeUcloud(JSON.parse(fs.readFileSync(path.join(REAL, 'ucloud', f), 'utf8')) as Record<string, unknown>, { region: 'cn-bj2' }));
    expect(cli.map((i) => [i.id, i.visibility, i.osDistro, i.osVersion])).toEqual([['uimage-custom', 'private', 'ubuntu', null]]);
    // Placeholder names (`hIscEgwy`): no distribution can be told, so none is claimed.
    for (const images of [doc2020, doc2026])
      expect(images.map((i) => [i.visibility, i.osDistro, i.osVersion])).toEqual([
        ['public', null, null],
        ['public', null, null],
        ['public', null, null],
      ]);
  });
});
