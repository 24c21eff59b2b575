import fc from 'fast-check';
import { ageInDays, chooseImage, compareImages, explainSelection, selectImages, testNamesBounded } from '../../provider/core/select';
import { compileQuery, validateQuery } from '../../provider/core/query';
import { AmbiguousImageError, NoImageError, ValidationError } from '../../provider/core/errors';
import { image } from '../helpers/images';
import { readCreationTime } from '../../provider/core/image';
import { BUILT_IN_REGISTRY } from '../../provider/clouds';

const toIsoUtc = (value: string) => readCreationTime(value, 'createdAt', []);

const select = (images: ReturnType<typeof image>[], args: Record<string, unknown>) =>
  selectImages(images, compileQuery(validateQuery({ cloud: 'nscale', ...args }, BUILT_IN_REGISTRY)));
const ids = (images: { id: string }[]) => images.map((i) => i.id);

/** getImage's error on a catalog, with its funnel and near misses. */
function noImageError(catalog: ReturnType<typeof image>[], args: Record<string, unknown>): NoImageError {
  const query = validateQuery({ cloud: 'nscale', region: 'r1', ...args }, BUILT_IN_REGISTRY);
  const compiled = compileQuery(query);
  try {
    chooseImage(selectImages(catalog, compiled), query, () => explainSelection(catalog, compiled));
  } catch (err) {
    return err as NoImageError;
  }
  throw new Error('expected NoImageError');
}

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

  it('orders at the precision the server gave, whatever the zone or the order of the answer: one total order (property)', () => {
    const times = [
      '2030-05-01T10:00:00Z',
      '2030-05-01T10:00:00.900Z',
      '2030-05-01T10:00:00.100Z',
      '2030-05-01T18:00:00.9+08:00',
      '2030-05-01T10:00:00.1000001Z',
      '2030-05-01T09:59:59.999999999Z',
      'unreadable',
      '0001-01-01T00:00:00Z',
    ];
    const catalog = fc
      .uniqueArray(fc.record({ id: fc.string({ minLength: 1, maxLength: 3 }), name: fc.constantFrom('a', 'b', undefined), at: fc.constantFrom(...times) }), {
        selector: (r) => r.id,
        minLength: 1,
        maxLength: 12,
      })
      .map((records) => records.map((r) => image({ id: r.id, name: r.name ?? null, createdAt: toIsoUtc(r.at) })));
    fc.assert(
      fc.property(catalog, fc.infiniteStream(fc.nat()), (images, seeds) => {
        const order = ids(select(images, {}));
        const shuffled = [...images].sort(() => (seeds.next().value % 3) - 1);
        expect(ids(select(shuffled, {}))).toEqual(order);
        for (const x of images) for (const y of images) if (x !== y) expect(Math.sign(compareImages(x, y))).toBe(-Math.sign(compareImages(y, x)) || 1);
        const sorted = select(images, {});
        for (let i = 1; i < sorted.length; i++) {
          const [a, b] = [sorted[i - 1], sorted[i]];
          // Never a later instant after an earlier one: the fraction decides within a second.
          if (a.createdAt !== null && b.createdAt !== null) expect(a.createdAt >= b.createdAt).toBe(true);
          if (b.createdAt !== null) expect(a.createdAt).not.toBeNull();
        }
        const chosen = chooseImage(sorted, validateQuery({ cloud: 'nscale', mostRecent: true }, BUILT_IN_REGISTRY));
        expect(chosen.image).toBe(sorted[0]);
      }),
    );
    const at = (t: string, id: string) => image({ id, name: 'same', createdAt: toIsoUtc(t) });
    expect(ids(select([at('2030-05-01T10:00:00.100Z', 'early'), at('2030-05-01T18:00:00.9+08:00', 'late')], {}))).toEqual(['late', 'early']);
    expect(
      chooseImage(
        select([at('2030-05-01T10:00:00.100Z', 'early'), at('2030-05-01T18:00:00.9+08:00', 'late')], {}),
        validateQuery({ cloud: 'nscale', mostRecent: true }, BUILT_IN_REGISTRY),
      ).rule,
    ).toBe('newest');
  });

  it('keeps one record per ID when a catalog repeats an image', () => {
    expect(ids(select([images[0], { ...images[0] }], {}))).toEqual(['c']);
  });
});

