/** The benchmark's Markdown table, targets, the docs' performance table and PNG chart, from one run's results. */
import * as fs from 'fs';
import { barChart, BarGroup, Rgb } from './png';
import { DEFAULT_CONCURRENCY as ALICLOUD_CONCURRENCY } from '../provider/clouds/alicloud/client';

/** The row of a repeat listing: a later run with the paging hint the first one left on disk (core/hints.ts). */
export const REPEAT_CLIENT = 'cloudimages, repeat run (paging hint)';

/** What one worker process measures, reported per case. */
export interface ProcessMeasurements {
  /** Requests the client sent in the last run (its own count). */
  clientRequests: number;
  rssStartMB: number;
  peakRssMB: number;
  /** Heap in use at the end, with the last result still referenced. */
  heapUsedMB: number;
  /** cloudimages only, over the already-fetched catalog: getImages that keeps (and sorts) every image, and
   * getImage mostRecent; median ms of validate + plan + select (+ choose). */
  selectAllMs?: number;
  chooseMs?: number;
  /** Catalog fetches the selections made (1: the listing they shared). */
  selectFetches?: number;
  /** Peak RSS and heap after one listing plus the selections (one program's worth). */
  onePeakMB?: number;
  oneHeapMB?: number;
}

export interface CaseResult extends ProcessMeasurements {
  cloud: string;
  size: number;
  client: string;
  /** The client this row is compared with (cloudimages rows only). */
  baseline?: string;
  medianMs: number;
  minMs: number;
  maxMs: number;
  runs: number;
  /** Per listing, as the emulator counted them. */
  requests: number;
}

export interface GetImageResult {
  cloud: string;
  size: number;
  variant: 'local' | 'mixed';
  calls: number;
  succeeded: number;
  fetches: number;
  requests: number;
  oneFetchRequests?: number;
  wallMs: number;
  failures: string[];
}

export interface StartupResult {
  pluginMs: number;
  bareMs: number;
  runs: number;
}

export interface BenchResults {
  date: string;
  node: string;
  platform: string;
  cpus: number;
  latencyMs: number;
  runs: number;
  sizes: number[];
  cases: CaseResult[];
  getImage: GetImageResult[];
  startup: StartupResult;
  /** Images in one Huawei page asked with limit=5000 (the emulator's cap). */
  huaweiCap: number;
  /** The `limit` values cloudimages sent to Huawei. */
  huaweiLimits: string[];
  elapsedS: number;
  /** The machine's 1-minute load average when the run started and ended: other work slows the concurrent
   * clients (CPU-bound between round trips) far more than the sequential baselines (waiting on latency). */
  loadAverage?: [number, number];
}

/** The fewest requests and sequential round trips a complete listing can take. */
export function physicalLimit(cloud: string, size: number, huaweiCap: number): { requests: number; roundTrips: number; why: string } {
  if (cloud === 'alicloud')
    return { requests: Math.ceil(size / 100), roundTrips: 2, why: 'page 1 gives TotalCount, then every other page at once (PageSize ≤ 100)' };
  if (cloud === 'huaweicloud') {
    // ceil(N/limit) pages; when N is a multiple of the limit, the last full page cannot be known to be the last
    // (IMS gives no total and no next link), so one more, empty page is part of the limit.
    const n = Math.floor(size / huaweiCap) + 1;
    return { requests: n, roundTrips: n, why: `marker pages of ${huaweiCap}, one after the other, until a short page` };
  }
  return { requests: 1, roundTrips: 1, why: 'one unpaged request' };
}

const ms = (v: number) => (v >= 100 ? `${v.toFixed(0)} ms` : `${v.toFixed(1)} ms`);
const num = (v: number) => (Number.isInteger(v) ? String(v) : v.toFixed(1));
const CLOUD_NAMES: Record<string, string> = { alicloud: 'Alibaba', huaweicloud: 'Huawei', nscale: 'nscale', ucloud: 'UCloud' };

function baselineOf(results: BenchResults, row: CaseResult): CaseResult | undefined {
  return row.baseline ? results.cases.find((c) => c.cloud === row.cloud && c.size === row.size && c.client === row.baseline) : undefined;
}

