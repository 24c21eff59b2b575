/**
 * An independent answer key for tests: which built-in catalog records a query should return, computed from
 * the raw nscale records with plain code (no core selection, no semver library), newest first.
 */
import type { NscaleImage } from '../../../provider/clouds/nscale/types';
import type { NscaleCatalog } from '../../../provider/emulator/nscale/catalog';

export function visible(catalog: NscaleCatalog, regionId: string, organizationId: string): NscaleImage[] {
  return catalog.images.filter((e) => e.regionId === regionId && (e.organizationId === null || e.organizationId === organizationId)).map((e) => e.image);
}

export function owned(catalog: NscaleCatalog, regionId: string, organizationId: string): NscaleImage[] {
  return catalog.images.filter((e) => e.regionId === regionId && e.organizationId === organizationId).map((e) => e.image);
}

export function newestFirst(images: NscaleImage[]): NscaleImage[] {
  const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return [...images].sort(
    (a, b) => cmp(b.metadata.creationTime, a.metadata.creationTime) || cmp(a.metadata.name, b.metadata.name) || cmp(a.metadata.id, b.metadata.id),
  );
}

/** `v1.29.4` → [1, 29, 4]; `525.85.05` → [525, 85, 5]. */
export function parts(version: string): number[] {
  return version.replace(/^v/, '').split('.').map(Number);
}

export function atLeast(version: number[], floor: number[]): boolean {
  for (let i = 0; i < floor.length; i++) {
    if ((version[i] ?? 0) !== floor[i]) return (version[i] ?? 0) > floor[i];
  }
  return true;
}

export const ready = (i: NscaleImage) => i.status.state === 'ready';
export const hasModel = (model: string) => (i: NscaleImage) => (i.spec.gpu?.models ?? []).includes(model);
export const vendorIs = (vendor: string) => (i: NscaleImage) => i.spec.gpu?.vendor === vendor;
export const driverAtLeast = (major: number) => (i: NscaleImage) => i.spec.gpu !== undefined && parts(i.spec.gpu.driver)[0] >= major;
/** kubernetes in [1.29.0, 1.31.0) */
export const kubernetes129to131 = (i: NscaleImage) => {
  const v = i.spec.softwareVersions?.kubernetes;
  return v !== undefined && atLeast(parts(v), [1, 29, 0]) && !atLeast(parts(v), [1, 31, 0]);
};
export const arch = (a: 'x86_64' | 'aarch64') => (i: NscaleImage) => i.spec.architecture === a;
export const ids = (images: NscaleImage[]) => images.map((i) => i.metadata.id);
