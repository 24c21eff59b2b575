/**
 * The user documentation as tests read it: README.md (the front page) and the reference pages in docs/. Tests that
 * quote a page name it (`readDoc('docs/cli.md')`), so a quote that moves fails where it was expected.
 */
import * as fs from 'fs';
import * as path from 'path';

export const ROOT = path.resolve(__dirname, '..', '..');

/** README.md, then every docs/*.md in name order, as paths relative to the repository root. */
export function docNames(): string[] {
  return [
    'README.md',
    ...fs
      .readdirSync(path.join(ROOT, 'docs'))
      .filter((f) => f.endsWith('.md'))
      .sort()
      .map((f) => `docs/${f}`),
  ];
}

export function readDoc(doc: string): string {
  return fs.readFileSync(path.join(ROOT, doc), 'utf8');
}

/** Every page with its text. */
export function docPages(): { doc: string; text: string }[] {
  return docNames().map((doc) => ({ doc, text: readDoc(doc) }));
}

/** The lines of a Markdown text outside fenced code blocks (``` or ~~~, indented ones in lists too). */
function proseLines(markdown: string): string[] {
  const out: string[] = [];
  let fence: string | undefined;
  for (const line of markdown.split('\n')) {
    const marker = /^ *(`{3,}|~{3,})/.exec(line)?.[1];
    if (fence === undefined && marker) fence = marker;
    else if (fence !== undefined && marker && marker[0] === fence[0] && marker.length >= fence.length && line.trim() === marker) fence = undefined;
    else if (fence === undefined) out.push(line);
  }
  return out;
}

/** The anchor GitHub gives a heading: its text lower-cased, without punctuation (links keep their text), spaces as dashes. */
export function githubSlug(heading: string): string {
  return heading
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
    .replace(/ /g, '-');
}

/** The anchors a page has: one per heading (a repeated one gets -1, -2, … as on GitHub), and `<a id|name="…">`. */
export function anchorsOf(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  for (const line of proseLines(markdown)) {
    const heading = /^#{1,6} +(.*?)\s*#*\s*$/.exec(line)?.[1];
    if (heading !== undefined) {
      const slug = githubSlug(heading);
      const n = seen.get(slug) ?? 0;
      seen.set(slug, n + 1);
      anchors.add(n === 0 ? slug : `${slug}-${n}`);
    }
    for (const m of line.matchAll(/<a\s+(?:id|name)="([^"]+)"/g)) anchors.add(m[1]);
  }
  return anchors;
}

/** Link targets of a page's prose (inline links and images, reference definitions); code spans and blocks are not prose. */
export function linkTargets(markdown: string): string[] {
  const targets: string[] = [];
  for (const line of proseLines(markdown)) {
    const prose = line.replace(/(`+)[\s\S]*?\1/g, '');
    for (const m of prose.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) targets.push(m[1]);
    const definition = /^ {0,3}\[[^\]]+\]:\s*<?([^\s>]+)/.exec(prose);
    if (definition) targets.push(definition[1]);
  }
  return targets;
}

/** A Pulumi Registry page (front matter `layout: package`), whose links name sibling pages as `./name/`. */
const registryPage = (markdown: string) => /^---\n[\s\S]*?^layout: package$[\s\S]*?^---$/m.test(markdown);

/**
 * Links of `pages` (path → text, paths relative to the repository root) that do not resolve: a relative path that
 * `exists` denies or that leaves the repository, or an anchor that the target page (or the page itself) lacks.
 * Links with a scheme (`https:`, `mailto:`) are not followed, but for those to `repository`'s files on GitHub
 * (`<repository>/blob/<ref>/<path>`), which are checked as paths from the root.
 */
export function brokenLinks(
  pages: Map<string, string>,
  exists: (file: string) => boolean,
  repository?: string,
): { doc: string; target: string; why: string }[] {
  const broken: { doc: string; target: string; why: string }[] = [];
  const ownBlob = repository === undefined ? undefined : `${repository.replace(/\/$/, '')}/blob/`;
  for (const [doc, text] of pages) {
    for (const link of linkTargets(text)) {
      // A link to this repository's files on GitHub (as the Registry's pages must write them) is checked as a path.
      const own = ownBlob !== undefined && link.startsWith(ownBlob) ? `/${link.slice(ownBlob.length).replace(/^[^/]+\//, '')}` : undefined;
      if (own === undefined && /^[a-z][a-z0-9+.-]*:/i.test(link)) continue;
      const target = own ?? link;
      const [rawPath, anchor] = target.split('#', 2) as [string, string | undefined];
      let file =
        rawPath === ''
          ? doc
          : rawPath.startsWith('/')
            ? path.posix.normalize(decodeURI(rawPath).slice(1))
            : path.posix.normalize(path.posix.join(path.posix.dirname(doc), decodeURI(rawPath)));
      if (rawPath !== '' && registryPage(text) && /^\.\/[\w-]+\/$/.test(rawPath)) file = `${file.replace(/\/$/, '')}.md`;
      file = file.replace(/\/$/, '');
      if (file.startsWith('../') || file === '..' || path.posix.isAbsolute(file)) broken.push({ doc, target: link, why: 'leaves the repository' });
      else if (!pages.has(file) && !exists(file)) broken.push({ doc, target: link, why: `no file ${file}` });
      else if (anchor !== undefined) {
        const page = pages.get(file);
        if (page === undefined) broken.push({ doc, target: link, why: `an anchor into ${file}, which is not a checked page` });
        else if (!anchorsOf(page).has(anchor)) broken.push({ doc, target: link, why: `${file} has no anchor #${anchor}` });
      }
    }
  }
  return broken;
}