/** Why an Alibaba listing takes the round trips it does: page 1, then the rest in pools of the client's ceiling. */
export function alicloudWhy(results: BenchResults, row: CaseResult): string {
  const pages = Math.ceil(row.size / 100);
  const waves = 1 + Math.ceil((pages - 1) / ALICLOUD_CONCURRENCY);
  return `the client's pool ceiling is ${ALICLOUD_CONCURRENCY} (DEFAULT_CONCURRENCY), so ${pages} pages take 1 + ceil(${pages - 1}/${ALICLOUD_CONCURRENCY}) = ${waves} round trips (${waves * results.latencyMs} ms of latency) instead of 2; the rest is the client reading and normalizing the pages as they arrive`;
}

export interface Target {
  name: string;
  met: boolean;
  detail: string;
}

export function targets(results: BenchResults): Target[] {
  const out: Target[] = [];
  const ali = results.cases.find((c) => c.cloud === 'alicloud' && c.size === 2000 && c.client === 'cloudimages');
  const aliBase = ali && baselineOf(results, ali);
  if (ali && aliBase) {
    const speedup = aliBase.medianMs / ali.medianMs;
    out.push({
      name: `Alibaba, 2,000 images at ${results.latencyMs} ms: ≥ 8× faster than pop-core's sequential loop`,
      met: speedup >= 8,
      detail: `${speedup.toFixed(1)}× (${ms(ali.medianMs)} vs ${ms(aliBase.medianMs)})${speedup >= 8 ? '' : `, missed by ${(8 / speedup).toFixed(2)}×: 8× needs ≤ ${ms(aliBase.medianMs / 8)}; ${alicloudWhy(results, ali)}`}`,
    });
  }
  if (ali) {
    const floorMs = physicalLimit('alicloud', ali.size, results.huaweiCap).roundTrips * results.latencyMs;
    const ratio = ali.medianMs / floorMs;
    out.push({
      name: `Alibaba, 2,000 images at ${results.latencyMs} ms: within 1.35× of the two-round-trip floor`,
      met: ratio <= 1.35,
      detail: `${ratio.toFixed(2)}× (${ms(ali.medianMs)} vs ${ms(floorMs)})${ratio <= 1.35 ? '' : `; 1.35× needs ≤ ${ms(floorMs * 1.35)}`}`,
    });
  }
  const repeat = results.cases.find((c) => c.cloud === 'alicloud' && c.size === 2000 && c.client === REPEAT_CLIENT);
  const repeatBase = repeat && baselineOf(results, repeat);
  if (repeat && repeatBase) {
    const speedup = repeatBase.medianMs / repeat.medianMs;
    out.push({
      name: `Alibaba, a repeat lookup of 2,000 images at ${results.latencyMs} ms (paging hint on disk): ≥ 12× faster than pop-core's sequential loop`,
      met: speedup >= 12,
      detail: `${speedup.toFixed(1)}× (${ms(repeat.medianMs)} vs ${ms(repeatBase.medianMs)})${speedup >= 12 ? '' : `; 12× needs ≤ ${ms(repeatBase.medianMs / 12)}`}`,
    });
    const floorMs = physicalLimit('alicloud', repeat.size, results.huaweiCap).roundTrips * results.latencyMs;
    const ratio = repeat.medianMs / floorMs;
    out.push({
      name: `Alibaba, a repeat lookup of 2,000 images at ${results.latencyMs} ms (paging hint on disk): ≤ 0.75× the two-round-trip floor`,
      met: ratio <= 0.75,
      detail: `${ratio.toFixed(2)}× (${ms(repeat.medianMs)} vs ${ms(floorMs)}; one round trip is ${ms(results.latencyMs)})${ratio <= 0.75 ? '' : `; 0.75× needs ≤ ${ms(floorMs * 0.75)}: all ${Math.ceil(repeat.size / 100)} pages go out in one wave, and what follows the round trip is the client reading and normalizing them one after another (one thread), CPU work that a busy machine stretches`}`,
    });
  }
  const hwLimit = Math.max(0, ...results.huaweiLimits.map(Number).filter((n) => Number.isFinite(n) && n > 2));
  out.push({
    name: 'Huawei: the largest page size the service accepts',
    met: hwLimit === results.huaweiCap,
    detail: `the emulator answers at most ${results.huaweiCap} images per page (limit=5000 asked); cloudimages sends limit=${results.huaweiLimits.join(', ')} (2 is the mostRecent fast path)`,
  });
  for (const size of results.sizes.filter((s) => s >= 10000)) {
    const rows = results.cases.filter((c) => c.size === size && c.client === 'cloudimages');
    if (rows.length === 0) continue;
    const worstPeak = rows.reduce((a, b) => ((b.onePeakMB ?? 0) > (a.onePeakMB ?? 0) ? b : a));
    const worstSelect = rows.reduce((a, b) => (Math.max(b.selectAllMs ?? 0, b.chooseMs ?? 0) > Math.max(a.selectAllMs ?? 0, a.chooseMs ?? 0) ? b : a));
    const peak = worstPeak.onePeakMB ?? NaN;
    const select = Math.max(worstSelect.selectAllMs ?? 0, worstSelect.chooseMs ?? 0);
    out.push({
      name: `${size.toLocaleString('en-US')} images normalized and selected: peak memory < 150 MB, selection < 50 ms`,
      met: peak < 150 && select < 50,
      detail: `worst cloud: peak RSS ${num(peak)} MB (${CLOUD_NAMES[worstPeak.cloud]}, whole Node process: one listing and the selections), slowest selection ${ms(select)} (${CLOUD_NAMES[worstSelect.cloud]})${select < 50 ? '' : `, missed by ${ms(select - 50)}`}${peak < 150 ? '' : `, memory missed by ${num(Math.round((peak - 150) * 10) / 10)} MB`}`,
    });
  }
  const shared = results.getImage.filter((g) => g.variant === 'local');
  if (shared.length > 0) {
    const ok = shared.every((g) => g.fetches === 1 && g.oneFetchRequests !== undefined && g.requests === g.oneFetchRequests);
    out.push({
      name: '50 getImage calls over one catalog: requests equal one catalog fetch',
      met: ok,
      detail: shared
        .map((g) => `${CLOUD_NAMES[g.cloud]} ${g.fetches} fetch${g.fetches === 1 ? '' : 'es'}/${g.requests} requests (one listing: ${g.oneFetchRequests})`)
        .join('; '),
    });
  }
  const ratio = results.startup.pluginMs / results.startup.bareMs;
  out.push({
    name: "Plugin start-up within 1.2× a bare require('@pulumi/pulumi')",
    met: ratio <= 1.2,
    detail: `${ratio.toFixed(2)}× (${ms(results.startup.pluginMs)} to the port vs ${ms(results.startup.bareMs)})`,
  });
  return out;
}

