import { compareNatural, normalizeVersion, parseRange, versionSatisfies } from '../../provider/core/versions';

describe('normalizeVersion', () => {
  it.each([
    ['v1.25.6', '1.25.6'],
    ['525.85.05', '525.85.5'],
    ['1.29', '1.29.0'],
    ['535', '535.0.0'],
    ['V1.30.2', '1.30.2'],
    ['1.30.0-rc.1', '1.30.0-rc.1'],
    ['1.30.0_custom', '1.30.0'],
    ['latest', null],
    ['', null],
    [null, null],
  ])('%s → %s', (input, expected) => {
    expect(normalizeVersion(input)).toBe(expected);
  });
});

describe('ranges', () => {
  it.each([
    ['>=525', '525.85.05', true],
    ['>=525', '470.199.02', false],
    ['>=1.29.0 <1.31.0', 'v1.30.4', true],
    ['>=1.29.0 <1.31.0', 'v1.31.0', false],
    ['>=1.29.0 <1.31.0', 'v1.28.9', false],
    ['^1.30', 'v1.30.1', true],
    ['>=v1.29', 'v1.29.0', true],
    ['1.29.x', '1.29.7', true],
    ['>=525.85.05', '525.85.05', true], // NVIDIA spelling in the range too, not only in the version
    ['>=525.85.05', '535.104.05', true],
    ['>=525.85.05', '525.85.04', false],
    ['>=1.29.0-rc.1 <1.30', '1.29.0-rc.2', true],
  ])('%s satisfied by %s: %s', (range, version, expected) => {
    expect(versionSatisfies(version, parseRange(range)!)).toBe(expected);
  });

  it('a missing version satisfies no range', () => {
    expect(versionSatisfies(null, parseRange('*')!)).toBe(false);
  });

  it('refuses what is not a range', () => {
    expect(parseRange('newest')).toBeNull();
    expect(parseRange('~>latest')).toBeNull();
  });
});

describe('compareNatural', () => {
  it('orders digit runs as numbers: 7.10 after 7.9', () => {
    expect(['centos-7.10', 'centos-7.9', 'centos-7.2'].sort(compareNatural)).toEqual(['centos-7.2', 'centos-7.9', 'centos-7.10']);
  });
  it('ignores leading zeros in numbers and falls back to text order', () => {
    expect(compareNatural('img-007', 'img-7')).toBe(0); // same number: the caller breaks the tie by name
    expect(compareNatural('img-08', 'img-10')).toBeLessThan(0);
    expect(compareNatural('alpha-1', 'beta-1')).toBeLessThan(0);
  });
  it('handles very long digit runs without losing precision', () => {
    expect(compareNatural('v12345678901234567890', 'v12345678901234567891')).toBeLessThan(0);
  });
});
