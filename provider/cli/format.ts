/**
 * What the CLI prints, as a sequence of pieces rather than one string: a million images must not build one giant
 * string (V8 caps strings near 512 MiB) nor spread a million arguments into one call (the call stack).
 *
 * Table cells carry server text, so every cell has its control characters escaped (core/text.ts): one image is
 * one line, and a server cannot clear the screen or forge a row. `--json` is exact: the pieces of `jsonPieces`
 * join to `JSON.stringify(value, null, 2)` byte for byte, and JSON escapes every control character itself.
 */
import type { Image } from '../core/image';
import { escapeControls } from '../core/text';

const COLUMNS: [string, (i: Image) => string][] = [
  ['ID', (i) => i.id],
  ['NAME', (i) => i.name ?? '-'],
  ['CREATED', (i) => i.createdAt ?? '-'],
  ['ARCH', (i) => i.architecture],
  ['OS', (i) => [i.osDistro ?? i.osType, i.osVersion].filter(Boolean).join(' ')],
  [
    'GPU',
    (i) => (i.gpu.supported ? [i.gpu.vendor, i.gpu.models.join('/'), i.gpu.driver].filter(Boolean).join(' ') || 'yes' : i.gpu.supported === false ? 'no' : '-'),
  ],
  ['TYPE', (i) => i.machineType],
  ['STATUS', (i) => i.status],
  ['VISIBILITY', (i) => i.visibility ?? '-'],
];

/** Columns are padded to their widest cell up to this width; a longer cell overflows its column on its own line only. */
export const MAX_COLUMN_WIDTH = 64;

/** How narrow a column may be cut to fit (`…` included): NAME, GPU and OS give way; an ID is never cut. */
const MIN_WIDTH: Record<string, number> = { NAME: 10, GPU: 5, OS: 7 };
/** Columns that, when fitting several rows that all hold the same value, become one note under the table. */
const FOLDABLE = ['ARCH', 'OS', 'GPU', 'TYPE', 'STATUS', 'VISIBILITY'];
const GIVES_WAY = Object.keys(MIN_WIDTH);

/** East Asian wide and fullwidth characters, and emoji, take two terminal columns (`64位`). */
const WIDE_CHAR =
  /[\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua000-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6\u{1f300}-\u{1faff}\u{20000}-\u{3fffd}]/u;

/** Terminal columns a cell takes (cells are escaped: no control characters). */
export function displayWidth(text: string): number {
  let width = 0;
  for (const char of text) width += WIDE_CHAR.test(char) ? 2 : 1;
  return width;
}

/** The cell cut to at most `width` columns, ending in `…` when cut (never inside a surrogate pair). */
export function cutCell(text: string, width: number): string {
  if (displayWidth(text) <= width) return text;
  let out = '';
  let used = 0;
  for (const char of text) {
    const w = WIDE_CHAR.test(char) ? 2 : 1;
    if (used + w > width - 1) break;
    out += char;
    used += w;
  }
  return `${out}…`;
}

const padCell = (text: string, width: number) => text + ' '.repeat(Math.max(0, width - displayWidth(text)));

export interface TableOptions {
  /**
   * Fit the table in this many columns: long cells are cut with `…` (NAME, GPU and OS first, the ID last). Without
   * it (`--wide`) every cell is whole, and columns are padded up to MAX_COLUMN_WIDTH.
   */
  width?: number;
}

