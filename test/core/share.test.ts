import { DEFAULT_CATALOG_TTL_SECONDS, readCatalogTtlMs, RequestSharing } from '../../provider/core/share';
import { ConfigurationError } from '../../provider/core/errors';
import { image } from '../helpers/images';

describe('RequestSharing', () => {
  it('runs concurrent identical requests once and reuses the answer later', async () => {
    const sharing = new RequestSharing();
    let calls = 0;
    const fetch = async () => {
      calls++;
      await new Promise((r) => setTimeout(r, 10));
      return [image({ id: 'a' })];
    };
    const [a, b] = await Promise.all([sharing.get('k', fetch), sharing.get('k', fetch)]);
    const c = await sharing.get('k', fetch);
    expect(calls).toBe(1);
    expect(a).toBe(b);
    expect(c).toBe(a);
    expect(sharing.fetches).toBe(1);
  });

  it('keeps different requests apart', async () => {
    const sharing = new RequestSharing();
    await sharing.get('k1', () => Promise.resolve([]));
    await sharing.get('k2', () => Promise.resolve([]));
    expect(sharing.fetches).toBe(2);
  });

  it('forgets a failure so the next call tries again', async () => {
    const sharing = new RequestSharing();
    await expect(sharing.get('k', () => Promise.reject(new Error('throttled')))).rejects.toThrow('throttled');
    await expect(sharing.get('k', () => Promise.resolve([image({ id: 'b' })]))).resolves.toHaveLength(1);
  });

  it("hands out a frozen list so one caller cannot change another caller's result", async () => {
    const sharing = new RequestSharing();
    const list = await sharing.get('k', () => Promise.resolve([image({ id: 'a' })]));
    expect(Object.isFrozen(list)).toBe(true);
  });
});

