/** Turns command-line flags into query arguments, driven by the same table as validation (QUERY_ARGUMENTS). */
import { QUERY_ARGUMENTS, ArgumentSpec, queryArguments } from '../core/query';
import type { CloudRegistry } from '../core/module';
import { inCliWords } from './words';
import { getOwn, setOwn } from '../core/records';

export class UsageError extends Error {}

export interface ParsedCommandLine {
  command?: string;
  args: Record<string, unknown>;
  options: Record<string, string | boolean>;
}

/** Flags that are not query arguments, per command. */
export const COMMAND_OPTIONS: Record<string, Record<string, 'boolean' | 'string'>> = {
  images: { json: 'boolean', wide: 'boolean', explain: 'boolean', help: 'boolean' },
  image: { json: 'boolean', wide: 'boolean', explain: 'boolean', help: 'boolean' },
  emulator: { port: 'string', host: 'string', 'latency-ms': 'string', catalog: 'string', 'write-catalog': 'string', help: 'boolean' },
};

/** Arguments that share another's flag (`--region a,b` gives regions): not flags of their own. */
const SHARED_FLAGS = new Set(['regions']);
const FLAG_ARGUMENTS = QUERY_ARGUMENTS.filter((spec) => !SHARED_FLAGS.has(spec.name));
const BY_FLAG = new Map(FLAG_ARGUMENTS.map((spec) => [spec.flag, spec]));

export function parseCommandLine(argv: string[]): ParsedCommandLine {
  const [command, ...rest] = argv;
  const parsed: ParsedCommandLine = { command, args: {}, options: {} };
  if (!command || command === '--help' || command === '-h' || command === 'help') {
    parsed.command = undefined;
    return parsed;
  }
  if (command === '--version' || command === '-V' || command === 'version') {
    parsed.command = undefined;
    parsed.options.version = true;
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
    const [written, inline] = splitOnce(token.slice(2), '=');
    const negated = inline === undefined && written.startsWith('no-') && queryFlags.get(written.slice(3))?.kind === 'boolean';
    const flag = negated ? written.slice(3) : written;
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
      args[spec.name] = [
        ...list,
        ...value
          .split(',')
          .map((v) => v.trim())
          .filter(Boolean),
      ];
      return;
    }
    case 'rangeMap':
    case 'stringMap':
    case 'filterMap': {
      const [key, entry] = splitOnce(value, '=');
      if (!key || entry === undefined) throw new UsageError(`--${flag} takes NAME=VALUE, got "${value}"`);
      // `--tag __proto__=x` is a tag like any other, and `--filter constructor=x` finds no inherited value.
      const map = ((args[spec.name] as Record<string, string | string[]>) ??= {});
      const previous = getOwn(map, key);
      // A repeated --filter key becomes a list (Alibaba Tag.N, nscale status); other maps keep the last value.
      setOwn(map, key, spec.kind === 'filterMap' && previous !== undefined ? [...[previous].flat(), entry] : entry);
      return;
    }
    default:
      // `--region cn-hangzhou,cn-beijing`: one image across regions (the first listed answers id and region).
      if (spec.name === 'region' && value.includes(',')) args.regions = value.split(',').map((v) => v.trim());
      else args[spec.name] = value;
  }
}

function splitOnce(text: string, separator: string): [string, string | undefined] {
  const at = text.indexOf(separator);
  return at < 0 ? [text, undefined] : [text.slice(0, at), text.slice(at + 1)];
}

/** Where the argument table's wording (written for the SDK and schema) does not fit a command line. */
const CLI_TEXT: Record<string, string> = {
  cloud: 'the cloud whose catalog to query (required)',
  region:
    "the region (nscale: the region ID); defaults to the cloud's region environment variable. Several, comma-separated (a,b): the newest image every one of them has, with its ID in each (regionIds)",
  'most-recent': 'image: when several images match, choose the newest instead of failing',
  architecture: 'CPU architecture',
  gpu: '--gpu: only images that run on GPU machines; --no-gpu: only images the cloud says do not',
  'os-type': 'operating system type',
  'machine-type': 'machine type',
  software: "a semver range on preinstalled software, e.g. --software kubernetes='>=1.29.0 <1.31.0'",
};

