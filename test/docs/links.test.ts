/**
 * The documentation's links resolve: every relative link in README.md and docs/*.md names a file of the repository,
 * and every anchor (`page.md#section`, `#section`) a heading of its page as GitHub renders it. The README links
 * every reference page, so a newcomer reaches each from the front page.
 */
import * as fs from 'fs';
import * as path from 'path';
import { anchorsOf, brokenLinks, docPages, githubSlug, linkTargets, readDoc, ROOT } from '../helpers/docs';

const exists = (file: string) => fs.existsSync(path.join(ROOT, file));
/** The repository's address on GitHub, from package.json (`git+https://github.com/o/r.git`). */
const REPOSITORY = (JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { repository: { url: string } }).repository.url
  .replace(/^git\+/, '')
  .replace(/\.git$/, '');

describe('the link checker', () => {
  test('gives headings the anchors GitHub gives them', () => {
    expect(githubSlug('Operating systems: one vocabulary on every cloud')).toBe('operating-systems-one-vocabulary-on-every-cloud');
    expect(githubSlug('Node.js versions')).toBe('nodejs-versions');
    expect(githubSlug("Unit tests with Pulumi's mocks (`@cloudimages/pulumi/testing`, `@cloudimages/pulumi/emulator`)")).toBe(
      'unit-tests-with-pulumis-mocks-cloudimagespulumitesting-cloudimagespulumiemulator',
    );
    expect(githubSlug('The real engine (`npm run test:engine`)')).toBe('the-real-engine-npm-run-testengine');
    expect([...anchorsOf('# A\n## B\n```\n# not a heading\n```\n## B\n<a id="kept"></a>\n')]).toEqual(['a', 'b', 'b-1', 'kept']);
  });

  test('reads links from prose only, not from code', () => {
    expect(linkTargets('[a](x.md) `[b](y.md)` ![c](img.png "title")\n```\n[d](z.md)\n```\n[e]: ref.md\n')).toEqual(['x.md', 'img.png', 'ref.md']);
  });

  test('finds what is wrong: a missing file, a missing anchor on another page or its own, a path out of the repository, a GitHub link to a file the repository lacks', () => {
    const pages = new Map([
      [
        'README.md',
        '# Top\n[ok](docs/a.md#second-part) [ok](#top) [ok](LICENSE) [web](https://example.com/#x)\n[bad](docs/missing.md) [bad](docs/a.md#no-such) [bad](#nowhere) [bad](../outside.md)\n',
      ],
      ['docs/a.md', '# A\n## Second part\n[ok](../README.md#top) [ok](b/) [bad](b/#x)\n'],
      [
        'docs/_index.md',
        '---\ntitle: t\nlayout: package\n---\n[ok](./a/) [bad](./nope/) [ok](https://github.com/o/r/blob/HEAD/docs/a.md#a) [bad](https://github.com/o/r/blob/main/docs/gone.md)\n',
      ],
    ]);
    const files = new Set(['LICENSE', 'docs/b']);
    expect(brokenLinks(pages, (f) => files.has(f), 'https://github.com/o/r')).toEqual([
      { doc: 'README.md', target: 'docs/missing.md', why: 'no file docs/missing.md' },
      { doc: 'README.md', target: 'docs/a.md#no-such', why: 'docs/a.md has no anchor #no-such' },
      { doc: 'README.md', target: '#nowhere', why: 'README.md has no anchor #nowhere' },
      { doc: 'README.md', target: '../outside.md', why: 'leaves the repository' },
      { doc: 'docs/a.md', target: 'b/#x', why: 'an anchor into docs/b, which is not a checked page' },
      { doc: 'docs/_index.md', target: './nope/', why: 'no file docs/nope.md' },
      { doc: 'docs/_index.md', target: 'https://github.com/o/r/blob/main/docs/gone.md', why: 'no file docs/gone.md' },
    ]);
  });
});

/** An example's own README, where one exists (examples/<name>/README.md): its links are checked too. */
const exampleReadmes = () =>
  fs
    .readdirSync(path.join(ROOT, 'examples'))
    .map((name) => `examples/${name}/README.md`)
    .filter(exists);

describe('the documentation', () => {
  const pages = new Map(docPages().map(({ doc, text }) => [doc, text]));
  const checked = new Map([...pages, ...exampleReadmes().map((doc) => [doc, readDoc(doc)] as const)]);

  test('every relative link and anchor in README.md, docs/*.md and examples/*/README.md resolves', () => {
    expect([...pages.values()].flatMap(linkTargets).filter((t) => !/^[a-z]+:/.test(t)).length).toBeGreaterThan(40);
    expect(REPOSITORY).toMatch(/^https:\/\/github\.com\/[\w-]+\/[\w.-]+$/);
    expect(brokenLinks(checked, exists, REPOSITORY)).toEqual([]);
  });

  test('the README links every page of docs/', () => {
    const linked = new Set(linkTargets(readDoc('README.md')).map((t) => t.split('#')[0]));
    for (const doc of pages.keys()) if (doc !== 'README.md') expect(linked).toContain(doc);
  });

  test('every reference page links back to the README', () => {
    for (const [doc, text] of pages) {
      if (doc === 'README.md' || text.startsWith('---\n')) continue; // the Pulumi Registry's pages link its own way
      expect(linkTargets(text)).toContain('../README.md#documentation');
    }
  });
});
