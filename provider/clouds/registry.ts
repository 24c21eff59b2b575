/**
 * The one place backends register. Each loads on first use, so a program that queries one cloud never loads
 * the others' code (and the provider plugin starts fast).
 */
import type { CloudName } from '../core/image';
import type { CloudBackend } from '../core/backend';

/* eslint-disable @typescript-eslint/no-require-imports */
const LOADERS: Record<CloudName, () => CloudBackend> = {
  alicloud: () => (require('./alicloud') as typeof import('./alicloud')).alicloudBackend,
  huaweicloud: () => (require('./huawei') as typeof import('./huawei')).huaweiCloudBackend,
  opentelekomcloud: () => (require('./huawei') as typeof import('./huawei')).openTelekomCloudBackend,
  ucloud: () => (require('./ucloud') as typeof import('./ucloud')).ucloudBackend,
  nscale: () => (require('./nscale') as typeof import('./nscale')).nscaleBackend,
};

const overrides = new Map<CloudName, CloudBackend>();

export function loadBackend(cloud: CloudName): CloudBackend {
  return overrides.get(cloud) ?? LOADERS[cloud]();
}

/** For tests of the core pipeline: put a fake backend in a cloud's place. */
export function overrideBackend(cloud: CloudName, backend: CloudBackend | undefined): void {
  if (backend) overrides.set(cloud, backend);
  else overrides.delete(cloud);
}
