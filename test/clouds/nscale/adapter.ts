/** nscale in the shared tests (test/clouds/adapter.ts). */
import fc from 'fast-check';
import { normalizeImage } from '../../../provider/clouds/nscale/normalize';
import { hostileRecord } from '../../helpers/hostile';
import { realFiles, realJson } from '../../helpers/real-answers';
import type { CloudTestAdapter } from '../adapter';

type Json = Record<string, unknown>;
const REGION_ID = '3f8a1c52-6b1d-4e0f-9a7c-2d5e8b4c1a90';

export const nscaleAdapter: CloudTestAdapter = {
  cloud: 'nscale',
  builtInRegion: (emulator) => (emulator.catalog.nscale!.regions as string[])[0],
  successAnswer: (_url, records) => ({
    status: 200,
    body: records.map((r) => ({
      metadata: { id: r.id, name: r.name, description: r.description, creationTime: r.created ?? '2024-01-01T00:00:00Z' },
      spec: { os: { kernel: 'linux', family: 'ubuntu', distro: 'ubuntu', version: '22.04' }, architecture: 'x86_64' },
      status: { state: 'ready' },
    })),
  }),
  errorAnswer: (message) => ({ status: 400, body: { error: 'invalid_request', error_description: message } }),
  createdAt: (value) => normalizeImage({ metadata: { id: 'img-1', name: 'n', creationTime: value } }, { regionId: REGION_ID, visibility: 'public' }),
  hostile: {
    records: fc.record({
      metadata: hostileRecord(['id', 'name', 'description', 'creationTime', 'tags']),
      spec: hostileRecord(['os', 'architecture', 'gpu', 'softwareVersions', 'sizeGiB']),
      status: hostileRecord(['state']),
    }),
    normalize: (r) => [normalizeImage(r, { regionId: REGION_ID, visibility: 'public' })],
    poisoned: (poison) => [
      () => [
        normalizeImage(
          { metadata: { id: 'img-1', name: 'n', tags: [{ name: 'k', value: poison }] }, spec: { architecture: poison } },
          {
            regionId: REGION_ID,
            visibility: 'public',
          },
        ),
      ],
    ],
  },
  // The four published bodies are one example in four versions (and the built-in catalog holds it too): each
  // version is kept, under an ID of its own.
  pushDownCorpus: (region) =>
    realFiles('nscale').flatMap((file, f) =>
      realJson<Json[]>('nscale', file).map((image) => ({
        regionId: region,
        organizationId: null,
        image: { ...image, metadata: { ...(image.metadata as Json), id: `real-${f}-${String((image.metadata as Json).id)}` } },
      })),
    ),
};
