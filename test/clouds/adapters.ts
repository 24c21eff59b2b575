/**
 * The one list of test adapters (test/clouds/adapter.ts): typed by the registry's cloud names, so a cloud added to
 * the registry without an adapter is a compile error in the tests.
 */
import type { CloudName } from '../../provider/clouds/registry';
import type { CloudTestAdapter } from './adapter';
import { alicloudAdapter } from './alicloud/adapter';
import { huaweiCloudAdapter, openTelekomCloudAdapter } from './huawei/adapter';
import { nscaleAdapter } from './nscale/adapter';
import { ucloudAdapter } from './ucloud/adapter';

export const TEST_ADAPTERS: Readonly<Record<CloudName, CloudTestAdapter>> = {
  alicloud: alicloudAdapter,
  huaweicloud: huaweiCloudAdapter,
  opentelekomcloud: openTelekomCloudAdapter,
  ucloud: ucloudAdapter,
  nscale: nscaleAdapter,
};

export function adapterOf(cloud: CloudName): CloudTestAdapter {
  return TEST_ADAPTERS[cloud];
}

/** Every adapter, in registry-table order. */
export const ADAPTERS: readonly CloudTestAdapter[] = Object.values(TEST_ADAPTERS);
