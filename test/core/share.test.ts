import { RequestSharing } from '../../provider/core/share';
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
    await sharing.get('k1', async () => []);
    await sharing.get('k2', async () => []);
    expect(sharing.fetches).toBe(2);
  });

  it('forgets a failure so the next call tries again', async () => {
    const sharing = new RequestSharing();
    await expect(sharing.get('k', async () => { throw new Error('throttled'); })).rejects.toThrow('throttled');
    await expect(sharing.get('k', async () => [image({ id: 'b' })])).resolves.toHaveLength(1);
  });

  it('hands out a frozen list so one caller cannot change another caller\'s result', async () => {
    const sharing = new RequestSharing();
    const list = await sharing.get('k', async () => [image({ id: 'a' })]);
    expect(Object.isFrozen(list)).toBe(true);
  });
});

describe('RequestSharing.getWithin (narrow requests inside one wide catalog)', () => {
  function counter() {
    const runs: string[] = [];
    const req = (key: string) => ({ key, run: async () => { runs.push(key); await new Promise((r) => setTimeout(r, 5)); return [image({ id: key })]; } });
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
    const answers = await Promise.all([sharing.getWithin(req('arm64'), req('all')), sharing.getWithin(req('gpu'), req('all')), sharing.getWithin(req('tag'), req('all'))]);
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
    const wide = { key: 'all', run: async () => { if (fail) throw new Error('page 3 failed'); return [image({ id: 'x' })]; } };
    const results = await Promise.allSettled([sharing.getWithin({ key: 'a', run: wide.run }, wide), sharing.getWithin({ key: 'b', run: wide.run }, wide)]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    fail = false;
    await expect(sharing.getWithin({ key: 'a', run: wide.run }, wide)).resolves.toHaveLength(1);
  });
});
