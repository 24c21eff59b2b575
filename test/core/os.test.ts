import * as fs from 'fs';
import * as path from 'path';
import fc from 'fast-check';
import {
  canonicalDistro,
  canonicalVersion,
  DISTROS,
  distroId,
  distroMatcher,
  foldName,
  identifyOs,
  MAX_SCAN,
  osVersionMatcher,
  tokenize,
} from '../../provider/core/os';

const IDS = new Set(DISTROS.map((d) => d.id));

/** Any text at all, and text made of the words OS names are made of (so the parser's branches are reached). */
const WORDS = [
  'ubuntu',
  'SUSE',
  'Windows',
  'Server',
  'red',
  'hat',
  'sp2',
  'SP',
  'R2',
  'r2',
  '2008',
  '12',
  '22.04',
  '64',
  '64bit',
  '位',
  '32',
  'bit',
  'v7.9',
  'x86_64',
  'centos7',
  '1465.8.0',
  '.',
  '..',
  '9'.repeat(12),
  'fedora',
];
const osLikeText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 300 }),
  fc.array(fc.constantFrom(...WORDS), { maxLength: 12 }).chain((words) => fc.constantFrom(' ', '_', '-', '', '  ').map((sep) => words.join(sep))),
);

describe('osDistro: the os-release ID', () => {
  it.each([
    ['suse', 'sles'],
    ['SUSE', 'sles'],
    ['sles', 'sles'],
    ['redhat', 'rhel'],
    ['Red Hat', 'rhel'],
    ['red-hat', 'rhel'],
    ['RHEL', 'rhel'],
    ['oracle', 'ol'],
    ['oraclelinux', 'ol'],
    ['oracle-linux', 'ol'],
    ['Oracle Linux', 'ol'],
    ['OL', 'ol'],
    ['alibaba-cloud-linux', 'alinux'],
    ['aliyun', 'alinux'],
    ['Alibaba Cloud Linux', 'alinux'],
    ['opensuse', 'opensuse-leap'],
    ['OpenSUSE', 'opensuse-leap'],
    ['opensuse_leap', 'opensuse-leap'],
    ['euler', 'euleros'],
    ['EulerOS', 'euleros'],
    ['Rocky Linux', 'rocky'],
    ['alma', 'almalinux'],
    ['CoreOS', 'coreos'],
  ])('%s is %s', (alias, id) => {
    expect(distroId(alias)).toBe(id);
    expect(canonicalDistro(alias)).toBe(id);
  });

  it('keeps a distribution it does not know, in lower case (others are added as they are met)', () => {
    expect(distroId('Gentoo')).toBeNull();
    expect(canonicalDistro(' Gentoo ')).toBe('gentoo');
  });

  it('accepts every name and alias in any case, with spaces, dashes or underscores between words or none', () => {
    const spellings = DISTROS.flatMap((d) => [d.id, d.title, ...d.names, ...(d.aliases ?? [])].map((name) => ({ id: d.id, name })));
    fc.assert(
      fc.property(
        fc.constantFrom(...spellings),
        fc.array(fc.constantFrom(' ', '-', '_', '', '  '), { minLength: 8, maxLength: 8 }),
        fc.array(fc.boolean(), { minLength: 64, maxLength: 64 }),
        ({ id, name }, separators, upper) => {
          const joined = name
            .split(/[\s_-]+/)
            .map((w, i) => (i === 0 ? w : separators[i] + w))
            .join('');
          const mangled = [...joined].map((ch, i) => (upper[i % 64] ? ch.toUpperCase() : ch.toLowerCase())).join('');
          expect(distroId(mangled)).toBe(id);
        },
      ),
    );
  });

  it('matches a selector against images by ID, whatever spelling either side uses', () => {
    const suse = distroMatcher('SUSE');
    expect([suse('sles'), suse('SLES'), suse('suse'), suse('opensuse-leap'), suse(null)]).toEqual([true, true, true, false, false]);
    expect(distroMatcher('Ub untu')('ubuntu')).toBe(true);
    expect(distroMatcher('gentoo')('Gentoo')).toBe(true);
  });
});

