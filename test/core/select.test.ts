import { chooseImage, compareImages, selectImages, testNamesBounded } from '../../provider/core/select';
import { compileQuery, validateQuery } from '../../provider/core/query';
import { AmbiguousImageError, NoImageError, ValidationError } from '../../provider/core/errors';
import { image } from '../helpers/images';
import { toIsoUtc } from '../../provider/core/image';

const select = (images: ReturnType<typeof image>[], args: Record<string, unknown>) =>
  selectImages(images, compileQuery(validateQuery({ cloud: 'nscale', ...args })));
const ids = (images: { id: string }[]) => images.map((i) => i.id);

describe('order of getImages', () => {
  const images = [
    image({ id: 'c', name: 'beta', createdAt: '2024-01-01T00:00:00Z' }),
    image({ id: 'b', name: 'alpha', createdAt: '2024-01-01T00:00:00Z' }),
    image({ id: 'a', name: 'alpha', createdAt: '2024-01-01T00:00:00Z' }),
    image({ id: 'n1', name: 'zeta', createdAt: null }),
    image({ id: 'n0', name: 'eta', createdAt: null }),
    image({ id: 'new', name: 'zzz', createdAt: '2025-06-01T00:00:00Z' }),
  ];

  it('is createdAt descending, unknown last, then name, then id', () => {
    expect(ids(select(images, {}))).toEqual(['new', 'a', 'b', 'c', 'n0', 'n1']);
  });

  it('does not depend on the order the cloud answered in', () => {
    const reversed = [...images].reverse();
    expect(ids(select(reversed, {}))).toEqual(ids(select(images, {})));
  });

  it('is a total order: no two distinct images compare equal', () => {
    for (const x of images) for (const y of images) if (x !== y) expect(compareImages(x, y)).not.toBe(0);
  });

  it('orders creation times with fractional seconds by time, not as text (truncated to whole seconds)', () => {
    const a = image({ id: 'a', name: 'a', createdAt: toIsoUtc('2024-05-01T12:00:00.500Z') });
    const b = image({ id: 'b', name: 'b', createdAt: toIsoUtc('2024-05-01T12:00:01Z') });
    const c = image({ id: 'c', name: 'c', createdAt: toIsoUtc('2024-05-01T11:59:59.999Z') });
    expect(ids(select([a, c, b], {}))).toEqual(['b', 'a', 'c']);
    expect(a.createdAt).toBe('2024-05-01T12:00:00Z');
  });

  it('keeps one record per ID when a catalog repeats an image', () => {
    expect(ids(select([images[0], { ...images[0] }], {}))).toEqual(['c']);
  });
});

describe('selectors', () => {
  const catalog = [
    image({ id: 'x86', architecture: 'x86_64', osType: 'linux', osDistro: 'Ubuntu', osVersion: '22.04', tags: { team: 'ml' } }),
    image({ id: 'arm', architecture: 'arm64', osType: 'linux', osDistro: 'ubuntu', osVersion: '24.04', machineType: 'baremetal' }),
    image({ id: 'win', architecture: 'x86_64', osType: 'windows', visibility: 'private' }),
    image({ id: 'h100', architecture: 'x86_64', gpu: { supported: true, vendor: 'NVIDIA', driver: '525.85.05', models: ['NVIDIA H100 80GB HBM3'] }, softwareVersions: { kubernetes: 'v1.30.2' }, visibility: 'public' }),
    image({ id: 'mi300', gpu: { supported: true, vendor: 'AMD', driver: '6.1.0', models: ['MI300X'] }, softwareVersions: { kubernetes: 'v1.28.1' }, machineType: 'any' }),
    image({ id: 'old', status: 'deprecated' }),
    image({ id: 'nogpu', gpu: { supported: false, vendor: null, driver: null, models: [] } }),
  ];
  it.each([
    [{ architecture: 'aarch64' }, ['arm']],
    [{ architecture: 'x86_64' }, ['h100', 'win', 'x86']],
    [{ gpu: true }, ['h100', 'mi300']],
    [{ gpu: false }, ['nogpu']], // only where the cloud says so: unknown is not "no GPU"
    [{ gpuVendor: 'nvidia' }, ['h100']],
    [{ gpuModel: 'H100' }, ['h100']],
    [{ gpuModel: 'H10' }, []],
    [{ gpuModel: 'mi300x' }, ['mi300']],
    [{ gpuDriver: '>=525' }, ['h100']],
    [{ gpuDriver: '>=6 <7' }, ['mi300']],
    [{ softwareVersions: { kubernetes: '>=1.29.0 <1.31.0' } }, ['h100']],
    [{ osType: 'windows' }, ['win']],
    [{ osDistro: 'UBUNTU' }, ['arm', 'x86']],
    [{ osDistro: 'Ub untu' }, ['arm', 'x86']], // spaces, dashes and underscores aside: "Red Hat" is redhat
    [{ osVersion: '22.04' }, ['x86']],
    [{ machineType: 'baremetal' }, ['arm', 'mi300']],
    [{ visibility: 'private' }, ['win']],
    [{ status: 'deprecated' }, ['old']],
    [{ status: ['available', 'deprecated'] }, ['arm', 'h100', 'mi300', 'nogpu', 'old', 'win', 'x86']],
    [{ tags: { team: 'ml' } }, ['x86']],
    [{ tags: { team: 'web' } }, []],
    [{ nameRegex: '^(h|m)' }, ['h100', 'mi300']],
    [{ gpuVendor: 'NVIDIA', gpuModel: 'H100', gpuDriver: '>=525', architecture: 'x86_64', softwareVersions: { kubernetes: '^1.30' } }, ['h100']],
  ])('%j selects %j', (args, expected) => {
    expect(ids(select(catalog, args)).sort()).toEqual(expected);
  });

  it('never chooses unusable images unless asked: the default status is available', () => {
    expect(ids(select(catalog, {}))).not.toContain('old');
  });
});

