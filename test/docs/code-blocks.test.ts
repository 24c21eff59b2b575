/**
 * Every TypeScript block in README.md and docs/*.md compiles, as a user's project compiles it: each block is written
 * into a temporary Pulumi project whose tsconfig.json is the one docs/sdk.md gives for a new project (Pulumi's
 * TypeScript template with the two settings TypeScript 6 needs: `"types": ["node"]`, `nodenext`), where
 * `@cloudimages/pulumi` resolves to this package (its package.json `exports` and dist/ types, as installed), and
 * tsc (node_modules' TypeScript) checks them all in one run.
 *
 * Conventions, for writers of the docs:
 * - A block whose lines `// name.ts` start files is that set of files (`// policies.ts` … `// index.ts`), so one
 *   file can import another. Blocks that name their files, with no other TypeScript block between them, are one
 *   project (`// index.ts`, then `// index.test.ts`), until a name repeats.
 * - Any other block is a file of its own, in a project of its own: it imports what it uses.
 * - `<!-- fragment -->` on the line before a block marks an excerpt that is not a whole file: it is only parsed,
 *   not type-checked. Keep these rare: a block that compiles is one a user can paste.
 */
import { expect } from '@jest/globals';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as ts from 'typescript';
import { ensureBuilt, ROOT } from '../examples/harness';
import { docPages, readDoc } from '../helpers/docs';

/** The page that gives a new project's tsconfig.json. */
const TSCONFIG_PAGE = 'docs/sdk.md';

export interface DocBlock {
  doc: string;
  /** Line of the opening fence (1-based). */
  line: number;
  fragment: boolean;
  code: string;
}

const FRAGMENT_MARKER = '<!-- fragment -->';
const TYPESCRIPT = new Set(['ts', 'typescript']);

/** The TypeScript blocks of a Markdown text (fences of ``` or ~~~, indented ones in lists too). */
export function typescriptBlocks(doc: string, markdown: string): DocBlock[] {
  const lines = markdown.split('\n');
  const blocks: DocBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^( *)(`{3,}|~{3,})\s*([^\s`]*)/.exec(lines[i]);
    if (!open) continue;
    const [, indent, fence, language] = open;
    let end = i + 1;
    while (end < lines.length && !new RegExp(`^ *${fence[0]}{${fence.length},}\\s*$`).test(lines[end])) end++;
    if (TYPESCRIPT.has(language.toLowerCase())) {
      let before = i - 1;
      while (before >= 0 && lines[before].trim() === '') before--;
      blocks.push({
        doc,
        line: i + 1,
        fragment: before >= 0 && lines[before].trim() === FRAGMENT_MARKER,
        code: lines
          .slice(i + 1, end)
          .map((l) => (l.startsWith(indent) ? l.slice(indent.length) : l.trimStart()))
          .join('\n'),
      });
    }
    i = end;
  }
  return blocks;
}

interface ProjectFile {
  block: DocBlock;
  name: string;
  /** Line in the block where the file's text starts (0-based). */
  offset: number;
  text: string;
}

/** A block's files: split at `// name.ts` lines, or one file `block.ts`. */
function filesOf(block: DocBlock): ProjectFile[] {
  const lines = block.code.split('\n');
  const starts = lines.flatMap((l, i) => (/^\/\/ ([\w.-]+\.ts)\s*$/.test(l) ? [i] : []));
  if (starts.length === 0 || lines.slice(0, starts[0]).some((l) => l.trim() !== '')) return [{ block, name: 'block.ts', offset: 0, text: block.code }];
  return starts.map((start, k) => ({
    block,
    name: /^\/\/ ([\w.-]+\.ts)/.exec(lines[start])![1],
    offset: start,
    text: lines.slice(start, starts[k + 1] ?? lines.length).join('\n'),
  }));
}

/** Groups the blocks of each document into projects, following the conventions above. */
export function projectsOf(blocks: DocBlock[]): ProjectFile[][] {
  const projects: ProjectFile[][] = [];
  let current: ProjectFile[] | undefined;
  let previous: DocBlock | undefined;
  for (const block of blocks.filter((b) => !b.fragment)) {
    const files = filesOf(block);
    const named = files[0].name !== 'block.ts';
    const joins = named && current !== undefined && previous?.doc === block.doc && files.every((f) => !current!.some((c) => c.name === f.name));
    if (joins) current!.push(...files);
    else projects.push((current = [...files]));
    if (!named) current = undefined;
    previous = block;
  }
  return projects;
}