describe('OS names of the clouds', () => {
  it.each([
    // [OS name, platform, distro, version]
    ['Windows Server  2008 R2 企业版 64位英文版', null, 'windows', '2008 R2'],
    ['Windows Server 2012 R2 数据中心版 64位中文版', 'Windows Server 2012', 'windows', '2012 R2'],
    ['Windows Server  2016 Data Center Edition 64bit English Edition', null, 'windows', '2016'],
    ['Windows Server 2019 Datacenter 64bit English', 'Windows', 'windows', '2019'],
    ['Windows Server 2022 数据中心版 64位中文版', null, 'windows', '2022'],
    ['Windows Server 2012R2 Standard', null, 'windows', '2012 R2'],
    ['Ubuntu_64', 'Ubuntu', 'ubuntu', null],
    ['Ubuntu  64位', null, 'ubuntu', null],
    ['Ubuntu  22.04 64 bit', 'Ubuntu', 'ubuntu', '22.04'],
    ['Ubuntu 22.04.3 LTS', null, 'ubuntu', '22.04'],
    ['Ubuntu 22.04 server 64bit', 'Ubuntu', 'ubuntu', '22.04'],
    ['Ubuntu 20.04 server 64bit for ARM', null, 'ubuntu', '20.04'],
    ['SUSE Linux Enterprise Server 12 SP2 64bit', 'SUSE', 'sles', '12.2'],
    ['SUSE Linux Enterprise Server  15 SP5 64位', null, 'sles', '15.5'],
    ['SLES 12-SP4 64bit', null, 'sles', '12.4'],
    ['sles12sp3', null, 'sles', '12.3'],
    ['SUSE Linux Enterprise Server 15 64bit', null, 'sles', '15'],
    ['OpenSUSE 15.5 64bit', 'OpenSUSE', 'opensuse-leap', '15.5'],
    ['openSUSE Leap 15.2 64位', null, 'opensuse-leap', '15.2'],
    ['CoreOS  1465.8.0 64位', 'CoreOS', 'coreos', '1465.8.0'],
    ['', 'CoreOS', 'coreos', null],
    ['CentOS  7.9 64位', 'CentOS', 'centos', '7.9'],
    ['CentOS 6.10 32bit', 'CentOS', 'centos', '6.10'],
    ['CentOS Stream 9 64 bit', null, 'centos', '9'],
    ['centos7.9', null, 'centos', '7.9'],
    ['Red Hat Enterprise Linux 8.4 64bit', 'Red Hat', 'rhel', '8.4'],
    ['Oracle Linux 8.6 64bit', 'Oracle Linux', 'ol', '8.6'],
    ['Alibaba Cloud Linux  3.2104 LTS 64 bit', 'Aliyun', 'alinux', '3'],
    ['Aliyun Linux 2.1903 LTS 64位', 'Aliyun', 'alinux', '2.1903'],
    ['Anolis OS  8.8 RHCK 64 bit', 'Anolis', 'anolis', '8.8'],
    ['Huawei Cloud EulerOS 2.0 Standard 64 bit', 'EulerOS', 'hce', '2.0'],
    ['Huawei Cloud EulerOS 1.1 CentOS兼容版 64位', 'CentOS', 'hce', '1.1'],
    ['EulerOS 2.5 64bit', 'EulerOS', 'euleros', '2.5'],
    ['Debian GNU/Linux 12 64bit', null, 'debian', '12'],
    ['Fedora 32 64bit', null, 'fedora', '32'],
    ['Fedora CoreOS 38', null, 'fedora', '38'],
    ['Rocky Linux 9.3 ARM64', null, 'rocky', '9.3'],
    ['uk8s-ubuntu-22.04-x86_64-gpu-b9', null, 'ubuntu', '22.04'],
    ['Other Linux(64 bit)', 'Other', null, null],
    ['Customized Linux', 'Customized Linux', null, null],
    ['7.6 64bit', 'CentOS', 'centos', '7.6'],
  ])('%j (platform %j) → %s %s', (name, platform, distro, version) => {
    expect(identifyOs([name], platform)).toEqual({ distro, version });
  });

  it('reads the first text that names a distribution (OSNameEn, then OSName)', () => {
    expect(identifyOs([null, 'Windows Server  2008 R2 企业版 64位英文版'], 'Windows Server 2008')).toEqual({ distro: 'windows', version: '2008 R2' });
    expect(identifyOs(['Kylin V10 SP2 64bit', 'CentOS 7.9'], 'Others Linux')).toEqual({ distro: 'kylin', version: '10' }); // SP is SUSE's minor only
  });

  it('never takes the bitness for a version', () => {
    const names = DISTROS.filter((d) => d.id !== 'fedora').flatMap((d) => d.names);
    fc.assert(
      fc.property(
        fc.constantFrom(...names),
        fc.constantFrom('64', '64位', '64 位', '64bit', '64 bit', '64bits', '32 bit', '32bit', '32位', '(64 bit)', '_64', '-64bit'),
        fc.constantFrom('', ' English', ' 中文版', ' Edition'),
        (name, bits, tail) => identifyOs([`${name} ${bits}${tail}`]).version === null,
      ),
    );
  });

  it('reads the version that follows the name, before the bitness', () => {
    const plain = DISTROS.filter((d) => !['windows', 'alinux', 'ubuntu'].includes(d.id)).flatMap((d) => d.names.map((n) => ({ id: d.id, n })));
    fc.assert(
      fc.property(
        fc.constantFrom(...plain),
        fc.integer({ min: 1, max: 30 }),
        fc.option(fc.integer({ min: 0, max: 2000 }), { nil: undefined }),
        fc.constantFrom('', ' 64bit', ' 64位', ' 32 bit', ' LTS 64 bit'),
        ({ id, n }, major, minor, bits) => {
          const version = minor === undefined ? String(major) : `${major}.${minor}`;
          expect(identifyOs([`${n} ${version}${bits}`])).toEqual({ distro: id, version });
        },
      ),
    );
  });

  it('reads SUSE service packs as the minor version, both in names and in selectors', () => {
    fc.assert(
      fc.property(fc.integer({ min: 11, max: 16 }), fc.integer({ min: 1, max: 7 }), fc.constantFrom(' SP', ' sp', '-SP', ' SP ', 'SP'), (major, sp, form) => {
        expect(identifyOs([`SUSE Linux Enterprise Server ${major}${form}${sp} 64bit`]).version).toBe(`${major}.${sp}`);
        expect(canonicalVersion(`${major}${form}${sp}`, 'sles')).toBe(`${major}.${sp}`);
      }),
    );
  });

  it('reads Windows Server release names with R2 and nothing after them', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('2003', '2008', '2012', '2016', '2019', '2022', '2025'),
        fc.boolean(),
        fc.constantFrom(' Datacenter 64bit English', ' 企业版 64位英文版', ' Standard', ''),
        (year, r2, tail) => {
          const version = identifyOs([`Windows Server  ${year}${r2 ? ' R2' : ''}${tail}`]).version;
          expect(version).toBe(r2 ? `${year} R2` : year);
        },
      ),
    );
  });

  it('on any text gives a known distribution or none and a version of digits or none, without throwing', () => {
    fc.assert(
      fc.property(fc.array(fc.option(osLikeText, { nil: null }), { maxLength: 3 }), fc.option(osLikeText, { nil: null }), (texts, platform) => {
        const { distro, version } = identifyOs(texts, platform);
        expect(distro === null || IDS.has(distro)).toBe(true);
        expect(version === null || /^\d{1,6}(\.\d{1,6}){0,3}( R2)?$/.test(version)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('answers the same the second time (answers are remembered), and a changed answer does not leak into the next', () => {
    fc.assert(
      fc.property(fc.array(fc.option(osLikeText, { nil: null }), { maxLength: 2 }), fc.option(osLikeText, { nil: null }), (texts, platform) => {
        const first = identifyOs(texts, platform);
        const copy = { ...first };
        first.distro = 'mutated';
        expect(identifyOs(texts, platform)).toEqual(copy);
      }),
    );
  });

  it('reads only the first MAX_SCAN characters, so hostile lengths cost nothing more', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: MAX_SCAN }), fc.string({ minLength: 1, maxLength: 2000 }), (head, tail) => {
        const padded = head.padEnd(MAX_SCAN, ' ');
        expect(identifyOs([padded + tail])).toEqual(identifyOs([padded]));
      }),
    );
    for (const hostile of [' '.repeat(200_000), `64${' '.repeat(200_000)}`, 'ubuntu '.repeat(30_000), `Windows ${'9'.repeat(200_000)}`, '.'.repeat(200_000)]) {
      expect(tokenize(hostile).length).toBeLessThanOrEqual(MAX_SCAN);
      expect(identifyOs([hostile], hostile).version).toBeNull();
    }
  });
});

