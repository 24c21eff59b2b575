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
  ['GPU', (i) => (i.gpu.supported ? [i.gpu.vendor, i.gpu.models.join('/'), i.gpu.driver].filter(Boolean).join(' ') || 'yes' : i.gpu.supported === false ? 'no' : '-')],
  ['TYPE', (i) => i.machineType],
  ['STATUS', (i) => i.status],
  ['VISIBILITY', (i) => i.visibility ?? '-'],
];

/** Columns are padded to their widest cell up to this width; a longer cell overflows its column on its own line only. */
export const MAX_COLUMN_WIDTH = 64;

function cellsOf(image: Image): string[] {
  return COLUMNS.map(([, get]) => escapeControls(get(image)));
}

/** The table's lines (header first), without newlines. Two passes over the images, no copy of all cells. */
export function* tableLines(images: readonly Image[]): Generator<string> {
  const widths = COLUMNS.map(([title]) => title.length);
  for (const image of images) {
    const cells = cellsOf(image);
    for (let c = 0; c < cells.length; c++) {
      if (cells[c].length > widths[c]) widths[c] = Math.min(cells[c].length, MAX_COLUMN_WIDTH);
    }
  }
  const line = (cells: string[]) => cells.map((cell, c) => cell.padEnd(widths[c])).join('  ').trimEnd();
  yield line(COLUMNS.map(([title]) => title));
  for (const image of images) yield line(cellsOf(image));
}

/** The whole table as one string, for a few images. */
export function formatTable(images: readonly Image[]): string {
  return [...tableLines(images)].join('\n');
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

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
export function* jsonPieces(value: unknown, depth = 2, indent = ''): Generator<string> {
  const v = jsonValue(value);
  if (depth <= 0 || !isContainer(v)) {
    const text = JSON.stringify(v as Json, null, 2);
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
    const member = jsonValue((v as Record<string, unknown>)[key]);
    if (member === undefined || typeof member === 'function' || typeof member === 'symbol') continue;
    yield `${first ? '{' : ','}\n${inner}${JSON.stringify(key)}: `;
    first = false;
    yield* jsonPieces(member, depth - 1, inner);
  }
  yield first ? '{}' : `\n${indent}}`;
}
