#!/usr/bin/env node
/**
 * Build-time bundles (esbuild), each carrying the licence notices of the packages it contains:
 *
 *   node scripts/bundle.js got      got 14 and its ESM-only dependencies as one CommonJS file, written to
 *                                   provider/core/http/vendor/got.js (for ts-jest, which runs the sources) and
 *                                   dist/provider/core/http/vendor/got.js (the package). Part of `npm run build`.
 *   node scripts/bundle.js plugin   the provider plugin as a self-contained artifact (needs dist/ built):
 *                                   dist/plugin-artifact/pulumi-resource-cloudimages-v<version>.tar.gz holding the
 *                                   executable `pulumi-resource-cloudimages` (one file), the package.json fields
 *                                   the plugin reads (name, version, schema metadata) and LICENSE.
 *
 * Why bundle got: it is ESM-only, and a CommonJS package can load ESM only through a real dynamic import(), which
 * jest's CommonJS sandbox refuses without --experimental-vm-modules. A plain require of a CommonJS build works in
 * every runner (jest, mocha, vitest) and every supported Node.
 */
'use strict';
const fs = require('fs');
const path = require('path');
const { execFileSync } = require('child_process');
const esbuild = require('esbuild');

const ROOT = path.resolve(__dirname, '..');
const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
const TARGET = 'node20.19';

/** The package folder (…/node_modules/<name> or …/node_modules/@scope/<name>) an esbuild input belongs to. */
function packageDirOf(input) {
  const parts = path.resolve(ROOT, input).split(path.sep);
  const at = parts.lastIndexOf('node_modules');
  if (at < 0) return undefined; // our own code: LICENSE covers it
  const depth = parts[at + 1].startsWith('@') ? 3 : 2;
  return parts.slice(0, at + depth).join(path.sep);
}

/** The licence and notice texts of every package an esbuild metafile lists; a package without one stops the build. */
function noticesFor(metafile) {
  const dirs = [...new Set(Object.keys(metafile.inputs).map(packageDirOf).filter(Boolean))];
  const packages = dirs
    .map((dir) => {
      const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
      const files = fs
        .readdirSync(dir)
        .filter((f) => /^(licen[cs]e|copying|notice)([.-].*)?$/i.test(f))
        .sort();
      if (files.length === 0) throw new Error(`${pkg.name}@${pkg.version}: no licence file to keep with the bundle`);
      const texts = files.map((f) => fs.readFileSync(path.join(dir, f), 'utf8').trim());
      return { id: `${pkg.name}@${pkg.version}`, license: String(pkg.license ?? 'see below'), texts };
    })
    .sort((a, b) => a.id.localeCompare(b.id));
  const comment = (text) => text.replace(/\*\//g, '* /');
  return [
    '/*!',
    ' * This file bundles the following packages; their licence notices follow.',
    ...packages.map((p) => ` *   ${p.id} (${p.license})`),
    ' */',
    ...packages.map((p) => `/*! ${p.id}\n\n${comment(p.texts.join('\n\n'))}\n*/`),
  ].join('\n');
}

async function bundle(options) {
  const result = await esbuild.build({
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: TARGET,
    write: false,
    metafile: true,
    legalComments: 'none', // replaced by the full licence texts, which noticesFor puts first
    logLevel: 'warning',
    ...options,
  });
  const code = result.outputFiles[0].text;
  return { code, notices: noticesFor(result.metafile) };
}

function write(file, text, mode) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text, { mode });
}

const GOT_ENTRY = require.resolve('got', { paths: [ROOT] });

/** Bundles that include the HTTP layer take got from its sources, so its packages' notices are collected too. */
const gotFromSources = {
  name: 'got-from-sources',
  setup(build) {
    build.onResolve({ filter: /[\\/]vendor[\\/]got\.js$/ }, () => ({ path: GOT_ENTRY }));
  },
};

async function buildGot() {
  const { code, notices } = await bundle({ entryPoints: [GOT_ENTRY] });
  const text = `${notices}\n${code}`;
  for (const dir of ['provider', 'dist/provider']) write(path.join(ROOT, dir, 'core/http/vendor/got.js'), text);
  return { file: 'dist/provider/core/http/vendor/got.js', bytes: Buffer.byteLength(text) };
}

/** The fields of package.json the plugin reads at run time (core/version.ts, plugin/schema-gen.ts). */
function pluginManifest() {
  const { name, version, description, license, homepage, repository, bugs, peerDependencies, engines } = manifest;
  return { name, version, description, license, homepage, repository, bugs, peerDependencies, engines, private: true };
}

async function buildPlugin() {
  const entry = path.join(ROOT, 'bin/pulumi-resource-cloudimages');
  if (!fs.existsSync(path.join(ROOT, 'dist/provider/plugin/main.js'))) throw new Error('dist/ is not built: run npm run build first');
  const source = fs.readFileSync(entry, 'utf8').replace(/^#!.*\n/, '');
  const { code, notices } = await bundle({
    stdin: { contents: source, resolveDir: path.dirname(entry), sourcefile: 'pulumi-resource-cloudimages', loader: 'js' },
    plugins: [gotFromSources],
    minify: true,
    keepNames: true,
  });
  const name = `pulumi-resource-cloudimages-v${manifest.version}`;
  const out = path.join(ROOT, 'dist/plugin-artifact');
  const staging = path.join(out, name);
  fs.rmSync(out, { recursive: true, force: true });
  write(path.join(staging, 'pulumi-resource-cloudimages'), `#!/usr/bin/env node\n${notices}\n${code}`, 0o755);
  write(path.join(staging, 'package.json'), `${JSON.stringify(pluginManifest(), null, 2)}\n`);
  fs.copyFileSync(path.join(ROOT, 'LICENSE'), path.join(staging, 'LICENSE'));
  const tarball = path.join(out, `${name}.tar.gz`);
  // Files at the top of the archive: `pulumi plugin install --file` unpacks it as the plugin's folder.
  execFileSync('tar', ['-czf', tarball, '--owner=0', '--group=0', '--numeric-owner', '-C', staging, 'pulumi-resource-cloudimages', 'package.json', 'LICENSE']);
  return {
    file: path.relative(ROOT, tarball),
    bytes: fs.statSync(tarball).size,
    executableBytes: fs.statSync(path.join(staging, 'pulumi-resource-cloudimages')).size,
  };
}

const targets = { got: buildGot, plugin: buildPlugin };
const wanted = process.argv.slice(2);
if (wanted.length === 0 || wanted.some((t) => !targets[t])) {
  process.stderr.write(`usage: node scripts/bundle.js ${Object.keys(targets).join('|')}…\n`);
  process.exit(2);
}
(async () => {
  for (const target of wanted) {
    const built = await targets[target]();
    // The artifact's path is what a user needs next (pulumi plugin install … --file PATH); the got bundle is silent.
    if (target === 'plugin') process.stdout.write(`wrote ${built.file} (${Math.round(built.bytes / 1024)} KB)\n`);
    if (process.env.BUNDLE_VERBOSE) process.stdout.write(`${JSON.stringify(built)}\n`);
  }
})().catch((err) => {
  process.stderr.write(`scripts/bundle.js: ${err.stack ?? err}\n`);
  process.exit(1);
});
