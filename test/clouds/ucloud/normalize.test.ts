import * as fs from 'fs';
import * as path from 'path';
import { makeImage, warningsOf } from '../../../provider/core/image';
import { CloudApiError, PagingError } from '../../../provider/core/errors';
import { normalizeAnswer } from '../../../provider/clouds/ucloud/normalize';

/** The example response of the DescribeUK8SImage document (shared/seeds/000_…), verbatim. */
const seedExample = JSON.parse(fs.readFileSync(path.join(__dirname, '../../fixtures/ucloud/describe-uk8s-image.seed-example.json'), 'utf8')) as Record<
  string,
  unknown
>;

const base = { cloud: 'ucloud' as const, region: 'cn-zj', visibility: 'public' as const, status: 'available' as const, createdAt: null };

describe('UCloud normalizer', () => {
  test("the seed's example answer normalizes to the expected images (ImageSetnew as further VM images)", () => {
    expect(normalizeAnswer(seedExample, { region: 'cn-zj' })).toEqual([
      makeImage({ ...base, id: 'SOqcWTEJ', name: 'hIscEgwy', zone: '5', machineType: 'vm', gpu: { supported: true, vendor: null, driver: null, models: [] } }),
      makeImage({
        ...base,
        id: 'yFeQPFUL',
        name: 'OlgivCjk',
        zone: '9',
        machineType: 'baremetal',
        gpu: { supported: false, vendor: null, driver: null, models: [] },
      }),
      makeImage({ ...base, id: 'KeQfHnUL', name: 'itWRmsMy', zone: '5', machineType: 'vm', gpu: { supported: false, vendor: null, driver: null, models: [] } }),
    ]);
  });

  test('a zone-scoped request names the zone; no creation time, public, available', () => {
    const [image] = normalizeAnswer(seedExample, { region: 'cn-zj', zone: 'cn-zj-01' });
    expect(image.zone).toBe('cn-zj-01');
    expect(image.createdAt).toBeNull();
    expect(image.visibility).toBe('public');
  });

  test('optional fields: OsType, OsName, ImageSize, SupportedGPUTypes; distro and version from OsName else name', () => {
    const images = normalizeAnswer(
      {
        RetCode: 0,
        ImageSet: [
          {
            ZoneId: 4001,
            ImageId: 'uimage-a',
            ImageName: 'uk8s-rocky-8.10-x86_64-gpu-b10',
            NotSupportGPU: false,
            OsType: 'Linux',
            OsName: 'Rocky Linux 8.10 64位',
            ImageSize: 60,
            SupportedGPUTypes: ['T4', 'A100', 'T4'],
            Extra: { nested: true },
          },
          { ZoneId: 4001, ImageId: 'uimage-b', ImageName: 'uk8s-ubuntu-22.04-aarch64-b9', NotSupportGPU: 'true' },
          { ZoneId: 4001, ImageId: 'uimage-c', ImageName: 'custom', NotSupportGPU: 'maybe', ImageSize: 'n/a' },
        ],
      },
      { region: 'cn-bj2' },
    );
    expect(images.map((i) => [i.id, i.osType, i.osName, i.osDistro, i.osVersion, i.architecture, i.sizeGiB, i.gpu.supported, i.gpu.models])).toEqual([
      ['uimage-a', 'linux', 'Rocky Linux 8.10 64位', 'rocky', '8.10', 'x86_64', 60, true, ['T4', 'A100']],
      ['uimage-b', 'linux', null, 'ubuntu', '22.04', 'arm64', null, false, []],
      ['uimage-c', 'unknown', null, null, null, 'unknown', null, null, []],
    ]);
  });

  test('duplicates: ImageSet wins over ImageSetnew; an ID in both VM and bare-metal lists is machineType any', () => {
    const images = normalizeAnswer(
      {
        RetCode: 0,
        ImageSet: [
          { ZoneId: 1, ImageId: 'i-1', ImageName: 'from-imageset', NotSupportGPU: true },
          { ZoneId: 1, ImageId: 'i-2', ImageName: 'both', NotSupportGPU: true },
        ],
        PHostImageSet: [{ ZoneId: 1, ImageId: 'i-2', ImageName: 'both', NotSupportGPU: true }],
        ImageSetnew: [{ ZoneId: 1, ImageId: 'i-1', ImageName: 'from-new', NotSupportGPU: false }],
      },
      { region: 'r' },
    );
    expect(images.map((i) => [i.id, i.name, i.machineType])).toEqual([
      ['i-1', 'from-imageset', 'vm'],
      ['i-2', 'both', 'any'],
    ]);
  });

  test('undocumented keys never break parsing: odd ImageSetnew shapes and unknown keys are skipped', () => {
    expect(normalizeAnswer({ RetCode: 0, ImageSetnew: 'soon', SomethingElse: [1, 2], ImageSet: [] }, { region: 'r' })).toEqual([]);
    expect(
      normalizeAnswer({ RetCode: 0, ImageSetnew: [{ ImageName: 'no id' }, 7, { ImageId: 'x', ImageName: 'ok', ZoneId: 2 }] }, { region: 'r' }).map((i) => i.id),
    ).toEqual(['x']);
  });

  test('documented lists that cannot be read completely fail instead of shrinking the answer', () => {
    expect(() => normalizeAnswer({ RetCode: 0, ImageSet: { a: 1 } }, { region: 'r' })).toThrow(CloudApiError);
    expect(() => normalizeAnswer({ RetCode: 0, PHostImageSet: [{ ImageName: 'no id' }] }, { region: 'r' })).toThrow('PHostImageSet[0] has no ImageId');
  });

  test('an entry without ImageName is listed with name null and a warning, in every list', () => {
    const images = normalizeAnswer(
      { RetCode: 0, ImageSet: [{ ImageId: 'uimage-a', ZoneId: 1 }], CustomImageSet: [{ ImageId: 'own', ImageName: '' }] },
      { region: 'r' },
    );
    expect(images.map((i) => [i.id, i.name])).toEqual([
      ['uimage-a', null],
      ['own', null],
    ]);
    expect(warningsOf(images[0])).toEqual(['image "uimage-a": the record has no name; it is listed with name null']);
  });

  test.each([
    [5, 5],
    [5, '5'],
    ['a', 'a '],
    [' a', 'a'],
  ])('an ImageId repeated within one list (%j, %j) fails the listing with a PagingError', (first, second) => {
    for (const key of ['ImageSet', 'PHostImageSet', 'ImageSetnew', 'CustomImageSet', 'CustomPHostImageSet']) {
      const body = {
        RetCode: 0,
        [key]: [
          { ImageId: first, ImageName: 'one' },
          { ImageId: second, ImageName: 'two' },
        ],
      };
      expect(() => normalizeAnswer(body, { region: 'r' })).toThrow(PagingError);
      expect(() => normalizeAnswer(body, { region: 'r' })).toThrow(/appears twice in /);
    }
    // VM and bare-metal lists overlap by design: one image that runs on both.
    const both = normalizeAnswer(
      { RetCode: 0, ImageSet: [{ ImageId: first, ImageName: 'one' }], PHostImageSet: [{ ImageId: second, ImageName: 'one' }] },
      { region: 'r' },
    );
    expect(both.map((i) => i.machineType)).toEqual(['any']);
  });

  test('distribution and version from OsName, else from the name, in the one OS vocabulary', () => {
    const os = (info: Record<string, unknown>) => {
      const [image] = normalizeAnswer({ RetCode: 0, ImageSet: [{ ZoneId: 1, ImageId: 'i', NotSupportGPU: true, ...info }] }, { region: 'r' });
      return [image.osDistro, image.osVersion];
    };
    expect(os({ ImageName: 'x', OsName: 'CentOS 7.9 64位' })).toEqual(['centos', '7.9']);
    expect(os({ ImageName: 'uk8s-almalinux-9.4-x86_64-b8' })).toEqual(['almalinux', '9.4']);
    expect(os({ ImageName: 'x', OsName: 'Windows Server 2019' })).toEqual(['windows', '2019']);
    expect(os({ ImageName: 'hIscEgwy' })).toEqual([null, null]);
    expect(os({ ImageName: 'uk8s-ubuntu-64bit', OsName: 'Ubuntu 64位' })).toEqual(['ubuntu', null]);
  });

  test("the account's own images: CustomImageSet (VM) and CustomPHostImageSet (bare metal) are private", () => {
    // ucloud/ucloud-cli's test server answer (see test/fixtures/real/SOURCES.md): no ZoneId, NotSupportGPU or OsName.
    const cli = {
      Action: 'DescribeUK8SImageResponse',
      CustomImageSet: [{ Features: ['CloudInit'], ImageId: 'uimage-custom', ImageName: 'custom-ubuntu' }],
      RetCode: 0,
    };
    expect(normalizeAnswer(cli, { region: 'cn-bj2' })).toEqual([
      makeImage({
        ...base,
        region: 'cn-bj2',
        id: 'uimage-custom',
        name: 'custom-ubuntu',
        visibility: 'private',
        machineType: 'vm',
        osType: 'linux',
        osDistro: 'ubuntu',
      }),
    ]);
    const images = normalizeAnswer(
      {
        RetCode: 0,
        ImageSet: [{ ZoneId: 1, ImageId: 'uimage-pub', ImageName: 'uk8s-ubuntu-22.04-x86_64-b9', NotSupportGPU: true }],
        CustomPHostImageSet: [{ ZoneId: 1, ImageId: 'pimg-own', ImageName: 'team-rocky-8.10', NotSupportGPU: false, SupportedGPUTypes: ['A800'] }],
      },
      { region: 'r' },
    );
    expect(images.map((i) => [i.id, i.visibility, i.machineType, i.osDistro, i.osVersion, i.gpu.models])).toEqual([
      ['uimage-pub', 'public', 'vm', 'ubuntu', '22.04', []],
      ['pimg-own', 'private', 'baremetal', 'rocky', '8.10', ['A800']],
    ]);
  });

  test('custom-set entries that are not objects with an ImageId are skipped; a custom set that is not a list fails', () => {
    // The current documentation's example: bare strings under misspelled keys, which are not read at all.
    const doc = {
      RetCode: 0,
      CustomIImageSet: ['vcSXSoOo'],
      PHostCustomIImageSet: ['jABaDaml'],
      ImageSet: [{ ImageId: 'SOqcWTEJ', ImageName: 'hIscEgwy', NotSupportGPU: false, ZoneId: 5 }],
    };
    expect(normalizeAnswer(doc, { region: 'r' }).map((i) => i.id)).toEqual(['SOqcWTEJ']);
    const odd = normalizeAnswer(
      { RetCode: 0, CustomImageSet: ['vcSXSoOo', null, { ImageName: 'no-id' }, { ImageId: 'ok', ImageName: 'mine' }], CustomPHostImageSet: [7] },
      { region: 'r' },
    );
    expect(odd.map((i) => [i.id, i.visibility])).toEqual([['ok', 'private']]);
    expect(() => normalizeAnswer({ RetCode: 0, CustomImageSet: 'vcSXSoOo' }, { region: 'r' })).toThrow('CustomImageSet is not a list');
  });
});
