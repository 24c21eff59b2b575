/**
 * The layering the cloud contract promises, checked on the sources: the core imports nothing above it and no
 * import cycle exists (static imports, `require` and dynamic `import` alike), the surfaces reach clouds only through
 * the composition root (provider/clouds/index.ts) and the list of built-in clouds, only the composition points load the
 * built-in registry and the core keeps none, the core's code names no cloud, and the SDK imports neither the code generator nor the
 * plugin's internals (only its launcher, the entry Pulumi's plugin runner loads).
 */
import * as fs from 'fs';
import * as path from 'path';
import { CLOUD_NAMES } from '../../provider/clouds/registry';

const ROOT = path.resolve(__dirname, '../..');

function sources(dir: string): string[] {
  return fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name);
    return entry.isDirectory() ? sources(file) : file.endsWith('.ts') ? [file] : [];
  });
}

/**
 * Every module a file loads or names: static `import … from`/`export … from`, side-effect `import '…'`, `require('…')`
 * and dynamic or type-level `import('…')` (a lazy require is a dependency too: it is how the core once reached the
 * clouds). Comments are left out, so documentation may still give examples.
 */
const IMPORT = /^\s*(?:import|export)\b[^;]*?from\s*['"]([^'"]+)['"]|^\s*import\s*['"]([^'"]+)['"]|\b(?:require|import)\s*\(\s*['"]([^'"]+)['"]\s*\)/gm;
const specifiers = (text: string) => [...text.matchAll(IMPORT)].map((m) => m[1] ?? m[2] ?? m[3]);
const imports = (file: string) => specifiers(code(file));
/** Like `imports`, without type-only imports (`import type`): the modules a file loads when it runs. */
const runtimeImports = (file: string) =>
  specifiers(
    code(file)
      .replace(/^\s*(?:import|export)\s+type\b[^;]*;/gm, '')
      .replace(/\btypeof\s+import\s*\([^)]*\)/g, ''),
  );

/** The source file a relative specifier names (`x.ts` or `x/index.ts`), relative to ROOT; undefined for packages. */
function resolve(from: string, spec: string): string | undefined {
  if (!spec.startsWith('.')) return undefined;
  const base = path.join(path.dirname(from), spec);
  return [`${base}.ts`, path.join(base, 'index.ts'), base].find(
    (candidate) => fs.existsSync(path.join(ROOT, candidate)) && fs.statSync(path.join(ROOT, candidate)).isFile(),
  );
}
/** The code without comments, so documentation may still give examples. */
const code = (file: string) =>
  fs
    .readFileSync(path.join(ROOT, file), 'utf8')
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/^\s*\/\/.*$/gm, '');

const CORE = sources('provider/core');
const SURFACES = [
  ...CORE,
  'provider/lookup.ts',
  'provider/surface.ts',
  ...sources('provider/plugin'),
  'provider/cli/main.ts',
  'provider/cli/args.ts',
  'provider/cli/format.ts',
  ...sources('sdk'),
];

test('the core and the surfaces import no cloud folder: clouds come from the registry', () => {
  const offenders = SURFACES.flatMap((file) =>
    imports(file)
      .filter((spec) => /clouds\/(?!registry$)/.test(spec))
      .map((spec) => `${file} → ${spec}`),
  );
  expect(offenders).toEqual([]);
});

test('the core imports nothing outside the core, in any form (import, require, dynamic import)', () => {
  const offenders = CORE.flatMap((file) =>
    imports(file)
      .map((spec) => [spec, resolve(file, spec)] as const)
      .filter(([spec, target]) => spec.startsWith('.') && !(target ?? path.join(path.dirname(file), spec)).startsWith(`provider${path.sep}core${path.sep}`))
      .map(([spec]) => `${file} → ${spec}`),
  );
  expect(offenders).toEqual([]);
});

test('no import cycle among the package sources: dependencies point one way', () => {
  const files = [...sources('provider'), ...sources('sdk')];
  const edges = new Map(
    files.map((file) => [
      file,
      runtimeImports(file)
        .map((spec) => resolve(file, spec))
        .filter((t): t is string => t !== undefined && t.endsWith('.ts')),
    ]),
  );
  const state = new Map<string, 'open' | 'done'>();
  const cycles: string[] = [];
  const visit = (file: string, trail: string[]) => {
    if (state.get(file) === 'done') return;
    if (state.get(file) === 'open') {
      cycles.push([...trail.slice(trail.indexOf(file)), file].join(' → '));
      return;
    }
    state.set(file, 'open');
    for (const next of edges.get(file) ?? []) visit(next, [...trail, file]);
    state.set(file, 'done');
  };
  for (const file of files) visit(file, []);
  expect(cycles).toEqual([]);
});

test('the core names no cloud in its code', () => {
  const quoted = new RegExp(`['"\`](${CLOUD_NAMES.join('|')})['"\`]`);
  expect(CORE.filter((file) => quoted.test(code(file)))).toEqual([]);
});

test('the SDK imports neither the code generator nor plugin internals', () => {
  const offenders = sources('sdk').flatMap((file) =>
    imports(file)
      .filter((spec) => spec.includes('/plugin/') && !spec.endsWith('/plugin/launch'))
      .map((spec) => `${file} → ${spec}`),
  );
  expect(offenders).toEqual([]);
});

/** The one place each surface assembles its clouds (the lookup's is its default when a caller passes none). */
const COMPOSITION_POINTS = [
  'provider/cli/demo.ts',
  'provider/cli/main.ts',
  'provider/lookup.ts',
  'provider/plugin/main.ts',
  'provider/plugin/schema-gen.ts',
  'sdk/clouds.ts',
];

test('only the composition points load the built-in registry; everything else is passed one', () => {
  const files = [...sources('provider'), ...sources('sdk')].filter((file) => !file.startsWith(`provider${path.sep}clouds${path.sep}`));
  const loaders = files.filter((file) => imports(file).some((spec) => resolve(file, spec) === path.join('provider', 'clouds', 'index.ts')));
  expect(loaders.sort()).toEqual(COMPOSITION_POINTS.map((file) => path.join(...file.split('/'))));
});

test('the core keeps no registry between calls: no module-level variable holds a registry or a module', () => {
  const holders = CORE.flatMap((file) =>
    code(file)
      .split('\n')
      .filter((line) => /^(?:export\s+)?(?:let|var|const)\s+\w+\s*:[^=]*\b(?:CloudRegistry|CloudModule)\b/.test(line))
      .map((line) => `${file}: ${line.trim()}`),
  );
  expect(holders).toEqual([]);
});
