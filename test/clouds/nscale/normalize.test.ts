import * as fs from 'fs';
import * as path from 'path';
import { normalizeImage } from '../../../provider/clouds/nscale/normalize';
import { CloudApiError } from '../../../provider/core/errors';
import type { Image } from '../../../provider/core/image';

const seed = JSON.parse(fs.readFileSync(path.join(__dirname, '../../fixtures/nscale/list-images-seed.json'), 'utf8')) as unknown[];
const REGION = '3f8a1c52-6b1d-4e0f-9a7c-2d5e8b4c1a90';

function record(overrides: { metadata?: object; spec?: object; status?: object } = {}) {
  const base = JSON.parse(JSON.stringify(seed[0])) as { metadata: object; spec: object; status: object };
  return {
    metadata: { ...base.metadata, ...overrides.metadata },
    spec: { ...base.spec, ...overrides.spec },
    status: { ...base.status, ...overrides.status },
  };
}

describe('nscale normalizeImage', () => {
  it("turns the seed document's example response into the expected image", () => {
    expect(seed).toHaveLength(1);
    const expected: Image = {
      id: 'a64f9269-36e0-4312-b8d1-52d93d569b7b',
      name: 'ubu2204-v1.25.6-gpu-525.85.05-7ced4154',
      cloud: 'nscale',
      region: REGION,
      zone: null,
      description: null,
      architecture: 'x86_64',
      osType: 'linux',
      osName: 'ubuntu 24.04 server (noble)',
      osDistro: 'ubuntu',
      osVersion: '24.04',
      createdAt: '2023-02-22T12:04:13Z',
      status: 'available',
      visibility: 'public',
      sizeGiB: 10,
      machineType: 'vm',
      gpu: { supported: true, vendor: 'NVIDIA', driver: '525.85.05', models: ['A100', 'H100', 'H200'] },
      softwareVersions: { kubernetes: 'v1.25.6' },
      tags: {},
      family: 'debian',
    };
    expect(normalizeImage(seed[0], { regionId: REGION, visibility: 'public' })).toStrictEqual(expected);
  });

  it('maps aarch64 to arm64 and keeps x86_64', () => {
    expect(normalizeImage(record({ spec: { architecture: 'aarch64' } }), { regionId: REGION, visibility: 'private' }).architecture).toBe('arm64');
    expect(normalizeImage(record({ spec: { architecture: 'riscv64' } }), { regionId: REGION, visibility: 'private' }).architecture).toBe('unknown');
  });

  it.each([
    ['ready', 'available'],
    ['pending', 'pending'],
    ['creating', 'pending'],
    ['failed', 'failed'],
    ['retired', 'unavailable'],
  ])('maps state %s to status %s', (state, status) => {
    expect(normalizeImage(record({ status: { state } }), { regionId: REGION, visibility: 'public' }).status).toBe(status);
  });

  it.each([
    ['virtualized', 'vm'],
    ['baremetal', 'baremetal'],
    ['any', 'any'],
  ])('maps virtualization %s to machineType %s', (virtualization, machineType) => {
    expect(normalizeImage(record({ spec: { virtualization } }), { regionId: REGION, visibility: 'public' }).machineType).toBe(machineType);
  });

  it('turns the tag list into a map, keeps the description and leaves modifiedTime/modifiedBy/createdBy out', () => {
    const image = normalizeImage(
      record({
        metadata: {
          description: 'GPU node image',
          tags: [
            { name: 'team', value: 'ml' },
            { name: 'channel', value: 'stable' },
          ],
          modifiedTime: '2024-01-01T00:00:00Z',
          modifiedBy: 'someone',
          createdBy: 'pipeline',
        },
      }),
      { regionId: REGION, visibility: 'private' },
    );
    expect(image.tags).toStrictEqual({ channel: 'stable', team: 'ml' });
    expect(Object.keys(image.tags)).toEqual(['channel', 'team']);
    expect(image.description).toBe('GPU node image');
    expect(image.visibility).toBe('private');
    expect(JSON.stringify(image)).not.toMatch(/modified|someone|pipeline/);
  });

  it('reports no GPU support when spec.gpu is absent, and keeps models empty when the list is', () => {
    const plain = record();
    delete (plain.spec as { gpu?: unknown }).gpu;
    expect(normalizeImage(plain, { regionId: REGION, visibility: 'public' }).gpu).toStrictEqual({ supported: false, vendor: null, driver: null, models: [] });
    const amd = normalizeImage(record({ spec: { gpu: { vendor: 'AMD', driver: '6.10.5' } } }), { regionId: REGION, visibility: 'public' });
    expect(amd.gpu).toStrictEqual({ supported: true, vendor: 'AMD', driver: '6.10.5', models: [] });
  });

  it('normalizes creation times with offsets to UTC', () => {
    expect(normalizeImage(record({ metadata: { creationTime: '2024-05-01T14:00:00+02:00' } }), { regionId: REGION, visibility: 'public' }).createdAt).toBe(
      '2024-05-01T12:00:00Z',
    );
  });

  it.each([
    ['no metadata', { metadata: null }, /metadata: expected an object/],
    ['no id', { metadata: { id: '' } }, /metadata\.id: expected a non-empty string/],
    ['no name', { metadata: { name: 42 } }, /metadata\.name/],
    ['models that are not a list', { spec: { gpu: { vendor: 'NVIDIA', driver: '525.85.05', models: 'H100' } } }, /spec\.gpu\.models: expected a list/],
    ['tags that are not a list', { metadata: { tags: { team: 'ml' } } }, /metadata\.tags/],
  ])('rejects a record with %s as a CloudApiError naming the field', (_what, overrides, message) => {
    const bad = record(overrides as { metadata?: object; spec?: object });
    if ((overrides as { metadata?: unknown }).metadata === null) (bad as { metadata: unknown }).metadata = null;
    const run = () => normalizeImage(bad, { regionId: REGION, visibility: 'public' });
    expect(run).toThrow(CloudApiError);
    expect(run).toThrow(message);
  });
});
