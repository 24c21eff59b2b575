/** Turns command-line flags into query arguments, driven by the same table as validation (QUERY_ARGUMENTS). */
import { QUERY_ARGUMENTS, ArgumentSpec } from '../core/query';

export class UsageError extends Error {}

export interface ParsedCommandLine {
  command?: string;
  args: Record<string, unknown>;
  options: Record<string, string | boolean>;
}

/** Flags that are not query arguments, per command. */
export const COMMAND_OPTIONS: Record<string, Record<string, 'boolean' | 'string'>> = {
  images: { json: 'boolean', explain: 'boolean', help: 'boolean' },
  image: { json: 'boolean', explain: 'boolean', help: 'boolean' },
  emulator: { port: 'string', host: 'string', 'latency-ms': 'string', catalog: 'string', 'write-catalog': 'string', help: 'boolean' },
};

const BY_FLAG = new Map(QUERY_ARGUMENTS.map((spec) => [spec.flag, spec]));

export function parseCommandLine(argv: string[]): ParsedCommandLine {
  const [command, ...rest] = argv;
  const parsed: ParsedCommandLine = { command, args: {}, options: {} };
  if (!command || command === '--help' || command === '-h' || command === 'help') {
    parsed.command = undefined;
    return parsed;
  }
  const options = COMMAND_OPTIONS[command];
  if (!options) throw new UsageError(`unknown command "${command}"; commands are ${Object.keys(COMMAND_OPTIONS).join(', ')}`);
  const queryFlags = command === 'emulator' ? new Map<string, ArgumentSpec>() : BY_FLAG;
  for (let i = 0; i < rest.length; i++) {
    const token = rest[i];
    if (token === '-h') {
      parsed.options.help = true;
      continue;
    }
    if (!token.startsWith('--')) throw new UsageError(`unexpected argument "${token}"; flags start with --`);
    let [flag, inline] = splitOnce(token.slice(2), '=');
    const negated = inline === undefined && flag.startsWith('no-') && queryFlags.get(flag.slice(3))?.kind === 'boolean';
    if (negated) flag = flag.slice(3);
    const spec = queryFlags.get(flag);
    const optionKind = options[flag];
    if (!spec && !optionKind) {
      const known = [...queryFlags.keys(), ...Object.keys(options)].map((f) => `--${f}`);
      throw new UsageError(`unknown flag --${flag}; known flags: ${known.join(' ')}`);
    }
    const kind = spec?.kind ?? optionKind;
    if (kind === 'boolean') {
      if (inline !== undefined && !/^(true|false)$/i.test(inline)) throw new UsageError(`--${flag} takes no value, or =true / =false; got "${inline}"`);
      const value = negated ? false : inline === undefined ? true : inline.toLowerCase() === 'true';
      if (spec) parsed.args[spec.name] = value;
      else parsed.options[flag] = value;
      continue;
    }
    const value = inline ?? rest[++i];
    if (value === undefined) throw new UsageError(`--${flag} needs a value`);
    if (!spec) {
      parsed.options[flag] = value;
      continue;
    }
    addQueryValue(parsed.args, spec, flag, value);
  }
  return parsed;
}

function addQueryValue(args: Record<string, unknown>, spec: ArgumentSpec, flag: string, value: string): void {
  switch (spec.kind) {
    case 'enumList': {
      const list = (args[spec.name] as string[] | undefined) ?? [];
      args[spec.name] = [...list, ...value.split(',').map((v) => v.trim()).filter(Boolean)];
      return;
    }
    case 'rangeMap':
    case 'stringMap':
    case 'filterMap': {
      const [key, entry] = splitOnce(value, '=');
      if (!key || entry === undefined) throw new UsageError(`--${flag} takes NAME=VALUE, got "${value}"`);
      const map = ((args[spec.name] as Record<string, string | string[]>) ??= {});
      const previous = map[key];
      // A repeated --filter key becomes a list (Alibaba Tag.N, nscale status); other maps keep the last value.
      map[key] = spec.kind === 'filterMap' && previous !== undefined ? [...[previous].flat(), entry] : entry;
      return;
    }
    default:
      args[spec.name] = value;
  }
}

function splitOnce(text: string, separator: string): [string, string | undefined] {
  const at = text.indexOf(separator);
  return at < 0 ? [text, undefined] : [text.slice(0, at), text.slice(at + 1)];
}

export function usage(): string {
  const width = Math.max(...QUERY_ARGUMENTS.map((s) => flagLabel(s).length));
  const lines = QUERY_ARGUMENTS.map((s) => `  ${flagLabel(s).padEnd(width)}  ${s.description}`);
  return [
    'Usage:',
    '  cloudimages images --cloud CLOUD [--region R] [selectors] [--json] [--explain]   list matching images, newest first',
    '  cloudimages image  --cloud CLOUD [--region R] [selectors] [--json] [--explain]   exactly one image (or --most-recent)',
    '  --explain: on stderr, how many images each selector left and (image) the rule that chose; stdout unchanged',
    '  cloudimages emulator [--port N] [--host 127.0.0.1] [--latency-ms N] [--catalog FILE] [--write-catalog FILE]',
    '',
    'Query flags:',
    ...lines,
    '',
    'Credentials come from the environment variables in the README, never from flags.',
    'Exit codes: 0 success, 1 the query failed, 2 bad usage.',
  ].join('\n');
}

function flagLabel(spec: ArgumentSpec): string {
  switch (spec.kind) {
    case 'boolean':
      return `--${spec.flag}${spec.name === 'gpu' ? ' / --no-gpu' : ''}`;
    case 'rangeMap':
      return `--${spec.flag} NAME=RANGE`;
    case 'days':
      return `--${spec.flag} DAYS`;
    case 'stringMap':
    case 'filterMap':
      return `--${spec.flag} KEY=VALUE`;
    default:
      return `--${spec.flag} VALUE`;
  }
}
