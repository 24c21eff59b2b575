/**
 * `npm run bench`: cloudimages against the official SDKs' own paging loops, on the emulator with injected
 * per-request latency, over catalogs of 2,000 and 10,000 images; 50 getImage calls over one catalog; and the
 * provider plugin's start-up time. Loopback only. Writes bench/results/results.{md,json} and chart.png.
 *
 *   node dist/bench/run.js [--latency 100] [--runs 5] [--sizes 2000,10000] [--clouds …] [--quick] [--update-docs]
 */
import { ChildProcess, fork, spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { HostRequest, HostServer } from './emulator-host';
import type { Task, WorkerResult } from './worker';
import type { BenchCloud } from './catalogs';
import { CaseResult, GetImageResult, renderChart, renderMarkdown, BenchResults, REPEAT_CLIENT, RESULTS_PAGE, StartupResult, updateDocsTable } from './report';

const ROOT = path.resolve(__dirname, '..', '..');
const RESULTS = path.join(ROOT, 'bench', 'results');

interface Options {
  latencyMs: number;
  runs: number;
  sizes: number[];
  startupRuns: number;
  updateDocs: boolean;
  clouds: string[];
  /** Re-render results.md, chart.png (and docs/performance.md with --update-docs) from results.json, without measuring. */
  render: boolean;
}

function parseArgs(argv: string[]): Options {
  const options: Options = {
    latencyMs: 100,
    runs: 5,
    sizes: [2000, 10000],
    startupRuns: 7,
    updateDocs: false,
    clouds: ['alicloud', 'huaweicloud', 'nscale', 'ucloud'],
    render: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split('=', 2);
    const value = () => inline ?? argv[++i];
    if (flag === '--latency') options.latencyMs = Number(value());
    else if (flag === '--runs') options.runs = Number(value());
    else if (flag === '--sizes') options.sizes = value().split(',').map(Number);
    else if (flag === '--quick') Object.assign(options, { runs: 3, sizes: [2000], startupRuns: 3 });
    else if (flag === '--clouds') options.clouds = value().split(',');
    else if (flag === '--render') options.render = true;
    else if (flag === '--update-docs') options.updateDocs = true;
    else if (flag === '--help' || flag === '-h') {
      process.stdout.write(
        'usage: npm run bench -- [--latency MS (100)] [--runs N (5)] [--sizes 2000,10000] [--clouds alicloud,huaweicloud,nscale,ucloud] [--quick] [--update-docs] [--render]\n',
      );
      process.exit(0);
    } else throw new Error(`unknown flag ${argv[i]} (try --help)`);
  }
  if (!(options.latencyMs >= 0) || !(options.runs >= 1) || options.sizes.some((s) => !(s >= 1))) throw new Error('bad --latency, --runs or --sizes');
  return options;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

class Host {
  private nextId = 1;
  private readonly waiting = new Map<number, (reply: Record<string, unknown>) => void>();
  private started?: (servers: HostServer[]) => void;
  constructor(private readonly child: ChildProcess) {
    child.on('message', (m: Record<string, unknown>) => {
      if (m.op === 'started') this.started?.(m.servers as HostServer[]);
      else this.waiting.get(m.id as number)?.(m);
    });
  }
  start(sizes: number[], latencyMs: number): Promise<HostServer[]> {
    return new Promise((resolve) => {
      this.started = resolve;
      this.child.send({ op: 'start', sizes, latencyMs } satisfies HostRequest);
    });
  }
  ask(message: Record<string, unknown>): Promise<Record<string, unknown>> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.waiting.set(id, resolve);
      this.child.send({ ...message, id });
    });
  }
}

function runWorker(task: Task): Promise<WorkerResult> {
  return new Promise((resolve, reject) => {
    const child = fork(path.join(__dirname, 'worker.js'), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    let answered = false;
    child.on('message', (m: { ok: boolean; result?: WorkerResult; error?: string }) => {
      answered = true;
      if (m.ok) resolve(m.result!);
      else reject(new Error(`${task.kind} ${task.cloud} ${task.size}: ${m.error}`));
    });
    child.on('exit', (code) => {
      if (!answered) reject(new Error(`${task.kind} ${task.cloud} ${task.size}: the worker exited with ${code}`));
    });
    child.send(task);
  });
}

/** Time from spawn to a condition, median of runs; the two commands alternate so drift hits both. */
function timeProcess(command: string, args: string[], until: 'first-line' | 'exit'): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(command, args, { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, CLOUDIMAGES_DEBUG: '' } });
    let out = '';
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (until === 'first-line' && out.includes('\n')) {
        const elapsed = performance.now() - started;
        if (!/^\d+\n/.test(out)) reject(new Error(`the plugin printed ${JSON.stringify(out.slice(0, 80))} before its port`));
        child.kill();
        resolve(elapsed);
      }
    });
    child.on('exit', (code) => {
      if (until === 'exit') {
        if (code === 0) resolve(performance.now() - started);
        else reject(new Error(`${command} ${args.join(' ')} exited with ${code}: ${err.slice(0, 300)}`));
      } else if (!out.includes('\n')) reject(new Error(`the plugin exited (${code}) before printing its port: ${err.slice(0, 300)}`));
    });
  });
}

