/**
 * The emulator for the benchmarks, in its own process (forked by run.ts), so the server's CPU work and memory
 * never count against the client being measured (the machine has two cores: one each). One emulator per
 * catalog size, on loopback, with the same injected latency before every answer. Each answer is worked out while
 * its latency runs (workDuringLatency): the physical floor assumes a service with no processing time, so the
 * emulator's own CPU time (answering 20 concurrent pages one after another in one process) is not the client's.
 */
import { Emulator } from '../provider/emulator/server';
import type { CloudName } from '../provider/clouds/registry';
import { benchCatalog } from './catalogs';

export type HostRequest =
  | { op: 'start'; sizes: number[]; latencyMs: number }
  | { op: 'count'; id: number; size: number }
  | { op: 'reset'; id: number }
  | { op: 'limits'; id: number; size: number; cloud: string }
  | { op: 'stop'; id: number };

export interface HostServer {
  size: number;
  url: string;
  config: ReturnType<Emulator['clientConfig']>;
  /** Per cloud: the endpoint a client should use (with {region} where the cloud needs it). */
  endpoints: Record<string, string>;
  credentials: Record<string, Record<string, string>>;
}

const emulators = new Map<number, Emulator>();
const send = (message: unknown) => process.send!(message);

process.on('message', (message: HostRequest) => {
  void (async () => {
    if (message.op === 'start') {
      const servers: HostServer[] = [];
      for (const size of message.sizes) {
        const emulator = await new Emulator({ catalog: benchCatalog(size), latencyMs: message.latencyMs, workDuringLatency: true }).start();
        emulators.set(size, emulator);
        const endpoints: Record<string, string> = {};
        const credentials: Record<string, Record<string, string>> = {};
        for (const cloud of Object.keys(emulator.catalog) as CloudName[]) {
          endpoints[cloud] = emulator.endpoint(cloud);
          credentials[cloud] = emulator.catalog[cloud]!.credentials;
        }
        servers.push({ size, url: emulator.url, config: emulator.clientConfig(), endpoints, credentials });
      }
      send({ op: 'started', servers });
    } else if (message.op === 'count') {
      send({ id: message.id, count: emulators.get(message.size)?.count() ?? 0 });
    } else if (message.op === 'limits') {
      // The page sizes a client asked for (Huawei's `limit`), to report what cloudimages really sends.
      const limits = new Set(
        emulators
          .get(message.size)
          ?.requests.filter((r) => r.cloud === message.cloud)
          .map((r) => String(r.query.limit ?? '(none)')),
      );
      send({ id: message.id, limits: [...limits] });
    } else if (message.op === 'reset') {
      for (const emulator of emulators.values()) emulator.resetCounts();
      send({ id: message.id });
    } else if (message.op === 'stop') {
      for (const emulator of emulators.values()) await emulator.stop();
      send({ id: message.id });
      process.exit(0);
    }
  })();
});
