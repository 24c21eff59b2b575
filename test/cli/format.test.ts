import fc from 'fast-check';
import { cutCell, displayWidth, formatTable, jsonPieces, MAX_COLUMN_WIDTH, tableLines } from '../../provider/cli/format';
import { escapeControls } from '../../provider/core/text';
import { Emulator } from '../../provider/emulator/server';
import { REGION_IDS } from '../../provider/emulator/nscale/catalog';
import type { CloudName } from '../../provider/clouds/registry';
import { concat, writePieces } from '../../provider/cli/output';
import { captureCli, captureCliWith } from '../helpers/cli';
import { testRegistry } from '../helpers/registry';
import type { CloudRegistry } from '../../provider/core/module';
import { sharedRequests } from '../../provider/core/share';
import { fakeBackend } from '../helpers/fake-backend';
import { image } from '../helpers/images';
import { hostileString, UNSAFE_FOR_TERMINAL } from '../helpers/hostile';
import type { Image } from '../../provider/core/image';
import { lookupImage } from '../../provider/lookup';

const hostileImage: fc.Arbitrary<Image> = fc
  .record({
    id: hostileString,
    name: hostileString,
    osVersion: hostileString,
    vendor: hostileString,
    models: fc.array(hostileString, { maxLength: 2 }),
    tag: hostileString,
  })
  // IDs that are not valid UTF-8 are refused when read (test/clouds/answers-as-given.test.ts): these are well-formed.
  .map((f) =>
    image({
      id: `i-${f.id.slice(0, 1000).replace(/\uFFFD|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '?')}`,
      name: f.name,
      osVersion: f.osVersion,
      osDistro: f.name,
      gpu: { supported: true, vendor: f.vendor, driver: null, models: f.models },
      tags: { [f.tag]: f.name },
    }),
  );

describe('CLI output: terminal-safe tables', () => {
  it('escapes ESC sequences, OSC 52, C1, DEL, bidi overrides and newlines visibly; one image is one line', () => {
    const hostile = image({ id: 'img-\u001b[2J', name: 'x\u001b]52;c;SGVsbG8=\u0007\nimg-forged  fake-row\u009b31m\u007f\u202egnp.exe\u2066' });
    const lines = formatTable([hostile]).split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain('img-\\x1b[2J');
    expect(lines[1]).toContain('x\\x1b]52;c;SGVsbG8=\\x07\\x0aimg-forged  fake-row\\x9b31m\\x7f\\u202egnp.exe\\u2066');
    for (const line of lines) expect(line).not.toMatch(UNSAFE_FOR_TERMINAL);
  });

  it('never prints a control character and always prints one line per image, whatever the server sent (property)', () => {
    fc.assert(
      fc.property(fc.array(hostileImage, { maxLength: 5 }), (images) => {
        const lines = [...tableLines(images)];
        expect(lines).toHaveLength(images.length + 1);
        for (const line of lines) expect(line).not.toMatch(UNSAFE_FOR_TERMINAL);
      }),
      { numRuns: 200 },
    );
  });

  it('pads columns to at most the width limit, so one long name does not widen every row', () => {
    const lines = formatTable([image({ id: 'a', name: 'n'.repeat(4096) }), image({ id: 'b', name: 'short' })]).split('\n');
    expect(lines[2].indexOf('short') + 'short'.length + 2 + (MAX_COLUMN_WIDTH - 'short'.length)).toBe(lines[2].search(/-\s+unknown/));
    expect(lines[1]).toContain('n'.repeat(4096));
  });
});

describe('CLI output: exact JSON in pieces', () => {
  it('joins to JSON.stringify(value, null, 2) for any JSON value (property)', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.integer({ min: 0, max: 4 }), (value, depth) => {
        expect([...jsonPieces(value, depth)].join('')).toBe(JSON.stringify(value, null, 2));
      }),
      { numRuns: 500 },
    );
  });

  it('drops and nulls what JSON.stringify drops and nulls, and honours toJSON', () => {
    const value = { a: undefined, b: [undefined, () => 1, 2], c: new Date(0), d: { e: undefined }, f: [], g: {} };
    expect([...jsonPieces(value)].join('')).toBe(JSON.stringify(value, null, 2));
  });

  it('joins to JSON.stringify for results of hostile images (property)', () => {
    fc.assert(
      fc.property(fc.array(hostileImage, { maxLength: 4 }), (images) => {
        const result = { ids: images.map((i) => i.id), images };
        expect([...jsonPieces(result)].join('')).toBe(JSON.stringify(result, null, 2));
      }),
      { numRuns: 100 },
    );
  });

  it('writes a large result in bounded chunks and waits for the sink to drain', async () => {
    const images = Array.from({ length: 50_000 }, (_, n) => image({ id: `img-${n}`, name: `ubuntu-${n}`, createdAt: '2025-01-01T00:00:00Z' }));
    const result = { ids: images.map((i) => i.id), images };
    const chunks: string[] = [];
    let pending = 0;
    let overlapping = 0;
    await writePieces(
      (text) => {
        chunks.push(text);
        if (pending > 0) overlapping++;
        pending++;
        return new Promise<void>((resolve) => setImmediate(() => (pending--, resolve())));
      },
      concat(jsonPieces(result), ['\n']),
    );
    expect(overlapping).toBe(0);
    expect(chunks.length).toBeGreaterThan(100);
    expect(Math.max(...chunks.map((c) => c.length))).toBeLessThan(64 * 1024 + 2048);
    expect(chunks.join('')).toBe(`${JSON.stringify(result, null, 2)}\n`);
  });
});

