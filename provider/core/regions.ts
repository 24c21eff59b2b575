/**
 * One image across regions. A new public image reaches regions days apart, so the newest per region can differ;
 * what a fleet wants is the newest image that every listed region has. Images are matched by name: copies and
 * public images keep their name across regions, while IDs differ per region.
 */
import type { Image } from './image';
import { describeQuery, Query } from './query';
import { NoImageError } from './errors';
import { formatFunnel, SelectionExplanation } from './select';

/** One region's matches, in the getImages order. */
export interface RegionMatches {
  region: string;
  images: readonly Image[];
  /** The region's funnel, asked for only when it has no match (one more listing at most, shared). */
  explain: () => Promise<SelectionExplanation>;
}

/** The newest image of each name (the first in the getImages order): what a name stands for in a region. An image
 * without a name cannot be shown to be the same image elsewhere, so it is in no other region. */
function newestByName(images: readonly Image[]): Map<string, Image> {
  const byName = new Map<string, Image>();
  for (const image of images) if (image.name !== null && !byName.has(image.name)) byName.set(image.name, image);
  return byName;
}

/**
 * The images every region has, in the first region's order (the usual one), one per name, each a copy of the
 * first region's image with `regionIds`: its ID in every region, in the listed order.
 */
export function commonImages(regions: readonly RegionMatches[]): Image[] {
  const [first, ...others] = regions;
  const othersByName = others.map((r) => newestByName(r.images));
  const out: Image[] = [];
  for (const image of newestByName(first.images).values()) {
    const matches = othersByName.map((byName) => byName.get(image.name!));
    if (matches.some((m) => m === undefined)) continue;
    const regionIds: Record<string, string> = { [first.region]: image.id };
    others.forEach((r, i) => (regionIds[r.region] = matches[i]!.id));
    out.push({ ...image, regionIds });
  }
  return out;
}

const clip = (s: string, max = 60) => (s.length > max ? `${s.slice(0, max)}…` : s);

/**
 * No image is common: per region, its newest match and the regions that lack it yet ("cn-beijing: ubuntu…20250201,
 * not yet in cn-hangzhou"), or its funnel when it has no match at all, in the funnel's style.
 */
export async function noCommonImageError(query: Query, regions: readonly RegionMatches[]): Promise<NoImageError> {
  const names = regions.map((r) => newestByName(r.images));
  const parts = await Promise.all(
    regions.map(async (r, k) => {
      const newest = names[k].values().next().value;
      if (!newest) {
        const funnel = r.images.length === 0 ? await r.explain().then(formatFunnel, () => undefined) : 'only images without a name';
        return `${r.region}: no match${funnel ? ` (${funnel})` : ''}`;
      }
      const lacking = regions.filter((_, j) => !names[j].has(newest.name!)).map((other) => other.region);
      return `${r.region}: newest match ${clip(newest.name!)}${newest.createdAt ? ` (created ${newest.createdAt})` : ''}${lacking.length ? `, not yet in ${lacking.join(', ')}` : ''}`;
    }),
  );
  const empty = regions.filter((_, k) => names[k].size === 0).map((r) => r.region);
  const advice = empty.length
    ? `loosen the selectors that leave ${empty.join(', ')} without a match`
    : 'no name is in every region yet: wait for the newest to reach every region, or pin an older one with nameRegex';
  return new NoImageError(`no image matches the query (${describeQuery(query)}) in every region; ${parts.join('; ')}; ${advice}`);
}