describe('order without creation times (one order for getImages and mostRecent)', () => {
  const named = (names: string[], extra: Partial<ReturnType<typeof image>> = {}) =>
    names.map((name, i) => image({ id: `u${i}`, name, cloud: 'ucloud', createdAt: null, ...extra }));

  it('is the version numbers in the name, highest first, not the plain name (b11, b10, b9, b8)', () => {
    expect(select(named(['b10', 'b11', 'b8', 'b9']), {}).map((i) => i.name)).toEqual(['b11', 'b10', 'b9', 'b8']);
  });

  it('puts 7.10 above 7.9 and names without any version last, then by name, then ID', () => {
    const catalog = named(['itWRmsMy', 'CentOS 7.9 64位', 'CentOS 7.10 64位', 'CentOS 7.2 64位', 'OlgivCjk', 'OlgivCjk']);
    expect(ids(select(catalog, {}))).toEqual(['u2', 'u1', 'u3', 'u4', 'u5', 'u0']);
  });

  it('a name without digits no longer wins mostRecent over every CentOS 7.x', () => {
    const catalog = named(['itWRmsMy', 'CentOS 7.9 64位', 'CentOS 7.10 64位']);
    const choice = chooseImage(select(catalog, {}), validateQuery({ cloud: 'ucloud', mostRecent: true }, BUILT_IN_REGISTRY));
    expect(choice.image.name).toBe('CentOS 7.10 64位');
    expect(choice.rule).toBe('name-version');
  });

  it("compares the OS version first: a custom Ubuntu 22.04 build v2 does not beat the vendor's 24.04 image (uk8s, x86_64 are no versions)", () => {
    const catalog = [
      image({ id: 'custom', name: 'custom-phost-ubuntu-22.04-gpu-v2', cloud: 'ucloud', osDistro: 'ubuntu', osVersion: '22.04', createdAt: null }),
      image({ id: 'vendor', name: 'uk8s-ubuntu-24.04-x86_64-b12', cloud: 'ucloud', osDistro: 'ubuntu', osVersion: '24.04', createdAt: null }),
      image({ id: 'older', name: 'uk8s-ubuntu-24.04-x86_64-b11', cloud: 'ucloud', osDistro: 'ubuntu', osVersion: '24.04', createdAt: null }),
      image({ id: 'unknown', name: 'node-99', cloud: 'ucloud', osDistro: null, osVersion: null, createdAt: null }),
    ];
    expect(ids(select(catalog, {}))).toEqual(['vendor', 'older', 'custom', 'unknown']);
    const choice = chooseImage(select(catalog, {}), validateQuery({ cloud: 'ucloud', mostRecent: true }, BUILT_IN_REGISTRY));
    expect(choice.warnings[0]).toContain(
      'uk8s-ubuntu-24.04-x86_64-b12 (OS 24.04; name 24, 04, 12) over uk8s-ubuntu-24.04-x86_64-b11 (OS 24.04; name 24, 04, 11)',
    );
  });

  it('comes after every image that has a creation time', () => {
    const catalog = [...named(['ubuntu-99.04']), image({ id: 'dated', name: 'ubuntu-1', createdAt: '2020-01-01T00:00:00Z' })];
    expect(ids(select(catalog, {}))).toEqual(['dated', 'u0']);
  });

  const arbitraryImage = fc
    .record({
      id: fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'),
      name: fc.oneof(
        fc.tuple(fc.constantFrom('CentOS ', 'ubuntu-', 'b', 'rocky-'), fc.array(fc.nat(12), { minLength: 1, maxLength: 3 })).map(([p, ns]) => p + ns.join('.')),
        fc.constantFrom('itWRmsMy', 'OlgivCjk', 'Debian'),
        fc.string({ maxLength: 8 }),
      ),
      createdAt: fc.option(fc.constantFrom('2024-01-01T00:00:00Z', '2024-06-01T00:00:00Z', '2025-01-01T00:00:00Z'), { nil: null }),
      osDistro: fc.constantFrom(null, 'centos', 'ubuntu'),
    })
    .map((f) => image({ ...f, cloud: 'ucloud' }));

  it("getImages' first image is always getImage with mostRecent's choice, in any answer order (property)", () => {
    fc.assert(
      fc.property(fc.array(arbitraryImage, { minLength: 1, maxLength: 12 }), fc.integer(), (catalog, seed) => {
        const shuffled = [...catalog].sort((x, y) => ((x.id.charCodeAt(0) * 7919 + seed) % 13) - ((y.id.charCodeAt(0) * 7919 + seed) % 13));
        const listed = select(catalog, {});
        const choice = chooseImage(select(shuffled, {}), validateQuery({ cloud: 'ucloud', mostRecent: true }, BUILT_IN_REGISTRY));
        expect(choice.image).toEqual(listed[0]);
        expect(ids(select(shuffled, {}))).toEqual(ids(listed));
      }),
    );
  });

  it('compareImages is a strict total order on distinct IDs (property)', () => {
    fc.assert(
      fc.property(arbitraryImage, arbitraryImage, arbitraryImage, (a, b, c) => {
        fc.pre(a.id !== b.id && b.id !== c.id && a.id !== c.id);
        expect(Math.sign(compareImages(a, b))).toBe(-Math.sign(compareImages(b, a)));
        expect(compareImages(a, b)).not.toBe(0);
        if (compareImages(a, b) < 0 && compareImages(b, c) < 0) expect(compareImages(a, c)).toBeLessThan(0);
      }),
    );
  });
});