/** The table's lines (header first), without newlines. Two passes over the images, no copy of all cells. */
export function* tableLines(images: readonly Image[], options: TableOptions = {}): Generator<string> {
  const fit = options.width !== undefined;
  // Columns that say nothing go: a NAME that repeats the ID (Alibaba's public images); when fitting, one that is
  // '-' in every row (no creation times on UCloud, no GPU attribute on Alibaba).
  const says = (title: string, get: (i: Image) => string) =>
    images.length === 0 || (title === 'NAME' ? images.some((i) => i.name !== i.id) : !fit || images.some((i) => get(i) !== '-'));
  const shown = COLUMNS.filter(([title, get]) => says(title, get));
  // When fitting several rows, a column with one value in every row (STATUS available, after the default query)
  // is said once, under the table.
  const same = fit && images.length > 1 ? shown.filter(([title, get]) => FOLDABLE.includes(title) && images.every((i) => get(i) === get(images[0]))) : [];
  const columns = shown.filter((column) => !same.includes(column));
  // When the table is too wide, the creation date stands for the time (--wide and --json have it whole).
  let shortDates = false;
  const cellsOf = (image: Image) => columns.map(([title, get]) => escapeControls(shortDates && title === 'CREATED' ? get(image).slice(0, 10) : get(image)));
  const widths = columns.map(([title]) => title.length);
  for (const image of images) {
    const cells = cellsOf(image);
    for (let c = 0; c < cells.length; c++) {
      const width = fit ? displayWidth(cells[c]) : Math.min(displayWidth(cells[c]), MAX_COLUMN_WIDTH);
      if (width > widths[c]) widths[c] = width;
    }
  }
  const created = columns.findIndex(([title]) => title === 'CREATED');
  if (fit && created >= 0 && widths.reduce((a, b) => a + b, 2 * (widths.length - 1)) > options.width!) {
    shortDates = true;
    widths[created] = Math.min(widths[created], Math.max('CREATED'.length, 10));
  }
  if (fit)
    shrinkToFit(
      columns.map(([title]) => title),
      widths,
      options.width!,
    );
  const line = (cells: string[]) =>
    cells
      .map((cell, c) => padCell(fit ? cutCell(cell, widths[c]) : cell, widths[c]))
      .join('  ')
      .trimEnd();
  yield line(columns.map(([title]) => title));
  for (const image of images) yield line(cellsOf(image));
  if (same.length) yield cutCell(`(every image: ${same.map(([title, get]) => `${title} ${escapeControls(get(images[0]))}`).join(', ')})`, options.width!);
}

/** Narrows the widest column that may give way, one column at a time, until the table fits or none can give more. */
function shrinkToFit(titles: string[], widths: number[], total: number): void {
  const gaps = 2 * (widths.length - 1);
  let over = widths.reduce((a, b) => a + b, gaps) - total;
  const floor = (c: number) => Math.max(MIN_WIDTH[titles[c]] ?? widths[c], titles[c].length);
  while (over > 0) {
    let widest = -1;
    for (let c = 0; c < widths.length; c++) {
      if (GIVES_WAY.includes(titles[c]) && widths[c] > floor(c) && (widest < 0 || widths[c] > widths[widest])) widest = c;
    }
    if (widest < 0) return; // as narrow as it goes: IDs stay whole
    widths[widest]--;
    over--;
  }
}

/** The whole table as one string, for a few images. */
export function formatTable(images: readonly Image[]): string {
  return [...tableLines(images)].join('\n');
}

/** JSON.stringify's own reading of a value before it is written: toJSON, then what is dropped (undefined, functions). */
function jsonValue(value: unknown): unknown {
  if (value !== null && typeof value === 'object' && typeof (value as { toJSON?: unknown }).toJSON === 'function') {
    return (value as { toJSON: () => unknown }).toJSON();
  }
  return value;
}

function isContainer(value: unknown): value is Record<string, unknown> | unknown[] {
  return value !== null && typeof value === 'object';
}

/**
 * `JSON.stringify(value, null, 2)` in pieces: the outer `depth` levels of objects and arrays are walked here, one
 * piece per member (each member serialized by JSON.stringify itself, re-indented), so no piece holds more than
 * one member. Iterative over members; the nesting walked is at most `depth` levels, never one level per row.
 */
export function* jsonPieces(value: unknown, depth = 2, indent = ''): Generator<string, void, undefined> {
  const v = jsonValue(value);
  if (depth <= 0 || !isContainer(v)) {
    const text = JSON.stringify(v, null, 2);
    yield indent ? text.replace(/\n/g, `\n${indent}`) : text;
    return;
  }
  const inner = `${indent}  `;
  if (Array.isArray(v)) {
    if (v.length === 0) return yield '[]';
    for (let i = 0; i < v.length; i++) {
      yield i === 0 ? `[\n${inner}` : `,\n${inner}`;
      const member = jsonValue(v[i]);
      // As JSON.stringify: members it cannot write become null in an array.
      if (member === undefined || typeof member === 'function' || typeof member === 'symbol') yield 'null';
      else yield* jsonPieces(member, depth - 1, inner);
    }
    return yield `\n${indent}]`;
  }
  let first = true;
  for (const key of Object.keys(v)) {
    const member = jsonValue(v[key]);
    if (member === undefined || typeof member === 'function' || typeof member === 'symbol') continue;
    yield `${first ? '{' : ','}\n${inner}${JSON.stringify(key)}: `;
    first = false;
    yield* jsonPieces(member, depth - 1, inner);
  }
  yield first ? '{}' : `\n${indent}}`;
}