describe('CLI: a server that sends terminal escapes', () => {
  let registry: CloudRegistry;
  beforeAll(() => {
    registry = testRegistry({
      nscale: fakeBackend('nscale', [
        image({ id: 'img-\u001b]52;c;ZXZpbA==\u0007', name: 'ubuntu\r\nimg-forged   ubuntu', createdAt: '2025-01-02T00:00:00Z', visibility: 'public' }),
      ]).module,
    });
  });
  beforeEach(() => sharedRequests.clear());

  it('prints the table with the escapes visible, and --json exact', async () => {
    const table = await captureCliWith({ env: {}, registry }, 'images', '--cloud', 'nscale');
    expect(table.code).toBe(0);
    expect(table.stdout.split('\n')).toHaveLength(4); // header, one row, the count, the final newline
    for (const line of table.stdout.split('\n')) expect(line).not.toMatch(UNSAFE_FOR_TERMINAL);
    expect(table.stdout).toContain('img-\\x1b]52;c;ZXZpbA==\\x07');
    const json = await captureCliWith({ env: {}, registry }, 'images', '--cloud', 'nscale', '--json');
    expect((JSON.parse(json.stdout) as { images: Image[] }).images[0].name).toBe('ubuntu\r\nimg-forged   ubuntu');
  });

  it('lookups escape the image names and IDs they quote in warnings and reasons, for every surface', async () => {
    const escaping = testRegistry({
      nscale: fakeBackend('nscale', [
        image({ id: 'img-1\u001b[2J', name: 'ubuntu-7.9\u009b', visibility: 'public' }),
        image({ id: 'img-2\u202e', name: 'ubuntu-7.10\u0007', visibility: 'public' }),
      ]).module,
    });
    const outcome = await lookupImage({ cloud: 'nscale', mostRecent: true }, { env: {}, registry: escaping });
    expect(outcome.result.id).toBe('img-2\u202e'); // the value itself is exact
    expect(outcome.warnings.length).toBeGreaterThan(0);
    for (const text of [...outcome.warnings, outcome.reason!]) expect(text).not.toMatch(UNSAFE_FOR_TERMINAL);
    expect(outcome.warnings.join(' ')).toContain('img-2\\u202e');
  });

  it('escapes control characters in usage errors that echo the command line', async () => {
    const { code, stderr } = await captureCli({}, 'images', '--\u001b[2Jx');
    expect(code).toBe(2);
    expect(stderr).toContain('--\\x1b[2Jx');
    expect(stderr.replace(/\n/g, '')).not.toMatch(UNSAFE_FOR_TERMINAL);
  });
});

