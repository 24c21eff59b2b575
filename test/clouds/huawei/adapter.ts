/** Huawei Cloud and Open Telekom Cloud (one IMS API) in the shared tests (test/clouds/adapter.ts). */
import type { CloudName } from '../../../provider/clouds/registry';
import { normalizeImage } from '../../../provider/clouds/huawei/normalize';
import { hostileRecord } from '../../helpers/hostile';
import { realRecords } from '../../helpers/real-answers';
import type { CloudTestAdapter } from '../adapter';

type Json = Record<string, unknown>;

/** IMS tags as people write them: a plain tag, key=value, the older key.value, and an empty value. */
export const TAGGED_IMS: Json[] = [['test'], ['env=prod'], ['env.prod'], ['team='], ['test', 'env=dev']].map((tags, i) => ({
  id: `tagged-${i}`,
  name: `Tagged ${i}`,
  status: 'active',
  __imagetype: i % 2 ? 'private' : 'gold',
  __platform: 'Ubuntu',
  __os_type: 'Linux',
  __os_version: 'Ubuntu 22.04 server 64bit',
  virtual_env_type: 'FusionCompute',
  created_at: `2031-0${i + 1}-01T00:00:00Z`,
  tags,
}));

const imsRecords = (body: unknown) => (Array.isArray((body as Json).images) ? ((body as Json).images as unknown[]) : [body]);

function imsAdapter(cloud: Extract<CloudName, 'huaweicloud' | 'opentelekomcloud'>, region: string, real: 'huawei' | 'opentelekomcloud'): CloudTestAdapter {
  return {
    cloud,
    builtInRegion: () => region,
    successAnswer(url, records) {
      // Private images: other __imagetype listings hold none.
      if ((url.searchParams.get('__imagetype') ?? 'private') !== 'private') return { status: 200, body: { images: [] } };
      return {
        status: 200,
        body: {
          images: url.searchParams.get('marker')
            ? []
            : records.map((r) => ({
                id: r.id,
                name: r.name,
                __description: r.description,
                status: 'active',
                created_at: r.created ?? '2024-01-01T00:00:00Z',
                __imagetype: 'private',
                visibility: 'private',
              })),
        },
      };
    },
    errorAnswer: (message) => ({ status: 400, body: { error_code: 'IMG.0001', error_msg: message } }),
    createdAt: (value) => normalizeImage({ id: 'img-1', name: 'n', created_at: value }, cloud, region),
    pushDownCorpus: (at) => [...realRecords(real, imsRecords, (r) => r.id), ...TAGGED_IMS].map((image) => ({ region: at, image })),
  };
}

export const huaweiCloudAdapter: CloudTestAdapter = {
  ...imsAdapter('huaweicloud', 'cn-north-4', 'huawei'),
  hostile: {
    records: hostileRecord([
      'id',
      'name',
      'status',
      'created_at',
      '__imagetype',
      '__os_type',
      '__platform',
      '__os_version',
      '__os_bit',
      '__description',
      '__support_arm',
      '__support_amd',
      '__support_kvm_gpu_type',
      '__support_xen_gpu_type',
      'min_disk',
      'tags',
      'virtual_env_type',
    ]),
    normalize: (r) => [normalizeImage(r as never, 'huaweicloud', 'cn-north-4')],
    poisoned: (poison) => [
      ...['__os_bit', 'status', '__imagetype', 'virtual_env_type', 'min_disk', '__os_type', '__platform'].map((field) => () => [
        normalizeImage({ id: 'img-1', name: 'n', [field]: poison }, 'huaweicloud', 'cn-north-4'),
      ]),
      () => [normalizeImage({ name: poison } as never, 'huaweicloud', 'cn-north-4')], // no id: the error quotes the name
    ],
  },
};

/** The same API as Huawei Cloud: its normalizer's hostile records are covered there. */
export const openTelekomCloudAdapter: CloudTestAdapter = imsAdapter('opentelekomcloud', 'eu-de', 'opentelekomcloud');