/**
 * Pulumi's TypeScript template as `pulumi new typescript` wrote it until March 2026 (pulumi/templates,
 * typescript/tsconfig.json before "Use moduleResolution: nodenext"), which TypeScript 6 refuses.
 */
const PULUMI_TEMPLATE = {
  strict: true,
  outDir: 'bin',
  target: 'es2020',
  module: 'commonjs',
  moduleResolution: 'node',
  sourceMap: true,
  experimentalDecorators: true,
  pretty: true,
  noFallthroughCasesInSwitch: true,
  noImplicitReturns: true,
  forceConsistentCasingInFileNames: true,
};

/** The tsconfig.json a page gives for a new project: its JSON block that sets moduleResolution. */
export function newProjectTsconfig(page: string): { compilerOptions: Record<string, unknown> } | undefined {
  for (const m of page.matchAll(/^```json\n([\s\S]*?)^```$/gm)) {
    try {
      const parsed = JSON.parse(m[1]) as { compilerOptions?: Record<string, unknown> };
      if (parsed.compilerOptions?.moduleResolution !== undefined) return parsed as { compilerOptions: Record<string, unknown> };
    } catch {
      // another JSON block, or not JSON
    }
  }
  return undefined;
}

/** The check's tsconfig: the SDK page's, plus jest's globals (its mocks example is a jest test) and skipLibCheck (see there). */
function checkTsconfig(page: string) {
  const found = newProjectTsconfig(page);
  if (!found) throw new Error(`${TSCONFIG_PAGE} gives no tsconfig.json for a new project (a \`\`\`json block with compilerOptions.moduleResolution)`);
  const options = found.compilerOptions;
  return {
    compilerOptions: { ...options, types: [...(options.types as string[]), 'jest'], skipLibCheck: true, pretty: false, noEmit: true },
    include: ['p*/**/*.ts'],
  };
}

export interface Diagnostic {
  /** `docs/sdk.md:319` */
  where: string;
  message: string;
}

/** Writes the projects under `dir` and type-checks them in one tsc run; parses fragments. */
export function checkBlocks(blocks: DocBlock[], dir: string, tsconfig: object): Diagnostic[] {
  fs.mkdirSync(path.join(dir, 'node_modules', '@cloudimages'), { recursive: true });
  // This package as installed (its exports and dist/ types), beside the checkout's dependencies.
  fs.symlinkSync(ROOT, path.join(dir, 'node_modules', '@cloudimages', 'pulumi'), 'dir');
  for (const entry of fs.readdirSync(path.join(ROOT, 'node_modules'))) {
    if (entry !== '@cloudimages' && !entry.startsWith('.')) fs.symlinkSync(path.join(ROOT, 'node_modules', entry), path.join(dir, 'node_modules', entry));
  }
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'docs-check', private: true }));
  const byPath = new Map<string, ProjectFile>();
  projectsOf(blocks).forEach((project, k) => {
    fs.mkdirSync(path.join(dir, `p${k}`));
    for (const file of project) {
      const where = path.join(dir, `p${k}`, file.name);
      fs.writeFileSync(where, file.text);
      byPath.set(path.join(`p${k}`, file.name), file);
    }
  });
  fs.writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify(tsconfig));
  const tsc = spawnSync(process.execPath, [path.join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', dir], { cwd: dir, encoding: 'utf8' });
  const out: Diagnostic[] = [];
  for (const line of (tsc.stdout + tsc.stderr).split('\n')) {
    const m = /^(.+?)\((\d+),\d+\): (error TS\d+: .*)$/.exec(line);
    if (!m) {
      if (line.trim() !== '' && !/^\s/.test(line)) out.push({ where: 'tsc', message: line });
      continue;
    }
    const file = byPath.get(path.relative(dir, path.resolve(dir, m[1])));
    out.push(file ? { where: `${file.block.doc}:${file.block.line + file.offset + Number(m[2])}`, message: m[3] } : { where: m[1], message: m[3] });
  }
  for (const block of blocks.filter((b) => b.fragment)) {
    const parsed = ts.transpileModule(block.code, { reportDiagnostics: true, compilerOptions: { module: ts.ModuleKind.CommonJS } });
    for (const d of parsed.diagnostics ?? []) {
      const line = d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start).line + 1 : 0;
      out.push({ where: `${block.doc}:${block.line + line}`, message: `fragment does not parse: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}` });
    }
  }
  return out;
}

