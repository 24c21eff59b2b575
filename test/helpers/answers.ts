/** Minimal success answers in each cloud's own shape, for loopback servers that craft what a cloud would send. */
import type { CloudName } from '../../provider/clouds/registry';

export interface CraftedRecord {
  id: string;
  name: string;
  description?: string;
  created?: string;
}

/** One page (Alibaba, IMS) or one answer (UCloud, nscale) holding these records; IMS answers a marker page with none. */
export function successAnswer(cloud: CloudName, url: URL, records: CraftedRecord[]): { status: number; body: unknown } {
  switch (cloud) {
    case 'alicloud':
      // The records are the account's own: other owner aliases list nothing (one image has one owner).
      if ((url.searchParams.get('ImageOwnerAlias') ?? 'self') !== 'self') return { status: 200, body: { RequestId: 'r-1', TotalCount: 0, PageNumber: 1, PageSize: 1, Images: { Image: [] } } };
      return {
        status: 200,
        body: {
          RequestId: 'r-1', TotalCount: records.length, PageNumber: Number(url.searchParams.get('PageNumber') ?? 1), PageSize: Math.max(records.length, 1),
          Images: { Image: records.map((r) => ({ ImageId: r.id, ImageName: r.name, Description: r.description, CreationTime: r.created ?? '2024-01-01T00:00:00Z', Status: 'Available', ImageOwnerAlias: 'self', Architecture: 'x86_64', OSType: 'linux' })) },
        },
      };
    case 'huaweicloud':
    case 'opentelekomcloud':
      // Private images: other __imagetype listings hold none.
      if ((url.searchParams.get('__imagetype') ?? 'private') !== 'private') return { status: 200, body: { images: [] } };
      return { status: 200, body: { images: url.searchParams.get('marker') ? [] : records.map((r) => ({ id: r.id, name: r.name, __description: r.description, status: 'active', created_at: r.created ?? '2024-01-01T00:00:00Z', __imagetype: 'private', visibility: 'private' })) } };
    case 'ucloud':
      return { status: 200, body: { RetCode: 0, Action: 'DescribeUK8SImageResponse', ImageSet: records.map((r) => ({ ImageId: r.id, ImageName: r.name, ZoneId: 1, OsName: r.description })), PHostImageSet: [] } };
    case 'nscale':
      return { status: 200, body: records.map((r) => ({ metadata: { id: r.id, name: r.name, description: r.description, creationTime: r.created ?? '2024-01-01T00:00:00Z' }, spec: { os: { kernel: 'linux', family: 'ubuntu', distro: 'ubuntu', version: '22.04' }, architecture: 'x86_64' }, status: { state: 'ready' } })) };
  }
}
