/**
 * Server text on its way to a person: masked, bounded and unable to drive a terminal. Control characters (C0,
 * DEL, C1: hence every ESC sequence, since ESC itself is C0), bidi overrides and isolates, line and paragraph
 * separators, zero-width spaces and byte-order marks are shown as visible escapes (`\x1b`,
 * `\u202e`), so a server can neither clear the screen, write the clipboard (OSC 52), reorder a line nor forge one.
 */
import { redactServerText } from './redact';

/** One character class (\p{Cc}: C0, DEL and C1): linear. (Lone surrogates are left alone: output encoding turns them into U+FFFD, visibly.) */
const UNSAFE = /[\p{Cc}\u061c\u200b\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]/gu;

function escapeOne(c: string): string {
  const code = c.charCodeAt(0);
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** The text with every character that could steer a terminal shown as an escape. One line in, one line out. */
export function escapeControls(text: string): string {
  UNSAFE.lastIndex = 0;
  return UNSAFE.test(text) ? text.replace(UNSAFE, escapeOne) : text;
}

/** Cuts at most `max` code units, never inside a surrogate pair, marking the cut with `…`. */
export function cutText(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = max;
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--;
  return `${text.slice(0, end)}…`;
}

/**
 * Server text quoted in an error or warning: masked first (so no cut leaves part of a secret), then cut, then
 * escaped, in double quotes.
 */
export function quoteServerText(text: string, max = 200): string {
  return `"${escapeControls(cutText(redactServerText(text), max))}"`;
}
