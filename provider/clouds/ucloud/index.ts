// Placeholder until the cloud's issue lands.
import type { CloudBackend } from '../../core/backend';
import { ConfigurationError } from '../../core/errors';

export const ucloudBackend: CloudBackend = {
  cloud: 'ucloud',
  reportsCreationTime: true,
  defaultVisibility: null,
  trustedVisibilities: [],
  plan: () => {
    throw new ConfigurationError('ucloud is not implemented yet');
  },
};
