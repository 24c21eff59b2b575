/**
 * docs/clouds.md's table of what each cloud does with each selector says what the clouds' capability records
 * (provider/core/selectors.ts) say: a record that changes without the table, or a table edited by hand, fails here.
 */
import { CLOUD_MODULES } from '../../provider/clouds/registry';
import { QUERY_ARGUMENTS, SelectorName } from '../../provider/core/query';
import { capabilityKind } from '../../provider/core/selectors';
import { readDoc } from '../helpers/docs';

const SELECTORS = QUERY_ARGUMENTS.filter((a) => a.role === 'selector').map((a) => a.name as SelectorName);
/** Selectors refused wherever the module reports no creation time (the lookup's rule, not a capability record's). */
const NEED_CREATION_TIME: readonly string[] = ['minAgeDays', 'maxAgeDays'];
const WORD = { push: 'pushed', local: 'local', unreported: 'refused' } as const;

/** The table's rows: each selector named in the first cell, with the first word of each cloud's cell. */
function table(): { header: string[]; rows: Map<string, string[]> } {
  const page = readDoc('docs/clouds.md');
  const start = page.indexOf('| Selector |');
  expect(start).toBeGreaterThan(-1);
  const lines = page.slice(start).split('\n');
  const cells = (line: string) =>
    line
      .split('|')
      .slice(1, -1)
      .map((c) => c.trim());
  const header = cells(lines[0]).slice(1);
  const rows = new Map<string, string[]>();
  for (const line of lines.slice(2)) {
    if (!line.startsWith('|')) break;
    const [names, ...clouds] = cells(line);
    for (const name of names.match(/`[^`]+`/g) ?? [])
      rows.set(
        name.slice(1, -1),
        clouds.map((c) => c.split(/[ (]/)[0]),
      );
  }
  return { header, rows };
}

describe('docs/clouds.md: what each cloud does with each selector', () => {
  const { header, rows } = table();

  it('has a column for every cloud and a row for every selector, and nothing else', () => {
    expect(header).toEqual(CLOUD_MODULES.map((m) => m.name));
    expect([...rows.keys()].sort()).toEqual([...SELECTORS].sort());
  });

  it.each(CLOUD_MODULES.map((m, column) => [m.name, m, column] as const))('%s: each cell is what its capability record says', (_name, module, column) => {
    for (const selector of SELECTORS) {
      const expected =
        !module.reportsCreationTime && NEED_CREATION_TIME.includes(selector) ? 'refused' : WORD[capabilityKind(module.selectors ?? {}, selector)];
      expect({ selector, cell: rows.get(selector)![column] }).toEqual({ selector, cell: expected });
    }
  });
});
