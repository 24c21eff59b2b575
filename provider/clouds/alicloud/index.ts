// Placeholder until the cloud's issue lands.
import type { CloudBackend } from '../../core/backend';
import { ConfigurationError } from '../../core/errors';

export const alicloudBackend: CloudBackend = {
  cloud: 'alicloud',
  reportsCreationTime: true,
  defaultVisibility: null,
  trustedVisibilities: [],
  plan: () => {
    throw new ConfigurationError('alicloud is not implemented yet');
  },
};
