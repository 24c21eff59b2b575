import { expect } from '@jest/globals';
import fc from 'fast-check';
import * as semver from 'semver';
import {
  compareNameVersions,
  imageVersionKey,
  nameVersionKey,
  nameVersionNumbers,
  normalizeVersion,
  parseRange,
  readRange,
  versionSatisfies,
} from '../../provider/core/versions';

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
    // semver's pre-release rule: only a range naming a pre-release of the same version admits one.
    ['>=1.29.0 <1.31.0', 'v1.30.2-rc.0', false],
    ['^1.30', '1.30.2-rc.0', false],
    ['*', '1.30.2-rc.0', false],
    ['>=1.30.2-rc.0', '1.30.2-rc.1', true],
    ['>=1.30.2-rc.0', '1.30.3-rc.1', false],
    ['>=525', '535.0.0-beta', false],
  ])('%s satisfied by %s: %s', (range, version, expected) => {
    expect(versionSatisfies(version, parseRange(range)!)).toBe(expected);
  });

  it('matches pre-releases exactly as semver.satisfies without includePrerelease does (property)', () => {
    const part = fc.integer({ min: 0, max: 3 });
    const pre = fc.option(fc.constantFrom('rc.0', 'rc.1', 'beta', 'alpha.2'), { nil: undefined });
    const version = fc.tuple(part, part, part, pre).map(([a, b, c, p]) => `${a}.${b}.${c}${p ? `-${p}` : ''}`);
    const range = fc
      .tuple(fc.constantFrom('>=', '<', '^', '~', ''), version, fc.option(fc.tuple(fc.constantFrom('<', '<='), version), { nil: undefined }))
      .map(([op, v, upper]) => `${op}${v}${upper ? ` ${upper[0]}${upper[1]}` : ''}`);
    fc.assert(
      fc.property(range, version, (r, v) => {
        expect(versionSatisfies(v, parseRange(r)!)).toBe(semver.satisfies(v, r));
      }),
      { numRuns: 500 },
    );
  });

  it('a missing version satisfies no range', () => {
    expect(versionSatisfies(null, parseRange('*')!)).toBe(false);
  });

  it('refuses what is not a range', () => {
    expect(parseRange('newest')).toBeNull();
    expect(parseRange('~>latest')).toBeNull();
  });

  it.each([
    ['>=1.29 <<1.31', 'is not a semver range: "<<1.31" is not a comparator'], // loose semver read this as >=1.29
    ['>=1.29 <1.31 -', 'is not a semver range: "-" is not a comparator'],
    ['>=1.2.3foo', 'is not a semver range'], // loose semver read this as >=1.2.3-foo
    ['>01.2 ~', 'is not a semver range: "~" is not a comparator'],
    ['', 'is empty'],
    ['   ', 'is empty'],
    ['>=1.29 ||', 'has an empty alternative beside "||" (which semver would read as any version)'],
    ['|| ^2', 'has an empty alternative beside "||" (which semver would read as any version)'],
    ['1.2.3.4', 'is not a semver range'],
    ['=>1.29', 'is not a semver range'],
  ])('refuses %j, saying why: %s', (range, problem) => {
    expect(readRange(range)).toEqual({ problem });
  });

  it.each([
    ['*', ['0.0.1', '99.1.2'], []],
    ['1.29.x', ['1.29.0', '1.29.7'], ['1.30.0', '1.28.9']],
    ['~1.29', ['1.29.3'], ['1.30.0']],
    ['^1.30', ['1.30.0', '1.31.4'], ['2.0.0', '1.29.9']],
    ['1.29 - 1.30', ['1.29.0', '1.30.9'], ['1.31.0', '1.28.9']],
    ['>= 1.29', ['1.29.0'], ['1.28.9']],
    ['<1.29 || >=1.31', ['1.28.0', '1.31.0'], ['1.30.0']],
    ['>=v1.29', ['1.29.0'], ['1.28.0']],
    ['>=525.85.05', ['525.85.5', '535.104.5'], ['525.85.4']],
    ['>=0525', ['525.0.0'], ['524.9.9']],
  ])('accepts %j, a spelling of the strict grammar or of versions (x-ranges, ~, ^, hyphen, ||, v, leading zeros)', (range, inside, outside) => {
    const parsed = parseRange(range)!;
    expect(parsed).not.toBeNull();
    for (const v of inside) expect([v, parsed.test(v)]).toEqual([v, true]);
    for (const v of outside) expect([v, parsed.test(v)]).toEqual([v, false]);
  });
});

