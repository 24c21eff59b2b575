/**
 * The documentation says what the program does: the commands of README.md and docs/*.md run against the emulator and
 * choose the kind of image they document, and the outputs they quote (the funnel, the --explain lines, the
 * name-version warning) are what the program prints. Each command and quote is read from the page that holds it, so
 * the test follows the text.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Emulator } from '../../provider/emulator/server';
import { lookupImage } from '../../provider/lookup';
import type { CloudName } from '../../provider/clouds/registry';
import type { Image } from '../../provider/core/image';
import { NoImageError } from '../../provider/core/errors';
import { captureCli } from '../helpers/cli';
import { docPages, readDoc, ROOT } from '../helpers/docs';

const README = readDoc('README.md');
const ARGUMENTS = readDoc('docs/arguments.md');
const CLI = readDoc('docs/cli.md');

let emulator: Emulator;
beforeAll(async () => {
  emulator = await new Emulator().start();
});
afterAll(() => emulator?.stop());

/** Words of one shell command line: '…' and "…" quoting, `$VAR` expanded from `vars` (also inside "…"). */
export function shellWords(line: string, vars: Record<string, string>): string[] {
  const words: string[] = [];
  let word: string | undefined;
  const expand = (text: string) => text.replace(/\$(\w+)/g, (_m, name: string) => vars[name] ?? '');
  for (const [token, single, double, plain] of line.matchAll(/'([^']*)'|"([^"]*)"|([^\s'"]+)|\s+/g)) {
    if (/^\s+$/.test(token)) {
      if (word !== undefined) words.push(word);
      word = undefined;
      continue;
    }
    word = (word ?? '') + (single ?? (double !== undefined ? expand(double) : expand(plain)));
  }
  if (word !== undefined) words.push(word);
  return words;
}

/** Every `cloudimages images|image …` command in the shell and example blocks of `text` (continuations joined). */
function commandsIn(text: string): string[] {
  const joined = text.replace(/\\\n\s*/g, ' ');
  return [...joined.matchAll(/^(?:\$ )?(?:node bin\/cloudimages\.js|cloudimages) +(images|image) +(--cloud .*)$/gm)].map((m) => `${m[1]} ${m[2]}`);
}

/** Every such command of README.md and docs/*.md. */
const docCommands = () => docPages().flatMap(({ text }) => commandsIn(text));

const flagValue = (argv: string[], flag: string) => (argv.includes(flag) ? argv[argv.indexOf(flag) + 1] : undefined);

async function run(command: string, extra: string[] = []) {
  const vars = { NSCALE_REGION_ID: emulator.clientEnv(['nscale']).NSCALE_REGION_ID };
  const argv = shellWords(command, vars);
  const cloud = flagValue(argv, '--cloud') as CloudName;
  return { argv, cloud, ...(await captureCli(emulator.clientEnv(), ...argv, '--endpoint', emulator.endpoint(cloud), ...extra)) };
}

const versionTuple = (v: string | null) => (v?.match(/\d+/g) ?? []).map(Number);
const compareTuples = (a: number[], b: number[]) => {
  for (let i = 0; i < Math.max(a.length, b.length); i++) if ((a[i] ?? -1) !== (b[i] ?? -1)) return (a[i] ?? -1) - (b[i] ?? -1);
  return 0;
};

describe('the CLI commands of the README and docs/', () => {
  const commands = docCommands();

  test("are found (one per emulated API at least, in the clouds page; the README's first program; the CLI page's)", () => {
    const clouds = new Set(commandsIn(readDoc('docs/clouds.md')).map((c) => /--cloud (\S+)/.exec(c)![1]));
    expect([...clouds]).toEqual(expect.arrayContaining(['alicloud', 'huaweicloud', 'nscale', 'ucloud']));
    expect(commandsIn(README).length).toBeGreaterThan(0);
    expect(commandsIn(CLI).length).toBeGreaterThan(1);
  });

  test.each(commands)('%s: succeeds and chooses the documented kind of image', async (command) => {
    const { argv, code, stdout, stderr } = await run(command, argv_json(command));
    expect({
      code,
      stderr: stderr
        .split('\n')
        .filter((l) => !/^(warning|funnel|rule|order):/.test(l))
        .join('\n'),
    }).toEqual({ code: 0, stderr: '' });
    const parsed = JSON.parse(stdout) as Image | { images: Image[] };
    const images = 'images' in parsed ? parsed.images : [parsed];
    expect(images.length).toBeGreaterThan(0);
    if ('images' in parsed) return;
    const chosen = parsed;
    // Bootable where the command says: a VM image (or one for any machine) unless it asks for bare metal.
    if (flagValue(argv, '--machine-type') !== 'baremetal') expect(['vm', 'any']).toContain(chosen.machineType);
    // Not stale: without --os-version, no candidate of its distribution has a newer OS release than the one chosen.
    if (!argv.includes('--os-version')) {
      const listing = shellWords(command, {}).includes('--most-recent') ? command.replace(/^image /, 'images ').replace(/ --most-recent\b/, '') : command;
      const all = JSON.parse((await run(listing, argv_json(listing))).stdout) as { images: Image[] };
      const newest = all.images
        .filter((i) => i.osDistro === chosen.osDistro)
        .map((i) => versionTuple(i.osVersion))
        .sort(compareTuples)
        .at(-1)!;
      expect(compareTuples(versionTuple(chosen.osVersion), newest)).toBe(0);
    }
    for (const [flag, field] of [
      ['--architecture', 'architecture'],
      ['--os-distro', 'osDistro'],
      ['--os-version', 'osVersion'],
    ] as const) {
      if (argv.includes(flag)) expect(chosen[field]).toBe(flagValue(argv, flag));
    }
  });
});