async function measureStartup(runs: number): Promise<StartupResult> {
  const plugin: number[] = [];
  const bare: number[] = [];
  const pluginBin = path.join(ROOT, 'bin', 'pulumi-resource-cloudimages');
  await timeProcess(process.execPath, [pluginBin], 'first-line'); // warm the file cache
  await timeProcess(process.execPath, ['-e', "require('@pulumi/pulumi')"], 'exit');
  for (let i = 0; i < runs; i++) {
    plugin.push(await timeProcess(process.execPath, [pluginBin], 'first-line'));
    bare.push(await timeProcess(process.execPath, ['-e', "require('@pulumi/pulumi')"], 'exit'));
  }
  return { pluginMs: median(plugin), bareMs: median(bare), runs };
}

function write(results: BenchResults, options: Options): string {
  fs.mkdirSync(RESULTS, { recursive: true });
  const markdown = renderMarkdown(results);
  fs.writeFileSync(path.join(RESULTS, 'results.md'), markdown);
  fs.writeFileSync(path.join(RESULTS, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
  fs.writeFileSync(path.join(RESULTS, 'chart.png'), renderChart(results));
  if (options.updateDocs) updateDocsTable(path.join(ROOT, RESULTS_PAGE), results);
  return markdown;
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  if (options.render) {
    const results = JSON.parse(fs.readFileSync(path.join(RESULTS, 'results.json'), 'utf8')) as BenchResults;
    write(results, options);
    process.stdout.write(`re-rendered bench/results from results.json${options.updateDocs ? ` and the table in ${RESULTS_PAGE}` : ''}\n`);
    return;
  }
  const began = performance.now();
  const loadAtStart = os.loadavg()[0];
  const log = (line: string) => process.stdout.write(`${line}\n`);
  log(
    `cloudimages bench: latency ${options.latencyMs} ms, catalogs ${options.sizes.join(', ')}, ${options.runs} timed runs per case (median), Node ${process.version}`,
  );
  const child = fork(path.join(__dirname, 'emulator-host.js'), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const host = new Host(child);
  const servers = await host.start(options.sizes, options.latencyMs);
  const cases: CaseResult[] = [];
  const getImage: GetImageResult[] = [];
  let huaweiCap: number | undefined;
  let huaweiLimits: string[] = [];
  try {
    for (const server of servers) {
      const size = server.size;
      // Fewer runs for the slow sequential baselines on the big catalog keep the whole bench within minutes.
      const runs = size > 5000 ? Math.max(1, Math.min(options.runs, 3)) : options.runs;
      const plan: { task: Task; client: string; baseline?: string }[] = [
        { task: { kind: 'pop-core', cloud: 'alicloud', size, server, runs }, client: '@alicloud/pop-core loop' },
        { task: { kind: 'cloudimages', cloud: 'alicloud', size, server, runs }, client: 'cloudimages', baseline: '@alicloud/pop-core loop' },
        { task: { kind: 'cloudimages-repeat', cloud: 'alicloud', size, server, runs }, client: REPEAT_CLIENT, baseline: '@alicloud/pop-core loop' },
        { task: { kind: 'huawei-sdk', cloud: 'huaweicloud', size, server, runs }, client: 'huaweicloud-sdk-core loop (limit 500)' },
        { task: { kind: 'huawei-sdk', cloud: 'huaweicloud', size, server, runs, limit: 1000 }, client: 'huaweicloud-sdk-core loop (limit 1000)' },
        { task: { kind: 'cloudimages', cloud: 'huaweicloud', size, server, runs }, client: 'cloudimages', baseline: 'huaweicloud-sdk-core loop (limit 500)' },
        { task: { kind: 'cloudimages', cloud: 'nscale', size, server, runs }, client: 'cloudimages' },
        { task: { kind: 'cloudimages', cloud: 'ucloud', size, server, runs }, client: 'cloudimages' },
      ];
      for (const { task, client, baseline } of plan.filter((p) => options.clouds.includes(p.task.cloud))) {
        await host.ask({ op: 'reset' });
        const result = await runWorker(task);
        const emulatorCount = (await host.ask({ op: 'count', size })).count as number;
        if (task.kind === 'cloudimages' && task.cloud === 'huaweicloud')
          huaweiLimits = (await host.ask({ op: 'limits', size, cloud: 'huaweicloud' })).limits as string[];
        const row: CaseResult = {
          cloud: task.cloud,
          size,
          client,
          baseline,
          medianMs: median(result.times),
          minMs: Math.min(...result.times),
          maxMs: Math.max(...result.times),
          runs: result.times.length,
          requests: emulatorCount / result.totalRuns,
          clientRequests: result.clientRequests,
          peakRssMB: result.peakRssMB,
          rssStartMB: result.rssStartMB,
          heapUsedMB: result.heapUsedMB,
          selectAllMs: result.selectAllMs,
          chooseMs: result.chooseMs,
          selectFetches: result.selectFetches,
          onePeakMB: result.onePeakMB,
          oneHeapMB: result.oneHeapMB,
        };
        cases.push(row);
        log(
          `  ${task.cloud.padEnd(11)} ${String(size).padStart(6)}  ${client.padEnd(40)} ${row.medianMs.toFixed(0).padStart(7)} ms  ${String(row.requests).padStart(4)} requests  peak RSS ${row.peakRssMB} MB${row.selectAllMs !== undefined ? `  select all ${row.selectAllMs.toFixed(1)} ms, mostRecent ${row.chooseMs!.toFixed(1)} ms, one listing peak ${row.onePeakMB} MB` : ''}`,
        );
      }
      if (huaweiCap === undefined && options.clouds.includes('huaweicloud')) {
        const probe = await runWorker({ kind: 'huawei-probe', cloud: 'huaweicloud', size, server, limit: 5000 });
        huaweiCap = probe.images;
        log(`  huaweicloud: a page asked with limit=5000 holds ${huaweiCap} images (the emulator's cap); cloudimages asked limit=${huaweiLimits.join(',')}`);
      }
    }
    const server = servers.find((s) => s.size === 2000) ?? servers[0];
    for (const [cloud, variant] of [
      ['alicloud', 'local'],
      ['alicloud', 'mixed'],
      ['huaweicloud', 'local'],
      ['huaweicloud', 'mixed'],
      ['nscale', 'local'],
      ['ucloud', 'local'],
    ] as [BenchCloud, 'local' | 'mixed'][]) {
      if (!options.clouds.includes(cloud)) continue;
      await host.ask({ op: 'reset' });
      const result = await runWorker({ kind: 'getimage50', cloud, size: server.size, server, variant });
      const emulatorCount = (await host.ask({ op: 'count', size: server.size })).count as number;
      const listing = cases.find((c) => c.cloud === cloud && c.size === server.size && c.client === 'cloudimages');
      getImage.push({
        cloud,
        size: server.size,
        variant,
        calls: result.calls!,
        succeeded: result.succeeded!,
        fetches: result.fetches!,
        requests: emulatorCount,
        oneFetchRequests: listing?.requests,
        wallMs: result.times[0],
        failures: result.failures ?? [],
      });
      log(
        `  50 getImage ${cloud} (${variant}): ${result.succeeded}/${result.calls} chosen, ${result.fetches} fetches, ${emulatorCount} requests (one listing: ${listing?.requests}), ${result.times[0].toFixed(0)} ms`,
      );
    }
  } finally {
    await host.ask({ op: 'stop' }).catch(() => undefined);
  }
  const startup = await measureStartup(options.startupRuns);
  log(`  plugin start-up to its port: ${startup.pluginMs.toFixed(0)} ms; bare require('@pulumi/pulumi'): ${startup.bareMs.toFixed(0)} ms`);

  const results: BenchResults = {
    date: new Date().toISOString().slice(0, 10),
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    cpus: os.cpus().length,
    latencyMs: options.latencyMs,
    runs: options.runs,
    sizes: options.sizes,
    cases,
    getImage,
    startup,
    huaweiCap: huaweiCap ?? 1000,
    huaweiLimits,
    elapsedS: Math.round((performance.now() - began) / 1000),
    loadAverage: [loadAtStart, os.loadavg()[0]],
  };
  const markdown = write(results, options);
  log('');
  log(markdown);
  log(`wrote bench/results/results.md, results.json and chart.png${options.updateDocs ? `, and the table in ${RESULTS_PAGE}` : ''} (${results.elapsedS} s)`);
}

main().catch((err: unknown) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
