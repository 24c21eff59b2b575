import { AlicloudCatalog, AlicloudCatalogRecord, buildAlicloudCatalog } from '../../provider/emulator/alicloud/catalog';

/** A catalog with `count` custom images in cn-hangzhou (besides the built-in ones elsewhere). */
export function syntheticCatalog(count: number): AlicloudCatalog {
  const base = buildAlicloudCatalog();
  const images: AlicloudCatalogRecord[] = Array.from({ length: count }, (_, i) => ({
    region: 'cn-hangzhou',
    ImageId: `m-synth${String(i).padStart(5, '0')}`,
    ImageName: `synthetic-${String(i).padStart(5, '0')}`,
    ImageOwnerAlias: 'self',
    Status: 'Available',
    Architecture: i % 3 === 0 ? 'arm64' : 'x86_64',
    OSType: 'linux',
    Platform: 'Ubuntu',
    OSNameEn: 'Ubuntu  22.04 64 bit',
    Size: 40,
    CreationTime: new Date(Date.UTC(2024, 0, 1) + (i % 500) * 3600_000).toISOString().replace('.000', ''),
    Tags: { Tag: [] },
    Usage: 'none',
    Progress: '100%',
  }));
  return { ...base, images: [...base.images.filter((i) => i.region !== 'cn-hangzhou'), ...images] };
}
