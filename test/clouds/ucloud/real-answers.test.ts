/**
 * Real DescribeUK8SImage answers (test/fixtures/real/ucloud, sources in SOURCES.md) replayed byte for byte through the
 * real client on loopback (the API does not page: one answer is the whole list). Expectations are read off each raw
 * entry by hand; no public UK8S answer carries OsType, OsName, ImageSize or IntegratedSoftware.
 */
import { localServer } from '../../helpers/server';
import { realFiles, realText, replayOptions } from '../../helpers/real-answers';
import { lookupImages } from '../../../provider/lookup';
import { makeImage, type Image } from '../../../provider/core/image';

const REGION = 'cn-bj2';

/** A UK8S image as the documented sets describe it: no OS, size, creation time or status is reported. */
const uk8s = (id: string, name: string, machineType: Image['machineType'], zone: string | null, gpu: boolean | null): Image =>
  makeImage({
    id,
    name,
    cloud: 'ucloud',
    region: REGION,
    zone,
    machineType,
    visibility: 'public',
    gpu: { supported: gpu, vendor: null, driver: null, models: [] },
  });

/** The vendor doc example: ImageSet (VM, NotSupportGPU false), ImageSetnew (VM, true), PHostImageSet (bare metal, true);
 * its misspelled `CustomIImageSet` / `PHostCustomIImageSet` hold bare strings, which are no images. */
const DOC_EXAMPLE = [
  uk8s('KeQfHnUL', 'itWRmsMy', 'vm', '5', false),
  uk8s('SOqcWTEJ', 'hIscEgwy', 'vm', '5', true),
  uk8s('yFeQPFUL', 'OlgivCjk', 'baremetal', '9', false),
];

/** The user's own images each stored answer holds (CustomImageSet: VM, CustomPHostImageSet: bare metal), read by hand.
 * The CLI fixture's entry has no ZoneId, NotSupportGPU, OsType or OsName: zone and GPU support are unknown, and the
 * distribution comes from its name `custom-ubuntu` (no version in it). */
const PRIVATE: Record<string, Image[]> = {
  'ucloud-docs-describe-uk8s-image-2026.json': [], // its custom keys are misspelled and hold bare strings: no images
  'ucloud-docs-describe-uk8s-image-2020.json': [],
  'ucloud-cli-test-custom-image-set.json': [
    makeImage({
      id: 'uimage-custom',
      name: 'custom-ubuntu',
      cloud: 'ucloud',
      region: REGION,
      machineType: 'vm',
      visibility: 'private',
      osType: 'linux',
      osDistro: 'ubuntu',
    }),
  ],
};

/** Public images each stored answer holds, read by hand. */
const PUBLIC: Record<string, Image[]> = {
  'ucloud-docs-describe-uk8s-image-2026.json': DOC_EXAMPLE,
  'ucloud-docs-describe-uk8s-image-2020.json': DOC_EXAMPLE,
  // The vendor CLI's fixture answers only a CustomImageSet: the user's own image, never a public one.
  'ucloud-cli-test-custom-image-set.json': [],
};

async function exactService(file: string) {
  const text = realText('ucloud', file);
  const seen: URLSearchParams[] = [];
  const server = await localServer((req, res) => {
    seen.push(new URL(req.url ?? '/', 'http://127.0.0.1').searchParams);
    res.setHeader('content-type', 'application/json');
    res.end(text);
  });
  return { server, seen };
}

const options = (endpoint: string) =>
  replayOptions({ ucloud: { endpoint, publicKey: 'replay-public', privateKey: 'replay-private', projectId: 'org-replay' } });

describe('ucloud: real DescribeUK8SImage answers through the client', () => {
  it('has an expectation for every stored answer', () => {
    expect(Object.keys(PUBLIC).sort()).toEqual(realFiles('ucloud'));
    expect(Object.keys(PRIVATE).sort()).toEqual(realFiles('ucloud'));
  });

  describe.each(realFiles('ucloud'))('%s', (file) => {
    it('lists the public images it holds, each field as the raw entry says, in one request', async () => {
      const { server, seen } = await exactService(file);
      try {
        const { result } = await lookupImages({ cloud: 'ucloud', region: REGION, visibility: 'public' }, options(server.url));
        expect([...result.images].sort((a, b) => a.id.localeCompare(b.id))).toEqual(PUBLIC[file]);
        expect(seen).toHaveLength(1);
        expect(seen[0].get('Action')).toBe('DescribeUK8SImage');
        expect(seen[0].get('Region')).toBe(REGION);
      } finally {
        await server.close();
      }
    });

    it("lists the user's own images as private", async () => {
      const { server } = await exactService(file);
      try {
        const { result } = await lookupImages({ cloud: 'ucloud', region: REGION, visibility: 'private' }, options(server.url));
        expect([...result.images].sort((a, b) => a.id.localeCompare(b.id))).toEqual(PRIVATE[file]);
      } finally {
        await server.close();
      }
    });

    it('lists public and private images by default', async () => {
      const { server } = await exactService(file);
      try {
        const { result } = await lookupImages({ cloud: 'ucloud', region: REGION }, options(server.url));
        expect([...result.ids].sort()).toEqual([...PUBLIC[file], ...PRIVATE[file]].map((i) => i.id).sort());
      } finally {
        await server.close();
      }
    });
  });

  it('scopes the zone to the query when one is named (the answer gives only numeric ZoneIds)', async () => {
    const { server, seen } = await exactService('ucloud-docs-describe-uk8s-image-2026.json');
    try {
      const { result } = await lookupImages({ cloud: 'ucloud', region: REGION, zone: 'cn-bj2-02', visibility: 'public' }, options(server.url));
      expect(result.images.map((i) => i.zone)).toEqual(['cn-bj2-02', 'cn-bj2-02', 'cn-bj2-02']);
      expect(seen[0].get('Zone')).toBe('cn-bj2-02');
    } finally {
      await server.close();
    }
  });
});
