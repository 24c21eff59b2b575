/** Generated IMS catalogs for differential properties: the records real answers and misbehaving servers make hard. */
import fc from 'fast-check';
import type { ImsImage } from '../../provider/clouds/huawei/types';

/** Creation times around a few seconds: fractions, the same instant in another zone, and what is no time at all. */
const createdAt = fc.constantFrom(
  '2030-05-01T10:00:00Z',
  '2030-05-01T10:00:00.900Z',
  '2030-05-01T10:00:00.100Z',
  '2030-05-01T18:00:00.5+08:00',
  '2030-05-01T10:00:00.500Z',
  '2030-05-01T09:59:59.999Z',
  '2030-04-30T23:00:00-11:00',
  '2030-05-01T10:00:01Z',
  '2030-04-29T10:00:00Z',
  '2030-05-01 10:00:00',
  'yesterday',
  '0001-01-01T00:00:00Z',
  '',
);
const record = fc.record({
  name: fc.option(fc.constantFrom('Alpha', 'Beta', 'beta', 'Ubuntu 22.04', 'CentOS 7.9'), { nil: undefined }),
  created_at: createdAt,
  status: fc.constantFrom('active', 'active', 'active', 'queued', 'saving', 'killed', 'deactivated'),
  __imagetype: fc.constantFrom('gold', 'private'),
  __platform: fc.constantFrom('Ubuntu', 'CentOS'),
  __os_type: fc.constantFrom('Linux', 'Windows'),
  __support_arm: fc.option(fc.constant('true'), { nil: undefined }),
  tags: fc.subarray(['test', 'env=prod', 'env.prod', 'team=a']),
  virtual_env_type: fc.option(fc.constantFrom('FusionCompute', 'Ironic'), { nil: undefined }),
});
/** A catalog of IMS records in one region, IDs in catalog order. */
export const imsRecords = (region: string) =>
  fc
    .array(record, { minLength: 1, maxLength: 40 })
    .map((records) => records.map((r, i) => ({ region, image: { ...r, id: `img-${String(i).padStart(2, '0')}` } as unknown as ImsImage })));
