/**
 * One benchmark case in a fresh process (forked by run.ts), so its peak RSS is its own: the kernel's
 * high-water mark (VmHWM) covers everything the case allocated, including the HTTP stack, the JSON text of
 * every page and the normalized images, and nothing from other cases.
 * Each case makes one untimed warm-up run (module loading, JIT), then `runs` timed ones.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { HostServer } from './emulator-host';
import type { ProcessMeasurements } from './report';
import { BENCH_QUERIES, BenchCloud } from './catalogs';
import type { LookupOptions } from '../provider/lookup';

export type Task =
  | { kind: 'cloudimages'; cloud: BenchCloud; size: number; server: HostServer; runs: number }
  /** A later run of the same listing: a paging hint from the warm-up run is on disk (core/hints.ts). */
  | { kind: 'cloudimages-repeat'; cloud: BenchCloud; size: number; server: HostServer; runs: number }
  | { kind: 'pop-core'; cloud: 'alicloud'; size: number; server: HostServer; runs: number }
  | { kind: 'huawei-sdk'; cloud: 'huaweicloud'; size: number; server: HostServer; runs: number; limit?: number }
  | { kind: 'huawei-probe'; cloud: 'huaweicloud'; size: number; server: HostServer; limit: number }
  | { kind: 'getimage50'; cloud: BenchCloud; size: number; server: HostServer; variant: 'local' | 'mixed' };

export interface WorkerResult extends ProcessMeasurements {
  /** Wall time of each timed run, ms. */
  times: number[];
  images: number;
  /** getimage50 only. */
  calls?: number;
  succeeded?: number;
  fetches?: number;
  failures?: string[];
  /** Timed runs plus warm-up: what the emulator count is divided by. */
  totalRuns: number;
}

const mb = (bytes: number) => Math.round((bytes / 1048576) * 10) / 10;
/**
 * VmHWM, which starts anew at exec. Not getrusage's maxRSS where VmHWM exists: on Linux that keeps the forking
 * parent's high-water mark (run.ts's), so a case smaller than its parent would report the parent.
 */
function maxRssMB(): number {
  let status = '';
  try {
    status = fs.readFileSync('/proc/self/status', 'utf8');
  } catch {
    // not Linux: getrusage is all there is
  }
  const hwm = /^VmHWM:\s+(\d+) kB$/m.exec(status);
  return Math.round((hwm ? Number(hwm[1]) : process.resourceUsage().maxRSS) / 102.4) / 10;
}
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/* eslint-disable @typescript-eslint/no-require-imports */
function cloudimages() {
  return {
    ...(require('../provider/lookup') as typeof import('../provider/lookup')),
    ...(require('../provider/core/http/client') as typeof import('../provider/core/http/client')),
    ...(require('../provider/core/share') as typeof import('../provider/core/share')),
  };
}

/** A selector that only local filtering can apply (not pushed down): the clone number at the end of the name. */
function localSelector(cloud: BenchCloud, k: number): Record<string, unknown> {
  return { ...BENCH_QUERIES[cloud], nameRegex: cloud === 'ucloud' ? `-${k}$` : `-b${k}$`, mostRecent: true };
}

/** Selectors a user would write: distributions, architectures, OS types (several are pushed down). */
function mixedSelector(cloud: BenchCloud, k: number): Record<string, unknown> {
  if (cloud === 'alicloud') {
    const prefixes = ['^ubuntu', '^debian', '^centos', '^win', '^aliyun', '^rockylinux'];
    return {
      ...BENCH_QUERIES.alicloud,
      nameRegex: prefixes[k % prefixes.length],
      architecture: ['x86_64', 'arm64', 'i386'][k % 3],
      ...(k % 5 === 0 ? { osType: 'linux' } : {}),
      mostRecent: true,
    };
  }
  if (cloud === 'huaweicloud') {
    return {
      ...BENCH_QUERIES.huaweicloud,
      osDistro: ['ubuntu', 'centos', 'debian', 'euleros', 'windows'][k % 5],
      architecture: ['x86_64', 'arm64'][k % 2],
      mostRecent: true,
    };
  }
  return { ...BENCH_QUERIES[cloud], architecture: k % 2 ? 'x86_64' : 'arm64', nameRegex: `-${k}$`, mostRecent: true };
}

