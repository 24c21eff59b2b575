/**
 * The one reader of creation times from servers. Strict RFC 3339 date-times only (`2023-02-22T12:04:13Z`,
 * `…T12:04:13.5+08:00`); a date-time without a zone is read as UTC, never as the machine's local time (so
 * `mostRecent` chooses the same under every TZ). Anything else is not a creation time: `Date.parse` would turn
 * `"image-3"` into 2001-03-01. Years past 9999 are refused: they do not fit the four-digit output, and no image
 * was made then.
 */

/** `fraction`: the server's fraction of a second as nine digits (`900000000`), present only when it gave one. */
export type CreationTime = { ok: true; createdAt: string | null; fraction?: string } | { ok: false; reason: string };

/** Longer than any RFC 3339 date-time with nanoseconds and an offset: the pattern never sees more. */
const MAX_LENGTH = 40;

// Every part has a fixed width (the fraction is bounded too), so matching is linear and cannot backtrack far.
const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?([Zz]|[+-]\d{2}:\d{2})?$/;

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/**
 * Reads a creation time into canonical UTC text without fractions (`2023-02-22T12:04:13Z`), and the fraction apart
 * (offsets are whole minutes, so the fraction is the same in every zone). Missing
 * (undefined, null, '') is `{ok: true, createdAt: null}`; anything that is not an RFC 3339 date-time is
 * `{ok: false, reason}` for the caller's warning. Never throws.
 */
export function parseCreationTime(value: unknown): CreationTime {
  if (value === undefined || value === null || value === '') return { ok: true, createdAt: null };
  if (typeof value !== 'string') return { ok: false, reason: `a ${typeof value}, not an RFC 3339 date-time` };
  if (value.length > MAX_LENGTH) return { ok: false, reason: `${value.length} characters, longer than any RFC 3339 date-time` };
  const m = RFC3339.exec(value);
  if (!m) return { ok: false, reason: 'not an RFC 3339 date-time (YYYY-MM-DDThh:mm:ss with an optional fraction and zone)' };
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number);
  const maxDay = month === 2 && isLeapYear(year) ? 29 : DAYS_IN_MONTH[month - 1];
  // RFC 3339 allows a leap second (:60); it is kept within its minute so it sorts where it belongs.
  if (month < 1 || month > 12 || day < 1 || day > maxDay || hour > 23 || minute > 59 || second > 60) {
    return { ok: false, reason: 'a date or time of day out of range' };
  }
  // Go's zero time.Time (`0001-01-01T00:00:00Z`) is what a Go server writes for "never set": no time, not year 1.
  if (
    year === 1 &&
    month === 1 &&
    day === 1 &&
    hour === 0 &&
    minute === 0 &&
    second === 0 &&
    !/[1-9]/.test(m[7] ?? '') &&
    (m[8] === undefined || /^(?:[Zz]|[+-]00:00)$/.test(m[8]))
  ) {
    return { ok: false, reason: "Go's zero time (a field never set)" };
  }
  // Order is kept at the precision the server gives: the fraction travels beside the whole-second text.
  const fraction = m[7] !== undefined && /[1-9]/.test(m[7]) ? m[7].padEnd(9, '0') : undefined;
  const zone = m[8];
  // Already canonical (what most clouds send): the text is its own answer, without a Date round trip.
  if (zone === 'Z' && m[7] === undefined && value[10] === 'T' && second < 60) return { ok: true, createdAt: value };
  const whole = (createdAt: string): CreationTime => (fraction === undefined ? { ok: true, createdAt } : { ok: true, createdAt, fraction });
  let offsetMinutes = 0;
  if (zone && zone !== 'Z' && zone !== 'z') {
    const offsetHours = Number(zone.slice(1, 3));
    const offsetMins = Number(zone.slice(4, 6));
    if (offsetHours > 23 || offsetMins > 59) return { ok: false, reason: 'a zone offset out of range' };
    offsetMinutes = (zone[0] === '-' ? -1 : 1) * (offsetHours * 60 + offsetMins);
  }
  // setUTCFullYear, not Date.UTC: Date.UTC reads years 0–99 as 1900–1999.
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute - offsetMinutes, Math.min(second, 59), 0);
  const utcYear = date.getUTCFullYear();
  if (utcYear > 9999 || utcYear < 0) return { ok: false, reason: 'a year outside 0000–9999 in UTC' };
  return whole(date.toISOString().replace(/\.\d{3}Z$/, 'Z'));
}