describe('CLI output: tables that fit the terminal', () => {
  const shortText = fc.string({ unit: fc.constantFrom('a', 'b', '-', '.', '7', '位', 'é', '\u001b', '😀'), maxLength: 90 });
  const fittingImage: fc.Arbitrary<Image> = fc
    .record({
      id: fc.string({ unit: fc.constantFrom('a', '0', '-'), minLength: 1, maxLength: 40 }),
      name: shortText,
      os: shortText,
      models: fc.array(shortText, { maxLength: 3 }),
      type: fc.constantFrom('vm', 'baremetal', 'any'),
    })
    .map((f) =>
      image({
        id: `i-${f.id}`,
        name: f.name,
        osDistro: f.os,
        osVersion: '22.04',
        machineType: f.type,
        gpu: { supported: true, vendor: null, driver: null, models: f.models },
      }),
    );

  it('every line fits the width, IDs stay whole, and a cut cell is its text up to … (property)', () => {
    fc.assert(
      fc.property(fc.array(fittingImage, { minLength: 1, maxLength: 6 }), fc.integer({ min: 100, max: 200 }), (images, width) => {
        const lines = [...tableLines(images, { width })];
        for (const line of lines) expect(displayWidth(line)).toBeLessThanOrEqual(width);
        for (const [n, im] of images.entries()) expect(lines[n + 1].startsWith(escapeControls(im.id))).toBe(true);
        for (const line of lines.slice(1, images.length + 1)) {
          for (const cell of line.split(/ {2,}/).filter((c) => c.endsWith('…'))) {
            const stem = cell.slice(0, -1);
            expect(
              images.some((im) =>
                [im.name ?? '', im.osDistro ?? '', im.gpu.models.join('/')].some(
                  (t) => escapeControls(t).includes(stem) || escapeControls(`${t} 22.04`).includes(stem),
                ),
              ),
            ).toBe(true);
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it('cuts by terminal columns: wide characters count twice, surrogate pairs are never split', () => {
    expect(displayWidth('CentOS 7.10 64位')).toBe(16);
    expect(cutCell('ubuntu-22.04-x86_64', 10)).toBe('ubuntu-22…');
    expect(cutCell('位位位位', 5)).toBe('位位…');
    expect(displayWidth('😀😀😀')).toBe(6);
    expect(cutCell('😀😀😀', 5)).toBe('😀😀…');
    expect(cutCell('short', 5)).toBe('short');
  });

  it('drops a NAME column that repeats the ID; --wide keeps every column and whole cells', () => {
    const same = [image({ id: 'ubuntu_22_04_x64_20G_alibase_20240630.vhd', name: 'ubuntu_22_04_x64_20G_alibase_20240630.vhd' })];
    expect([...tableLines(same, { width: 120 })][0]).not.toMatch(/\bNAME\b/);
    const mixed = [...same, image({ id: 'm-bp1', name: 'k8s-node' })];
    expect([...tableLines(mixed, { width: 120 })][0]).toMatch(/\bNAME\b/);
    const long = [
      image({ id: 'a', name: 'n'.repeat(300), createdAt: '2024-06-30T02:00:00Z' }),
      image({ id: 'b', name: 'x', createdAt: '2024-06-29T02:00:00Z' }),
    ];
    expect([...tableLines(long)].join('\n')).toContain('n'.repeat(300));
    expect([...tableLines(long)].join('\n')).toContain('2024-06-30T02:00:00Z');
    const fitted = [...tableLines(long, { width: 120 })];
    expect(fitted.every((l) => displayWidth(l) <= 120)).toBe(true);
    expect(fitted[1]).toContain('…');
  });

  it('says a column with one value in every row once, under the table, and keeps the time when it fits', () => {
    const rows = [image({ id: 'a', name: 'one', createdAt: '2024-06-30T02:00:00Z' }), image({ id: 'b', name: 'two', createdAt: '2024-06-29T02:00:00Z' })];
    const lines = [...tableLines(rows, { width: 120 })];
    expect(lines[0]).not.toMatch(/STATUS/);
    expect(lines.at(-1)).toMatch(/^\(every image: .*STATUS available.*\)$/);
    expect(lines[1]).toContain('2024-06-30T02:00:00Z');
  });
});

describe("CLI: each cloud's listing fits 120 columns (emulator)", () => {
  let emulator: Emulator;
  beforeAll(async () => {
    emulator = await new Emulator().start();
  });
  afterAll(() => emulator?.stop());

  it.each([
    ['alicloud', 'cn-hangzhou'],
    ['huaweicloud', 'cn-north-4'],
    ['opentelekomcloud', 'eu-de'],
    ['ucloud', 'cn-bj2'],
    ['nscale', REGION_IDS[0]],
  ])('%s', async (cloud, region) => {
    const argv = ['images', '--cloud', cloud, '--region', region, '--endpoint', emulator.endpoint(cloud as CloudName), '--status', 'available,deprecated'];
    const fitted = await captureCli(emulator.clientEnv(), ...argv);
    expect(fitted.code).toBe(0);
    const lines = fitted.stdout.trimEnd().split('\n');
    expect(lines.length).toBeGreaterThan(10);
    expect(Math.max(...lines.map(displayWidth))).toBeLessThanOrEqual(120);
    const wide = await captureCli(emulator.clientEnv(), ...argv, '--wide');
    expect(Math.max(...wide.stdout.split('\n').map(displayWidth))).toBeGreaterThan(120);
    const json = JSON.parse((await captureCli(emulator.clientEnv(), ...argv, '--json')).stdout) as { ids: string[] };
    // Every ID is in the fitted table, whole.
    for (const id of json.ids) expect(fitted.stdout).toContain(`${id} `);
  });
});
