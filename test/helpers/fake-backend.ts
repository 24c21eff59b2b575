import type { CloudBackend } from '../../provider/core/backend';
import type { CloudName, Image } from '../../provider/core/image';
import { stableKey } from '../../provider/core/backend';

/** A backend with a fixed catalog that records what it was asked: for tests of the cloud-independent pipeline. */
export function fakeBackend(cloud: CloudName, catalog: Image[], overrides: Partial<CloudBackend> = {}) {
  const calls = { plans: [] as unknown[], runs: 0 };
  const backend: CloudBackend = {
    cloud,
    reportsCreationTime: true,
    defaultVisibility: ['private', 'public'],
    trustedVisibilities: ['private', 'public'],
    plan(query) {
      calls.plans.push(query);
      return {
        key: stableKey({ cloud, region: query.region, visibility: query.visibility }),
        region: query.region ?? 'r1',
        run: async () => {
          calls.runs++;
          await new Promise((r) => setTimeout(r, 5));
          return catalog;
        },
      };
    },
    ...overrides,
  };
  return { backend, calls };
}
