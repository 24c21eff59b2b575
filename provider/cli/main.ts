/**
 * `cloudimages images|image|emulator`: try a query from a shell. Exit 0 on success (also when the reader of stdout
 * stops early, as `| head -1` does), 1 when the query fails, 2 on bad usage or configuration (an argument, a refused
 * endpoint, a missing or unsendable credential, a bad CLOUDIMAGES_* variable).
 * With --json, stdout carries the result object and nothing else.
 */
import { BUILT_IN_REGISTRY } from '../clouds';
import type { CloudRegistry } from '../core/module';
import { CloudImagesError, ConfigurationError, TransportError, ValidationError } from '../core/errors';
import { redact } from '../core/redact';
import { VERSION } from '../core/version';
import type { Env } from '../core/config';
import { lookupImage, lookupImages } from '../lookup';
import { parseCommandLine, usage, UsageError } from './args';
import { jsonPieces, tableLines } from './format';
import { explanationLines } from './explain';
import { runEmulatorCommand } from './emulator-command';
import { inCliWords } from './words';
import { concat, isClosedPipe, Sink, streamSink, withNewlines, writePieces } from './output';
import { escapeControls } from '../core/text';
import type { LookupProgress } from '../core/http/client';
import { ProgressLine } from './progress';

/** Tables fit this width when stdout is not a terminal (a pipe, a file): an ordinary terminal's. */
const DEFAULT_COLUMNS = 120;

export interface CliIo {
  /** The clouds the CLI knows: the built-in ones unless a caller (a test, an extension) assembles its own. */
  registry?: CloudRegistry;
  env?: Env;
  /** Takes the output in chunks; a returned promise is awaited before the next (backpressure). */
  stdout?: Sink;
  stderr?: (text: string) => void;
  /** "Now" for --min-age-days and --max-age-days (tests); defaults to the clock. */
  now?: () => Date;
  /** The width tables fit: default the terminal's when stdout is one, else 120. */
  columns?: number;
  /** Whether stderr is a terminal (then a progress line shows while a lookup runs); default: process.stderr's. */
  stderrIsTerminal?: boolean;
}

export async function runCli(argv: string[], io: CliIo = {}): Promise<number> {
  const out = io.stdout ?? streamSink(process.stdout);
  const errRaw = io.stderr ?? ((text) => process.stderr.write(text));
  // Messages may quote server text or the command line: escaped, so each stays one visible line.
  // Our own messages may span lines; each line is escaped (server text in errors is escaped when they are made).
  const err = (text: string) => errRaw(`${text.replace(/\n$/, '').split('\n').map(escapeControls).join('\n')}\n`);
  const env = io.env ?? process.env;
  const registry = io.registry ?? BUILT_IN_REGISTRY;
  const columns = io.columns ?? (io.stdout === undefined && process.stdout.isTTY ? process.stdout.columns : undefined) ?? DEFAULT_COLUMNS;
  const terminal = io.stderrIsTerminal ?? (io.stderr === undefined && process.stderr.isTTY === true);
  let parsed;
  try {
    parsed = parseCommandLine(argv);
  } catch (e) {
    if (e instanceof UsageError) {
      err(`cloudimages: ${e.message}`);
      err('Run "cloudimages --help" for usage.');
      return 2;
    }
    throw e;
  }
  if (parsed.options.version) {
    await out(`cloudimages ${VERSION}\n`);
    return 0;
  }
  if (!parsed.command || parsed.options.help) {
    await writePieces(out, [`${usage(registry)}\n`]);
    return parsed.command || argv.length > 0 ? 0 : 2;
  }
  if (parsed.command === 'emulator') return runEmulatorCommand(parsed.options, out, err);
  const progress = terminal
    ? new ProgressLine(errRaw, `cloudimages: ${escapeControls(typeof parsed.args.cloud === 'string' ? parsed.args.cloud : '')}`)
    : undefined;
  try {
    const explain = parsed.options.explain === true;
    const table = { width: parsed.options.wide === true ? undefined : columns };
    const options = { registry, env, explain, now: io.now, onProgress: progress && ((p: LookupProgress) => progress.update(p)) };
    if (parsed.command === 'images') {
      const outcome = await lookupImages(parsed.args, options).finally(() => progress?.clear());
      for (const warning of outcome.warnings) err(`warning: ${inCliWords(warning)}`);
      for (const line of explanationLines(outcome)) err(inCliWords(line));
      const { result } = outcome;
      await writePieces(
        out,
        parsed.options.json
          ? concat(jsonPieces(result), ['\n'])
          : concat(withNewlines(tableLines(result.images, table)), [`${result.images.length} image(s)\n`]),
      );
    } else {
      const outcome = await lookupImage(parsed.args, options).finally(() => progress?.clear());
      const { result, warnings, reason } = outcome;
      for (const warning of warnings) err(`warning: ${inCliWords(warning)}`);
      for (const line of explanationLines(outcome)) err(inCliWords(line));
      await writePieces(
        out,
        parsed.options.json
          ? concat(jsonPieces(result), ['\n'])
          : concat(withNewlines(tableLines([result], table)), [`chosen: ${escapeControls(reason ?? '')}\n`]),
      );
    }
    return 0;
  } catch (e) {
    // The reader stopped reading (`| head -1`): it has what it wanted.
    if (isClosedPipe(e)) return 0;
    // A refused endpoint (TransportError: refused before sending) is bad input too.
    if (e instanceof ValidationError || e instanceof ConfigurationError || e instanceof TransportError) {
      err(`cloudimages: ${inCliWords(e.message)}`);
      return 2;
    }
    if (e instanceof CloudImagesError) {
      err(`cloudimages: ${inCliWords(e.message)}`);
      return 1;
    }
    // Not ours: say so plainly, without a stack unless debugging.
    const debug = ['1', 'true'].includes(env.CLOUDIMAGES_DEBUG ?? '');
    const lines = redact(debug ? String((e as Error).stack) : String((e as Error).message ?? e)).split('\n');
    err(`cloudimages: unexpected error: ${lines[0]}`);
    for (const line of lines.slice(1)) err(line);
    return 1;
  }
}
