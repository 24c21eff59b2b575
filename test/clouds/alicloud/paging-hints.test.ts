/**
 * Paging hints (core/hints.ts) on Alibaba's page-number paging: a repeat listing asks for page 1 and every page the
 * hint predicts at once; a wrong hint costs at most one more wave and never loses or repeats an image; an
 * unreadable, corrupt or unwritable cache is ignored.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Emulator } from '../../../provider/emulator/server';
import { HttpClient } from '../../../provider/core/http/client';
import { RequestSharing } from '../../../provider/core/share';
import { lookupImages } from '../../../provider/lookup';
import { PagingError } from '../../../provider/core/errors';
import { cacheDir, MAX_HINT_FILES } from '../../../provider/core/hints';
import type { AlicloudCatalog, AlicloudCatalogRecord } from '../../../provider/emulator/alicloud/catalog';
import { syntheticCatalog } from '../../helpers/alicloud-catalog';

const SIZE = 1042; // 11 pages of 100
const QUERY = { cloud: 'alicloud', region: 'cn-hangzhou', visibility: 'private' };
/** How long page 1 is held back: every page asked together with it arrives while it is in flight, in its wave. */
const HOLD_MS = 300;

let emulator: Emulator;
let dir: string;
let original: AlicloudCatalogRecord[];
const images = () => (emulator.catalog.alicloud as AlicloudCatalog).images;

beforeAll(async () => {
  emulator = await new Emulator({ catalog: { alicloud: syntheticCatalog(SIZE) } }).start();
  original = [...images()];
});
afterAll(() => emulator.stop());
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cloudimages-hints-'));
  emulator.clearFaults();
  emulator.resetCounts();
  images().splice(0, Infinity, ...original);
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

/** A listing in a fresh process's state (new client and sharing), with the cache at `cache`. */
function list(cache: string = dir) {
  return lookupImages(QUERY, {
    config: emulator.clientConfig(),
    env: { CLOUDIMAGES_CACHE_DIR: cache },
    http: new HttpClient({ retry: { baseDelayMs: 1, maxDelayMs: 5 } }),
    sharing: new RequestSharing(),
  });
}

/**
 * Pages asked for, split by the emulator's waves: `withFirst` arrived while page 1 was in flight (page 1 is held back
 * HOLD_MS, which keeps its wave open), `after` in a later wave, once page 1 had been answered.
 */
function watchWaves() {
  emulator.inject({ kind: 'delay', cloud: 'alicloud', delayMs: HOLD_MS, when: (r) => r.query.get('PageNumber') === '1' });
  return () => {
    const asked = emulator.requests.filter((r) => r.cloud === 'alicloud').map((r) => ({ page: Number(r.query.PageNumber), wave: r.wave }));
    const firstWave = asked.find((a) => a.page === 1)!.wave;
    const pagesWhere = (inFirst: boolean) =>
      asked
        .filter((a) => (a.wave === firstWave) === inFirst)
        .map((a) => a.page)
        .sort((a, b) => a - b);
    return { withFirst: pagesWhere(true), after: pagesWhere(false) };
  };
}

const hintFiles = (cache: string = dir) => (fs.existsSync(path.join(cache, 'paging')) ? fs.readdirSync(path.join(cache, 'paging')) : []);
/** The hint this test's listing wrote: the newest file. */
const readHintOf = (names: string[]) => {
  const newest = names
    .filter((f) => f.endsWith('.json'))
    .map((f) => ({ f, at: fs.statSync(path.join(dir, 'paging', f)).mtimeMs }))
    .sort((a, b) => b.at - a.at)[0].f;
  return JSON.parse(fs.readFileSync(path.join(dir, 'paging', newest), 'utf8')) as unknown;
};
const readHint = () => JSON.parse(fs.readFileSync(path.join(dir, 'paging', hintFiles()[0]), 'utf8')) as unknown;
const pages = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);
const synthetic = (i: number): AlicloudCatalogRecord => ({
  ...original.find((r) => r.ImageId.startsWith('m-synth'))!,
  ImageId: `m-grown${String(i).padStart(5, '0')}`,
  ImageName: `grown-${i}`,
});

