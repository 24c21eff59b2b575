import { expect } from '@jest/globals';
import fc from 'fast-check';
import { parseCreationTime } from '../../provider/core/time';
import { hostileValue } from '../helpers/hostile';

const read = (value: unknown) => parseCreationTime(value);

describe('creation times (strict RFC 3339)', () => {
  it('reads date-times with Z, offsets and fractions as canonical UTC seconds', () => {
    expect(read('2023-02-22T12:04:13Z')).toEqual({ ok: true, createdAt: '2023-02-22T12:04:13Z' });
    expect(read('2023-02-22t12:04:13.987654321z')).toEqual({ ok: true, createdAt: '2023-02-22T12:04:13Z', fraction: '987654321' });
    expect(read('2023-02-22T20:04:13.9+08:00')).toEqual({ ok: true, createdAt: '2023-02-22T12:04:13Z', fraction: '900000000' });
    expect(read('2023-02-22T12:04:13.000Z')).toEqual({ ok: true, createdAt: '2023-02-22T12:04:13Z' });
    expect(read('2023-02-22T20:04:13+08:00')).toEqual({ ok: true, createdAt: '2023-02-22T12:04:13Z' });
    expect(read('2023-03-01T00:30:00+01:00')).toEqual({ ok: true, createdAt: '2023-02-28T23:30:00Z' });
    expect(read('2024-02-29T00:00:00Z')).toEqual({ ok: true, createdAt: '2024-02-29T00:00:00Z' });
    expect(read('0001-01-01T00:00:01Z')).toEqual({ ok: true, createdAt: '0001-01-01T00:00:01Z' });
  });

  it("reads Go's zero time (a field a Go server never set) as no creation time, with a reason", () => {
    for (const zero of ['0001-01-01T00:00:00Z', '0001-01-01T00:00:00.000Z', '0001-01-01T00:00:00+00:00']) {
      expect(read(zero)).toEqual({ ok: false, reason: "Go's zero time (a field never set)" });
    }
  });

  it('reads a date-time without a zone as UTC, whatever the machine time zone', () => {
    expect(read('2019-11-15T06:07:05')).toEqual({ ok: true, createdAt: '2019-11-15T06:07:05Z' });
    expect(read('2019-11-15 06:07:05')).toEqual({ ok: true, createdAt: '2019-11-15T06:07:05Z' });
  });

  it('treats missing values as no creation time, without a warning', () => {
    for (const value of [undefined, null, '']) expect(read(value)).toEqual({ ok: true, createdAt: null });
  });

  it('refuses what Date.parse would guess at', () => {
    for (const value of [
      'image-3',
      '5',
      '2023',
      '2023-02-22',
      'Wed, 22 Feb 2023 12:04:13 GMT',
      '2023-02-22T12:04Z',
      ' 2023-02-22T12:04:13Z',
      '2023-02-22T12:04:13Z ',
      '1677067453',
      1677067453,
      true,
      {},
      [],
    ]) {
      expect(read(value)).toMatchObject({ ok: false });
    }
  });

  it('refuses impossible dates, times and offsets', () => {
    for (const value of [
      '2023-02-29T00:00:00Z',
      '2100-02-29T00:00:00Z',
      '2023-13-01T00:00:00Z',
      '2023-00-10T00:00:00Z',
      '2023-04-31T00:00:00Z',
      '2023-01-01T24:00:00Z',
      '2023-01-01T00:60:00Z',
      '2023-01-01T00:00:61Z',
      '2023-01-01T00:00:00+24:00',
      '2023-01-01T00:00:00+01:60',
    ]) {
      expect(read(value)).toMatchObject({ ok: false });
    }
  });

  it('refuses years past 9999, also when an offset carries the time over', () => {
    expect(read('+010000-01-01T00:00:00Z')).toMatchObject({ ok: false });
    expect(read('10000-01-01T00:00:00Z')).toMatchObject({ ok: false });
    expect(read('9999-12-31T23:30:00-01:00')).toMatchObject({ ok: false, reason: expect.stringContaining('9999') });
    expect(read('9999-12-31T23:59:59Z')).toEqual({ ok: true, createdAt: '9999-12-31T23:59:59Z' });
    expect(read('0000-01-01T00:30:00+01:00')).toMatchObject({ ok: false });
  });

  it('keeps a leap second inside its minute', () => {
    expect(read('2016-12-31T23:59:60Z')).toEqual({ ok: true, createdAt: '2016-12-31T23:59:59Z' });
  });

  it('agrees with Date for every valid date-time it accepts (property)', () => {
    const dateTime = fc.date({ min: new Date('0100-01-01T00:00:00Z'), max: new Date('9999-12-30T00:00:00Z'), noInvalidDate: true });
    fc.assert(
      fc.property(dateTime, fc.integer({ min: -23 * 60 - 59, max: 23 * 60 + 59 }), (date, offset) => {
        const local = new Date(date.getTime() + offset * 60_000).toISOString().slice(0, 19);
        const sign = offset < 0 ? '-' : '+';
        const abs = Math.abs(offset);
        const text = `${local}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
        const expected = new Date(Math.floor(date.getTime() / 1000) * 1000).toISOString().replace('.000Z', 'Z');
        expect(read(text)).toEqual({ ok: true, createdAt: expected });
      }),
    );
  });

  it('reads canonical UTC text (the fast path) exactly as Date does, for any date 0000-9999 (property)', () => {
    const dateTime = fc.date({ min: new Date('0000-01-01T00:00:00Z'), max: new Date('9999-12-31T23:59:59Z'), noInvalidDate: true });
    fc.assert(
      fc.property(dateTime, (date) => {
        const text = new Date(Math.floor(date.getTime() / 1000) * 1000).toISOString().replace('.000Z', 'Z');
        expect(read(text)).toEqual({ ok: true, createdAt: text });
        expect(read(text.replace('Z', '+00:00'))).toEqual({ ok: true, createdAt: text }); // the slow path agrees
      }),
    );
  });

  it('never throws and never accepts anything but canonical output for hostile input (property)', () => {
    fc.assert(
      fc.property(hostileValue, (value) => {
        const result = read(value);
        if (result.ok && result.createdAt !== null) expect(result.createdAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
        if (!result.ok) expect(typeof result.reason).toBe('string');
      }),
      { numRuns: 500 },
    );
  });
});