/** The tables only (what docs/performance.md shows). */
export function renderTables(results: BenchResults): string {
  const lines: string[] = [];
  const load = results.loadAverage
    ? ` Load average (1 min) ${results.loadAverage[0].toFixed(1)} at the start, ${results.loadAverage[1].toFixed(1)} at the end${results.loadAverage[0] > results.cpus ? ': the machine was busy with other work, which slows the concurrent clients far more than the sequential baselines' : ''}.`
    : '';
  lines.push(
    `Emulator on loopback with ${results.latencyMs} ms added to every answer (each answer worked out during that wait, as by a service whose processing is not the bottleneck); median of ${results.runs} timed runs (3 on catalogs above 5,000) after one warm-up; ${results.platform}, ${results.cpus} CPUs, Node ${results.node}, ${results.date}.${load}`,
  );
  lines.push('');
  lines.push(
    '| Cloud | Images | Client | Wall time (median) | Requests | Physical limit (requests / round trips) | Time ÷ limit | vs baseline | Peak RSS (all runs) |',
  );
  lines.push('|---|---:|---|---:|---:|---:|---:|---:|---:|');
  for (const row of results.cases) {
    const limit = physicalLimit(row.cloud, row.size, results.huaweiCap);
    const base = baselineOf(results, row);
    const vs = base ? `**${(base.medianMs / row.medianMs).toFixed(1)}× faster**` : row.client === 'cloudimages' ? '—' : 'baseline';
    lines.push(
      `| ${CLOUD_NAMES[row.cloud]} | ${row.size.toLocaleString('en-US')} | ${row.client} | ${ms(row.medianMs)} | ${num(row.requests)} | ${limit.requests} / ${limit.roundTrips} | ${(row.medianMs / (limit.roundTrips * results.latencyMs)).toFixed(2)}× | ${vs} | ${num(row.peakRssMB)} MB |`,
    );
  }
  lines.push('');
  lines.push(
    'Selection over the fetched catalog, in a program that made one listing (no request: the listing is shared). *getImages, all kept*: validate, plan, a local regex every image passes, sort all; *getImage mostRecent*: the same, then choose. Memory after one listing and the selections:',
  );
  lines.push('');
  lines.push('| Cloud | Images | getImages, all kept (median) | getImage mostRecent (median) | Heap in use | Peak RSS (process) |');
  lines.push('|---|---:|---:|---:|---:|---:|');
  for (const row of results.cases.filter((c) => c.client === 'cloudimages')) {
    lines.push(
      `| ${CLOUD_NAMES[row.cloud]} | ${row.size.toLocaleString('en-US')} | ${ms(row.selectAllMs ?? NaN)} | ${ms(row.chooseMs ?? NaN)} | ${num(row.oneHeapMB ?? NaN)} MB | ${num(row.onePeakMB ?? NaN)} MB |`,
    );
  }
  lines.push('');
  lines.push(
    `50 getImage calls at once in one program, over the ${results.getImage[0]?.size.toLocaleString('en-US') ?? ''}-image catalog (\`local\`: selectors only local filtering applies, a name regex per call; \`mixed\`: distribution, architecture and OS type, which are pushed down into the request; a mixed selector that matches no image, such as i386 Rocky Linux, fails after the shared fetch and is not *chosen*):`,
  );
  lines.push('');
  lines.push('| Cloud | Selectors | Chosen | Catalog fetches | Requests | One listing | Wall time |');
  lines.push('|---|---|---:|---:|---:|---:|---:|');
  for (const g of results.getImage) {
    lines.push(
      `| ${CLOUD_NAMES[g.cloud]} | ${g.variant} | ${g.succeeded}/${g.calls} | ${g.fetches} | ${g.requests} | ${g.oneFetchRequests ?? '—'} | ${ms(g.wallMs)} |`,
    );
  }
  lines.push('');
  lines.push(
    `Plugin start-up (spawn to the port on stdout) ${ms(results.startup.pluginMs)} vs \`node -e "require('@pulumi/pulumi')"\` ${ms(results.startup.bareMs)} (median of ${results.startup.runs}, alternating).`,
  );
  lines.push('');
  lines.push('| Target | Result | |');
  lines.push('|---|---|---|');
  for (const t of targets(results)) lines.push(`| ${t.name} | ${t.met ? 'met' : '**missed**'} | ${t.detail} |`);
  return lines.join('\n');
}

