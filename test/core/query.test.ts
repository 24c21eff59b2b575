import { validateQuery, QUERY_ARGUMENTS, describeQuery } from '../../provider/core/query';
import { ValidationError } from '../../provider/core/errors';
import { BUILT_IN_REGISTRY } from '../../provider/clouds';

function refusal(args: unknown): ValidationError {
  try {
    validateQuery(args, BUILT_IN_REGISTRY);
  } catch (err) {
    expect(err).toBeInstanceOf(ValidationError);
    return err as ValidationError;
  }
  throw new Error(`expected ${JSON.stringify(args)} to be refused`);
}

describe('validateQuery', () => {
  it('fills the defaults: status available, no mostRecent, empty maps', () => {
    expect(validateQuery({ cloud: 'nscale' }, BUILT_IN_REGISTRY)).toEqual({
      cloud: 'nscale',
      mostRecent: false,
      allowUnsafeMostRecent: false,
      status: ['available'],
      softwareVersions: {},
      tags: {},
      filters: {},
    });
  });

  it.each([
    [null, 'args', /expected an object/],
    [[], 'args', /expected an object/],
    [{}, 'cloud', /required; one of alicloud, huaweicloud, opentelekomcloud, ucloud, nscale/],
    [{ cloud: 'aws' }, 'cloud', /"aws" is not accepted; accepted values are alicloud, huaweicloud, opentelekomcloud, ucloud, nscale/],
    [{ cloud: 'nscale', owner: 'me' }, 'owner', /unknown argument; accepted arguments are cloud, region/],
    [
      { cloud: 'nscale', architecture: 'sparc' },
      'architecture',
      /"sparc" is not accepted; accepted values are x86_64, arm64, i386 \(aliases: amd64, x64, aarch64, arm, x86\)/,
    ],
    [{ cloud: 'nscale', architecture: 64 }, 'architecture', /expected a string/],
    [{ cloud: 'nscale', mostRecent: 'yes' }, 'mostRecent', /expected true or false/],
    [{ cloud: 'nscale', gpu: 1 }, 'gpu', /expected true or false/],
    [{ cloud: 'nscale', nameRegex: '([a-z' }, 'nameRegex', /not a valid JavaScript regular expression/],
    [{ cloud: 'nscale', nameRegex: 'a'.repeat(513) }, 'nameRegex', /too long \(513 characters; at most 512\)/],
    [{ cloud: 'nscale', region: '' }, 'region', /must not be empty/],
    [{ cloud: 'nscale', region: 'x'.repeat(300) }, 'region', /too long/],
    [{ cloud: 'nscale', gpuDriver: 'newest' }, 'gpuDriver', /"newest" is not a semver range/],
    [{ cloud: 'nscale', softwareVersions: { kubernetes: 'latest' } }, 'softwareVersions.kubernetes', /not a semver range/],
    [
      { cloud: 'nscale', softwareVersions: { kubernetes: '>=1.29 <<1.31' } },
      'softwareVersions.kubernetes',
      /^invalid argument "softwareVersions.kubernetes": ">=1.29 <<1.31" is not a semver range: "<<1.31" is not a comparator; use e.g. ">=1.29.0 <1.31.0", "\^1.30", ">=525" or "\*" for any version$/,
    ],
    [{ cloud: 'nscale', softwareVersions: { kubernetes: '' } }, 'softwareVersions.kubernetes', /"" is empty; use e.g. ">=1.29.0 <1.31.0"/],
    [{ cloud: 'nscale', gpuDriver: '' }, 'gpuDriver', /"" is empty; use e.g. ">=1.29.0 <1.31.0"/],
    [{ cloud: 'nscale', gpuDriver: ' ' }, 'gpuDriver', /" " is empty; use e.g./],
    [{ cloud: 'nscale', gpuDriver: '>=525 || ' }, 'gpuDriver', /">=525 \|\| " has an empty alternative beside "\|\|"/],
    [{ cloud: 'nscale', softwareVersions: ['1.29'] }, 'softwareVersions', /expected an object of names to strings/],
    [{ cloud: 'nscale', tags: { team: { a: 1 } } }, 'tags.team', /expected a string/],
    [{ cloud: 'nscale', filters: { Tag: [{}] } }, 'filters.Tag', /expected a string or a list of strings/],
    [{ cloud: 'nscale', osType: 'macos' }, 'osType', /accepted values are linux, windows/],
    [{ cloud: 'nscale', machineType: 'any' }, 'machineType', /accepted values are vm, baremetal/],
    [{ cloud: 'nscale', visibility: 'community' }, 'visibility', /accepted values are public, private, shared, marketplace/],
    [{ cloud: 'nscale', visibility: [] }, 'visibility', /expected at least one of/],
    [{ cloud: 'nscale', status: ['available', 'gone'] }, 'status', /accepted values are available, pending, failed, deprecated, unavailable/],
    [{ cloud: 'nscale', endpoint: 42 }, 'endpoint', /expected a string, got number 42/],
    [{ cloud: 'huaweicloud', region: 'attacker.example/x#' }, 'region', /is not a region name/],
    [{ cloud: 'ucloud', zone: 'cn-bj2-02?x=1' }, 'zone', /is not a zone name/],
    [{ cloud: 'nscale', minAgeDays: -1 }, 'minAgeDays', /expected a non-negative number of days \(at most 36500, e\.g\. 7 or 0\.5\), got number -1/],
    [{ cloud: 'nscale', maxAgeDays: 'a week' }, 'maxAgeDays', /expected a non-negative number of days .*got "a week"/],
    [{ cloud: 'nscale', maxAgeDays: '-3' }, 'maxAgeDays', /non-negative number of days/],
    [{ cloud: 'nscale', minAgeDays: Number.NaN }, 'minAgeDays', /non-negative number of days/],
    [{ cloud: 'nscale', minAgeDays: Infinity }, 'minAgeDays', /non-negative number of days/],
    [{ cloud: 'nscale', minAgeDays: 1e9 }, 'minAgeDays', /at most 36500/],
    [{ cloud: 'nscale', minAgeDays: true }, 'minAgeDays', /got boolean true/],
    [{ cloud: 'nscale', minAgeDays: 30, maxAgeDays: 7 }, 'minAgeDays', /30 is more than maxAgeDays 7, so no image could match/],
  ])('refuses %j naming %s', (args, argument, message) => {
    const err = refusal(args);
    expect(err.argument).toBe(argument);
    expect(err.message).toMatch(message);
    expect(err.message).toContain(`"${argument}"`);
  });

  it.each([
    ['amd64', 'x86_64'],
    ['x64', 'x86_64'],
    ['AARCH64', 'arm64'],
    ['arm', 'arm64'],
    ['x86', 'i386'],
    ['i386', 'i386'],
    ['x86_64', 'x86_64'],
  ])('reads architecture alias %s as %s', (given, canonical) => {
    expect(validateQuery({ cloud: 'alicloud', architecture: given }, BUILT_IN_REGISTRY).architecture).toBe(canonical);
  });

  it('accepts one value or a list for visibility and status, sorted and without repeats', () => {
    const q = validateQuery({ cloud: 'alicloud', visibility: ['shared', 'public', 'shared'], status: 'Deprecated' }, BUILT_IN_REGISTRY);
    expect(q.visibility).toEqual(['public', 'shared']);
    expect(q.status).toEqual(['deprecated']);
  });

  it('reads "true"/"false" strings as booleans (what CLIs and YAML programs send)', () => {
    expect(validateQuery({ cloud: 'ucloud', gpu: 'false', mostRecent: 'true' }, BUILT_IN_REGISTRY)).toMatchObject({ gpu: false, mostRecent: true });
  });

  it('stringifies numbers and booleans in maps and keeps lists in filters', () => {
    const q = validateQuery({ cloud: 'alicloud', tags: { tier: 1 }, filters: { PageSize: 50, 'Tag.1.Key': ['a', 'b'] } }, BUILT_IN_REGISTRY);
    expect(q.tags).toEqual({ tier: '1' });
    expect(q.filters).toEqual({ PageSize: '50', 'Tag.1.Key': ['a', 'b'] });
  });

  it('reads ages as numbers of days, from numbers or text (the CLI), fractions allowed', () => {
    expect(validateQuery({ cloud: 'nscale', minAgeDays: '7', maxAgeDays: 30.5 }, BUILT_IN_REGISTRY)).toMatchObject({ minAgeDays: 7, maxAgeDays: 30.5 });
    expect(validateQuery({ cloud: 'nscale', minAgeDays: 0, maxAgeDays: '0' }, BUILT_IN_REGISTRY)).toMatchObject({ minAgeDays: 0, maxAgeDays: 0 });
    expect(describeQuery(validateQuery({ cloud: 'nscale', minAgeDays: 7 }, BUILT_IN_REGISTRY))).toBe('cloud=nscale minAgeDays=7');
  });

  it('treats null and undefined as "not given"', () => {
    expect(validateQuery({ cloud: 'nscale', region: null, gpu: undefined }, BUILT_IN_REGISTRY)).not.toHaveProperty('region');
  });

  it('has one table row per contract argument, each with a flag and a description', () => {
    expect(QUERY_ARGUMENTS.map((a) => a.name)).toEqual([
      'cloud',
      'region',
      'regions',
      'zone',
      'mostRecent',
      'allowUnsafeMostRecent',
      'architecture',
      'gpu',
      'gpuVendor',
      'gpuModel',
      'gpuDriver',
      'nameRegex',
      'osType',
      'osDistro',
      'osVersion',
      'machineType',
      'visibility',
      'status',
      'minAgeDays',
      'maxAgeDays',
      'softwareVersions',
      'tags',
      'filters',
      'endpoint',
    ]);
    for (const spec of QUERY_ARGUMENTS) expect(spec.description.length).toBeGreaterThan(10);
  });

  it('describes a query in one line for messages, leaving out defaults', () => {
    const q = validateQuery({ cloud: 'nscale', region: 'r1', gpuModel: 'H100', softwareVersions: { kubernetes: '>=1.29' } }, BUILT_IN_REGISTRY);
    expect(describeQuery(q)).toBe('cloud=nscale region=r1 gpuModel=H100 softwareVersions={"kubernetes":">=1.29"}');
  });
});