/** `--json` unless the command already asks for it. */
function argv_json(command: string): string[] {
  return / --json\b/.test(command) ? [] : ['--json'];
}

/** The text of `doc` from `start` to the end of its code span, with line breaks and indentation as single spaces. */
function quoted(doc: string, start: string): string {
  const at = doc.indexOf(start);
  expect(at).toBeGreaterThan(-1);
  return doc.slice(at, doc.indexOf('`', at)).replace(/\s*\n\s*/g, ' ');
}

/** A pattern for documented text in which `…` stands for anything left out. */
function elided(text: string): RegExp {
  return new RegExp(
    `^${text
      .split('…')
      .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
      .join('[\\s\\S]*?')}$`,
  );
}

describe('the quoted output of the docs is what the program prints', () => {
  test('the funnel example of "Order and choice" (docs/arguments.md)', async () => {
    const block = /```\n *(no image matches the query \(cloud=alicloud[\s\S]*?)\n *```/.exec(ARGUMENTS)![1].replace(/\n */g, ' ');
    const query = Object.fromEntries([...block.slice(block.indexOf('(') + 1, block.indexOf(' …)')).matchAll(/(\w+)=(\S+)/g)].map((m) => [m[1], m[2]]));
    const failure = await lookupImage(query, { config: emulator.clientConfig(), env: {} }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(failure).toBeInstanceOf(NoImageError);
    expect((failure as Error).message).toMatch(elided(block));
  });

  test('the --explain example of "Command-line tool" (docs/cli.md)', async () => {
    const [, command, output] = /```\n\$ node bin\/cloudimages\.js (image .* --explain)\n([\s\S]*?)\n```/.exec(CLI)!;
    const { code, stderr } = await run(command);
    expect(code).toBe(0);
    expect(stderr.trimEnd()).toMatch(elided(output));
  });

  test('the name-version warning of "Order and choice", from UCloud\'s example command (docs/clouds.md)', async () => {
    const warning = quoted(ARGUMENTS, 'ucloud reports no creation time: mostRecent chose');
    const command = commandsIn(readDoc('docs/clouds.md')).find((c) => c.includes('--cloud ucloud'))!;
    const argv = shellWords(command, {});
    const query = {
      cloud: 'ucloud',
      region: flagValue(argv, '--region'),
      zone: flagValue(argv, '--zone'),
      osDistro: flagValue(argv, '--os-distro'),
      gpu: true,
      machineType: flagValue(argv, '--machine-type'),
      mostRecent: true,
    };
    expect(argv).toEqual(expect.arrayContaining(['--gpu', '--most-recent']));
    const { warnings } = await lookupImage(query, { config: emulator.clientConfig(), env: {} });
    expect(warnings).toEqual([warning]);
  });
});

describe('the docs agree with the repository', () => {
  /** The parts of package.json these tests read. */
  type PackageJson = {
    scripts: Record<string, string>;
    workspaces: string[];
    devDependencies: Record<string, string>;
    peerDependencies: Record<string, string>;
    engines: { node: string };
    exports: Record<string, string>;
  };
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as PackageJson;

  test("the front page's two commands come first and are the package's scripts: the demo and the whole suite, offline", () => {
    const [, block] = /^## Try it \(two commands, offline\)\n+```sh\n([\s\S]*?)```/m.exec(README)!;
    expect(/^## .*/m.exec(README)![0]).toBe('## Try it (two commands, offline)'); // the first section
    expect(
      block
        .split('\n')
        .filter(Boolean)
        .map((l) => l.replace(/\s+#.*$/, '')),
    ).toEqual(['npm ci && npm run demo', 'npm ci && npm test']);
    expect(pkg.scripts.demo).toMatch(/node dist\/provider\/cli\/demo\.js$/);
    expect(pkg.scripts.test).toMatch(/node node_modules\/jest\/bin\/jest\.js$/);
    expect(fs.readFileSync(path.join(ROOT, '.ci/run'), 'utf8')).toMatch(/^npm test$/m);
  });

  test("the quickstart's install steps: the root Pulumi.yaml says what the README says", () => {
    const readmeSteps = /## Try it with `pulumi preview`[\s\S]*?```sh\n(\S[^#\n]*?)\s+#/.exec(README)![1].trim();
    const yamlSteps = /# Before the first run, as the README says: ([^(\n]*?) \(/.exec(fs.readFileSync(path.join(ROOT, 'Pulumi.yaml'), 'utf8'))![1];
    expect(yamlSteps).toBe(readmeSteps);
    expect(readmeSteps).toBe('npm ci');
    // npm ci installs the quickstart because it is a workspace of the root.
    expect(pkg.workspaces).toContain('examples/*');
  });

  test('the Node.js advice: the pinned @pulumi/pulumi, its engines and the peer range are as docs/safety.md says', () => {
    const page = readDoc('docs/safety.md');
    const start = page.indexOf('Supported: Node 20.19+');
    expect(start).toBeGreaterThan(-1);
    const end = page.indexOf('\n#', start);
    const text = page.slice(start, end < 0 ? undefined : end).replace(/\s+/g, ' ');
    const pinned = /lockfile pins `@pulumi\/pulumi` ([\d.]+)/.exec(text)![1];
    expect(pkg.devDependencies['@pulumi/pulumi']).toBe(pinned);
    const installed = JSON.parse(fs.readFileSync(path.join(ROOT, 'node_modules/@pulumi/pulumi/package.json'), 'utf8')) as {
      version: string;
      engines: { node: string };
    };
    expect(installed.version).toBe(pinned);
    expect(installed.engines.node).toBe('>=22');
    expect(text).toContain('which declares Node 22');
    expect(text).toContain(`peer range (\`${pkg.peerDependencies['@pulumi/pulumi']}\`)`);
    expect(text).toContain(`(\`engines\`: \`${pkg.engines.node}\`)`);
  });

  test('the YAML program of docs/plugin.md defines every ${name} it uses', () => {
    const yaml = /```yaml\n([\s\S]*?)```/.exec(readDoc('docs/plugin.md'))![1];
    const defined = new Set(
      [...yaml.matchAll(/^(?:config|resources|variables):\n((?: {2}.*\n)*)/gm)].flatMap((m) => [...m[1].matchAll(/^ {2}([\w-]+):/gm)].map((d) => d[1])),
    );
    const used = [...yaml.matchAll(/\$\{([\w-]+)/g)].map((m) => m[1]);
    expect(used.length).toBeGreaterThan(0);
    for (const name of used) expect(defined).toContain(name);
    expect(yaml).toMatch(/nscaleToken:[^\n]*\n(?: {4}.*\n)*? {4}secret: true/);
  });

  test("the emulator's errors are as docs/cli.md describes them", async () => {
    expect(CLI.replace(/\s+/g, ' ')).toContain('exits 2 with one line that names the flag and what it takes, then `Run "cloudimages --help" for usage.`');
    const bad = await captureCli({}, 'emulator', '--latency-ms', '-5');
    expect(bad.code).toBe(2);
    expect(bad.stderr.trimEnd().split('\n')).toEqual([
      expect.stringMatching(/^cloudimages emulator: --latency-ms takes /),
      'Run "cloudimages --help" for usage.',
    ]);
  });

  test('the emulator is public API, and the examples use it as such', () => {
    const listed = /`@cloudimages\/pulumi\/emulator` \(([^)]*) and their types\) is public API/.exec(CLI.replace(/\s+/g, ' '))![1];
    expect(pkg.exports['./emulator']).toBe('./dist/sdk/emulator.js');
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const api = require('../../sdk/emulator') as Record<string, unknown>;
    expect(Object.keys(api).sort()).toEqual([...listed.matchAll(/`(\w+)`/g)].map((m) => m[1]).sort());
    for (const example of fs.readdirSync(path.join(ROOT, 'examples'))) {
      const index = path.join(ROOT, 'examples', example, 'index.ts');
      if (fs.existsSync(index)) expect(fs.readFileSync(index, 'utf8')).not.toMatch(/dist\/provider/);
    }
  });
});
