/** Request sharing, proven where it matters: by counting the requests that reach the emulator. */
import { Emulator } from '../provider/emulator/server';
import { lookupImage, lookupImages } from '../provider/lookup';
import { HttpClient } from '../provider/core/http/client';
import { RequestSharing } from '../provider/core/share';
import { BUILT_IN_REGION } from './helpers/regions';
import { CLOUD_NAMES as CLOUDS } from '../provider/clouds/registry';
import { STATUSES } from '../provider/core/image';

const REGION = BUILT_IN_REGION;

describe.each(CLOUDS)('request sharing on %s', (cloud) => {
  let emulator: Emulator;
  beforeAll(async () => (emulator = await new Emulator().start()));
  afterAll(() => emulator.stop());

  it('concurrent and repeated lookups that need the same catalog make the requests of one lookup, and those that found nothing one listing in every status', async () => {
    const options = { config: emulator.clientConfig(), env: {}, http: new HttpClient() };
    const region = REGION[cloud](emulator);

    emulator.resetCounts();
    await lookupImages({ cloud, region }, { ...options, sharing: new RequestSharing() });
    const oneLookup = emulator.count(cloud);
    expect(oneLookup).toBeGreaterThan(0);
    emulator.resetCounts();
    await lookupImages({ cloud, region, status: [...STATUSES] }, { ...options, sharing: new RequestSharing() });
    const everyStatus = emulator.count(cloud);

    emulator.resetCounts();
    const sharing = new RequestSharing();
    // Different selectors, some pushed down (tags), started together: one fetch of the wide catalog.
    await Promise.all([
      lookupImages({ cloud, region }, { ...options, sharing }),
      lookupImages({ cloud, region, nameRegex: '.' }, { ...options, sharing }),
      lookupImages({ cloud, region, tags: { none: 'such' } }, { ...options, sharing }),
      lookupImage({ cloud, region, nameRegex: '^$' }, { ...options, sharing }).catch(() => undefined),
    ]);
    await lookupImages({ cloud, region, nameRegex: 'x' }, { ...options, sharing });
    await lookupImages({ cloud, region, architecture: 'x86_64', osType: 'linux' }, { ...options, sharing });
    await lookupImage({ cloud, region, mostRecent: true, tags: { a: 'b' } }, { ...options, sharing }).catch(() => undefined);
    // The getImages that found nothing share one listing in every status for their funnel (the wide catalog itself
    // where the cloud has no statuses to ask for).
    expect(sharing.fetches).toBeLessThanOrEqual(2);
    expect(emulator.count(cloud)).toBe(oneLookup + (sharing.fetches - 1) * everyStatus);
  });
});
