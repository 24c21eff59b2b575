/**
 * Huawei Cloud and Open Telekom Cloud: one IMS API (`GET /v2/cloudimages`), two sets of defaults.
 * Open Telekom Cloud runs Huawei's stack under its own hosts and reads the OpenStack-style `OS_*` variables.
 */
import type { CloudBackend } from '../../core/backend';
import { createImsBackend, ImsProfile } from './client';

export const HUAWEI_CLOUD_PROFILE: ImsProfile = {
  cloud: 'huaweicloud',
  defaultEndpoint: 'https://ims.{region}.myhuaweicloud.com',
  variables: {
    accessKey: ['HW_ACCESS_KEY', 'OS_ACCESS_KEY'],
    secretKey: ['HW_SECRET_KEY', 'OS_SECRET_KEY'],
    securityToken: ['HW_SECURITY_TOKEN', 'OS_SECURITY_TOKEN'],
    authToken: ['HW_AUTH_TOKEN', 'OS_AUTH_TOKEN'],
    projectId: ['HW_PROJECT_ID', 'OS_PROJECT_ID'],
    region: ['HW_REGION_NAME', 'OS_REGION_NAME'],
  },
  architectureFilter: true,
};

export const OPEN_TELEKOM_CLOUD_PROFILE: ImsProfile = {
  cloud: 'opentelekomcloud',
  defaultEndpoint: 'https://ims.{region}.otc.t-systems.com',
  variables: {
    accessKey: ['OS_ACCESS_KEY'],
    secretKey: ['OS_SECRET_KEY'],
    securityToken: ['OS_SECURITY_TOKEN'],
    authToken: ['OS_AUTH_TOKEN'],
    projectId: ['OS_PROJECT_ID'],
    region: ['OS_REGION_NAME'],
  },
  architectureFilter: false,
};

export const huaweiCloudBackend: CloudBackend = createImsBackend(HUAWEI_CLOUD_PROFILE);
export const openTelekomCloudBackend: CloudBackend = createImsBackend(OPEN_TELEKOM_CLOUD_PROFILE);
export { createImsBackend };