/** Ranges written from comparators, some spoilt: the parser accepts exactly the unspoilt ones, and drops nothing. */
describe('strict range parsing (property)', () => {
  const number = fc.integer({ min: 0, max: 12 });
  const version = fc
    .tuple(number, fc.option(fc.oneof(number, fc.constant('x')), { nil: undefined }), fc.option(number, { nil: undefined }))
    .map(([major, minor, patch]) => [major, minor, minor === undefined || minor === 'x' ? undefined : patch].filter((n) => n !== undefined).join('.'));
  const operator = fc.constantFrom('', '=', '<', '<=', '>', '>=', '~', '^', 'v', '>=v');
  const comparator = fc.tuple(operator, version).map(([op, v]) => ({ text: op + v, valid: true }));
  /** What a slip of the keyboard makes of a comparator; loose semver dropped or reread every one of these. */
  const spoilt = fc.tuple(fc.constantFrom('<<', '>>', '=>', '=<', '<>', '~~', '^^', '>>='), version).map(([op, v]) => ({ text: op + v, valid: false }));
  const trailing = fc.tuple(comparator, fc.constantFrom('foo', '.', '..1', ',', '_', '!')).map(([c, junk]) => ({ text: c.text + junk, valid: false }));
  // (A lone operator is not here: semver reads `< 1.2` as one comparator, so it would join the next one.)
  const stray = fc.constantFrom('|', '&&', ',', '!', 'latest', 'x.y', '1.2.3.4').map((text) => ({ text, valid: false }));
  const token = fc.oneof(
    { arbitrary: comparator, weight: 6 },
    { arbitrary: spoilt, weight: 1 },
    { arbitrary: trailing, weight: 1 },
    { arbitrary: stray, weight: 1 },
  );
  const alternatives = fc.array(fc.array(token, { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 3 });
  const space = fc.constantFrom(' ', '  ', '\t');

  it('accepts a range exactly when every comparator in it is one; an accepted range is the || of the ANDs of its comparators', () => {
    fc.assert(
      fc.property(alternatives, space, fc.array(fc.tuple(number, number, number), { minLength: 8, maxLength: 8 }), (alts, sep, versions) => {
        const text = alts.map((tokens) => tokens.map((t) => t.text).join(sep)).join(`${sep}||${sep}`);
        const range = parseRange(text);
        expect([text, range !== null]).toEqual([text, alts.flat().every((t) => t.valid)]);
        if (!range) {
          expect(readRange(text)).toEqual({ problem: expect.stringMatching(/^is not a semver range/) });
          return;
        }
        for (const v of versions.map((parts) => parts.join('.'))) {
          const one = (t: { text: string }) => new semver.Range(t.text).test(v);
          expect([text, v, range.test(v)]).toEqual([text, v, alts.some((tokens) => tokens.every(one))]);
        }
      }),
    );
  });

  it('refuses a range with an empty alternative, however the pipes and spaces fall', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            comparator.map((c) => c.text),
            fc.constant(''),
            space,
          ),
          { minLength: 1, maxLength: 4 },
        ),
        fc.nat(4),
        (parts, at) => {
          const texts = [...parts];
          texts.splice(Math.min(at, texts.length), 0, '');
          const text = texts.join('||');
          expect(parseRange(text)).toBeNull();
        },
      ),
    );
  });

  it('reads leading zeros in a range as a version reads them (the NVIDIA spelling works on both sides)', () => {
    fc.assert(
      fc.property(
        fc.tuple(number, number, number),
        fc.tuple(fc.nat(2), fc.nat(2), fc.nat(2)),
        fc.constantFrom('>=', '<=', '=', '', '^', '~'),
        (parts, zeros, op) => {
          const padded = parts.map((n, i) => '0'.repeat(zeros[i]) + n).join('.');
          expect(parseRange(op + padded)?.range).toBe(parseRange(op + parts.join('.'))!.range);
          if (op === '' || op.includes('=')) expect(versionSatisfies(padded, parseRange(op + padded)!)).toBe(true);
        },
      ),
    );
  });
});

