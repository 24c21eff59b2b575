import { lookupImage, lookupImages } from '../provider/lookup';
import { testRegistry } from './helpers/registry';
import type { CloudRegistry } from '../provider/core/module';
import { RequestSharing } from '../provider/core/share';
import { NoImageError, ValidationError } from '../provider/core/errors';
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
  let registry: CloudRegistry;
  beforeEach(() => {
    fake = fakeBackend('nscale', catalog);
    registry = testRegistry({ nscale: fake.module });
  });

  it("applies the cloud's safe default visibility when the query names none", async () => {
    const { result } = await lookupImages({ cloud: 'nscale' }, { registry, sharing: new RequestSharing() });
    expect(result.ids).toEqual(['pub-new', 'mine', 'pub-old']);
    expect(fake.calls.plans[0]).toMatchObject({ visibility: ['private', 'public'] });
  });

  it('returns ids and images in the same order', async () => {
    const { result } = await lookupImages({ cloud: 'nscale', visibility: ['public', 'marketplace'] }, { registry, sharing: new RequestSharing() });
    expect(result.ids).toEqual(result.images.map((i) => i.id));
    expect(result.ids).toEqual(['stranger', 'pub-new', 'pub-old']);
  });

  it('refuses mostRecent over images other accounts publish, before any request', async () => {
    const attempt = lookupImage({ cloud: 'nscale', mostRecent: true, visibility: ['public', 'marketplace'] }, { registry, sharing: new RequestSharing() });
    await expect(attempt).rejects.toBeInstanceOf(ValidationError);
    await expect(attempt).rejects.toThrow(
      /"mostRecent": refusing to choose the most recent image among marketplace images.*narrow visibility to private or public, or set allowUnsafeMostRecent: true/,
    );
    expect(fake.calls.runs).toBe(0);
  });

  it('allows it when the query opts in', async () => {
    const { result } = await lookupImage(
      { cloud: 'nscale', mostRecent: true, visibility: 'marketplace', allowUnsafeMostRecent: true },
      { registry, sharing: new RequestSharing() },
    );
    expect(result.id).toBe('stranger');
  });

  it('chooses among the safe default set with mostRecent', async () => {
    const { result, reason } = await lookupImage({ cloud: 'nscale', mostRecent: true }, { registry, sharing: new RequestSharing() });
    expect(result.id).toBe('pub-new');
    expect(reason).toMatch(/the newest of 3 matches/);
  });

  it('fetches a catalog once for many queries that need it', async () => {
    const sharing = new RequestSharing();
    await Promise.all([
      lookupImage({ cloud: 'nscale', mostRecent: true }, { registry, sharing }),
      lookupImages({ cloud: 'nscale', nameRegex: 'pub' }, { registry, sharing }),
      lookupImage({ cloud: 'nscale', nameRegex: '^mine$' }, { registry, sharing }),
    ]);
    await lookupImages({ cloud: 'nscale', status: 'available' }, { registry, sharing });
    expect(fake.calls.runs).toBe(1);
  });

  it('measures minAgeDays and maxAgeDays from the injected now', async () => {
    const now = () => new Date('2025-03-11T00:00:00Z');
    const soaked = await lookupImage({ cloud: 'nscale', mostRecent: true, minAgeDays: 14 }, { registry, sharing: new RequestSharing(), now });
    expect(soaked.result.id).toBe('mine'); // pub-new is 10 days old
    const fresh = await lookupImages({ cloud: 'nscale', maxAgeDays: 100 }, { registry, sharing: new RequestSharing(), now });
    expect(fresh.result.ids).toEqual(['pub-new', 'mine']);
  });

  it('refuses ages before any request on a cloud that reports no creation time', async () => {
    const undated = fakeBackend('nscale', catalog);
    registry = testRegistry({ nscale: { ...undated.module, reportsCreationTime: false } });
    for (const argument of ['minAgeDays', 'maxAgeDays']) {
      const attempt = lookupImages({ cloud: 'nscale', [argument]: 7 }, { registry, sharing: new RequestSharing() });
      await expect(attempt).rejects.toBeInstanceOf(ValidationError);
      await expect(attempt).rejects.toMatchObject({ argument });
      await expect(attempt).rejects.toThrow(
        `invalid argument "${argument}": nscale reports no creation time, so no image could be shown to be old or new enough; leave ${argument} unset`,
      );
    }
    expect(undated.calls.plans).toHaveLength(0);
    expect(undated.calls.runs).toBe(0);
  });

  it('explains a getImage that found nothing from the wide catalog, fetched once more only when needed', async () => {
    const narrowing = fakeBackend('nscale', catalog, {
      // Pushes nameRegex down: the narrow answer is already empty, so it alone could not say what came close.
      plan(query, settings) {
        const wide = query.nameRegex === undefined;
        return {
          key: `${settings.region.value}:${query.nameRegex ?? '*'}`,
          run: () => {
            narrowing.calls.runs++;
            return Promise.resolve(wide ? catalog : []);
          },
        };
      },
    });
    registry = testRegistry({ nscale: narrowing.module });
    const error = await lookupImage({ cloud: 'nscale', nameRegex: '^nothing' }, { registry, sharing: new RequestSharing() }).catch(
      (e: unknown) => e as NoImageError,
    );
    expect(error).toBeInstanceOf(NoImageError);
    expect((error as NoImageError).funnel[0]).toEqual({ selector: 'catalog', remaining: 4 });
    expect((error as NoImageError).nearMisses.map((m) => m.id)).toEqual(['pub-new', 'mine', 'pub-old']);
    expect(narrowing.calls.runs).toBe(2); // the narrow answer, then the wide one for the explanation

    narrowing.calls.runs = 0;
    const explained = await lookupImages({ cloud: 'nscale', nameRegex: '^pub' }, { registry, sharing: new RequestSharing(), explain: true });
    expect(explained.result.ids).toEqual(['pub-new', 'pub-old']);
    expect(explained.explanation!.funnel.map((s) => s.remaining)).toEqual([4, 4, 3, 2]);
    expect(narrowing.calls.runs).toBe(1); // --explain asks for the wide answer only
  });

  it('fails validation before planning anything', async () => {
    await expect(lookupImages({ cloud: 'nscale', architecture: 'sparc' }, { registry })).rejects.toThrow(/"architecture"/);
    expect(fake.calls.plans).toHaveLength(0);
  });
});