async function timed(runs: number, once: () => Promise<number>): Promise<{ times: number[]; images: number }> {
  await once(); // warm-up
  const times: number[] = [];
  let images = 0;
  for (let r = 0; r < runs; r++) {
    const started = performance.now();
    images = await once();
    times.push(performance.now() - started);
  }
  return { times, images };
}

async function run(task: Task): Promise<WorkerResult> {
  const rssStartMB = mb(process.memoryUsage().rss);
  const server = task.server;
  let result: Omit<WorkerResult, 'rssStartMB' | 'peakRssMB' | 'heapUsedMB'>;
  if (task.kind === 'cloudimages') {
    const ci = cloudimages();
    const list = async (http: InstanceType<typeof ci.HttpClient>, sharing: InstanceType<typeof ci.RequestSharing>) => {
      const { result } = await ci.lookupImages(BENCH_QUERIES[task.cloud], { config: server.config, env: {}, http, sharing });
      if (result.ids.length !== task.size) throw new Error(`${task.cloud}: listed ${result.ids.length} images, expected ${task.size}`);
      return result.ids.length;
    };
    // One program's worth first: a listing, then selections over it (what the memory target is about).
    const http0 = new ci.HttpClient();
    const sharing = new ci.RequestSharing();
    await list(http0, sharing);
    const options: LookupOptions = { config: server.config, env: {}, http: http0, sharing };
    const listTimes: number[] = [];
    const chooseTimes: number[] = [];
    for (let i = 0; i < 9; i++) {
      // Every image passes a local regex and is sorted: the most work selection can do over this catalog.
      let started = performance.now();
      const { result } = await ci.lookupImages({ ...BENCH_QUERIES[task.cloud], nameRegex: '.' }, options);
      listTimes.push(performance.now() - started);
      started = performance.now();
      const chosen = await ci.lookupImage({ ...BENCH_QUERIES[task.cloud], nameRegex: '.', mostRecent: true }, options);
      chooseTimes.push(performance.now() - started);
      if (result.ids.length !== task.size || !chosen.result.id) throw new Error('selection lost images');
    }
    const onePeakMB = maxRssMB();
    const oneHeapMB = mb(process.memoryUsage().heapUsed);
    const selectFetches = sharing.fetches;
    let http = http0;
    const { times, images } = await timed(task.runs, async () => {
      http = new ci.HttpClient();
      return list(http, new ci.RequestSharing());
    });
    result = {
      times,
      clientRequests: http.sent,
      images,
      selectAllMs: median(listTimes.slice(2)),
      chooseMs: median(chooseTimes.slice(2)),
      selectFetches,
      onePeakMB,
      oneHeapMB,
      totalRuns: task.runs + 2,
    };
  } else if (task.kind === 'cloudimages-repeat') {
    // Each timed run is a new program run as far as cloudimages can tell (new client, new sharing); what it
    // keeps from the warm-up run is the page count on disk, as a repeat `pulumi up` would.
    const ci = cloudimages();
    const cache = fs.mkdtempSync(path.join(os.tmpdir(), 'cloudimages-bench-'));
    let http = new ci.HttpClient();
    try {
      const { times, images } = await timed(task.runs, async () => {
        http = new ci.HttpClient();
        const { result } = await ci.lookupImages(BENCH_QUERIES[task.cloud], {
          config: server.config,
          env: { CLOUDIMAGES_CACHE_DIR: cache },
          http,
          sharing: new ci.RequestSharing(),
        });
        if (result.ids.length !== task.size) throw new Error(`${task.cloud}: listed ${result.ids.length} images, expected ${task.size}`);
        return result.ids.length;
      });
      result = { times, clientRequests: http.sent, images, totalRuns: task.runs + 1 };
    } finally {
      fs.rmSync(cache, { recursive: true, force: true });
    }
  } else if (task.kind === 'pop-core') {
    const { PopCoreBaseline } = require('./baselines/alicloud-pop-core') as typeof import('./baselines/alicloud-pop-core');
    const creds = server.credentials.alicloud;
    let baseline!: InstanceType<typeof PopCoreBaseline>;
    const { times, images } = await timed(task.runs, async () => {
      baseline = new PopCoreBaseline({
        endpoint: server.endpoints.alicloud,
        accessKeyId: creds.accessKeyId,
        accessKeySecret: creds.accessKeySecret,
        params: { RegionId: String(BENCH_QUERIES.alicloud.region), ImageOwnerAlias: 'system', Status: 'Available' },
      });
      const list = await baseline.listAll();
      if (list.length !== task.size) throw new Error(`pop-core listed ${list.length} images, expected ${task.size}`);
      return list.length;
    });
    result = { times, clientRequests: baseline.requests, images, totalRuns: task.runs + 1 };
  } else if (task.kind === 'huawei-sdk') {
    const { HuaweiSdkBaseline } = require('./baselines/huawei-sdk-core') as typeof import('./baselines/huawei-sdk-core');
    const creds = server.credentials.huaweicloud;
    let baseline!: InstanceType<typeof HuaweiSdkBaseline>;
    const { times, images } = await timed(task.runs, async () => {
      baseline = new HuaweiSdkBaseline({
        endpoint: server.endpoints.huaweicloud.replace('{region}', String(BENCH_QUERIES.huaweicloud.region)),
        accessKey: creds.accessKey,
        secretKey: creds.secretKey,
        projectId: creds.projectId,
        params: { __imagetype: 'gold', status: 'active' },
        limit: task.limit,
      });
      const list = await baseline.listAll();
      if (list.length !== task.size) throw new Error(`huawei sdk loop listed ${list.length} images, expected ${task.size}`);
      return list.length;
    });
    result = { times, clientRequests: baseline.requests, images, totalRuns: task.runs + 1 };
  } else if (task.kind === 'huawei-probe') {
    // The largest page the emulator (modelled on IMS/Glance) answers: ask for far more than any cap.
    const { HuaweiSdkBaseline } = require('./baselines/huawei-sdk-core') as typeof import('./baselines/huawei-sdk-core');
    const creds = server.credentials.huaweicloud;
    const baseline = new HuaweiSdkBaseline({
      endpoint: server.endpoints.huaweicloud.replace('{region}', String(BENCH_QUERIES.huaweicloud.region)),
      accessKey: creds.accessKey,
      secretKey: creds.secretKey,
      projectId: creds.projectId,
      params: { __imagetype: 'gold', status: 'active' },
      limit: task.limit,
    });
    const page = await baseline.firstPage();
    result = { times: [], clientRequests: baseline.requests, images: page.length, totalRuns: 1 };
  } else {
    const ci = cloudimages();
    const http = new ci.HttpClient();
    const sharing = new ci.RequestSharing();
    const selectors = Array.from({ length: 50 }, (_, k) =>
      task.variant === 'local' ? localSelector(task.cloud, k * Math.floor(task.size / 50)) : mixedSelector(task.cloud, k),
    );
    const started = performance.now();
    // As a Pulumi program makes them: all at once.
    const settled = await Promise.allSettled(selectors.map((s) => ci.lookupImage(s, { config: server.config, env: {}, http, sharing })));
    const elapsed = performance.now() - started;
    const failures = settled.filter((s): s is PromiseRejectedResult => s.status === 'rejected').map((s) => String((s.reason as Error).message).slice(0, 120));
    result = {
      times: [elapsed],
      clientRequests: http.sent,
      images: 0,
      calls: selectors.length,
      succeeded: settled.length - failures.length,
      fetches: sharing.fetches,
      failures: [...new Set(failures)].slice(0, 3),
      totalRuns: 1,
    };
  }
  return { ...result, rssStartMB, peakRssMB: maxRssMB(), heapUsedMB: mb(process.memoryUsage().heapUsed) };
}

process.once('message', (task: Task) => {
  run(task).then(
    (result) => process.send!({ ok: true, result }, () => process.exit(0)),
    (err: unknown) => process.send!({ ok: false, error: err instanceof Error ? (err.stack ?? err.message) : String(err) }, () => process.exit(1)),
  );
});
