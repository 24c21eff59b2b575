/**
 * The built-in clouds: one line per cloud folder. Everything that lists clouds is derived from this list through
 * the registry the composition root (./index.ts) builds from it, so adding a cloud means one new folder and one
 * line here.
 */
import { alicloudModule } from './alicloud';
import { huaweiCloudModule, openTelekomCloudModule } from './huawei';
import { ucloudModule } from './ucloud';
import { nscaleModule } from './nscale';

export const CLOUD_MODULES = [alicloudModule, huaweiCloudModule, openTelekomCloudModule, ucloudModule, nscaleModule] as const;

/** The built-in clouds' names: tables that must cover every cloud are typed `Record<CloudName, …>`. */
export type CloudName = (typeof CLOUD_MODULES)[number]['name'];

export const CLOUD_NAMES: readonly CloudName[] = CLOUD_MODULES.map((m) => m.name);
