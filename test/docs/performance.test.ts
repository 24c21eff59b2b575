/**
 * The benchmark's latest results are on docs/performance.md, between the markers `npm run bench -- --update-docs`
 * rewrites, and they are what bench/results/results.json renders to (a run whose table was not refreshed fails here).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { BenchResults, END, RESULTS_PAGE, START, updateDocsTable } from '../../bench/report';
import { readDoc, ROOT } from '../helpers/docs';

const results = JSON.parse(fs.readFileSync(path.join(ROOT, 'bench/results/results.json'), 'utf8')) as BenchResults;

test('the results table is on docs/performance.md, and only there', () => {
  expect(RESULTS_PAGE).toBe('docs/performance.md');
  expect(readDoc(RESULTS_PAGE)).toContain(START);
  expect(readDoc('README.md')).not.toContain(START);
  expect(readDoc('docs/performance.md')).toContain('npm run bench -- --update-docs ');
});

test('--update-docs rewrites the table between the markers and nothing else; the page shows the latest results', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cloudimages-bench-docs-'));
  try {
    const page = readDoc(RESULTS_PAGE);
    const stale = `${page.slice(0, page.indexOf(START) + START.length)}\n| an old table |\n${page.slice(page.indexOf(END))}`;
    const file = path.join(dir, 'performance.md');
    fs.writeFileSync(file, stale);
    updateDocsTable(file, results);
    expect(fs.readFileSync(file, 'utf8')).toBe(page);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