/** What a value flag takes, from the argument table: its values and aliases, and how to give a list. */
function accepted(spec: ArgumentSpec): string {
  const parts: string[] = [];
  if (spec.accepted) parts.push(`values: ${spec.accepted.join(', ')}`);
  if (spec.aliases) {
    const byValue = new Map<string, string[]>();
    for (const [alias, value] of Object.entries(spec.aliases)) byValue.set(value, [...(byValue.get(value) ?? []), alias]);
    parts.push(`aliases: ${[...byValue].map(([value, aliases]) => `${aliases.join(', ')} for ${value}`).join('; ')}`);
  }
  if (spec.kind === 'enumList') parts.push('a list: comma-separated (a,b) or the flag repeated');
  if (spec.kind === 'rangeMap' || spec.kind === 'stringMap') parts.push('repeat the flag for several');
  if (spec.kind === 'filterMap') parts.push('repeat the flag for several; a repeated KEY becomes a list');
  return parts.length ? ` (${parts.join('; ')})` : '';
}

/** `cloudimages --help` for the clouds of `clouds`; docs/cli.md quotes it verbatim (a test checks). */
export function usage(clouds: CloudRegistry): string {
  const flagArguments = queryArguments(clouds).filter((spec) => !SHARED_FLAGS.has(spec.name));
  const labels = flagArguments.map(flagLabel);
  const width = Math.max(...labels.map((l) => l.length), '--write-catalog FILE'.length);
  const line = (label: string, text: string) => wrap(`  ${label.padEnd(width)}  `, text);
  return [
    'Usage:',
    '  cloudimages images --cloud CLOUD [--region REGION] [query flags] [--json | --wide] [--explain]',
    '      every matching image, newest first (createdAt, then name, then ID)',
    '  cloudimages image --cloud CLOUD [--region REGION] [query flags] [--most-recent] [--json | --wide] [--explain]',
    '      exactly one image; several matches fail unless --most-recent chooses the newest',
    '  cloudimages emulator [--port N] [--host HOST] [--latency-ms N] [--catalog FILE]',
    '  cloudimages emulator --write-catalog FILE',
    '  cloudimages --help | --version',
    '',
    'Query flags (images, image):',
    ...flagArguments.map((spec, i) => line(labels[i], `${CLI_TEXT[spec.flag] ?? helpStyle(inCliWords(spec.description))}${accepted(spec)}`)),
    '',
    'Output (images, image):',
    line('--json', 'print the result object ({ids, images}, or the image) and nothing else on stdout; default: a table'),
    line(
      '--wide',
      'the table with every column and whole cells; default: it fits the terminal (120 columns when not one), long cells cut with …, no NAME column when every name is its ID',
    ),
    line('--explain', 'also write on stderr how many images each selector left and (image) the rule that chose; stdout unchanged'),
    '',
    'Emulator:',
    line('--port N', 'port to listen on, 0 to 65535 (default 0: a free port)'),
    line('--host HOST', 'address to listen on (default 127.0.0.1)'),
    line('--latency-ms N', 'milliseconds added to every answer, 0 to 600000 (default 0)'),
    line('--catalog FILE', 'serve this catalog (JSON, as --write-catalog writes it) instead of the built-in one'),
    line('--write-catalog FILE', 'write the built-in catalog to FILE and exit'),
    '',
    "Credentials come from each cloud's environment variables (see docs/clouds.md), never from flags",
    'Exit codes: 0 success, 1 the query failed (or the emulator could not start), 2 bad usage or configuration',
  ].join('\n');
}

/**
 * The argument table is written as sentences (for the schema and the SDK's doc comments); --help speaks in one
 * style, that of its own lines: lower case, clauses joined by semicolons, no closing full stop. Acronyms (`GPU`,
 * `IMS`) and names (`JavaScript`) keep their capitals; abbreviations (`e.g.`) their stops.
 */
export function helpStyle(text: string): string {
  const lower = (word: string) => (/^[A-Z][a-z-]*$/.test(word) ? word.toLowerCase() : word);
  return text
    .replace(/^(\S+)/, (word: string) => lower(word))
    .replace(/(?<!\b(?:e\.g|i\.e|etc))\. ([A-Z][a-z]*)\b/g, (_m, word: string) => `; ${lower(word)}`)
    .replace(/(?<!\b(?:e\.g|i\.e|etc))\.$/, '');
}

/** Text after a label, wrapped at 110 columns under itself. */
function wrap(label: string, text: string): string {
  const lines: string[] = [];
  let current = '';
  for (const word of text.split(' ')) {
    if (current && label.length + current.length + 1 + word.length > 110) {
      lines.push(current);
      current = word;
    } else current = current ? `${current} ${word}` : word;
  }
  lines.push(current);
  return lines.map((l, i) => (i === 0 ? label : ' '.repeat(label.length)) + l).join('\n');
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
    case 'enumList':
      return `--${spec.flag} LIST`;
    case 'range':
      return `--${spec.flag} RANGE`;
    case 'regex':
      return `--${spec.flag} REGEX`;
    default:
      return `--${spec.flag} VALUE`;
  }
}