describe('RequestSharing.getWithin (narrow requests inside one wide catalog)', () => {
  function counter() {
    const runs: string[] = [];
    const req = (key: string) => ({
      key,
      run: async () => {
        runs.push(key);
        await new Promise((r) => setTimeout(r, 5));
        return [image({ id: key })];
      },
    });
    return { runs, req };
  }

  it('a lone query gets its cheap narrow request', async () => {
    const sharing = new RequestSharing();
    const { runs, req } = counter();
    await sharing.getWithin(req('arm64'), req('all'));
    expect(runs).toEqual(['arm64']);
  });

  it('queries that start together with different push-downs share one wide fetch', async () => {
    const sharing = new RequestSharing();
    const { runs, req } = counter();
    const answers = await Promise.all([
      sharing.getWithin(req('arm64'), req('all')),
      sharing.getWithin(req('gpu'), req('all')),
      sharing.getWithin(req('tag'), req('all')),
    ]);
    expect(runs).toEqual(['all']);
    expect(new Set(answers).size).toBe(1);
  });

  it('a second, different query later fetches wide once; everything after reuses it', async () => {
    const sharing = new RequestSharing();
    const { runs, req } = counter();
    await sharing.getWithin(req('arm64'), req('all'));
    await sharing.getWithin(req('gpu'), req('all'));
    await sharing.getWithin(req('tag'), req('all'));
    await sharing.getWithin(req('arm64'), req('all'));
    expect(runs).toEqual(['arm64', 'all']);
    expect(sharing.fetches).toBe(2);
  });

  it('keeps different catalogs apart', async () => {
    const sharing = new RequestSharing();
    const { runs, req } = counter();
    await Promise.all([sharing.getWithin(req('r1-arm'), req('r1')), sharing.getWithin(req('r2-arm'), req('r2'))]);
    expect(runs.sort()).toEqual(['r1-arm', 'r2-arm']);
  });

  it('a failed wide fetch fails every query that waited on it, and is tried again next time', async () => {
    const sharing = new RequestSharing();
    let fail = true;
    const wide = { key: 'all', run: () => (fail ? Promise.reject(new Error('page 3 failed')) : Promise.resolve([image({ id: 'x' })])) };
    const results = await Promise.allSettled([sharing.getWithin({ key: 'a', run: wide.run }, wide), sharing.getWithin({ key: 'b', run: wide.run }, wide)]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    fail = false;
    await expect(sharing.getWithin({ key: 'a', run: wide.run }, wide)).resolves.toHaveLength(1);
  });
});

describe('RequestSharing TTL (catalogs expire, fetches in flight are always shared)', () => {
  function clocked() {
    let now = 1_000_000;
    const sharing = new RequestSharing({ clock: () => now });
    let runs = 0;
    const fetch = () => {
      runs++;
      return Promise.resolve([image({ id: `v${runs}` })]);
    };
    return { sharing, fetch, advance: (ms: number) => (now += ms), runs: () => runs };
  }

  it('reuses a settled catalog until its TTL has passed, then fetches it anew', async () => {
    const { sharing, fetch, advance, runs } = clocked();
    await sharing.get('k', fetch, 60_000);
    advance(59_999);
    expect((await sharing.get('k', fetch, 60_000))[0].id).toBe('v1');
    advance(1);
    expect((await sharing.get('k', fetch, 60_000))[0].id).toBe('v2');
    expect(runs()).toBe(2);
  });

  it('counts the TTL from when the answer arrived, not from when it was asked for', async () => {
    let now = 0;
    const sharing = new RequestSharing({ clock: () => now });
    let release!: () => void;
    const slow = () => new Promise<ReturnType<typeof image>[]>((resolve) => (release = () => resolve([image({ id: 'slow' })])));
    const first = sharing.get('k', slow, 1000);
    await new Promise((r) => setImmediate(r));
    now = 5000; // the fetch took five seconds
    release();
    await first;
    now = 5999;
    expect(await sharing.get('k', () => Promise.resolve([image({ id: 'new' })]), 1000)).toBe(await first);
  });

  it('with TTL 0 shares a fetch in flight but never reuses a settled one', async () => {
    const { sharing, fetch, runs } = clocked();
    const [a, b] = await Promise.all([sharing.get('k', fetch, 0), sharing.get('k', fetch, 0)]);
    expect(a).toBe(b);
    await sharing.get('k', fetch, 0);
    expect(runs()).toBe(2);
  });

  it('expires wide catalogs for getWithin as well', async () => {
    const { sharing, advance } = clocked();
    const runs: string[] = [];
    const req = (key: string) => ({
      key,
      run: () => {
        runs.push(key);
        return Promise.resolve([image({ id: key })]);
      },
    });
    await Promise.all([sharing.getWithin(req('a'), req('all'), 1000), sharing.getWithin(req('b'), req('all'), 1000)]);
    await sharing.getWithin(req('c'), req('all'), 1000);
    expect(runs).toEqual(['all']);
    advance(1000);
    // Expired: fetched anew (a lone query asks its own narrow request, as in a fresh process).
    await sharing.getWithin(req('c'), req('all'), 1000);
    expect(runs).toEqual(['all', 'c']);
  });

  it('defaults to an hour, so an ordinary program run fetches each catalog once', async () => {
    const { sharing, fetch, advance, runs } = clocked();
    await sharing.get('k', fetch);
    advance(DEFAULT_CATALOG_TTL_SECONDS * 1000 - 1);
    await sharing.get('k', fetch);
    expect(runs()).toBe(1);
    advance(1);
    await sharing.get('k', fetch);
    expect(runs()).toBe(2);
  });
});

describe('readCatalogTtlMs', () => {
  it('takes the option, then the variable, then the default', () => {
    expect(readCatalogTtlMs({})).toBe(3_600_000);
    expect(readCatalogTtlMs({ CLOUDIMAGES_CATALOG_TTL_SECONDS: '90' })).toBe(90_000);
    expect(readCatalogTtlMs({ CLOUDIMAGES_CATALOG_TTL_SECONDS: '0.5' })).toBe(500);
    expect(readCatalogTtlMs({ CLOUDIMAGES_CATALOG_TTL_SECONDS: '90' }, 0)).toBe(0);
  });

  it.each(['-1', 'abc', '1e3', ' 5', '99999999999'])('refuses %j naming the variable', (raw) => {
    expect(() => readCatalogTtlMs({ CLOUDIMAGES_CATALOG_TTL_SECONDS: raw })).toThrow(ConfigurationError);
    expect(() => readCatalogTtlMs({ CLOUDIMAGES_CATALOG_TTL_SECONDS: raw })).toThrow(/CLOUDIMAGES_CATALOG_TTL_SECONDS/);
  });

  it.each([-1, NaN, Infinity])('refuses the option %p naming it', (given) => {
    expect(() => readCatalogTtlMs({}, given)).toThrow(/catalogTtlSeconds/);
  });

  it.each([
    [{ seconds: 5 }, 'a value of type object'],
    [[5], 'a list'],
    [true, 'true'],
  ])('refuses the option %p saying what it is, not "[object Object]"', (given, shown) => {
    expect(() => readCatalogTtlMs({}, given)).toThrow(`catalogTtlSeconds is ${shown}: expected seconds`);
  });
});
