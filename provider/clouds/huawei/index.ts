// Placeholder until the cloud's issue lands.
import type { CloudBackend } from '../../core/backend';
import { ConfigurationError } from '../../core/errors';

const placeholder = (cloud: 'huaweicloud' | 'opentelekomcloud'): CloudBackend => ({
  cloud,
  reportsCreationTime: true,
  defaultVisibility: null,
  trustedVisibilities: [],
  plan: () => {
    throw new ConfigurationError(`${cloud} is not implemented yet`);
  },
});
export const huaweiCloudBackend = placeholder('huaweicloud');
export const openTelekomCloudBackend = placeholder('opentelekomcloud');
