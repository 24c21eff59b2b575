/**
 * fast-check arbitraries for text a hostile or broken server may send: control characters (C0, C1, DEL), ESC
 * sequences (clear screen, OSC 52 clipboard writes), bidi overrides, lone surrogates, long runs of one character
 * (the shapes that make backtracking patterns slow), prototype keys and fragments of real formats.
 */
import fc from 'fast-check';

const FRAGMENTS = [
  '\u001b[2J',
  '\u001b[H',
  '\u001b]52;c;SGVsbG8=\u0007',
  '\u001b]0;title\u001b\\',
  '\u009b31m',
  '\u001bP',
  '\r',
  '\n',
  '\t',
  '\u0000',
  '\u007f',
  '\u0085',
  '\u202e',
  '\u2066',
  '\u2069',
  '\u200f',
  '\u2028',
  '\u2029',
  '\ud800',
  '\udfff',
  '\ufeff',
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  '"',
  '\\',
  '\\"',
  '%22',
  '%0a',
  '&quot;',
  '</script>',
  'Ubuntu 22.04 64bit',
  'CentOS 7.9 64 bit',
  'Windows Server 2019',
  'x86_64',
  'aarch64',
  'arm64',
  '64',
  '32',
  'bit',
  '2023-02-22T12:04:13Z',
  '2023-02-22 12:04:13',
  '9999-12-31T23:59:59-01:00',
  '+010000-01-01T00:00:00Z',
  '5',
  'image-3',
  'NVIDIA',
  'H100',
  '535.104',
  'true',
  'False',
  'null',
  '{}',
  '[]',
  '=',
  '.',
  ',',
  ';',
  ' ',
];

/** One hostile piece: a fragment, any code unit, or a long run of one character. */
const piece = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...FRAGMENTS) },
  { weight: 3, arbitrary: fc.string({ unit: 'binary', maxLength: 8 }) },
  { weight: 2, arbitrary: fc.integer({ min: 0, max: 0x9f }).map((c) => String.fromCharCode(c)) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom(' ', 'a', '0', '.', '-', '\t', '9'), fc.integer({ min: 100, max: 20_000 })).map(([c, n]) => c.repeat(n)) },
);

/** Text a server might put in any string field. */
export const hostileString: fc.Arbitrary<string> = fc.array(piece, { maxLength: 8 }).map((parts) => parts.join(''));

/** Any JSON-ish value a server might put where a string, number or object belongs. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 5, arbitrary: hostileString },
  { weight: 1, arbitrary: fc.constantFrom(null, undefined, true, false, 0, -1, 1e308, Number.NaN, '', [], {}) },
  { weight: 1, arbitrary: fc.double() },
  { weight: 1, arbitrary: fc.array(hostileString, { maxLength: 3 }) },
  { weight: 1, arbitrary: fc.dictionary(hostileString, hostileString, { maxKeys: 3, noNullPrototype: true }) },
  // What JSON.parse can give that breaks careless code: String() of {"toString": ""} throws; these keys find
  // Object.prototype members in a plain lookup table.
  { weight: 1, arbitrary: fc.constantFrom<unknown>({ toString: '' }, { valueOf: {}, toString: {} }, 'constructor', '__proto__', 'toString', 'hasOwnProperty') },
);

/** A record with the given fields set to hostile values (some left out), plus hostile extra keys. */
export function hostileRecord(fields: readonly string[]): fc.Arbitrary<Record<string, unknown>> {
  return fc
    .tuple(
      fc.array(fc.tuple(fc.constantFrom(...fields), hostileValue), { maxLength: fields.length * 2 }),
      fc.dictionary(hostileString, hostileValue, { maxKeys: 2, noNullPrototype: true }),
    )
    .map(([entries, extra]) => {
      const record: Record<string, unknown> = { ...extra };
      for (const [key, value] of entries) record[key] = value;
      return record;
    });
}

/** C0, DEL, C1, bidi controls, line and paragraph separators, byte-order marks: none may reach a terminal raw. */
export const UNSAFE_FOR_TERMINAL = /[\p{Cc}\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]/u;
