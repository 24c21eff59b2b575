/**
 * Real nscale / unikorn Region Service image lists (test/fixtures/real/nscale, sources in SOURCES.md) replayed through the
 * real client on loopback: `scope=available` answers the published list, `scope=owned` an empty one (the replaying
 * organization owns nothing). The API does not page. Expectations are read off each raw record by hand.
 */
import { localServer } from '../../helpers/server';
import { realFiles, realJson, replayOptions } from '../../helpers/real-answers';
import { lookupImages } from '../../../provider/lookup';
import { makeImage, type Image } from '../../../provider/core/image';

const REGION = 'b3c1f9e2-0d5a-4c47-9a57-6d1bd2c0a1f1';
const ORGANIZATION = 'replay-organization';

/** The one record all three publications share, as far as each reports it. */
const example = (fields: Partial<Image>): Image =>
  makeImage({
    id: 'a64f9269-36e0-4312-b8d1-52d93d569b7b',
    name: 'ubu2204-v1.25.6-gpu-525.85.05-7ced4154',
    cloud: 'nscale',
    region: REGION,
    createdAt: '2023-02-22T12:04:13Z',
    osType: 'linux',
    osDistro: 'ubuntu',
    osVersion: '24.04',
    osName: 'ubuntu 24.04 server (noble)',
    family: 'debian',
    machineType: 'vm',
    visibility: 'public',
    softwareVersions: { kubernetes: 'v1.25.6' },
    gpu: { supported: true, vendor: 'NVIDIA', driver: '525.85.05', models: ['A100', 'H100', 'H200'] },
    ...fields,
  });

const EXPECTED: Record<string, Image> = {
  'nscale-docs-list-images-v1.13.0.json': example({ architecture: 'x86_64', sizeGiB: 10, status: 'available' }),
  // nscale's own region service, January 2026: architecture, but no status yet.
  'nscaledev-uni-region-openapi-2026-01.json': example({ architecture: 'x86_64', sizeGiB: 10, status: 'unavailable' }),
  // The open-source service's examples carry no spec.architecture and no status: never guessed.
  'unikorn-region-openapi-2025-06.json': example({ architecture: 'unknown', sizeGiB: 10, status: 'unavailable' }),
  'unikorn-region-openapi-2024-12-05.json': example({ architecture: 'unknown', sizeGiB: null, status: 'unavailable' }),
};

async function replayService(file: string) {
  const body = JSON.stringify(realJson<unknown[]>('nscale', file));
  const seen: URL[] = [];
  const server = await localServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    seen.push(url);
    res.setHeader('content-type', 'application/json');
    res.end(url.searchParams.get('scope') === 'owned' ? '[]' : body);
  });
  return { server, seen };
}

const options = (endpoint: string) => replayOptions({ nscale: { endpoint, serviceToken: 'replay-token', organizationId: ORGANIZATION } });

describe('nscale: real image lists through the client', () => {
  it('has an expectation for every stored list', () => {
    expect(Object.keys(EXPECTED).sort()).toEqual(realFiles('nscale'));
  });

  describe.each(realFiles('nscale'))('%s', (file) => {
    it('reads the record field by field, one request per scope', async () => {
      const { server, seen } = await replayService(file);
      try {
        const { result } = await lookupImages({ cloud: 'nscale', region: REGION, status: ['available', 'unavailable'] }, options(server.url));
        expect(result.images).toEqual([EXPECTED[file]]);
        expect(seen.map((u) => u.pathname)).toEqual([`/api/v2/regions/${REGION}/images`, `/api/v2/regions/${REGION}/images`]);
        expect(seen.map((u) => u.searchParams.get('scope')).sort()).toEqual(['available', 'owned']);
        expect(seen.every((u) => u.searchParams.get('organizationID') === ORGANIZATION)).toBe(true);
      } finally {
        await server.close();
      }
    });

    it(`is ${EXPECTED[file].status === 'available' ? '' : 'not '}chosen by a default (available-only) query`, async () => {
      const { server } = await replayService(file);
      try {
        const { result } = await lookupImages({ cloud: 'nscale', region: REGION }, options(server.url));
        expect(result.ids).toEqual(EXPECTED[file].status === 'available' ? [EXPECTED[file].id] : []);
      } finally {
        await server.close();
      }
    });
  });
});
