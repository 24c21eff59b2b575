/**
 * The layering the cloud contract promises, checked on the sources: the core and the surfaces reach clouds only
 * through the registry, the core's code names no cloud, and the SDK imports neither the code generator nor the
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

const imports = (file: string) => [...fs.readFileSync(path.join(ROOT, file), 'utf8').matchAll(/^\s*(?:import|export)\b[^;]*?from '([^']+)'/gm)].map((m) => m[1]);
/** The code without comments, so documentation may still give examples. */
const code = (file: string) => fs.readFileSync(path.join(ROOT, file), 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');

const CORE = sources('provider/core');
const SURFACES = [...CORE, 'provider/lookup.ts', 'provider/surface.ts', ...sources('provider/plugin'), 'provider/cli/main.ts', 'provider/cli/args.ts', 'provider/cli/format.ts', ...sources('sdk')];

test('the core and the surfaces import no cloud folder: clouds come from the registry', () => {
  const offenders = SURFACES.flatMap((file) => imports(file).filter((spec) => /clouds\/(?!registry$)/.test(spec)).map((spec) => `${file} → ${spec}`));
  expect(offenders).toEqual([]);
});

test('the core names no cloud in its code', () => {
  const quoted = new RegExp(`['"\`](${CLOUD_NAMES.join('|')})['"\`]`);
  expect(CORE.filter((file) => quoted.test(code(file)))).toEqual([]);
});

test('the SDK imports neither the code generator nor plugin internals', () => {
  const offenders = sources('sdk').flatMap((file) => imports(file).filter((spec) => spec.includes('/plugin/') && !spec.endsWith('/plugin/launch')).map((spec) => `${file} → ${spec}`));
  expect(offenders).toEqual([]);
});
