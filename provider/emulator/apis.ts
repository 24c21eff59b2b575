/** Every cloud API the emulator serves: one module per cloud (Huawei Cloud and Open Telekom Cloud share one). */
import type { EmulatorApi } from './types';
import { alicloudApi } from './alicloud/api';
import { huaweiApi } from './huawei/api';
import { ucloudApi } from './ucloud/api';
import { nscaleApi } from './nscale/api';

export const EMULATOR_APIS: readonly EmulatorApi[] = [alicloudApi, huaweiApi, ucloudApi, nscaleApi];
