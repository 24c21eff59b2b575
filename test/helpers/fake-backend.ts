import type { CloudBackend, CloudModule } from '../../provider/core/module';
import type { Image } from '../../provider/core/image';
import { stableJson } from '../../provider/core/keys';

/**
 * A module with a fixed catalog that records what it was asked, put in a real cloud's place with
 * `testRegistry({ [cloud]: fake.module })` (helpers/registry.ts), passed as a lookup's `registry`: for tests of the
 * cloud-independent pipeline. It needs no settings (its region defaults to `r1`).
 */
export function fakeBackend(cloud: string, catalog: Image[], overrides: Partial<CloudBackend> = {}) {
  const calls = { plans: [] as unknown[], runs: 0 };
  const backend: CloudBackend = {
    plan(query, settings) {
      calls.plans.push(query);
      return {
        key: stableJson({ cloud, region: settings.region.value, visibility: query.visibility }),
        run: async () => {
          calls.runs++;
          await new Promise((r) => setTimeout(r, 5));
          return catalog;
        },
      };
    },
    ...overrides,
  };
  const module: CloudModule = {
    name: cloud,
    title: `fake ${cloud}`,
    configType: { name: 'FakeConfig', title: `fake ${cloud}` },
    fields: [{ name: 'region', label: 'region', description: 'Region.', default: 'r1' }],
    regionField: 'region',
    defaultEndpoint: 'https://fake.invalid',
    credentialParameters: [],
    defaultVisibility: ['private', 'public'],
    trustedVisibilities: ['private', 'public'],
    reportsCreationTime: true,
    backend,
  };
  return { backend, module, calls };
}
