/**
 * On every cloud, over the emulator: getImages' first image is getImage with mostRecent's choice, for any
 * selectors (property-based); and a getImage that finds nothing explains itself from the whole catalog, even
 * where the selectors were pushed down into the request.
 */
import fc from 'fast-check';
import { lookupImage, lookupImages } from '../../provider/lookup';
import { RequestSharing } from '../../provider/core/share';
import { NoImageError } from '../../provider/core/errors';
import { CLOUD_NAMES } from '../../provider/clouds/registry';
import { useEmulator } from '../helpers/emulator';
import { BUILT_IN_REGION } from '../helpers/regions';

const emulator = useEmulator();

const selectors = fc
  .record(
    {
      architecture: fc.constantFrom('x86_64', 'arm64'),
      osType: fc.constantFrom('linux', 'windows'),
      osDistro: fc.constantFrom('ubuntu', 'centos', 'rocky', 'debian', 'almalinux'),
      nameRegex: fc.constantFrom('2', '\\.1', '^[a-m]', 'gpu', 'x86'),
      gpu: fc.boolean(),
      // With "now" 20 days after a catalog's newest image: 21 skips the newest ones, and the wider ones cut deeper.
      minAgeDays: fc.constantFrom(0, 21, 60, 200, 400),
      maxAgeDays: fc.constantFrom(21, 60, 200, 1000),
    },
    { requiredKeys: [] },
  )
  .filter((picked) => Object.keys(picked).length <= 2); // more than two rarely match anything

describe.each(CLOUD_NAMES)('%s', (cloud) => {
  const where = () => ({ cloud, region: BUILT_IN_REGION[cloud](emulator) });
  // Unreported selectors are refused per cloud (e.g. gpu on some): such queries are not this test's subject.
  const settle = <T>(p: Promise<T>) =>
    p.then(
      (value) => ({ value }),
      (error: unknown) => ({ error }),
    );

  it("getImages' first image is getImage with mostRecent's choice, for any selectors (property)", async () => {
    const options = { config: emulator.clientConfig(), env: {}, sharing: new RequestSharing(), now: () => new Date() };
    // "now" 20 days after the catalog's newest image, so that the age selectors cut through it.
    const newest = (await lookupImages(where(), options)).result.images[0].createdAt;
    if (newest) options.now = () => new Date(Date.parse(newest) + 20 * 86_400_000);
    let compared = 0;
    await fc.assert(
      fc.asyncProperty(selectors, async (picked) => {
        const args = { ...where(), ...picked };
        const listed = await settle(lookupImages(args, options));
        // Its own sharing: getImage asks its own narrow request (push-down and any fast path), not the cached listing.
        const chosen = await settle(lookupImage({ ...args, mostRecent: true }, { ...options, sharing: new RequestSharing() }));
        if ('error' in listed) {
          expect('error' in chosen && (chosen.error as Error).message).toBe((listed.error as Error).message);
          return;
        }
        if (listed.value.result.ids.length === 0) {
          expect('error' in chosen && chosen.error).toBeInstanceOf(NoImageError);
          return;
        }
        compared++;
        expect('value' in chosen && chosen.value.result.id).toBe(listed.value.result.ids[0]);
      }),
      { numRuns: 60 },
    );
    expect(compared).toBeGreaterThan(3);
  });

  it('a getImage that finds nothing counts from the whole catalog and names the closest images', async () => {
    const options = { config: emulator.clientConfig(), env: {}, sharing: new RequestSharing() };
    const everything = (await lookupImages(where(), options)).result.ids.length;
    const error = await lookupImage({ ...where(), architecture: 'arm64', nameRegex: '^no-such-image' }, { ...options, sharing: new RequestSharing() }).then(
      () => undefined,
      (e: unknown) => e as NoImageError,
    );
    expect(error).toBeInstanceOf(NoImageError);
    // The catalog (status and visibility may have been asked of the server), then what no selector of the user's cuts.
    const architecture = error!.funnel.findIndex((s) => s.selector === 'architecture');
    expect(error!.funnel.slice(0, architecture).map((s) => s.selector)).toEqual(['catalog', 'status', 'visibility'].slice(0, architecture));
    expect(error!.funnel[architecture - 1].remaining).toBe(everything);
    expect(error!.funnel[0].remaining).toBeGreaterThanOrEqual(everything);
    expect(error!.funnel.at(-1)).toEqual({ selector: 'nameRegex', remaining: 0 });
    expect(error!.nearMisses.length).toBe(Math.min(3, everything));
    expect(error!.nearMisses[0].failed).toContain('nameRegex');
    // Every status is counted; where the status selector cut some, the catalog says how many of each.
    expect(error!.message).toMatch(new RegExp(`; ${error!.funnel[0].remaining.toLocaleString('en-US')} in the catalog( \\((\\d[\\d,]* [a-z]+(, )?)+\\))? → `));
    expect(error!.message).toContain(`closest: ${error!.nearMisses[0].name!.slice(0, 40)}`);
  });
});
