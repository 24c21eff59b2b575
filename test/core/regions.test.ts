/** commonImages (core/regions.ts), as properties over random per-region catalogs. */
import fc from 'fast-check';
import { commonImages, noCommonImageError, RegionMatches } from '../../provider/core/regions';
import { compareImages } from '../../provider/core/select';
import { image } from '../helpers/images';
import type { Image } from '../../provider/core/image';

const REGIONS = ['r1', 'r2', 'r3'];

/** Per region: images named from a small pool (so names repeat within and across regions), in the getImages order. */
const catalogs = fc
  .integer({ min: 1, max: 3 })
  .chain((count) =>
    fc.tuple(
      ...REGIONS.slice(0, count).map((region) =>
        fc
          .array(fc.record({ name: fc.constantFrom('a', 'b', 'c', 'd'), day: fc.integer({ min: 1, max: 9 }) }), { maxLength: 8 })
          .map((specs) =>
            specs.map((s, i): Image => image({ id: `${region}-${i}`, name: s.name, region, createdAt: `2025-01-0${s.day}T00:00:00Z` })).sort(compareImages),
          ),
      ),
    ),
  );

const matches = (lists: Image[][]): RegionMatches[] =>
  lists.map((images, i) => ({ region: REGIONS[i], images, explain: () => Promise.resolve({ funnel: [], nearMisses: [], shown: {}, statuses: {} }) }));

describe('commonImages', () => {
  it("keeps exactly the names every region has, once each, in the first region's order, with each region's newest of that name", () => {
    fc.assert(
      fc.property(catalogs, (lists) => {
        const common = commonImages(matches(lists));
        const everywhere = [...new Set(lists[0].map((i) => i.name))].filter((name) => lists.every((l) => l.some((i) => i.name === name)));
        expect(common.map((i) => i.name)).toEqual(everywhere); // the first region's order, first occurrence of each name
        for (const chosen of common) {
          expect(Object.keys(chosen.regionIds!)).toEqual(REGIONS.slice(0, lists.length));
          lists.forEach((list, k) => expect(chosen.regionIds![REGIONS[k]]).toBe(list.find((i) => i.name === chosen.name)!.id));
          expect(chosen.id).toBe(chosen.regionIds!.r1);
        }
      }),
    );
  });

  it('never changes the shared catalog images it answers from', () => {
    fc.assert(
      fc.property(catalogs, (lists) => {
        const before = JSON.stringify(lists);
        commonImages(matches(lists));
        expect(JSON.stringify(lists)).toBe(before);
      }),
    );
  });
});

describe('commonImages and images without a name', () => {
  it('an image without a name cannot be shown to be the same elsewhere: never common', async () => {
    const unnamed = (id: string, region: string) => image({ id, name: null, region });
    const lists = [
      [unnamed('a1', 'r1'), image({ id: 'a2', name: 'x', region: 'r1' })],
      [unnamed('b1', 'r2'), image({ id: 'b2', name: 'x', region: 'r2' })],
    ];
    expect(lists[0][0].name).toBeNull();
    expect(commonImages(matches(lists)).map((i) => i.regionIds)).toEqual([{ r1: 'a2', r2: 'b2' }]);
    const error = await noCommonImageError({ cloud: 'nscale' } as never, matches([[unnamed('a1', 'r1')], [unnamed('b1', 'r2')]]));
    expect(error.message).toContain('r1: no match (only images without a name)');
  });
});
