/**
 * Real IMS answers (test/fixtures/real/huawei and …/opentelekomcloud, sources in SOURCES.md) replayed through the real
 * client on loopback. The replay server answers like IMS: it keeps the records a pushed-down filter names (by the
 * record's own attribute, a missing attribute never matches), sorts by created_at as asked and pages by marker and limit; the records it sends are
 * the published records, untouched. Expectations: mechanical fields by `oracle`, judgement calls from the table.
 */
import type * as http from 'http';
import { localServer } from '../../helpers/server';
import { collapsed, realFiles, realJson, RealCloud, replayOptions } from '../../helpers/real-answers';
import { lookupImages } from '../../../provider/lookup';
import type { Image } from '../../../provider/core/image';
import type { CloudName } from '../../../provider/clouds/registry';

type RawRecord = Record<string, unknown> & { id: string; name: string };
interface RawBody {
  images?: RawRecord[];
  [field: string]: unknown;
}

/** Query parameters that steer the listing rather than name a record attribute. */
const PAGING = new Set(['limit', 'marker', 'sort_key', 'sort_dir']);

/** Read off each raw record by hand: [architecture, visibility]. */
const JUDGED: Record<string, [Image['architecture'], Image['visibility']]> = {
  // Huawei Cloud cn-south-1 market images: the arm one says so, the x86 one carries no architecture attribute.
  '88faab67-9e31-48d9-8027-f8a025da94de': ['arm64', 'marketplace'],
  '81d3fbb5-9f44-47f3-9ce2-9fe43658f027': ['x86_64', 'marketplace'],
};

interface Case {
  cloud: RealCloud;
  name: CloudName;
  region: string;
}
const CASES: Case[] = [
  { cloud: 'huawei', name: 'huaweicloud', region: 'cn-south-1' },
  { cloud: 'opentelekomcloud', name: 'opentelekomcloud', region: 'eu-de' },
];

/** A single-image answer (PATCH/GET /v2/images/{id}) is served as the only element of a listing. */
function recordsOf(body: RawBody): RawRecord[] {
  return Array.isArray(body.images) ? body.images : [body as RawRecord];
}

/** Every field but architecture and the OS vocabulary's osDistro/osVersion, straight from the raw record. */
function oracle(raw: RawRecord, cloud: CloudName, region: string, visibility: Image['visibility']): Omit<Image, 'architecture' | 'osDistro' | 'osVersion'> {
  if (raw.status !== 'active') throw new Error(`the corpus has only active images, not ${String(raw.status)}`);
  if (raw.virtual_env_type !== 'FusionCompute') throw new Error(`the corpus has only FusionCompute (ECS) images, not ${String(raw.virtual_env_type)}`);
  return {
    id: raw.id,
    name: raw.name,
    cloud,
    region,
    zone: null,
    description: collapsed(raw.__description),
    osType: String(raw.__os_type).toLowerCase() as Image['osType'],
    osName: raw.__os_version as string,
    createdAt: raw.created_at as string,
    status: 'available',
    visibility,
    sizeGiB: raw.min_disk as number,
    machineType: 'vm',
    // No record in the corpus names a GPU type (`__support_kvm_fpga_type` is an FPGA, not a GPU).
    gpu: { supported: false, vendor: null, driver: null, models: [] },
    softwareVersions: {},
    tags: {},
    family: null,
  };
}

/** What IMS lists for one query: the records its attribute filters name, sorted by created_at as asked. */
function listed(records: RawRecord[], q: URLSearchParams): RawRecord[] {
  const matching = records.filter((r) => [...q.keys()].every((key) => PAGING.has(key) || (key in r && String(r[key]) === q.get(key))));
  if (q.get('sort_key') === 'created_at') {
    const sign = q.get('sort_dir') === 'asc' ? 1 : -1;
    matching.sort((a, b) => sign * String(a.created_at).localeCompare(String(b.created_at)));
  }
  return matching;
}

