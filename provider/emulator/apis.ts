/**
 * The API the emulator serves for each cloud module (Huawei Cloud and Open Telekom Cloud share one). Typed by the
 * registry's cloud names, so a cloud added to the registry without an emulator API does not compile.
 */
import type { CloudName } from '../clouds/registry';
import type { EmulatorApi } from './types';
import { alicloudApi } from './alicloud/api';
import { huaweiApi } from './huawei/api';
import { ucloudApi } from './ucloud/api';
import { nscaleApi } from './nscale/api';

export const EMULATOR_APIS: Readonly<Record<CloudName, EmulatorApi>> = {
  alicloud: alicloudApi,
  huaweicloud: huaweiApi,
  opentelekomcloud: huaweiApi,
  ucloud: ucloudApi,
  nscale: nscaleApi,
};

/** The clouds the emulator serves, in registry order. */
export const EMULATED_CLOUDS = Object.keys(EMULATOR_APIS) as CloudName[];
