/**
 * The catalog changing while it is being listed: the answer is consistent and complete, or an error; never
 * duplicates, never a silent gap.
 */
import { Emulator } from '../../provider/emulator/server';
import { lookupImages } from '../../provider/lookup';
import { HttpClient } from '../../provider/core/http/client';
import { RequestSharing } from '../../provider/core/share';
import { CloudApiError } from '../../provider/core/errors';
import type { ImsCatalog } from '../../provider/emulator/huawei/catalog';

describe('Huawei IMS: the catalog changes between marker pages', () => {
  let emulator: Emulator;
  const query = { cloud: 'huaweicloud', region: 'cn-north-4', visibility: 'public', filters: { limit: '40' } };
  const run = () =>
    lookupImages(query, {
      config: emulator.clientConfig(),
      env: {},
      http: new HttpClient({ retry: { baseDelayMs: 1, maxDelayMs: 4 } }),
      sharing: new RequestSharing(),
    });
  const images = () => (emulator.catalog.huaweicloud as ImsCatalog).images;

  beforeEach(async () => {
    emulator = await new Emulator().start();
  });
  afterEach(() => emulator.stop());

  it('a marker image that vanishes before the next page fails the listing instead of ending it short', async () => {
    const complete = (await run()).result.ids;
    emulator.resetCounts();
    let deleted = false;
    emulator.inject({
      kind: 'delay',
      delayMs: 0,
      cloud: 'huaweicloud',
      when: (request) => {
        const marker = request.query.get('marker');
        if (!marker || deleted) return false;
        deleted = true;
        const at = images().findIndex((entry) => entry.image.id === marker);
        images().splice(at, 1); // deleted between page 1 and page 2
        return true;
      },
    });
    const failure = run();
    await expect(failure).rejects.toBeInstanceOf(CloudApiError);
    await expect(failure).rejects.toThrow(/marker/);
    expect(complete.length).toBeGreaterThan(80);
  });

  it('an image published mid-listing gives a consistent answer without duplicates', async () => {
    const before = (await run()).result.ids;
    const newest = { ...images().find((entry) => entry.region === 'cn-north-4' && entry.image.__imagetype === 'gold' && entry.image.status === 'active')! };
    newest.image = { ...newest.image, id: '00000000-0000-4000-8000-00000000beef', name: 'published-mid-listing', created_at: '2030-01-01T00:00:00Z' };
    let published = false;
    emulator.inject({
      kind: 'delay',
      delayMs: 0,
      cloud: 'huaweicloud',
      when: (request) => (request.query.get('marker') && !published ? (images().push(newest), (published = true)) : false),
    });
    const during = (await run()).result.ids;
    expect(new Set(during).size).toBe(during.length);
    // Sorted newest first with a marker, the new image lands before the marker: this listing is the catalog as it
    // was when it started, exactly.
    expect(during).toEqual(before);
    expect((await run()).result.ids[0]).toBe('00000000-0000-4000-8000-00000000beef');
  });
});
