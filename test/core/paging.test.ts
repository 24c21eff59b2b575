/**
 * The two shared pagings (core/paging.ts) on their own, with pages made up in memory: a listing is complete, or
 * a PagingError says why not, in the words the clouds used before the paging was shared.
 */
import fc from 'fast-check';
import { PagingError } from '../../provider/core/errors';
import { HttpClient } from '../../provider/core/http/client';
import { AdaptiveLimit } from '../../provider/core/http/pool';
import { listByMarker, listNumberedPages, NumberedPage, refuseOverfullPage } from '../../provider/core/paging';
import type { PagingHint } from '../../provider/core/hints';

interface Rec {
  id: string;
}
const records = (n: number, from = 0): Rec[] => Array.from({ length: n }, (_, i) => ({ id: `r${from + i}` }));
const http = () => new HttpClient();

/** A numbered listing over `total` records in pages of `pageSize`; `page` may change what a page says. */
function numbered(total: number, pageSize: number, page: (n: number, answer: NumberedPage<Rec>) => NumberedPage<Rec> = (_, a) => a, hint?: PagingHint) {
  const asked: number[] = [];
  const catalog = records(total);
  const options = {
    cloud: 'c',
    operation: 'List',
    totalName: 'Total',
    pageSize,
    maxPages: 10,
    limit: new AdaptiveLimit(4),
    hint,
    fetchPage: (n: number) => {
      asked.push(n);
      return Promise.resolve(page(n, { records: catalog.slice((n - 1) * pageSize, n * pageSize), total }));
    },
    id: (r: Rec) => r.id,
  };
  return { asked, list: () => listNumberedPages(http(), options, (r) => r.id) };
}

const hintOf = (pages: number | undefined): PagingHint & { written: number[] } => {
  const written: number[] = [];
  return { written, read: () => pages, write: (n) => written.push(n) };
};

describe('numbered pages with a total', () => {
  test('any catalog and any hint: every record once, in page order, each page asked for once, the page count written back', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 35 }),
        fc.integer({ min: 1, max: 8 }),
        fc.option(fc.integer({ min: 1, max: 10 }), { nil: undefined }),
        async (total, pageSize, predicted) => {
          const hint = hintOf(predicted);
          const { asked, list } = numbered(total, pageSize, undefined, hint);
          const pages = Math.ceil(total / pageSize);
          if (pages > 10) return;
          expect(await list()).toEqual(records(total).map((r) => r.id));
          expect([...asked].sort((a, b) => a - b)).toEqual(Array.from({ length: Math.max(1, pages, predicted ?? 0) }, (_, i) => i + 1));
          expect(hint.written).toEqual([Math.max(1, pages)]);
        },
      ),
    );
  });

  test('a total above the page limit', async () => {
    const failure = numbered(11 * 3, 3).list();
    await expect(failure).rejects.toBeInstanceOf(PagingError);
    await expect(failure).rejects.toThrow('Total 33 needs 11 pages, above the limit of 10; narrow the query');
  });

  test.each([
    ['a page reporting another total', (n: number, a: NumberedPage<Rec>) => (n === 2 ? { ...a, total: 9 } : a), 'page 2 reports Total 9, page 1 reported 10'],
    ['a short page', (n: number, a: NumberedPage<Rec>) => (n === 2 ? { ...a, records: a.records.slice(1) } : a), 'page 2 of 4 holds 2 images, expected 3'],
    [
      'a repeated record',
      (n: number, a: NumberedPage<Rec>) => (n === 2 ? { ...a, records: [{ id: 'r0' }, ...a.records.slice(1)] } : a),
      '9 distinct images were read, Total is 10',
    ],
  ])('%s is a PagingError', async (_, page, message) => {
    await expect(numbered(10, 3, page).list()).rejects.toThrow(
      `${message}; the catalog changed while it was read or the service miscounted, so the list cannot be trusted. Retry the query`,
    );
  });

  test('a predicted page past the end must be empty', async () => {
    const { list } = numbered(4, 3, (n, a) => (n === 3 ? { ...a, records: records(1, 50) } : a), hintOf(3));
    await expect(list()).rejects.toThrow('page 3 holds 1 images, past the last page (2) of Total 4');
  });
});

/** A marker listing: `pages[k]` is what page k+1 answers, whatever the marker. */
function marker(pages: Rec[][], pageSize = 2, maxPages = 5) {
  const asked: (string | undefined)[] = [];
  const options = {
    cloud: 'c',
    operation: 'List',
    pageSize,
    maxPages,
    fetchPage: (m: string | undefined) => {
      asked.push(m);
      return Promise.resolve(pages[asked.length - 1] ?? []);
    },
    id: (r: Rec) => r.id,
  };
  return { asked, list: () => listByMarker(http(), options, (r) => r.id) };
}

describe('marker pages', () => {
  test('each page asks after the last ID of the one before, until a short page', async () => {
    const { asked, list } = marker([records(2), records(2, 2), records(1, 4)]);
    expect(await list()).toEqual(['r0', 'r1', 'r2', 'r3', 'r4']);
    expect(asked).toEqual([undefined, 'r1', 'r3']);
  });

  test.each([
    ['a marker the server leads back to', [records(2), records(2)], 'the server led back to marker r1, already used; the listing would loop'],
    [
      'a record that comes back',
      [records(2), [{ id: 'r1' }, { id: 'x' }]],
      'image r1 came back twice; the catalog changed or the server ignored the marker, so the listing cannot be trusted',
    ],
    [
      'a page larger than asked',
      [records(3)],
      'the page holds 3 images, more than the limit=2 asked for; the server ignores paging, so the listing cannot be trusted to be complete or to end',
    ],
    [
      'a listing that does not end',
      Array.from({ length: 6 }, (_, k) => records(2, 2 * k)),
      'the listing did not end within 5 pages of 2; narrow the query with filters',
    ],
  ])('%s is a PagingError', async (_, pages, message) => {
    const failure = marker(pages).list();
    await expect(failure).rejects.toBeInstanceOf(PagingError);
    await expect(failure).rejects.toThrow(message);
  });

  test('a page of exactly the limit passes the size check; one more does not', () => {
    expect(refuseOverfullPage(records(1), 1, 'c', 'op')).toHaveLength(1);
    expect(() => refuseOverfullPage(records(2), 1, 'c', 'op')).toThrow(PagingError);
  });
});
