/**
 * Bench-only catalogs of any size: each cloud's built-in emulator records, cloned with new IDs, names and
 * creation times until the benchmarked listing holds exactly `size` images. The record shapes stay the
 * cloud's own (so signing, paging, normalizing and selecting do real work); only the count changes.
 *
 * Every clone lands in the one listing the benchmark queries (BENCH_QUERIES): Alibaba `system` images in
 * cn-hangzhou with Status Available, Huawei `gold` images in cn-north-4 with status active, nscale images
 * owned by the organization in one region and ready, UCloud images in cn-bj2. Creation times are distinct
 * (one a minute, newest first), so no listing takes the tie-breaking paths.
 */
import type { Catalog } from '../provider/emulator/types';
import type { CloudName } from '../provider/clouds/registry';
import { buildAlicloudCatalog } from '../provider/emulator/alicloud/catalog';
import { imsCatalog } from '../provider/emulator/huawei/catalog';
import { nscaleCatalog, ORGANIZATION_ID, REGION_IDS } from '../provider/emulator/nscale/catalog';
import { buildUcloudCatalog } from '../provider/emulator/ucloud/catalog';

export const BENCH_CLOUDS = ['alicloud', 'huaweicloud', 'nscale', 'ucloud'] as const;
export type BenchCloud = (typeof BENCH_CLOUDS)[number];

export const ALICLOUD_REGION = 'cn-hangzhou';
export const HUAWEI_REGION = 'cn-north-4';
export const NSCALE_REGION = REGION_IDS[0];
export const UCLOUD_REGION = 'cn-bj2';
const UCLOUD_ZONE_ID = 4001; // cn-bj2-02

/** The listing each benchmark asks for: exactly the cloned images. */
export const BENCH_QUERIES: Record<BenchCloud, Record<string, unknown>> = {
  alicloud: { cloud: 'alicloud', region: ALICLOUD_REGION, visibility: ['public'] },
  huaweicloud: { cloud: 'huaweicloud', region: HUAWEI_REGION, visibility: ['public'] },
  nscale: { cloud: 'nscale', region: NSCALE_REGION, visibility: ['private'] },
  ucloud: { cloud: 'ucloud', region: UCLOUD_REGION },
};

const EPOCH = Date.UTC(2025, 0, 1, 0, 0, 0);
const MINUTE = 60_000;
const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
/** A UUID-shaped ID that encodes the clone's number (unique, deterministic). */
const cloneUuid = (i: number, tag: string) => `${tag.padEnd(8, '0').slice(0, 8)}-0000-4000-a000-${i.toString(16).padStart(12, '0')}`;

function clones<T>(base: readonly T[], size: number, make: (source: T, i: number) => T): T[] {
  if (base.length === 0) throw new Error('no records to clone');
  return Array.from({ length: size }, (_, i) => make(base[i % base.length], i));
}

export function alicloudCatalog(size: number) {
  const built = buildAlicloudCatalog();
  const images = clones(built.images, size, (src, i) => {
    const name = `${src.ImageName.replace(/\.vhd$/, '')}-b${i}`;
    return {
      ...structuredClone(src),
      region: ALICLOUD_REGION,
      ImageOwnerAlias: 'system',
      Status: 'Available',
      ProductCode: '',
      ImageId: `m-bench${i.toString(16).padStart(8, '0')}`,
      ImageName: name,
      CreationTime: iso(EPOCH - i * MINUTE),
    };
  });
  return { ...built, images };
}

export function huaweiCatalog(size: number) {
  const built = imsCatalog('huaweicloud');
  const images = clones(built.images, size, (src, i) => {
    const image = structuredClone(src.image);
    const created = iso(EPOCH - i * MINUTE);
    Object.assign(image, {
      id: cloneUuid(i, 'b0ec4'),
      name: `${image.name}-b${i}`,
      status: 'active',
      created_at: created,
      updated_at: created,
      __imagetype: 'gold',
      visibility: 'public',
      protected: true,
    });
    return { region: HUAWEI_REGION, image };
  });
  return { ...built, images };
}

export function nscaleBenchCatalog(size: number) {
  const built = nscaleCatalog();
  const images = clones(built.images, size, (src, i) => {
    const image = structuredClone(src.image);
    image.metadata = { ...image.metadata, id: cloneUuid(i, 'b05ca1e'), name: `${image.metadata.name}-b${i}`, creationTime: iso(EPOCH - i * MINUTE) };
    image.status = { ...image.status, state: 'ready' };
    return { regionId: NSCALE_REGION, organizationId: ORGANIZATION_ID, image };
  });
  return { ...built, images };
}

export function ucloudCatalog(size: number) {
  const built = buildUcloudCatalog();
  const images = clones(built.images, size, (src, i) => ({
    Region: UCLOUD_REGION,
    Set: src.Set,
    Info: {
      ...structuredClone(src.Info),
      ZoneId: UCLOUD_ZONE_ID,
      ImageId: `${src.Set === 'PHostImageSet' ? 'pimg' : 'uimage'}-b${i.toString(16).padStart(8, '0')}`,
      ImageName: `${src.Info.ImageName}-${i}`,
    },
  }));
  return { ...built, images };
}

/** One emulator catalog holding `size` images in each benchmarked cloud's listing. */
export function benchCatalog(size: number, clouds: readonly BenchCloud[] = BENCH_CLOUDS): Catalog {
  const makers: Record<BenchCloud, (n: number) => unknown> = {
    alicloud: alicloudCatalog,
    huaweicloud: huaweiCatalog,
    nscale: nscaleBenchCatalog,
    ucloud: ucloudCatalog,
  };
  const catalog: Catalog = {};
  for (const cloud of clouds) catalog[cloud as CloudName] = makers[cloud](size) as Catalog[CloudName];
  return catalog;
}
