/** Alibaba Cloud in the shared tests (test/clouds/adapter.ts). */
import { normalizeImage } from '../../../provider/clouds/alicloud/normalize';
import { hostileRecord } from '../../helpers/hostile';
import { realRecords } from '../../helpers/real-answers';
import type { CloudTestAdapter } from '../adapter';

type Json = Record<string, unknown>;

export const alicloudAdapter: CloudTestAdapter = {
  cloud: 'alicloud',
  builtInRegion: () => 'cn-hangzhou',
  successAnswer(url, records) {
    // The records are the account's own: other owner aliases list nothing (one image has one owner).
    if ((url.searchParams.get('ImageOwnerAlias') ?? 'self') !== 'self')
      return { status: 200, body: { RequestId: 'r-1', TotalCount: 0, PageNumber: 1, PageSize: 1, Images: { Image: [] } } };
    return {
      status: 200,
      body: {
        RequestId: 'r-1',
        TotalCount: records.length,
        PageNumber: Number(url.searchParams.get('PageNumber') ?? 1),
        PageSize: Math.max(records.length, 1),
        Images: {
          Image: records.map((r) => ({
            ImageId: r.id,
            ImageName: r.name,
            Description: r.description,
            CreationTime: r.created ?? '2024-01-01T00:00:00Z',
            Status: 'Available',
            ImageOwnerAlias: 'self',
            Architecture: 'x86_64',
            OSType: 'linux',
          })),
        },
      },
    };
  },
  errorAnswer: (message) => ({ status: 400, body: { Code: 'InvalidParameter', Message: message, RequestId: 'r-1' } }),
  createdAt: (value) => normalizeImage({ ImageId: 'img-1', ImageName: 'n', CreationTime: value }, { region: 'cn-hangzhou' }),
  hostile: {
    records: hostileRecord([
      'ImageId',
      'ImageName',
      'Description',
      'CreationTime',
      'Platform',
      'OSName',
      'OSNameEn',
      'Architecture',
      'OSType',
      'Status',
      'ImageOwnerAlias',
      'Size',
      'Tags',
      'ImageFamily',
      'IsSupportCloudinit',
    ]),
    normalize: (r) => [normalizeImage(r as never, { region: 'cn-hangzhou' })],
    poisoned: (poison) =>
      ['Size', 'Status', 'Architecture', 'ImageOwnerAlias', 'OSType', 'Platform', 'OSName'].map((field) => () => [
        normalizeImage({ ImageId: 'm-1', ImageName: 'n', [field]: poison }, { region: 'cn-hangzhou' }),
      ]),
  },
  pushDownCorpus: (region) =>
    realRecords(
      'alicloud',
      (b) => (((b as Json).Images as Json)?.Image as unknown[]) ?? [],
      (r) => r.ImageId,
    ).map((r) => ({ ...r, region })),
};