export function renderMarkdown(results: BenchResults): string {
  return [
    '# cloudimages benchmark results',
    '',
    'Generated by `npm run bench` (bench/run.ts); do not edit by hand.',
    '',
    renderTables(results),
    '',
    '## How to read it',
    '',
    "- **Baselines** are what a user writes without cloudimages: `@alicloud/pop-core` `request('DescribeImages', {PageNumber, PageSize: 100})` in a loop until TotalCount; `@huaweicloud/huaweicloud-sdk-core` `BasicCredentials` (its AKSKSigner) signing a plain `marker` loop over `GET /v2/cloudimages` with the service default `limit` (500), and the same loop at 1000.",
    '- **Requests** are counted by the emulator (every attempt, divided by the runs); they include no retries here because no faults are injected.',
    "- **Physical limit**: Alibaba needs 2 sequential round trips (page 1 tells TotalCount, the rest can go at once) and ceil(N/100) requests; the *repeat run* row is a later run that finds the page count of the run before on disk (a paging hint, CLOUDIMAGES_CACHE_DIR) and asks for page 1 and every other page at once, so it can beat that floor (one round trip when the catalog kept its size; its *Time ÷ limit* is still over the two-round-trip floor); Huawei's marker paging is sequential: ceil(N/limit) pages at the largest limit the service honours, plus one empty page when N is a multiple of the limit (as here: IMS gives no total, so only a short page ends a listing); nscale and UCloud answer in one request. *Time ÷ limit* is the median wall time over (round trips × latency): 1.00× would be pure network wait.",
    "- **Peak RSS** is the kernel high-water mark (`VmHWM`, which starts anew at exec; not getrusage's `maxRSS`, which on Linux keeps the forking parent's) of a fresh Node process that ran the case alone (the emulator runs in another process), so it includes Node itself (~42 MB before any work), the HTTP stack, every page's JSON text and the normalized images. *Peak RSS (all runs)* covers the warm-up and every timed run in that process (earlier listings may not be collected yet); the selection table's *Peak RSS (process)* is taken after one listing and the selections, what one program uses. *Heap in use* is the V8 heap with the normalized catalog still referenced.",
    '- Each case runs in its own process with one untimed warm-up run; the emulator runs in a separate process so its CPU time does not count against the client, and it works each answer out while its latency runs (`workDuringLatency`), so answering 20 concurrent pages one after another in its one thread does not delay them past the latency: the physical floor assumes a service with no processing time.',
    '',
    `![wall time per case, each group drawn to its own scale](chart.png)`,
    '',
  ].join('\n');
}