/** IMS holding `records`: one page is `limit` records after the marker. */
async function replayService(records: RawRecord[], extra: Record<string, unknown>) {
  const seen: URLSearchParams[] = [];
  const server = await localServer((req: http.IncomingMessage, res: http.ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const q = url.searchParams;
    seen.push(q);
    if (!url.pathname.endsWith('/v2/cloudimages')) {
      res.statusCode = 404;
      res.end('{}');
      return;
    }
    const matching = listed(records, q);
    const marker = q.get('marker');
    const start = marker === null ? 0 : matching.findIndex((r) => r.id === marker) + 1;
    const limit = Number(q.get('limit') ?? 25);
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ ...extra, images: matching.slice(start, start + limit) }));
  });
  return { server, seen };
}

const options = (c: Case, endpoint: string) =>
  replayOptions({ [c.name]: { endpoint: `${endpoint}/{region}`, accessKey: 'replay-ak', secretKey: 'replay-sk', projectId: 'replayproject' } });

describe.each(CASES)('$name: real IMS answers through the client', (c) => {
  describe.each(realFiles(c.cloud))('%s', (file) => {
    const body = realJson<RawBody>(c.cloud, file);
    const records = recordsOf(body);
    // Links (`next`, `first`) described the publisher's own listing; the replay pages by marker itself.
    const { images: _images, next: _next, first: _first, ...extra } = body;
    const extraFields = Array.isArray(body.images) ? extra : {};

    it('reads every record over one-record pages, each field as the raw record says', async () => {
      const { server, seen } = await replayService(records, extraFields);
      try {
        const { result } = await lookupImages({ cloud: c.name, region: c.region, visibility: ['public', 'private', 'shared', 'marketplace'], filters: { limit: '1' } }, options(c, server.url));
        const byId = new Map(result.images.map((i) => [i.id, i]));
        expect([...byId.keys()].sort()).toEqual(records.map((r) => r.id).sort());
        for (const raw of records) {
          const { architecture: _a, osDistro: _d, osVersion: _v, ...rest } = byId.get(raw.id)!;
          expect(rest).toEqual(oracle(raw, c.name, c.region, visibilityOf(raw)));
        }
        // Every listing ran to a short page: one request per record plus the empty last page, markers in order.
        const listings = new Map<string, { first: URLSearchParams; markers: (string | null)[] }>();
        for (const q of seen) {
          const key = [...q.entries()].filter(([k]) => k !== 'marker').map(([k, v]) => `${k}=${v}`).sort().join('&');
          const listing = listings.get(key) ?? { first: q, markers: [] };
          listing.markers.push(q.get('marker'));
          listings.set(key, listing);
        }
        for (const { first, markers } of listings.values()) expect(markers).toEqual([null, ...listed(records, first).map((r) => r.id)]);
        expect(seen.every((q) => q.get('limit') === '1')).toBe(true);
      } finally {
        await server.close();
      }
    });

    if (c.cloud === 'huawei') {
      it('reads architecture as the record marks it', async () => {
        const { server } = await replayService(records, extraFields);
        try {
          const { result } = await lookupImages({ cloud: c.name, region: c.region, visibility: 'marketplace' }, options(c, server.url));
          expect(Object.fromEntries(result.images.map((i) => [i.id, i.architecture]))).toEqual(Object.fromEntries(records.map((r) => [r.id, JUDGED[r.id][0]])));
        } finally {
          await server.close();
        }
      });
    }
  });
});

/** `__imagetype` read by hand for the corpus: gold is the vendor's (public), market is KooGallery's. */
function visibilityOf(raw: RawRecord): Image['visibility'] {
  const judged = JUDGED[raw.id];
  if (judged) return judged[1];
  const byType: Record<string, Image['visibility']> = { gold: 'public', private: 'private' };
  const v = byType[String(raw.__imagetype)];
  if (!v) throw new Error(`no hand-read visibility for ${raw.id} (__imagetype ${String(raw.__imagetype)})`);
  return v;
}
