/**
 * `cloudimages emulator`: serve the four clouds' image APIs on loopback from the built-in catalog or a file.
 * Every failure is one line on stderr, never a stack trace: exit 2 for bad usage (flags, an unreadable or malformed
 * catalog), 1 when the emulator cannot run (the port is taken, a file cannot be written).
 */
import * as fs from 'fs';
import type { CloudName } from '../clouds/registry';
import type { Catalog } from '../emulator/types';
import { UsageError } from './args';
import { isLoopbackHost } from '../core/http/transport';
import { type Sink, writePieces } from './output';

type Write = (text: string) => void;

/** The largest latency the emulator adds (10 minutes): more is a typo, not a network. */
const MAX_LATENCY_MS = 600_000;

/** A failure of the emulator itself (not of its usage): exit 1. */
class EmulatorFailure extends Error {}

export async function runEmulatorCommand(options: Record<string, string | boolean>, out: Sink, err: Write): Promise<number> {
  try {
    return await run(options, out, err);
  } catch (e) {
    if (e instanceof UsageError) {
      err(`cloudimages emulator: ${e.message}\nRun "cloudimages --help" for usage.\n`);
      return 2;
    }
    err(`cloudimages emulator: ${e instanceof EmulatorFailure ? e.message : `unexpected error: ${(e as Error)?.message ?? String(e)}`}\n`);
    return 1;
  }
}

async function run(options: Record<string, string | boolean>, out: Sink, err: Write): Promise<number> {
  // Loaded only here: the emulator and its catalogs are not needed for queries.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { Emulator, builtInCatalog } = require('../emulator/server') as typeof import('../emulator/server');
  const writeTo = options['write-catalog'];
  if (typeof writeTo === 'string') {
    try {
      fs.writeFileSync(writeTo, `${JSON.stringify(builtInCatalog(), null, 1)}\n`);
    } catch (e) {
      throw new EmulatorFailure(`cannot write --write-catalog ${writeTo}: ${fsReason(e)}`);
    }
    await out(`wrote the built-in catalog to ${writeTo}\n`);
    return 0;
  }
  const port = wholeNumber(options.port, '--port', 0, 65535, '0 (a free port) to 65535');
  const latencyMs = wholeNumber(options['latency-ms'], '--latency-ms', 0, MAX_LATENCY_MS, `0 to ${MAX_LATENCY_MS} (milliseconds added to every answer)`);
  const host = typeof options.host === 'string' ? options.host : '127.0.0.1';
  const catalog = typeof options.catalog === 'string' ? readCatalog(options.catalog) : undefined;

  const emulator = new Emulator({ catalog, latencyMs });
  try {
    await emulator.start(port, host);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') throw new EmulatorFailure(`port ${port} on ${host} is already in use; choose another --port, or --port 0 for a free one`);
    if (code === 'EACCES')
      throw new EmulatorFailure(`not allowed to listen on port ${port} on ${host}; ports below 1024 need privileges: choose a --port from 1024`);
    if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND')
      throw new UsageError(`--host ${host} is not an address of this machine; the emulator listens on loopback (127.0.0.1)`);
    throw new EmulatorFailure(`cannot listen on ${host}:${port}: ${(e as Error).message}`);
  }
  if (!isLoopbackHost(host)) {
    err(
      `cloudimages emulator: warning: listening on ${host}, not loopback: other machines can reach it, and the credentials below (fake, but accepted) are then public; use it only on a network you trust\n`,
    );
  }
  const banner = [`cloudimages emulator listening on ${emulator.url}\n`];
  for (const cloud of Object.keys(emulator.catalog) as CloudName[]) {
    banner.push(`  ${cloud.padEnd(17)} --endpoint ${emulator.endpoint(cloud)}   (${emulator.catalog[cloud]!.images.length} images)\n`);
  }
  banner.push('Credentials the emulator accepts (fake):\n');
  for (const [name, value] of Object.entries(emulator.clientEnv())) banner.push(`  export ${name}=${value}\n`);
  try {
    await writePieces(out, banner);
  } catch (e) {
    // Nobody can read where it listens: stop rather than serve unseen.
    await emulator.stop();
    throw e;
  }
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await emulator.stop();
  return 0;
}

function wholeNumber(value: string | boolean | undefined, flag: string, min: number, max: number, range: string): number {
  if (value === undefined) return min;
  const text = String(value).trim();
  const number = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(number) || number < min || number > max) throw new UsageError(`${flag} takes a whole number from ${range}, got "${String(value)}"`);
  return number;
}

/** Reads and checks a catalog file: an object with one entry per cloud, each with `credentials` and `images`. */
function readCatalog(file: string): Catalog {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new UsageError(`cannot read --catalog ${file}: ${fsReason(e)}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new UsageError(`--catalog ${file} is not JSON (${(e as Error).message}); start from the output of --write-catalog`);
  }
  const shape = 'an object with one entry per cloud, each with "credentials" (an object) and "images" (a list), as --write-catalog writes it';
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new UsageError(`--catalog ${file} must be ${shape}`);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { EMULATED_CLOUDS } = require('../emulator/apis') as typeof import('../emulator/apis');
  const clouds: readonly string[] = EMULATED_CLOUDS;
  const entries = Object.entries(parsed as Record<string, unknown>);
  if (entries.length === 0) throw new UsageError(`--catalog ${file} has no cloud; it must be ${shape}`);
  for (const [cloud, section] of entries) {
    if (!clouds.includes(cloud)) throw new UsageError(`--catalog ${file}: unknown cloud "${cloud}"; clouds are ${clouds.join(', ')}`);
    const s = section as { credentials?: unknown; images?: unknown } | null;
    if (!s || typeof s !== 'object' || !Array.isArray(s.images) || !s.credentials || typeof s.credentials !== 'object') {
      throw new UsageError(`--catalog ${file}: "${cloud}" must have "credentials" (an object) and "images" (a list), as --write-catalog writes it`);
    }
  }
  return parsed; // checked above: an object of clouds, each with credentials and images
}

function fsReason(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such file or directory';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EISDIR') return 'it is a directory';
  return code ?? (e as Error).message;
}
