import { spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { captureCliWith } from '../helpers/cli';
import { runCli } from '../../provider/cli/main';
import { testRegistry } from '../helpers/registry';
import type { CloudRegistry } from '../../provider/core/module';
import { QUERY_ARGUMENTS } from '../../provider/core/query';
import { inCliWords } from '../../provider/cli/words';
import { sharedRequests } from '../../provider/core/share';
import { fakeBackend } from '../helpers/fake-backend';
import { image } from '../helpers/images';
import { Emulator } from '../../provider/emulator/server';

const ROOT = path.resolve(__dirname, '..', '..');

describe('cloudimages CLI', () => {
  let registry: CloudRegistry;
  const cli = (...argv: string[]) => captureCliWith({ env: {}, registry }, ...argv);
  beforeAll(() => {
    const gpu = { supported: true, vendor: 'NVIDIA', driver: '535.1.1', models: ['H100'] };
    registry = testRegistry({
      nscale: fakeBackend('nscale', [
        image({ id: 'img-a', name: 'ubuntu-22.04-gpu', createdAt: '2025-01-02T00:00:00Z', visibility: 'public', gpu, architecture: 'x86_64' }),
        image({
          id: 'img-b',
          name: 'ubuntu-22.04',
          createdAt: '2025-01-01T00:00:00Z',
          visibility: 'public',
          architecture: 'arm64',
          gpu: { supported: false, vendor: null, driver: null, models: [] },
        }),
      ]).module,
    });
  });
  beforeEach(() => sharedRequests.clear());

  it('images --json prints the result object and nothing else on stdout', async () => {
    const { code, stdout, stderr } = await cli('images', '--cloud', 'nscale', '--json');
    expect(code).toBe(0);
    expect(stderr).toBe('');
    const result = JSON.parse(stdout) as { ids: string[]; images: unknown[] };
    expect(result.ids).toEqual(['img-a', 'img-b']);
    expect(result.images[0]).toMatchObject({ id: 'img-a', gpu: { models: ['H100'] } });
  });

  it('image prints a table and why the image was chosen', async () => {
    const { code, stdout } = await cli('image', '--cloud=nscale', '--most-recent', '--gpu');
    expect(code).toBe(0);
    expect(stdout.split('\n')[0]).toMatch(/^ID\s+NAME\s+CREATED\s+ARCH\s+OS\s+GPU\s+TYPE\s+STATUS\s+VISIBILITY$/);
    expect(stdout).toMatch(/img-a\s+ubuntu-22\.04-gpu\s+2025-01-02T00:00:00Z\s+x86_64/);
    expect(stdout).toContain('chosen: the newest image that matches (created 2025-01-02T00:00:00Z)');
    expect((await cli('image', '--cloud=nscale', '--gpu')).stdout).toContain('chosen: the only image that matches');
  });

  it('reads --no-gpu, repeated and NAME=VALUE flags', async () => {
    const { code, stdout } = await cli('images', '--cloud', 'nscale', '--no-gpu', '--tag', 'a=b', '--json');
    expect(code).toBe(0);
    expect((JSON.parse(stdout) as { ids: string[] }).ids).toEqual([]);
    expect((await cli('images', '--cloud', 'nscale', '--no-gpu', '--json')).stdout).toContain('img-b');
  });

  it('exits 1 with the message on stderr when the query fails', async () => {
    const { code, stdout, stderr } = await cli('image', '--cloud', 'nscale');
    expect(code).toBe(1);
    expect(stdout).toBe('');
    // In the CLI's words: flags, not the SDK's argument names.
    expect(stderr).toMatch(/^cloudimages: 2 images match the query \(--cloud=nscale .*\), e\.g\. img-a, img-b; narrow the query or pass --most-recent\n$/);
  });

  it.each([
    [['images', '--cloud', 'nscale', '--colour', 'red'], /unknown flag --colour/],
    [['images', '--cloud'], /--cloud needs a value/],
    [['images', '--cloud', 'aws'], /invalid --cloud: "aws" is not accepted/],
    [['images', '--cloud', 'nscale', '--architecture', 'mips'], /invalid --architecture: "mips" is not accepted; accepted values are x86_64, arm64, i386/],
    [['images', '--cloud', 'nscale', '--software', 'kubernetes'], /--software takes NAME=VALUE/],
    [['frobnicate'], /unknown command "frobnicate"/],
    [['images', 'stray'], /unexpected argument "stray"/],
    [['images', '--cloud', 'nscale', '--gpu=no'], /--gpu takes no value, or =true \/ =false; got "no"/],
    // The core's getImages rule, the same as the SDK's and the plugin's: a listing does not choose.
    [
      ['images', '--cloud', 'nscale', '--most-recent'],
      /invalid --most-recent: only cloudimages image chooses one image; cloudimages images returns every match/,
    ],
    [['images', '--cloud', 'nscale', '--allow-unsafe-most-recent'], /invalid --allow-unsafe-most-recent: only cloudimages image chooses one image/],
    [['images', '--cloud', 'nscale', '--min-age-days', '-1'], /invalid --min-age-days: expected a non-negative number of days/],
    [['images', '--cloud', 'nscale', '--max-age-days', 'week'], /invalid --max-age-days: expected a non-negative number of days/],
    [['image', '--cloud', 'nscale', '--explain=maybe'], /--explain takes no value/],
  ])('exits 2 on bad usage %j', async (argv, message) => {
    const { code, stderr } = await cli(...argv);
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
  });

  it('--explain writes the funnel and the rule that chose on stderr; stdout is unchanged', async () => {
    const plain = await cli('image', '--cloud', 'nscale', '--most-recent', '--json');
    const explained = await cli('image', '--cloud', 'nscale', '--most-recent', '--json', '--explain');
    expect(explained.code).toBe(0);
    expect(explained.stdout).toBe(plain.stdout);
    expect(plain.stderr).toBe('');
    expect(explained.stderr).toBe(
      [
        'funnel: 2 in the catalog → --status=available: 2 → --visibility=private,public: 2',
        // Said once: the rule is in the reason, not repeated around it.
        'rule: the newest of 2 matches (created 2025-01-02T00:00:00Z)',
        '',
      ].join('\n'),
    );
  });

  it('images --explain writes the funnel and the order; the table on stdout is unchanged', async () => {
    const plain = await cli('images', '--cloud', 'nscale', '--architecture', 'arm64');
    const explained = await cli('images', '--cloud', 'nscale', '--architecture', 'arm64', '--explain');
    expect(explained.stdout).toBe(plain.stdout);
    expect(explained.stderr).toBe('funnel: 2 in the catalog → --status=available: 2 → --visibility=private,public: 2 → --architecture=arm64: 1\n');
    expect((await cli('images', '--cloud', 'nscale', '--explain')).stderr).toContain('\norder: newest first by creation time; ties by name, then ID\n');
  });

  it('--min-age-days and --max-age-days select by age from now', async () => {
    const now = () => new Date('2025-01-05T00:00:00Z');
    const run = (...argv: string[]) => captureCliWith({ env: {}, now, registry }, ...argv);
    expect((JSON.parse((await run('image', '--cloud', 'nscale', '--most-recent', '--min-age-days', '3.5', '--json')).stdout) as { id: string }).id).toBe(
      'img-b',
    );
    expect((JSON.parse((await run('images', '--cloud', 'nscale', '--max-age-days=3.5', '--json')).stdout) as { ids: string[] }).ids).toEqual(['img-a']);
    const none = await run('image', '--cloud', 'nscale', '--min-age-days', '10');
    expect(none.code).toBe(1);
    expect(none.stderr).toContain(
      '(--cloud=nscale --visibility=private,public --min-age-days=10); 2 in the catalog → --status=available: 2 → --visibility=private,public: 2 → --min-age-days=10: 0; closest: ubuntu-22.04-gpu (fails --min-age-days), ubuntu-22.04 (fails --min-age-days); loosen --min-age-days',
    );
  });

  it('--version prints the package version', async () => {
    const { version } = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string };
    for (const flag of ['--version', '-V']) expect(await cli(flag)).toEqual({ code: 0, stdout: `cloudimages ${version}\n`, stderr: '' });
  });

  it('--help is what docs/cli.md quotes, flag for flag: every query flag with its values, aliases and list syntax', async () => {
    const help = await cli('--help');
    expect(help.code).toBe(0);
    const page = fs.readFileSync(path.join(ROOT, 'docs/cli.md'), 'utf8');
    expect(page).toContain(`\`\`\`text\n${help.stdout}\`\`\``);
    for (const spec of QUERY_ARGUMENTS) {
      expect(help.stdout).toContain(`--${spec.flag}`);
      for (const value of spec.accepted ?? []) expect(help.stdout).toContain(value);
      for (const [alias, value] of Object.entries(spec.aliases ?? {})) expect(help.stdout).toMatch(new RegExp(`\\b${alias}\\b[^;)]* for ${value}`));
    }
    for (const flag of ['--json', '--version', '--no-gpu', '--port N', '--latency-ms N', '--catalog FILE', '--write-catalog FILE'])
      expect(help.stdout).toContain(flag);
    expect(help.stdout).toContain('a list: comma-separated (a,b) or the flag repeated');
    // One style, that of its own lines: each description starts in lower case (acronyms, names and flags aside)
    // and ends without a full stop.
    const descriptions = help.stdout
      .split('\n')
      .filter((l) => /^ {2}--/.test(l))
      .map((l) => l.replace(/^ {2}--\S+(?: \/ --\S+)?(?: [A-Z=]+)?\s+/, ''));
    expect(descriptions.length).toBeGreaterThan(20);
    for (const text of descriptions) expect(text).toMatch(/^(?:[a-z(]|--|[A-Z]{2,}\b|JavaScript\b)/);
    expect(help.stdout.split('\n').filter((l) => /[^.]\.$/.test(l) && !/\be\.g\.$/.test(l))).toEqual([]);
    // Written for the command line: no SDK argument names.
    expect(help.stdout).not.toMatch(/\b(mostRecent|allowUnsafeMostRecent|softwareVersions|gpuModel|getImage)\b|\{kubernetes/);
  });

  it('--help lists every query flag and exits 0; no arguments at all is usage (2)', async () => {
    const help = await cli('images', '--help');
    expect(help.code).toBe(0);
    for (const flag of [
      '--cloud',
      '--gpu-model',
      '--software NAME=RANGE',
      '--name-regex',
      '--allow-unsafe-most-recent',
      '--min-age-days DAYS',
      '--max-age-days DAYS',
      '--explain',
    ])
      expect(help.stdout).toContain(flag);
    expect((await cli()).code).toBe(2);
  });
});

describe("CLI messages use the CLI's words", () => {
  it.each([
    ['invalid argument "gpuModel": expected a string', 'invalid --gpu-model: expected a string'],
    ['invalid argument "filters.Action": set by cloudimages', 'invalid --filter Action: set by cloudimages'],
    [
      'invalid argument "mostRecent": refusing …; narrow visibility to public or private, or set allowUnsafeMostRecent: true if you trust every publisher',
      'invalid --most-recent: refusing …; narrow --visibility to public or private, or pass --allow-unsafe-most-recent if you trust every publisher',
    ],
    [
      'DescribeImages has no GPU attribute; pass the GPU instance type the image must run on, e.g. filters: {InstanceType: "ecs.gn7i-c8g1.2xlarge"}',
      'DescribeImages has no GPU attribute; pass the GPU instance type the image must run on, e.g. --filter InstanceType=ecs.gn7i-c8g1.2xlarge',
    ],
    [
      'nscale needs a service token: set config cloudimages:nscale.serviceToken or environment variable NSCALE_SERVICE_TOKEN',
      'nscale needs a service token: set environment variable NSCALE_SERVICE_TOKEN',
    ],
    [
      'alicloud: no region; pass region, or set config cloudimages:alicloud.region or environment variable ALIBABA_CLOUD_REGION or ALICLOUD_REGION',
      'alicloud: no region; pass --region, or set environment variable ALIBABA_CLOUD_REGION or ALICLOUD_REGION',
    ],
    ['no image matches the query (cloud=nscale mostRecent=true gpuModel=X)', 'no image matches the query (--cloud=nscale --most-recent=true --gpu-model=X)'],
    // One vocabulary in a message: every argument is its flag, in the query, the funnel and the advice.
    [
      'no image matches the query (cloud=alicloud region=cn-hangzhou architecture=arm64 nameRegex=^debian-13 tags={"team":"ml"} visibility=["private","public"]); ' +
        '403 in the catalog → status=available: 403 → architecture=arm64: 164 → tags.team=ml: 3 → nameRegex: 0; closest: a (fails architecture, nameRegex), b (fails tags.team); loosen nameRegex',
      'no image matches the query (--cloud=alicloud --region=cn-hangzhou --architecture=arm64 --name-regex=^debian-13 --tag={"team":"ml"} --visibility=private,public); ' +
        '403 in the catalog → --status=available: 403 → --architecture=arm64: 164 → --tag team=ml: 3 → --name-regex: 0; closest: a (fails --architecture, --name-regex), b (fails --tag team); loosen --name-regex',
    ],
    ['refusing …; narrow visibility to public or private', 'refusing …; narrow --visibility to public or private'],
    [
      'leave minAgeDays unset (mostRecent there orders by the version numbers in names)',
      'leave out --min-age-days (--most-recent there orders by the version numbers in names)',
    ],
    // No SDK words: gpu: true is --gpu, and filters are --filter.
    ['IMS reports GPU types, not vendors: use gpu: true or gpuModel instead', 'IMS reports GPU types, not vendors: use --gpu or --gpu-model instead'],
    [
      '"does not run on GPU machines" cannot be told; leave gpu unset, or pass a non-GPU InstanceType in filters',
      '"does not run on GPU machines" cannot be told; leave out --gpu, or pass a non-GPU InstanceType as --filter InstanceType=…',
    ],
    ['ask for gpu: true with a GPU InstanceType in filters instead', 'ask for --gpu with a GPU InstanceType as --filter InstanceType=… instead'],
    // Server text keeps its own words: a URL's query is not a flag.
    ['GET https://ims.example/v2/cloudimages?status=active&region=x failed', 'GET https://ims.example/v2/cloudimages?status=active&region=x failed'],
    [
      'ucloud reports no creation time: mostRecent chose a (b) by the version numbers',
      'ucloud reports no creation time: --most-recent chose a (b) by the version numbers',
    ],
  ])('%s', (core, cli) => {
    expect(inCliWords(core)).toBe(cli);
  });
});

describe('cloudimages images | head -1', () => {
  it('ends quietly with exit 0 when the reader of stdout goes away (EPIPE is not an error)', async () => {
    const emulator = await new Emulator().start();
    try {
      const env = { PATH: process.env.PATH, ...emulator.clientEnv(['alicloud']) };
      const args = [
        path.join(ROOT, 'bin/cloudimages.js'),
        'images',
        '--cloud',
        'alicloud',
        '--region',
        'cn-hangzhou',
        '--endpoint',
        emulator.endpoint('alicloud'),
      ];
      for (const json of [false, true]) {
        const child = spawn(process.execPath, json ? [...args, '--json'] : args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
        let stderr = '';
        child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
        // `head -1` reads a line and leaves: here the reader leaves before anything is written.
        child.stdout.destroy();
        const code = await new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
        expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
      }
    } finally {
      await emulator.stop();
    }
  });
});

describe('a stdout that fails to take the output', () => {
  const failing = () => Promise.reject(new Error('write EPIPE'));

  it('--version fails the run with the write error instead of succeeding with an unhandled rejection', async () => {
    await expect(runCli(['--version'], { stdout: failing, stderr: () => undefined })).rejects.toThrow('write EPIPE');
  });

  it('emulator reports the failed banner write and exits 1', async () => {
    const errors: string[] = [];
    const code = await runCli(['emulator', '--port', '0'], { stdout: failing, stderr: (text) => void errors.push(text) });
    expect({ code, errors }).toEqual({ code: 1, errors: ['cloudimages emulator: unexpected error: write EPIPE\n'] });
  });
});