export const START = '<!-- bench:results:start -->';
export const END = '<!-- bench:results:end -->';

/** The page that shows the latest results, between the markers. */
export const RESULTS_PAGE = 'docs/performance.md';

/** Replaces the table between the markers in `file` (docs/performance.md); nothing else is touched. */
export function updateDocsTable(file: string, results: BenchResults): void {
  const text = fs.readFileSync(file, 'utf8');
  const a = text.indexOf(START);
  const b = text.indexOf(END);
  if (a < 0 || b < a) {
    process.stderr.write(`${file} has no ${START} … ${END} markers: not updated\n`);
    return;
  }
  fs.writeFileSync(file, `${text.slice(0, a + START.length)}\n${renderTables(results)}\n${text.slice(b)}`);
}

const COLORS: Record<string, Rgb> = { cloudimages: [38, 120, 220], baseline: [230, 120, 40], baseline2: [245, 175, 90], limit: [170, 170, 170] };

export function renderChart(results: BenchResults): Buffer {
  const groups: BarGroup[] = [];
  for (const size of results.sizes) {
    for (const cloud of ['alicloud', 'huaweicloud', 'nscale', 'ucloud']) {
      const rows = results.cases.filter((c) => c.cloud === cloud && c.size === size);
      if (rows.length === 0) continue;
      const limit = physicalLimit(cloud, size, results.huaweiCap);
      const bars = rows.map((r) => ({
        label:
          r.client === 'cloudimages'
            ? 'cloudimages'
            : r.client === REPEAT_CLIENT
              ? 'repeat (hint)'
              : r.client.startsWith('@alicloud')
                ? 'pop-core loop'
                : r.client.includes('1000')
                  ? 'sdk loop 1000'
                  : 'sdk loop 500',
        value: r.medianMs,
        color: r.client === 'cloudimages' || r.client === REPEAT_CLIENT ? COLORS.cloudimages : r.client.includes('1000') ? COLORS.baseline2 : COLORS.baseline,
        note: `${Math.round(r.medianMs)} ms, ${num(r.requests)} req`,
      }));
      bars.push({
        label: 'physical limit',
        value: limit.roundTrips * results.latencyMs,
        color: COLORS.limit,
        note: `${limit.roundTrips * results.latencyMs} ms`,
      });
      groups.push({ title: `${CLOUD_NAMES[cloud]}, ${size} images`, bars });
    }
  }
  groups.push({
    title: 'plugin start-up',
    bars: [
      { label: 'plugin to port', value: results.startup.pluginMs, color: COLORS.cloudimages, note: `${Math.round(results.startup.pluginMs)} ms` },
      { label: 'bare pulumi', value: results.startup.bareMs, color: COLORS.baseline, note: `${Math.round(results.startup.bareMs)} ms` },
    ],
  });
  return barChart(`cloudimages bench: wall time, ${results.latencyMs} ms latency per request`, groups, [
    { label: 'cloudimages', color: COLORS.cloudimages },
    { label: 'official sdk loop', color: COLORS.baseline },
    { label: 'physical limit', color: COLORS.limit },
  ]);
}