describe('selectors', () => {
  const catalog = [
    image({ id: 'x86', architecture: 'x86_64', osType: 'linux', osDistro: 'Ubuntu', osVersion: '22.04', tags: { team: 'ml' } }),
    image({ id: 'arm', architecture: 'arm64', osType: 'linux', osDistro: 'ubuntu', osVersion: '24.04', machineType: 'baremetal' }),
    image({ id: 'win', architecture: 'x86_64', osType: 'windows', visibility: 'private' }),
    image({
      id: 'h100',
      architecture: 'x86_64',
      gpu: { supported: true, vendor: 'NVIDIA', driver: '525.85.05', models: ['NVIDIA H100 80GB HBM3'] },
      softwareVersions: { kubernetes: 'v1.30.2' },
      visibility: 'public',
    }),
    image({
      id: 'mi300',
      gpu: { supported: true, vendor: 'AMD', driver: '6.1.0', models: ['MI300X'] },
      softwareVersions: { kubernetes: 'v1.28.1' },
      machineType: 'any',
    }),
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
    [{ osDistro: 'Ub untu' }, ['arm', 'x86']], // spaces, dashes and underscores aside: "Red Hat" is rhel
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

  describe('one OS vocabulary', () => {
    const oses = [
      image({ id: 'sles', osDistro: 'sles', osVersion: '12.2' }),
      image({ id: 'leap', osDistro: 'opensuse-leap', osVersion: '15.5' }),
      image({ id: 'rhel', osDistro: 'rhel', osVersion: '8.4' }),
      image({ id: 'ol', osDistro: 'ol', osVersion: '8.6' }),
      image({ id: 'r2', osDistro: 'windows', osVersion: '2008 R2' }),
      image({ id: 'w2008', osDistro: 'windows', osVersion: '2008' }),
      image({ id: 'unknown', osDistro: null, osVersion: null }),
    ];
    it.each([
      [{ osDistro: 'suse' }, ['sles']],
      [{ osDistro: 'SUSE', osVersion: '12 SP2' }, ['sles']],
      [{ osDistro: 'opensuse' }, ['leap']],
      [{ osDistro: 'Red Hat' }, ['rhel']],
      [{ osDistro: 'oracle-linux' }, ['ol']],
      [{ osVersion: '2008 R2' }, ['r2']],
      [{ osVersion: '2008' }, ['w2008']],
      [{ osDistro: 'gentoo' }, []],
    ])('%j selects %j (an unknown distribution or version matches nothing)', (args, expected) => {
      expect(ids(select(oses, args)).sort()).toEqual(expected);
    });

    it('validates an alias into the os-release ID, so push-down and messages use it', () => {
      expect(validateQuery({ cloud: 'nscale', osDistro: 'Red Hat' }, BUILT_IN_REGISTRY).osDistro).toBe('rhel');
      expect(validateQuery({ cloud: 'nscale', osDistro: 'Gentoo' }, BUILT_IN_REGISTRY).osDistro).toBe('gentoo');
    });
  });

  it('never chooses unusable images unless asked: the default status is available', () => {
    expect(ids(select(catalog, {}))).not.toContain('old');
  });
});

describe('chooseImage (getImage)', () => {
  const q = (args: Record<string, unknown> = {}) => validateQuery({ cloud: 'nscale', region: 'r1', ...args }, BUILT_IN_REGISTRY);

  it('fails with the query when nothing matches', () => {
    expect(() => chooseImage([], q({ gpuModel: 'H200' }))).toThrow(NoImageError);
    expect(() => chooseImage([], q({ gpuModel: 'H200' }))).toThrow(/no image matches the query \(cloud=nscale region=r1 gpuModel=H200\)/);
  });

  it('with candidates that span distributions, the version warning names the versions compared and says so', () => {
    const catalog = [
      image({ id: 'c', name: 'CentOS 7.9 64位', cloud: 'ucloud', osDistro: 'CentOS', osVersion: '7.9', createdAt: null }),
      image({ id: 'u', name: 'Ubuntu 20.04 64位', cloud: 'ucloud', osDistro: 'Ubuntu', osVersion: '20.04', createdAt: null }),
    ];
    const choice = chooseImage(select(catalog, {}), validateQuery({ cloud: 'ucloud', mostRecent: true }, BUILT_IN_REGISTRY));
    expect(choice.image.id).toBe('u');
    expect(choice.warnings).toEqual([
      'ucloud reports no creation time: mostRecent chose u by OS version, then the version numbers in image names, Ubuntu 20.04 64位 (OS 20.04; name 20, 04) over CentOS 7.9 64位 (OS 7.9; name 7, 9); ' +
        'the 2 candidates span several distributions (centos, ubuntu), whose version numbers say nothing about which is newer: narrow with osDistro or nameRegex',
    ]);
  });

  it('says when the version numbers tie and the name decided', () => {
    const catalog = ['rocky-8.10-b', 'rocky-8.10-a'].map((name, i) => image({ id: `r${i}`, name, cloud: 'ucloud', osDistro: 'rocky', createdAt: null }));
    const choice = chooseImage(select(catalog, {}), validateQuery({ cloud: 'ucloud', mostRecent: true }, BUILT_IN_REGISTRY));
    expect(choice.image.name).toBe('rocky-8.10-a');
    expect(choice.warnings[0]).toMatch(
      /chose r1 by OS version, then the version numbers in image names, rocky-8\.10-a \(OS unknown; name 8, 10\) over rocky-8\.10-b \(OS unknown; name 8, 10\); the same numbers, so the first by name$/,
    );
    const twins = ['rocky-8.10', 'rocky-8.10'].map((name, i) => image({ id: `r${i}`, name, cloud: 'ucloud', createdAt: null }));
    expect(chooseImage(select(twins, {}), validateQuery({ cloud: 'ucloud', mostRecent: true }, BUILT_IN_REGISTRY)).warnings[0]).toMatch(
      /chose r0 by OS version, then the version numbers in image names, rocky-8\.10 \(OS unknown; name 8, 10\) over rocky-8\.10 \(OS unknown; name 8, 10\) r1; the same name, so the first by ID$/,
    );
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
    const unversioned = ['ubuntu-7.9-gpu', 'ubuntu-7.10-gpu', 'ubuntu-7.2-gpu'].map((name, i) =>
      image({ id: `u${i}`, name, cloud: 'ucloud', createdAt: null }),
    );
    const choice = chooseImage(select(unversioned, {}), validateQuery({ cloud: 'ucloud', mostRecent: true }, BUILT_IN_REGISTRY));
    expect(choice.image.name).toBe('ubuntu-7.10-gpu');
    expect(choice.warnings[0]).toMatch(
      /^ucloud reports no creation time: mostRecent chose u1 by OS version, then the version numbers in image names, ubuntu-7\.10-gpu \(OS unknown; name 7, 10\) over ubuntu-7\.9-gpu \(OS unknown; name 7, 9\)$/,
    );
  });

  it('the only match needs no mostRecent', () => {
    expect(chooseImage([image({ id: 'one' })], q())).toMatchObject({ image: { id: 'one' }, reason: 'the only image that matches' });
  });

  it('with mostRecent a single candidate is described as the newest (a server may have returned only the newest)', () => {
    expect(chooseImage([image({ id: 'one', createdAt: '2025-01-01T00:00:00Z' })], q({ mostRecent: true })).reason).toBe(
      'the newest image that matches (created 2025-01-01T00:00:00Z)',
    );
  });
});

describe('the funnel: why nothing matched', () => {
  const catalog = [
    image({ id: 'deb-x86', name: 'debian_12_5_x64', architecture: 'x86_64', createdAt: '2024-03-01T00:00:00Z' }),
    image({ id: 'deb-x86-old', name: 'debian_11_x64', architecture: 'x86_64', createdAt: '2023-03-01T00:00:00Z' }),
    image({ id: 'ubu-arm', name: 'ubuntu_24_04_arm64', architecture: 'arm64', createdAt: '2024-05-01T00:00:00Z' }),
    image({ id: 'ubu-arm-old', name: 'ubuntu_22_04_arm64', architecture: 'arm64', createdAt: '2022-05-01T00:00:00Z' }),
    image({ id: 'win-x86', name: 'windows_2022', architecture: 'x86_64', osType: 'windows', createdAt: '2024-06-01T00:00:00Z' }),
    image({ id: 'broken', name: 'debian_12_arm64', architecture: 'arm64', status: 'failed', createdAt: '2024-07-01T00:00:00Z' }),
  ];
  const lookup = (args: Record<string, unknown>) => noImageError(catalog, args);

  it('counts the candidates after the catalog, then after each selector in the order applied', () => {
    const error = lookup({ architecture: 'arm64', nameRegex: '^debian', mostRecent: true });
    expect(error).toBeInstanceOf(NoImageError);
    expect(error.funnel).toEqual([
      { selector: 'catalog', remaining: 6 },
      { selector: 'status', remaining: 5 },
      { selector: 'architecture', remaining: 2 },
      { selector: 'nameRegex', remaining: 0 },
    ]);
  });

  it('names up to three images that fail the fewest selectors, newest first', () => {
    expect(lookup({ architecture: 'arm64', nameRegex: '^debian' }).nearMisses).toEqual([
      { id: 'broken', name: 'debian_12_arm64', failed: ['status'] },
      { id: 'ubu-arm', name: 'ubuntu_24_04_arm64', failed: ['nameRegex'] },
      { id: 'deb-x86', name: 'debian_12_5_x64', failed: ['architecture'] },
    ]);
  });

  it('shows both compactly in the message, counts every status, and says which selector to loosen', () => {
    // The image asked for is there, failed: the catalog says so, and the advice is status, not the region or the regex.
    expect(lookup({ architecture: 'arm64', nameRegex: '^debian' }).message).toBe(
      'no image matches the query (cloud=nscale region=r1 architecture=arm64 nameRegex=^debian); ' +
        '6 in the catalog (5 available, 1 failed) → status=available: 5 → architecture=arm64: 2 → nameRegex: 0; ' +
        'closest: debian_12_arm64 (fails status), ubuntu_24_04_arm64 (fails nameRegex), debian_12_5_x64 (fails architecture); loosen status',
    );
    expect(lookup({ architecture: 'arm64', nameRegex: '^ubuntu_9' }).message).toMatch(/; loosen nameRegex$/);
  });

  it('names map selectors by key, as users write them, and lists every selector an image fails', () => {
    const error = lookup({ osType: 'windows', tags: { team: 'ml' }, architecture: 'arm64' });
    expect(error.funnel.map((s) => s.selector)).toEqual(['catalog', 'status', 'architecture', 'osType', 'tags.team']);
    expect(error.funnel.map((s) => s.remaining)).toEqual([6, 5, 2, 0, 0]);
    expect(error.nearMisses[0]).toEqual({ id: 'win-x86', name: 'windows_2022', failed: ['architecture', 'tags.team'] });
    expect(error.message).toContain(
      '6 in the catalog (5 available, 1 failed) → status=available: 5 → architecture=arm64: 2 → osType=windows: 0 → tags.team=ml: 0; closest: windows_2022 (fails architecture, tags.team)',
    );
    expect(error.message).toMatch(/; loosen osType$/);
  });

  it('writes large counts with thousands separators', () => {
    const many = Array.from({ length: 1204 }, (_, i) => image({ id: `i${i}`, architecture: i < 164 ? 'arm64' : 'x86_64' }));
    const query = validateQuery({ cloud: 'nscale', architecture: 'arm64', nameRegex: '^debian' }, BUILT_IN_REGISTRY);
    const compiled = compileQuery(query);
    expect(() => chooseImage(selectImages(many, compiled), query, () => explainSelection(many, compiled))).toThrow(
      '1,204 in the catalog → status=available: 1,204 → architecture=arm64: 164 → nameRegex: 0; closest: i163 (fails nameRegex), i162 (fails nameRegex), i161 (fails nameRegex); loosen nameRegex',
    );
  });

  it('when something matches, the funnel ends in the number kept and there are no near misses', () => {
    const compiled = compileQuery(validateQuery({ cloud: 'nscale', architecture: 'x86_64' }, BUILT_IN_REGISTRY));
    const explanation = explainSelection(catalog, compiled);
    expect(explanation.funnel.at(-1)).toEqual({ selector: 'architecture', remaining: selectImages(catalog, compiled).length });
    expect(explanation.nearMisses).toEqual([]);
  });

  it('agrees with selection: the last step is what getImages keeps, for any query (property)', () => {
    const args = fc.record(
      {
        architecture: fc.constantFrom('x86_64', 'arm64', 'i386'),
        osType: fc.constantFrom('linux', 'windows'),
        nameRegex: fc.constantFrom('^debian', 'arm64$', '_1', 'x'),
        status: fc.subarray(['available', 'failed', 'deprecated'], { minLength: 1 }),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(args, (a) => {
        const compiled = compileQuery(validateQuery({ cloud: 'nscale', ...a }, BUILT_IN_REGISTRY));
        const { funnel } = explainSelection(catalog, compiled);
        expect(funnel.at(-1)!.remaining).toBe(selectImages(catalog, compiled).length);
        for (let k = 1; k < funnel.length; k++) expect(funnel[k].remaining).toBeLessThanOrEqual(funnel[k - 1].remaining);
      }),
    );
  });
});

describe('minAgeDays and maxAgeDays (a soak period and a freshness window)', () => {
  const NOW = Date.parse('2025-06-30T12:00:00Z');
  const daysAgo = (d: number) => new Date(NOW - d * 86_400_000).toISOString().replace(/\.000Z$/, 'Z');
  const catalog = [
    image({ id: 'today', createdAt: daysAgo(0.25) }),
    image({ id: 'day3', createdAt: daysAgo(3) }),
    image({ id: 'week', createdAt: daysAgo(7) }),
    image({ id: 'month', createdAt: daysAgo(30) }),
    image({ id: 'year', createdAt: daysAgo(365) }),
    image({ id: 'undated', createdAt: null }),
  ];
  const run = (args: Record<string, unknown>) => {
    const query = validateQuery({ cloud: 'nscale', ...args }, BUILT_IN_REGISTRY);
    return { query, compiled: compileQuery(query, NOW) };
  };
  const chosen = (args: Record<string, unknown>) => {
    const { query, compiled } = run(args);
    return chooseImage(selectImages(catalog, compiled), query, () => explainSelection(catalog, compiled));
  };

  it.each([
    [{ minAgeDays: 7 }, ['week', 'month', 'year']], // exactly 7 days old counts as "at least 7"
    [{ minAgeDays: 0.5 }, ['day3', 'week', 'month', 'year']],
    [{ maxAgeDays: 7 }, ['today', 'day3', 'week']],
    [{ maxAgeDays: 0 }, []],
    [{ minAgeDays: 3, maxAgeDays: 30 }, ['day3', 'week', 'month']],
    [{ minAgeDays: 0 }, ['today', 'day3', 'week', 'month', 'year']], // an image without a creation time has no age
  ])('%j keeps %j, measured from the injected now', (args, expected) => {
    expect(ids(selectImages(catalog, run(args).compiled))).toEqual(expected);
  });

  it('with mostRecent and minAgeDays: 7 chooses the newest image that has been out for a week', () => {
    expect(chosen({ mostRecent: true, minAgeDays: 7 }).image.id).toBe('week');
    expect(chosen({ mostRecent: true }).image.id).toBe('today');
  });

  it('takes part in the funnel and the near misses like any selector', () => {
    let error: NoImageError | undefined;
    try {
      chosen({ minAgeDays: 400 });
    } catch (e) {
      error = e as NoImageError;
    }
    expect(error!.funnel).toEqual([
      { selector: 'catalog', remaining: 6 },
      { selector: 'status', remaining: 6 },
      { selector: 'minAgeDays', remaining: 0 },
    ]);
    expect(error!.nearMisses.map((m) => m.id)).toEqual(['today', 'day3', 'week']);
    expect(error!.message).toContain('6 in the catalog → status=available: 6 → minAgeDays=400: 0; closest: today (fails minAgeDays)');
  });

  it('measures age as the policy helper does (ageInDays)', () => {
    expect(ageInDays(daysAgo(30.5), NOW)).toBeCloseTo(30.5, 9);
    expect(ageInDays(null, NOW)).toBeNull();
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

describe('near misses that share a name', () => {
  it('are named by ID too, where the catalog holds the name more than once; unique names stay as they are', () => {
    const catalog = [
      image({ id: 'img-a1', osType: 'linux', name: 'k8s-node', architecture: 'x86_64', createdAt: '2024-06-03T00:00:00Z' }),
      image({ id: 'img-b2', osType: 'linux', name: 'k8s-node', architecture: 'x86_64', createdAt: '2024-06-02T00:00:00Z' }),
      image({ id: 'img-c3', osType: 'linux', name: 'k8s-node-gpu', architecture: 'x86_64', createdAt: '2024-06-01T00:00:00Z' }),
      // Shares the name with the first two, but is not a near miss itself: the name still counts as shared.
      image({ id: 'img-d4', name: 'k8s-node', architecture: 'x86_64', osType: 'windows', createdAt: '2024-05-01T00:00:00Z' }),
    ];
    const error = noImageError(catalog, { architecture: 'arm64', osType: 'linux' });
    expect(error.nearMisses).toEqual([
      { id: 'img-a1', name: 'k8s-node', nameShared: true, failed: ['architecture'] },
      { id: 'img-b2', name: 'k8s-node', nameShared: true, failed: ['architecture'] },
      { id: 'img-c3', name: 'k8s-node-gpu', failed: ['architecture'] },
    ]);
    expect(error.message).toContain(
      'closest: k8s-node (ID img-a1, fails architecture), k8s-node (ID img-b2, fails architecture), k8s-node-gpu (fails architecture);',
    );
  });

  it('can always be told apart in the message, and carry an ID exactly when their name is not unique (property)', () => {
    const catalogs = fc
      .uniqueArray(
        fc.record({
          id: fc.stringMatching(/^[a-z0-9]{1,8}$/),
          name: fc.constantFrom('node', 'node-gpu', 'ubuntu', 'Ubuntu 22.04'),
          day: fc.integer({ min: 1, max: 28 }),
        }),
        { selector: (r) => r.id, minLength: 1, maxLength: 12 },
      )
      .map((records) =>
        records.map((r) => image({ id: r.id, name: r.name, architecture: 'x86_64', createdAt: `2024-06-${String(r.day).padStart(2, '0')}T00:00:00Z` })),
      );
    fc.assert(
      fc.property(catalogs, (catalog) => {
        const error = noImageError(catalog, { architecture: 'arm64' });
        const labels = /closest: (.*); loosen architecture$/.exec(error.message)![1].split(/(?<=\)), /);
        expect(labels).toHaveLength(error.nearMisses.length);
        expect(new Set(labels).size).toBe(labels.length);
        error.nearMisses.forEach((miss, k) => {
          const shared = catalog.filter((i) => i.name === miss.name).length > 1;
          expect(labels[k]).toBe(`${miss.name} (${shared ? `ID ${miss.id}, ` : ''}fails architecture)`);
        });
      }),
    );
  });
});
