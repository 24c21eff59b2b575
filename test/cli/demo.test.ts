/** `npm run demo`: every query answers, and the demo shows the funnel of a query that finds nothing. */
import { runDemo } from '../../provider/cli/demo';

test('the demo answers every query, shows a soak period choosing an older image, and a funnel that says why nothing matched', async () => {
  const lines: string[] = [];
  expect(await runDemo((line) => lines.push(line))).toBe(0);
  const text = lines.join('\n');
  expect(text).toMatch(/\d+ of \d+ queries answered/);
  expect(text).toMatch(/minAgeDays=7\n {2}chose ubuntu_24_04_arm64_20G_alibase_20240531\.vhd/);
  const funnel = text.slice(text.indexOf('no image matches; how many each selector left'));
  expect(funnel).toMatch(
    /^no image matches; how many each selector left, and what came closest:\n\s+\d+ {2}in the catalog\n(\s+\d+ {2}after \w+\n)+\s+0 {2}after nameRegex\n {2}closest: .*\(fails (nameRegex|architecture)\)/,
  );
}, 60_000);