describe('osVersion selectors', () => {
  it.each([
    ['12 SP2', 'sles', '12.2', true],
    ['12.2', 'sles', '12.2', true],
    ['12', 'sles', '12.2', true], // components as a prefix: 12 is every 12.x
    ['8', 'centos', '8.0', true],
    ['8', 'centos', '8.4', true],
    ['12', 'debian', '12.5', true],
    ['22.04', 'ubuntu', '22.10', false],
    ['1', 'debian', '12', false],
    ['8.4', 'rocky', '8', false],
    ['12 SP2', 'debian', '12', false],
    ['2008 R2', 'windows', '2008 R2', true],
    ['2008r2', 'windows', '2008 R2', true],
    ['2008', 'windows', '2008 R2', false],
    ['2008 R2', 'windows', '2008', false],
    ['3.2104', 'alinux', '3', true],
    ['22.04', 'ubuntu', '22.04', true],
    ['22.04.3', 'ubuntu', '22.04', true],
    ['1465.8.0', 'coreos', '1465.8.0', true],
    ['64bit', 'ubuntu', '64bit', true],
    ['22.04', 'ubuntu', null, false],
  ])('%j on %s %j: %s', (wanted, distro, version, expected) => {
    expect(osVersionMatcher(wanted)(distro, version)).toBe(expected);
  });

  it("selects exactly the versions whose leading components are the selector's (property)", () => {
    const components = fc.array(fc.integer({ min: 0, max: 999 }).map(String), { minLength: 1, maxLength: 4 });
    fc.assert(
      fc.property(fc.constantFrom('debian', 'centos', 'rocky', 'sles', null), components, components, fc.boolean(), (distro, wanted, other, extend) => {
        // Half the cases build the image's version from the selector's components, so prefixes occur often.
        const version = extend ? [...wanted, ...other].slice(0, 4) : other;
        const prefix = wanted.length <= version.length && wanted.every((c, i) => c === version[i]);
        expect(osVersionMatcher(wanted.join('.'))(distro, version.join('.'))).toBe(prefix);
      }),
      { numRuns: 500 },
    );
  });

  it('accepts the form images carry as it is', () => {
    fc.assert(
      fc.property(fc.constantFrom(...DISTROS.map((d) => d.id)), fc.integer({ min: 1, max: 99 }), fc.integer({ min: 0, max: 99 }), (distro, major, minor) => {
        const version = identifyOs([`${distro} ${major}.${minor}`]).version;
        fc.pre(version !== null);
        expect(osVersionMatcher(version)(distro, version)).toBe(true);
      }),
    );
  });
});

describe('docs/arguments.md', () => {
  it('tables every distribution ID with its name and the aliases selectors accept', () => {
    const page = fs.readFileSync(path.join(__dirname, '../../docs/arguments.md'), 'utf8');
    for (const distro of DISTROS) {
      const row = page.split('\n').find((line) => line.startsWith(`| \`${distro.id}\` |`));
      expect(row).toBeDefined();
      const [, , title, also] = row!.split('|').map((cell) => cell.trim());
      expect(title).toBe(distro.title);
      const listed = also === '' ? [] : also.split(',').map((a) => a.trim().replace(/`/g, ''));
      for (const alias of listed) expect(distroId(alias)).toBe(distro.id);
      for (const alias of distro.aliases ?? []) {
        if (foldName(alias) !== foldName(distro.id)) expect(listed).toContain(alias);
      }
    }
  });
});