/** A document of the checker's own, checked in the same tsc run: it must find what is wrong in it. */
const SELF_TEST = [
  'Uses an undefined name:',
  '```ts',
  'import * as cloudimages from "@cloudimages/pulumi";',
  'export const image = cloudimages.getImageOutput({ cloud: "nscale", region: network.regionId });',
  '```',
  'A misspelt argument:',
  '  ```typescript',
  '  import * as cloudimages from "@cloudimages/pulumi";',
  '  export const image = cloudimages.getImageOutput({ cloud: "nscale", archtecture: "x86_64" });',
  '  ```',
  'A fragment is parsed only:',
  '<!-- fragment -->',
  '```ts',
  'cloudimages.getImage({ cloud: "nscale" });',
  '```',
  '<!-- fragment -->',
  '',
  '```ts',
  'const broken = {;',
  '```',
  'Files of one project:',
  '```ts',
  '// lib.ts',
  'export const answer: number = 42;',
  '// index.ts',
  'import { answer } from "./lib";',
  'export const doubled: string = answer * 2;',
  '```',
].join('\n');

describe('TypeScript blocks in the docs', () => {
  let dir: string;
  let found: DocBlock[];
  let diagnostics: Diagnostic[];

  beforeAll(() => {
    ensureBuilt();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cloudimages-docs-'));
    found = docPages().flatMap(({ doc, text }) => typescriptBlocks(doc, text));
    diagnostics = checkBlocks([...found, ...typescriptBlocks('self-test.md', SELF_TEST)], dir, checkTsconfig(readDoc(TSCONFIG_PAGE)));
  }, 180_000);
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('the checker finds what is wrong: an undefined name, a misspelt argument, a fragment that does not parse, a type error across files', () => {
    const own = diagnostics.filter((d) => d.where.startsWith('self-test.md:'));
    own.sort((a, b) => Number(a.where.split(':')[1]) - Number(b.where.split(':')[1]));
    expect(own).toEqual([
      { where: 'self-test.md:4', message: expect.stringMatching(/error TS2304: Cannot find name 'network'/) },
      { where: 'self-test.md:9', message: expect.stringMatching(/error TS2561: .*'archtecture' does not exist/) },
      { where: 'self-test.md:19', message: expect.stringMatching(/^fragment does not parse: /) },
      { where: 'self-test.md:27', message: expect.stringMatching(/error TS2322: Type 'number' is not assignable to type 'string'/) },
    ]);
  });

  test("the SDK page's tsconfig for a new project is Pulumi's template with the two settings TypeScript 6 needs", () => {
    expect(newProjectTsconfig(readDoc(TSCONFIG_PAGE))?.compilerOptions).toEqual({
      ...PULUMI_TEMPLATE,
      module: 'nodenext',
      moduleResolution: 'nodenext',
      types: ['node'],
    });
  });

  test('every TypeScript block in README.md and docs/*.md compiles', () => {
    // The README's first program, and the reference pages' blocks (the SDK page alone has more than three).
    expect(found.filter((b) => b.doc === 'README.md' && !b.fragment).length).toBeGreaterThan(0);
    expect(found.filter((b) => b.doc === 'docs/sdk.md').length).toBeGreaterThan(3);
    for (const page of ['docs/imagelock-policy.md', 'docs/regions-ttl-cache.md', 'docs/installation-configuration.md'])
      expect(found.map((b) => b.doc)).toContain(page);
    expect(diagnostics.filter((d) => !d.where.startsWith('self-test.md:'))).toEqual([]);
  });
});