describe('chooseImage (getImage)', () => {
  const q = (args: Record<string, unknown> = {}) => validateQuery({ cloud: 'nscale', region: 'r1', ...args });

  it('fails with the query when nothing matches', () => {
    expect(() => chooseImage([], q({ gpuModel: 'H200' }))).toThrow(NoImageError);
    expect(() => chooseImage([], q({ gpuModel: 'H200' }))).toThrow(/no image matches the query \(cloud=nscale region=r1 gpuModel=H200\)/);
  });

  it('fails with the count and the first IDs when several match without mostRecent', () => {
    const many = Array.from({ length: 7 }, (_, i) => image({ id: `img-${i}`, createdAt: `2024-01-0${i + 1}T00:00:00Z` }));
    const sorted = select(many, {});
    let error: AmbiguousImageError | undefined;
    try {
      chooseImage(sorted, q());
    } catch (e) {
      error = e as AmbiguousImageError;
    }
    expect(error).toBeInstanceOf(AmbiguousImageError);
    expect(error!.count).toBe(7);
    expect(error!.ids).toEqual(['img-6', 'img-5', 'img-4', 'img-3', 'img-2']);
    expect(error!.message).toMatch(/^7 images match the query .* e\.g\. img-6, img-5, img-4, img-3, img-2; narrow the query or set mostRecent to true$/);
  });

  it('with mostRecent takes the newest; a tie in createdAt goes to the first name, then ID', () => {
    const tied = [
      image({ id: 'z', name: 'b-image', createdAt: '2024-05-05T00:00:00Z' }),
      image({ id: 'y', name: 'a-image', createdAt: '2024-05-05T00:00:00Z' }),
      image({ id: 'x', name: 'a-image', createdAt: '2024-05-05T00:00:00Z' }),
      image({ id: 'w', name: 'older', createdAt: '2024-05-04T23:59:59Z' }),
    ];
    const choice = chooseImage(select(tied, {}), q({ mostRecent: true }));
    expect(choice.image.id).toBe('x');
    expect(choice.reason).toMatch(/3 share that time/);
    expect(choice.warnings).toEqual([]);
  });

  it('without creation times orders by the version numbers in names, and warns', () => {
    const unversioned = ['ubuntu-7.9-gpu', 'ubuntu-7.10-gpu', 'ubuntu-7.2-gpu'].map((name, i) => image({ id: `u${i}`, name, cloud: 'ucloud', createdAt: null }));
    const choice = chooseImage(select(unversioned, {}), validateQuery({ cloud: 'ucloud', mostRecent: true }));
    expect(choice.image.name).toBe('ubuntu-7.10-gpu');
    expect(choice.warnings[0]).toMatch(/ucloud reports no creation time: mostRecent chose u1 \(ubuntu-7\.10-gpu\) by the version numbers in image names/);
  });

  it('the only match needs no mostRecent', () => {
    expect(chooseImage([image({ id: 'one' })], q())).toMatchObject({ image: { id: 'one' }, reason: 'the only image that matches' });
  });

  it('with mostRecent a single candidate is described as the newest (a server may have returned only the newest)', () => {
    expect(chooseImage([image({ id: 'one', createdAt: '2025-01-01T00:00:00Z' })], q({ mostRecent: true })).reason).toBe('the newest image that matches (created 2025-01-01T00:00:00Z)');
  });
});

describe('bounded regular expressions', () => {
  it('stops a catastrophically backtracking pattern with an error naming nameRegex', () => {
    const names = Array.from({ length: 20 }, () => `${'a'.repeat(40)}!`);
    const started = Date.now();
    expect(() => testNamesBounded(/^(a+)+$/, names)).toThrow(ValidationError);
    expect(() => testNamesBounded(/^(a+)+$/, names)).toThrow(/nameRegex.*longer than 1000 ms/);
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('honours flags and is not confused by global state between names', () => {
    expect(testNamesBounded(/ubuntu/gi, ['UBUNTU-22', 'ubuntu-24', 'debian'])).toEqual([true, true, false]);
  });
});
