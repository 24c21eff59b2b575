/** UCloud in the shared tests (test/clouds/adapter.ts). It reports no creation times. */
import fc from 'fast-check';
import { normalizeAnswer } from '../../../provider/clouds/ucloud/normalize';
import { hostileRecord, hostileValue } from '../../helpers/hostile';
import { realFiles, realJson } from '../../helpers/real-answers';
import type { CloudTestAdapter } from '../adapter';

type Json = Record<string, unknown>;

export const ucloudAdapter: CloudTestAdapter = {
  cloud: 'ucloud',
  builtInRegion: () => 'cn-bj2',
  successAnswer: (_url, records) => ({
    status: 200,
    body: {
      RetCode: 0,
      Action: 'DescribeUK8SImageResponse',
      ImageSet: records.map((r) => ({ ImageId: r.id, ImageName: r.name, ZoneId: 1, OsName: r.description })),
      PHostImageSet: [],
    },
  }),
  errorAnswer: (message) => ({ status: 200, body: { RetCode: 230, Message: message } }),
  hostile: {
    records: fc.record({
      ImageSet: fc.array(hostileRecord(['ImageId', 'ImageName', 'OsName', 'OsType', 'ZoneId', 'NotSupportGPU', 'ImageSize', 'SupportedGPUTypes']), {
        maxLength: 3,
      }),
      PHostImageSet: hostileValue,
    }),
    normalize: (r) => normalizeAnswer(r, { region: 'cn-bj2' }),
    poisoned: (poison) => [() => normalizeAnswer({ ImageSet: [{ ImageId: 'uimage-1', ImageName: 'n', ImageSize: poison }] }, { region: 'cn-bj2' })],
  },
  pushDownCorpus(region) {
    const sets = ['ImageSet', 'PHostImageSet', 'ImageSetnew', 'CustomImageSet', 'CustomPHostImageSet'];
    const seen = new Set<unknown>();
    return realFiles('ucloud').flatMap((file) => {
      const body = realJson<Json>('ucloud', file);
      return sets.flatMap((set) =>
        (Array.isArray(body[set]) ? (body[set] as unknown[]) : [])
          .filter(
            (info): info is Json =>
              info !== null &&
              typeof info === 'object' &&
              typeof (info as Json).ImageId === 'string' &&
              !seen.has((info as Json).ImageId) &&
              (seen.add((info as Json).ImageId), true),
          )
          .map((info) => ({
            Region: region,
            Set: set,
            Info: { ...info, ImageId: `real-${String(info.ImageId)}`, ...(typeof info.ZoneId === 'number' ? {} : { ZoneId: undefined }) },
          })),
      );
    });
  },
};
