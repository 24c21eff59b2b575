// Placeholder until the cloud's issue lands: answers 501 so nothing pretends to work.
import type { EmulatorApi } from '../types';

export const huaweiApi: EmulatorApi = {
  clouds: ['huaweicloud', 'opentelekomcloud'],
  handle: () => ({ status: 501, body: { error: 'not implemented yet' } }),
  throttled: () => ({ status: 429, body: { error: 'throttled' } }),
  serverError: () => ({ status: 500, body: { error: 'internal' } }),
  clientConfig: (cloud, baseUrl) => ({ [cloud]: { endpoint: baseUrl } }),
  clientEnv: () => ({}),
  builtInCatalog: () => ({ credentials: {}, images: [] }),
};
