import { lookupImage, lookupImages } from '../provider/lookup';
import { overrideModule } from '../provider/clouds/registry';
import { RequestSharing } from '../provider/core/share';
import { ValidationError } from '../provider/core/errors';
import { fakeBackend } from './helpers/fake-backend';
import { image } from './helpers/images';

const catalog = [
  image({ id: 'pub-new', visibility: 'public', createdAt: '2025-03-01T00:00:00Z' }),
  image({ id: 'pub-old', visibility: 'public', createdAt: '2024-03-01T00:00:00Z' }),
  image({ id: 'mine', visibility: 'private', createdAt: '2025-01-01T00:00:00Z' }),
  image({ id: 'stranger', visibility: 'marketplace', createdAt: '2026-01-01T00:00:00Z' }),
];

describe('the lookup pipeline', () => {
  let fake: ReturnType<typeof fakeBackend>;
  beforeEach(() => {
    fake = fakeBackend('nscale', catalog);
    overrideModule('nscale', fake.module);
  });
  afterAll(() => overrideModule('nscale', undefined));

  it('applies the cloud\'s safe default visibility when the query names none', async () => {
    const { result } = await lookupImages({ cloud: 'nscale' }, { sharing: new RequestSharing() });
    expect(result.ids).toEqual(['pub-new', 'mine', 'pub-old']);
    expect(fake.calls.plans[0]).toMatchObject({ visibility: ['private', 'public'] });
  });

  it('returns ids and images in the same order', async () => {
    const { result } = await lookupImages({ cloud: 'nscale', visibility: ['public', 'marketplace'] }, { sharing: new RequestSharing() });
    expect(result.ids).toEqual(result.images.map((i) => i.id));
    expect(result.ids).toEqual(['stranger', 'pub-new', 'pub-old']);
  });

  it('refuses mostRecent over images other accounts publish, before any request', async () => {
    const attempt = lookupImage({ cloud: 'nscale', mostRecent: true, visibility: ['public', 'marketplace'] }, { sharing: new RequestSharing() });
    await expect(attempt).rejects.toBeInstanceOf(ValidationError);
    await expect(attempt).rejects.toThrow(/"mostRecent": refusing to choose the most recent image among marketplace images.*narrow visibility to private or public, or set allowUnsafeMostRecent: true/);
    expect(fake.calls.runs).toBe(0);
  });

  it('allows it when the query opts in', async () => {
    const { result } = await lookupImage({ cloud: 'nscale', mostRecent: true, visibility: 'marketplace', allowUnsafeMostRecent: true }, { sharing: new RequestSharing() });
    expect(result.id).toBe('stranger');
  });

  it('chooses among the safe default set with mostRecent', async () => {
    const { result, reason } = await lookupImage({ cloud: 'nscale', mostRecent: true }, { sharing: new RequestSharing() });
    expect(result.id).toBe('pub-new');
    expect(reason).toMatch(/the newest of 3 matches/);
  });

  it('fetches a catalog once for many queries that need it', async () => {
    const sharing = new RequestSharing();
    await Promise.all([
      lookupImage({ cloud: 'nscale', mostRecent: true }, { sharing }),
      lookupImages({ cloud: 'nscale', nameRegex: 'pub' }, { sharing }),
      lookupImage({ cloud: 'nscale', nameRegex: '^mine$' }, { sharing }),
    ]);
    await lookupImages({ cloud: 'nscale', status: 'available' }, { sharing });
    expect(fake.calls.runs).toBe(1);
  });

  it('fails validation before planning anything', async () => {
    await expect(lookupImages({ cloud: 'nscale', architecture: 'sparc' })).rejects.toThrow(/"architecture"/);
    expect(fake.calls.plans).toHaveLength(0);
  });
});
