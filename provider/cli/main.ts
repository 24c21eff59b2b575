/**
 * `cloudimages images|image|emulator`: try a query from a shell. Exit 0 on success, 1 when the query fails,
 * 2 on bad usage or configuration (an argument, a missing credential, a bad CLOUDIMAGES_* variable).
 * With --json, stdout carries the result object and nothing else.
 */
import { CloudImagesError, ConfigurationError, ValidationError } from '../core/errors';
import { redact } from '../core/redact';
import { VERSION } from '../core/version';
import type { Env } from '../core/config';
import { lookupImage, lookupImages } from '../lookup';
import { parseCommandLine, usage, UsageError } from './args';
import { formatTable } from './format';
import { explanationLines } from './explain';
import { runEmulatorCommand } from './emulator-command';
import { inCliWords } from './words';

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
  if (parsed.options.version) {
    out(`cloudimages ${VERSION}\n`);
    return 0;
  }
  if (!parsed.command || parsed.options.help) {
    out(`${usage()}\n`);
    return parsed.command || argv.length > 0 ? 0 : 2;
  }
  if (parsed.command === 'emulator') return runEmulatorCommand(parsed.options, out, err);
  try {
    const explain = parsed.options.explain === true;
    if (parsed.command === 'images') {
      const outcome = await lookupImages(parsed.args, { env, explain, now: io.now });
      for (const line of explanationLines(outcome)) err(`${inCliWords(line)}\n`);
      const { result } = outcome;
      out(parsed.options.json ? `${JSON.stringify(result, null, 2)}\n` : `${formatTable(result.images)}\n${result.images.length} image(s)\n`);
    } else {
      const outcome = await lookupImage(parsed.args, { env, explain, now: io.now });
      const { result, warnings, reason } = outcome;
      for (const warning of warnings) err(`warning: ${inCliWords(warning)}\n`);
      for (const line of explanationLines(outcome)) err(`${inCliWords(line)}\n`);
      out(parsed.options.json ? `${JSON.stringify(result, null, 2)}\n` : `${formatTable([result])}\nchosen: ${reason}\n`);
    }
    return 0;
  } catch (e) {
    if (e instanceof ValidationError || e instanceof ConfigurationError) {
      err(`cloudimages: ${inCliWords(e.message)}\n`);
      return 2;
    }
    if (e instanceof CloudImagesError) {
      err(`cloudimages: ${inCliWords(e.message)}\n`);
      return 1;
    }
    // Not ours: say so plainly, without a stack unless debugging.
    const debug = ['1', 'true'].includes(env.CLOUDIMAGES_DEBUG ?? '');
    err(`cloudimages: unexpected error: ${redact(debug ? String((e as Error).stack) : String((e as Error).message ?? e))}\n`);
    return 1;
  }
}
