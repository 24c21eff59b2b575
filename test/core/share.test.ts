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
