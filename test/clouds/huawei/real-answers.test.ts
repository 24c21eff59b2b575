/**
 * Real IMS answers (test/fixtures/real/huawei and …/opentelekomcloud, sources in SOURCES.md) replayed through the real
 * client on loopback. The replay server answers like IMS: it keeps the records a pushed-down filter names (by the
 * record's own attribute, a missing attribute never matches), sorts by created_at as asked and pages by marker and limit; the records it sends are
 * the published records, untouched. Expectations: mechanical fields by `oracle`, judgement calls from the table.
 */
import type * as http from 'http';
import { localServer } from '../../helpers/server';
import { collapsed, realFiles, realJson, RealCloud, replayOptions } from '../../helpers/real-answers';
import { lookupImage, lookupImages } from '../../../provider/lookup';
import type { Image } from '../../../provider/core/image';
import type { CloudName } from '../../../provider/clouds/registry';

type RawRecord = Record<string, unknown> & { id: string; name: string };
interface RawBody {
  images?: RawRecord[];
  [field: string]: unknown;
}

/** Query parameters that steer the listing rather than name a record attribute. */
const PAGING = new Set(['limit', 'marker', 'sort_key', 'sort_dir']);

/** Read off each raw record by hand: [architecture, visibility, osDistro, osVersion]. IMS marks arm images with
 * `__support_arm` on both clouds; no record here is 32-bit; an unmarked one is x86_64 (OTC marks none of its x86 images). */
const JUDGED: Record<string, [Image['architecture'], Image['visibility'], string, string]> = {
  // Huawei Cloud cn-south-1 market images: the arm one says so, the x86 one carries no architecture attribute.
  '88faab67-9e31-48d9-8027-f8a025da94de': ['arm64', 'marketplace', 'openeuler', '20.03'], // openEuler 20.03 64bit
  '81d3fbb5-9f44-47f3-9ce2-9fe43658f027': ['x86_64', 'marketplace', 'centos', '7.9'], // CentOS 7.9 64bit
  // Open Telekom Cloud's documented images: no __support_amd, no __support_arm.
  'bc6bed6e-ba3a-4447-afcc-449174a3eb52': ['x86_64', 'public', 'centos', '7.3'], // CentOS 7.3 64bit vivado
  '0328c25e-c840-4496-81ac-c4e01b214b1f': ['x86_64', 'public', 'centos', '7.3'], // CentOS 7.3 64bit with sdx
  '33ad552d-1149-471c-8190-ff6776174a00': ['x86_64', 'private', 'ubuntu', '14.04'], // Ubuntu 14.04 server 64bit
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

/** Every field: the mechanical ones straight from the raw record, the judgement calls from the table. */
function oracle(raw: RawRecord, cloud: CloudName, region: string): Image {
  const judged = JUDGED[raw.id];
  if (!judged) throw new Error(`no hand-read expectation for ${raw.id}`);
  if (raw.status !== 'active') throw new Error(`the corpus has only active images, not ${String(raw.status)}`);
  if (raw.virtual_env_type !== 'FusionCompute') throw new Error(`the corpus has only FusionCompute (ECS) images, not ${String(raw.virtual_env_type)}`);
  return {
    id: raw.id,
    name: raw.name,
    cloud,
    region,
    zone: null,
    description: collapsed(raw.__description),
    architecture: judged[0],
    osType: String(raw.__os_type).toLowerCase() as Image['osType'],
    osName: raw.__os_version as string,
    osDistro: judged[2],
    osVersion: judged[3],
    createdAt: raw.created_at as string,
    status: 'available',
    visibility: judged[1],
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

describe('IMS: every stored record has a hand-read expectation', () => {
  it('and nothing else is in the table', () => {
    const ids = CASES.flatMap((c) => realFiles(c.cloud).flatMap((f) => recordsOf(realJson<RawBody>(c.cloud, f)).map((r) => r.id)));
    expect([...new Set(ids)].sort()).toEqual(Object.keys(JUDGED).sort());
  });
});

describe("opentelekomcloud: the issue's query against OTC's own answer", () => {
  it('getImage({osDistro: centos, architecture: x86_64, mostRecent}) picks the newest CentOS image, though OTC marks no architecture', async () => {
    const otc = CASES[1];
    const body = realJson<RawBody>('opentelekomcloud', 'otc-docs-cloudimages-2025.json');
    const { server } = await replayService(recordsOf(body), {});
    try {
      const { result } = await lookupImage(
        { cloud: 'opentelekomcloud', region: otc.region, osDistro: 'centos', architecture: 'x86_64', mostRecent: true },
        options(otc, server.url),
      );
      expect(result.id).toBe('bc6bed6e-ba3a-4447-afcc-449174a3eb52'); // created 2018-09-06T14:03:27Z, 22 s after the other
    } finally {
      await server.close();
    }
  });
});

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
        const { result } = await lookupImages(
          { cloud: c.name, region: c.region, visibility: ['public', 'private', 'shared', 'marketplace'], filters: { limit: '1' } },
          options(c, server.url),
        );
        const byId = new Map(result.images.map((i) => [i.id, i]));
        expect([...byId.keys()].sort()).toEqual(records.map((r) => r.id).sort());
        for (const raw of records) expect(byId.get(raw.id)).toEqual(oracle(raw, c.name, c.region));
        // Every listing ran to a short page: one request per record plus the empty last page, markers in order.
        const listings = new Map<string, { first: URLSearchParams; markers: (string | null)[] }>();
        for (const q of seen) {
          const key = [...q.entries()]
            .filter(([k]) => k !== 'marker')
            .map(([k, v]) => `${k}=${v}`)
            .sort()
            .join('&');
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
  });
});
