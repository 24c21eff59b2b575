/**
 * `cloudimages images|image|emulator`: try a query from a shell. Exit 0 on success, 1 when the query fails,
 * 2 on bad usage or configuration (an argument, a missing credential, a bad CLOUDIMAGES_* variable).
 * With --json, stdout carries the result object and nothing else.
 */
import * as fs from 'fs';
import { CloudImagesError, ConfigurationError, ValidationError } from '../core/errors';
import { redact } from '../core/redact';
import type { Env } from '../core/config';
import type { CloudName } from '../clouds/registry';
import { lookupImage, lookupImages } from '../lookup';
import { parseCommandLine, usage, UsageError } from './args';
import { formatTable } from './format';
import { explanationLines } from './explain';

export interface CliIo {
  env?: Env;
  stdout?: (text: string) => void;
  stderr?: (text: string) => void;
  /** "Now" for --min-age-days and --max-age-days (tests); defaults to the clock. */
  now?: () => Date;
}

export async function runCli(argv: string[], io: CliIo = {}): Promise<number> {
  const out = io.stdout ?? ((text) => process.stdout.write(text));
  const err = io.stderr ?? ((text) => process.stderr.write(text));
  const env = io.env ?? process.env;
  let parsed;
  try {
    parsed = parseCommandLine(argv);
  } catch (e) {
    if (e instanceof UsageError) {
      err(`cloudimages: ${e.message}\nRun "cloudimages --help" for usage.\n`);
      return 2;
    }
    throw e;
  }
  if (!parsed.command || parsed.options.help) {
    out(`${usage()}\n`);
    return parsed.command || argv.length > 0 ? 0 : 2;
  }
  if (parsed.command === 'emulator') return runEmulator(parsed.options, out, err);
  try {
    const explain = parsed.options.explain === true;
    if (parsed.command === 'images') {
      const outcome = await lookupImages(parsed.args, { env, explain, now: io.now });
      for (const line of explanationLines(outcome)) err(`${line}\n`);
      const { result } = outcome;
      out(parsed.options.json ? `${JSON.stringify(result, null, 2)}\n` : `${formatTable(result.images)}\n${result.images.length} image(s)\n`);
    } else {
      const outcome = await lookupImage(parsed.args, { env, explain, now: io.now });
      const { result, warnings, reason } = outcome;
      for (const warning of warnings) err(`warning: ${warning}\n`);
      for (const line of explanationLines(outcome)) err(`${line}\n`);
      out(parsed.options.json ? `${JSON.stringify(result, null, 2)}\n` : `${formatTable([result])}\nchosen: ${reason}\n`);
    }
    return 0;
  } catch (e) {
    if (e instanceof ValidationError || e instanceof ConfigurationError) {
      err(`cloudimages: ${e.message}\n`);
      return 2;
    }
    if (e instanceof CloudImagesError) {
      err(`cloudimages: ${e.message}\n`);
      return 1;
    }
    // Not ours: say so plainly, without a stack unless debugging.
    const debug = ['1', 'true'].includes(env.CLOUDIMAGES_DEBUG ?? '');
    err(`cloudimages: unexpected error: ${redact(debug ? String((e as Error).stack) : String((e as Error).message ?? e))}\n`);
    return 1;
  }
}

async function runEmulator(options: Record<string, string | boolean>, out: (t: string) => void, err: (t: string) => void): Promise<number> {
  // Loaded only here: the emulator and its catalogs are not needed for queries.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { Emulator, builtInCatalog } = require('../emulator/server') as typeof import('../emulator/server');
  if (typeof options['write-catalog'] === 'string') {
    fs.writeFileSync(options['write-catalog'], `${JSON.stringify(builtInCatalog(), null, 1)}\n`);
    out(`wrote the built-in catalog to ${options['write-catalog']}\n`);
    return 0;
  }
  const port = Number(options.port ?? 0);
  const latencyMs = Number(options['latency-ms'] ?? 0);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    err('cloudimages: --port takes a number from 0 to 65535\n');
    return 2;
  }
  const catalog = typeof options.catalog === 'string' ? JSON.parse(fs.readFileSync(options.catalog, 'utf8')) : undefined;
  const emulator = await new Emulator({ catalog, latencyMs }).start(port, typeof options.host === 'string' ? options.host : '127.0.0.1');
  out(`cloudimages emulator listening on ${emulator.url}\n`);
  for (const cloud of Object.keys(emulator.catalog) as CloudName[]) {
    out(`  ${cloud.padEnd(17)} --endpoint ${emulator.endpoint(cloud)}   (${emulator.catalog[cloud]!.images.length} images)\n`);
  }
  out('Credentials the emulator accepts (fake):\n');
  for (const [name, value] of Object.entries(emulator.clientEnv())) out(`  export ${name}=${value}\n`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await emulator.stop();
  return 0;
}
