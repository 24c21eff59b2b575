// Placeholder until the cloud's issue lands.
import type { CloudBackend } from '../../core/backend';
import { ConfigurationError } from '../../core/errors';

export const nscaleBackend: CloudBackend = {
  cloud: 'nscale',
  reportsCreationTime: true,
  defaultVisibility: null,
  trustedVisibilities: [],
  plan: () => {
    throw new ConfigurationError('nscale is not implemented yet');
  },
};