describe('version numbers in names', () => {
  it('orders the digit runs as numbers, whatever text lies between them: 7.10 above 7.9', () => {
    expect(['centos-7.10', 'CentOS 7.9', 'centos-7.2'].sort(compareNameVersions)).toEqual(['centos-7.2', 'CentOS 7.9', 'centos-7.10']);
    expect(['b10', 'b11', 'b8', 'b9'].sort(compareNameVersions)).toEqual(['b8', 'b9', 'b10', 'b11']);
  });
  it('puts names without any number lowest, and a longer version above its prefix', () => {
    expect(compareNameVersions('itWRmsMy', 'CentOS 7.0')).toBeLessThan(0);
    expect(compareNameVersions('itWRmsMy', 'OlgivCjk')).toBe(0);
    expect(compareNameVersions('ubuntu-22.04.1', 'ubuntu-22.04')).toBeGreaterThan(0);
  });
  it('ignores leading zeros: the caller breaks the tie by name', () => {
    expect(compareNameVersions('img-007', 'img-7')).toBe(0);
    expect(compareNameVersions('img-08', 'img-10')).toBeLessThan(0);
  });
  it('handles very long digit runs without losing precision', () => {
    expect(compareNameVersions('v12345678901234567890', 'v12345678901234567891')).toBeLessThan(0);
    expect(compareNameVersions('v99999999999999999999', 'v100000000000000000000')).toBeLessThan(0);
  });
  it('lists the numbers as written, for messages', () => {
    expect(nameVersionNumbers('CentOS 7.10 64位')).toEqual(['7', '10']);
    expect(nameVersionNumbers('Ubuntu 20.04')).toEqual(['20', '04']);
    expect(nameVersionNumbers('itWRmsMy')).toEqual([]);
  });
  it('counts no architecture, product prefix, bitness or size as a version', () => {
    expect(nameVersionNumbers('uk8s-ubuntu-24.04-x86_64-b12')).toEqual(['24', '04', '12']);
    expect(nameVersionNumbers('uk8s-rocky-8.10-aarch64-gpu-b11')).toEqual(['8', '10', '11']);
    expect(nameVersionNumbers('ubuntu_22_04_x64_40G_nvidia_535_alibase_20240630.vhd')).toEqual(['22', '04', '535', '20240630']);
    expect(nameVersionNumbers('Ubuntu 18.04 server 64bit(20220402)')).toEqual(['18', '04', '20220402']);
    expect(nameVersionNumbers('debian-12-amd64-20GB-v3')).toEqual(['12', '3']);
    expect(nameVersionNumbers('k8s-arm64-i386-1.29.0')).toEqual(['1', '29', '0']);
    expect(nameVersionNumbers('el8-win2019_1809')).toEqual(['8', '2019', '1809']);
    expect(compareNameVersions('uk8s-ubuntu-22.04-x86_64-b9', 'uk8s-ubuntu-22.04-aarch64-b10')).toBeLessThan(0);
  });
  it('reads a hostile name in linear time', () => {
    const started = Date.now();
    for (const name of ['1'.repeat(4096), '1 '.repeat(2048), 'x86_'.repeat(1024), `${'9'.repeat(4000)}bi`, 'a1'.repeat(2048)]) nameVersionNumbers(name);
    expect(Date.now() - started).toBeLessThan(500);
  });
  it('keys compare as strings exactly as the numbers compare as tuples (property)', () => {
    const run = fc.array(fc.bigInt({ min: 0n, max: 10n ** 30n }), { maxLength: 5 });
    fc.assert(
      fc.property(run, run, fc.array(fc.constantFrom('-', '.', '-b', ' ', 'ü', '_v'), { minLength: 5, maxLength: 5 }), (xs, ys, seps) => {
        const name = (ns: bigint[]) => `img${ns.map((n, i) => `${seps[i]}${n}`).join('')}`;
        const tuple = (() => {
          for (let i = 0; i < Math.min(xs.length, ys.length); i++) if (xs[i] !== ys[i]) return xs[i] < ys[i] ? -1 : 1;
          return Math.sign(xs.length - ys.length);
        })();
        expect(Math.sign(compareNameVersions(name(xs), name(ys)))).toBe(tuple);
        expect(nameVersionKey(name(xs)) === nameVersionKey(name(ys))).toBe(tuple === 0);
      }),
    );
  });
  const tupleOrder = (xs: readonly bigint[], ys: readonly bigint[]) => {
    for (let i = 0; i < Math.min(xs.length, ys.length); i++) if (xs[i] !== ys[i]) return xs[i] < ys[i] ? -1 : 1;
    return Math.sign(xs.length - ys.length);
  };
  const numbers = fc.array(fc.bigInt({ min: 0n, max: 10n ** 12n }), { maxLength: 4 });
  const noise = fc.constantFrom(
    'x86_64',
    'X86-64',
    'aarch64',
    'amd64',
    'arm64',
    'x64',
    'i386',
    'uk8s',
    'k8s',
    '40G',
    '20GB',
    '64bit',
    '64 bit',
    '64位',
    'gpu',
    'server',
  );

  it('architecture words, product prefixes, bitness and sizes never change the order (property)', () => {
    fc.assert(
      fc.property(numbers, numbers, fc.array(noise, { maxLength: 4 }), fc.array(noise, { maxLength: 4 }), (xs, ys, noiseX, noiseY) => {
        // The noise words go before, between and after the numbers, as separate words.
        const name = (ns: bigint[], words: string[]) => {
          const parts = ns.map((n) => `b${n}`);
          words.forEach((word, i) => parts.splice((i * 7) % (parts.length + 1), 0, word));
          return ['img', ...parts].join('-');
        };
        expect(Math.sign(compareNameVersions(name(xs, noiseX), name(ys, noiseY)))).toBe(tupleOrder(xs, ys));
      }),
    );
  });

  it("the OS version decides first, then the name's numbers (property)", () => {
    const osVersion = fc.option(
      fc.array(fc.nat(3000), { minLength: 1, maxLength: 3 }).map((ns) => ns.join('.')),
      { nil: null },
    );
    fc.assert(
      fc.property(osVersion, osVersion, numbers, numbers, (osX, osY, xs, ys) => {
        const name = (ns: bigint[]) => `uk8s-node-${ns.join('.')}-x86_64`;
        const parts = (v: string | null) => (v === null ? [] : v.split('.').map(BigInt));
        const x = imageVersionKey(osX, name(xs));
        const y = imageVersionKey(osY, name(ys));
        const expected = tupleOrder(parts(osX), parts(osY)) || tupleOrder(xs, ys);
        expect(x < y ? -1 : x > y ? 1 : 0).toBe(expected);
      }),
    );
  });
});