function expectComplete(ids: string[]) {
  const wanted = images()
    .filter((r) => r.region === 'cn-hangzhou' && r.ImageOwnerAlias === 'self' && r.Status === 'Available')
    .map((r) => r.ImageId)
    .sort();
  expect([...ids].sort()).toEqual(wanted);
  expect(new Set(ids).size).toBe(ids.length);
}

describe('paging hints: one round trip for a repeat listing', () => {
  it('the first run takes two waves and records the page count (and nothing else)', async () => {
    const waves = watchWaves();
    const { result } = await list();
    expectComplete(result.ids);
    expect(waves()).toEqual({ withFirst: [1], after: pages(2, 11) });
    expect(hintFiles()).toEqual([expect.stringMatching(/^[0-9a-f]{64}\.json$/)]);
    expect(readHint()).toEqual({ pages: 11 });
  });

  it('a repeat run asks for every page together with page 1', async () => {
    await list();
    emulator.resetCounts();
    const waves = watchWaves();
    const { result } = await list();
    expectComplete(result.ids);
    expect(waves()).toEqual({ withFirst: pages(1, 11), after: [] });
    expect(emulator.count('alicloud')).toBe(11);
  });

  it('a catalog that grew costs one more wave (the missing pages), and the hint follows it', async () => {
    await list();
    images().push(...Array.from({ length: 250 }, (_, i) => synthetic(i))); // 1,292 images: 13 pages
    emulator.resetCounts();
    const waves = watchWaves();
    const { result } = await list();
    expectComplete(result.ids);
    expect(result.ids).toHaveLength(SIZE + 250);
    expect(waves()).toEqual({ withFirst: pages(1, 11), after: [12, 13] });
    expect(readHint()).toEqual({ pages: 13 });
  });

  it('a catalog that shrank costs only the empty pages, asked in the same wave, and the hint follows it', async () => {
    await list();
    const kept = images().filter((r) => !r.ImageId.startsWith('m-synth') || Number(r.ImageId.slice(7)) < 850);
    images().splice(0, Infinity, ...kept); // 850 images: 9 pages
    emulator.resetCounts();
    const waves = watchWaves();
    const { result } = await list();
    expectComplete(result.ids);
    expect(result.ids).toHaveLength(850);
    expect(waves()).toEqual({ withFirst: pages(1, 11), after: [] });
    expect(readHint()).toEqual({ pages: 9 });
  });

  it('a page past the end that holds images (the catalog grew mid-listing) fails the listing', async () => {
    await list();
    const kept = images().filter((r) => !r.ImageId.startsWith('m-synth') || Number(r.ImageId.slice(7)) < 850);
    images().splice(0, Infinity, ...kept);
    // Page 1 says 850 (9 pages); by the time page 10 is answered the catalog is back to 1,042.
    emulator.inject({
      kind: 'delay',
      cloud: 'alicloud',
      delayMs: 0,
      when: (r) => r.query.get('PageNumber') === '10' && (images().splice(0, Infinity, ...original), true),
    });
    emulator.inject({ kind: 'delay', cloud: 'alicloud', delayMs: 100, when: (r) => r.query.get('PageNumber') === '10' });
    await expect(list()).rejects.toBeInstanceOf(PagingError);
  });

  it('a predicted page that fails before page 1 has answered fails the listing with its own error', async () => {
    await list();
    emulator.inject({ kind: 'delay', cloud: 'alicloud', delayMs: HOLD_MS, when: (r) => r.query.get('PageNumber') === '1' });
    emulator.inject({ kind: 'server-error', cloud: 'alicloud', times: Infinity, when: (r) => r.query.get('PageNumber') === '5' });
    const failure = list();
    await expect(failure).rejects.toBeInstanceOf(PagingError);
    await expect(failure).rejects.toThrow(/page 5 of 11 failed/);
  });

  it.each([
    ['not JSON', '{"pages": 1'],
    ['a wrong shape', '[11]'],
    ['a negative count', '{"pages": -3}'],
    ['an absurd count', '{"pages": 1000000}'],
    ['a fraction', '{"pages": 2.5}'],
    ['too long to be a hint', `{"pages": 11, "pad": "${'x'.repeat(1000)}"}`],
  ])('a corrupt hint file (%s) is no hint: two waves, a complete list, and the file is rewritten', async (_what, text) => {
    await list();
    fs.writeFileSync(path.join(dir, 'paging', hintFiles()[0]), text);
    emulator.resetCounts();
    const waves = watchWaves();
    const { result } = await list();
    expectComplete(result.ids);
    expect(waves()).toEqual({ withFirst: [1], after: pages(2, 11) });
    expect(readHint()).toEqual({ pages: 11 });
  });

  it('an unwritable or unreadable cache is ignored, never an error', async () => {
    const file = path.join(dir, 'a-file');
    fs.writeFileSync(file, 'not a folder');
    expectComplete((await list(file)).result.ids);
    expectComplete((await list(path.join(file, 'below'))).result.ids);
  });

  it('keeps at most MAX_HINT_FILES hints, dropping the least recently written', async () => {
    const folder = path.join(dir, 'paging');
    fs.mkdirSync(folder, { recursive: true });
    const old = new Date(Date.UTC(2020, 0, 1));
    for (let i = 0; i < MAX_HINT_FILES + 5; i++) {
      const file = path.join(folder, `${i.toString(16).padStart(64, '0')}.json`);
      fs.writeFileSync(file, '{"pages":1}\n');
      fs.utimesSync(file, old, new Date(old.getTime() + i * 1000));
    }
    fs.writeFileSync(path.join(folder, 'README'), 'not a hint');
    await list();
    const left = hintFiles();
    expect(left.filter((f) => f.endsWith('.json'))).toHaveLength(MAX_HINT_FILES);
    expect(left).toContain('README');
    expect(left).not.toContain(`${(0).toString(16).padStart(64, '0')}.json`);
    expect(left).toContain(`${(MAX_HINT_FILES + 4).toString(16).padStart(64, '0')}.json`);
    expect(readHintOf(left)).toEqual({ pages: 11 });
  });

  it('"off" disables the cache', async () => {
    await list('off');
    await list('OFF');
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it('keeps no credential, name or image data on disk, and leaves no temporary file', async () => {
    await list();
    const config = emulator.clientConfig() as { alicloud: { accessKeyId: string } };
    const text = hintFiles()
      .map((f) => f + fs.readFileSync(path.join(dir, 'paging', f), 'utf8'))
      .join('\n');
    expect(text).not.toContain(config.alicloud.accessKeyId);
    expect(text).not.toMatch(/synth|cn-hangzhou|m-/);
    expect(hintFiles().filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('tells listings apart: another region or another request has its own hint', async () => {
    await list();
    await lookupImages(
      { ...QUERY, architecture: 'arm64' },
      { config: emulator.clientConfig(), env: { CLOUDIMAGES_CACHE_DIR: dir }, http: new HttpClient(), sharing: new RequestSharing() },
    );
    expect(hintFiles()).toHaveLength(2);
  });
});

describe('cacheDir', () => {
  it('follows CLOUDIMAGES_CACHE_DIR, then XDG_CACHE_HOME, then ~/.cache, then %LOCALAPPDATA%; none is no cache', () => {
    expect(cacheDir({ CLOUDIMAGES_CACHE_DIR: '/c', XDG_CACHE_HOME: '/x', HOME: '/h' })).toBe('/c');
    expect(cacheDir({ XDG_CACHE_HOME: '/x', HOME: '/h' })).toBe(path.join('/x', 'cloudimages'));
    expect(cacheDir({ HOME: '/h' })).toBe(path.join('/h', '.cache', 'cloudimages'));
    expect(cacheDir({ LOCALAPPDATA: 'C:\\Users\\u\\AppData\\Local' })).toBe(path.join('C:\\Users\\u\\AppData\\Local', 'cloudimages'));
    expect(cacheDir({})).toBeUndefined();
    expect(cacheDir({ CLOUDIMAGES_CACHE_DIR: 'off', HOME: '/h' })).toBeUndefined();
  });

  it('is off for the whole test suite unless a test points it at a temporary folder', () => {
    expect(process.env.CLOUDIMAGES_CACHE_DIR).toBe('off');
  });
});
