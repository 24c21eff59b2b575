/**
 * Input refused before any request, as configuration or usage errors (CLI exit 2): credentials a header cannot
 * carry, and endpoints that are not a plain https:// base URL (or http:// to loopback).
 */
import { Emulator } from '../../provider/emulator/server';
import { lookupImages } from '../../provider/lookup';
import { BUILT_IN_REGISTRY } from '../../provider/clouds';
import { ConfigurationError, TransportError } from '../../provider/core/errors';
import { RequestSharing } from '../../provider/core/share';
import { CLOUD_NAMES, CloudName } from '../../provider/clouds/registry';
import { BUILT_IN_REGION } from '../helpers/regions';
import { captureCli } from '../helpers/cli';

let emulator: Emulator;
beforeAll(async () => {
  emulator = await new Emulator().start();
});
afterAll(() => emulator.stop());
beforeEach(() => emulator.resetCounts());

/** Each cloud's secret fields that its emulator configuration sets. */
const secretFields = (cloud: CloudName) =>
  BUILT_IN_REGISTRY.get(cloud).fields.filter((f) => f.secret && (emulator.clientConfig()[cloud] as Record<string, string>)[f.name]);

describe('a credential a header cannot carry', () => {
  const BAD: [string, string][] = [
    ['a trailing LF', 'tok\n'],
    ['a CR LF inside', 'tok\r\nX-Injected: 1'],
    ['a NUL', 'tok\u0000en'],
    ['a character beyond Latin-1', 'tok\u2028en'],
    ['DEL', 'tok\u007fen'],
  ];

  it.each(CLOUD_NAMES)('%s: from config, a ConfigurationError naming the setting and its variables, before any request', async (cloud) => {
    for (const field of secretFields(cloud)) {
      for (const [, suffix] of BAD) {
        const section = { ...(emulator.clientConfig()[cloud] as Record<string, string>) };
        const value = `${section[field.name]}${suffix}`;
        section[field.name] = value;
        const err = await lookupImages(
          { cloud, region: BUILT_IN_REGION[cloud](emulator) },
          { config: { [cloud]: section }, env: {}, sharing: new RequestSharing() },
        ).catch((e: unknown) => e);
        expect(err).toBeInstanceOf(ConfigurationError);
        const names = [`cloudimages:${cloud}.${field.name}`, ...(field.env ?? [])].join(' or ');
        expect((err as Error).message.startsWith(`${names} contains `)).toBe(true);
        expect((err as ConfigurationError).setting).toBe(`cloudimages:${cloud}.${field.name}`);
        expect((err as Error).message).not.toContain('X-Injected');
      }
    }
    expect(emulator.count()).toBe(0);
  });

  it("the CLI: exit 2 and the message the issue asks for, for nscale's token from the environment", async () => {
    const env = { ...emulator.clientEnv(['nscale']), NSCALE_SERVICE_TOKEN: 'a-token-with-a-newline\n' };
    const { code, stdout, stderr } = await captureCli(env, 'images', '--cloud', 'nscale', '--endpoint', emulator.endpoint('nscale'));
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain('cloudimages:nscale.serviceToken or NSCALE_SERVICE_TOKEN contains a line break');
    expect(stderr).not.toContain('a-token-with-a-newline');
    expect(emulator.count()).toBe(0);
  });

  it('Latin-1 and tabs stay accepted (headers carry them)', async () => {
    const section = { ...(emulator.clientConfig().nscale as Record<string, string>) };
    section.serviceToken = `${section.serviceToken}\té`;
    const err = await lookupImages(
      { cloud: 'nscale', region: BUILT_IN_REGION.nscale(emulator) },
      { config: { nscale: section }, env: {}, sharing: new RequestSharing() },
    ).catch((e: unknown) => e);
    expect(err).not.toBeInstanceOf(ConfigurationError); // refused by the server, not by us
  });
});

describe('refused endpoints', () => {
  const refused = (base: string) => [
    ['a query string', `${base}?x=1`],
    ['an empty query', `${base}?`],
    ['a fragment', `${base}#frag`],
    ['user:password@', base.replace('http://', 'http://user:pw@')],
    ['plain http to a non-loopback host', 'http://ecs.example.com'],
    ['ftp:', 'ftp://127.0.0.1/'],
    ['not a URL', 'not a url'],
  ];

  it('the SDK refuses an endpoint with a query string or a fragment, before any request', async () => {
    for (const [, endpoint] of refused(emulator.endpoint('nscale'))) {
      const err = await lookupImages(
        { cloud: 'nscale', region: BUILT_IN_REGION.nscale(emulator), endpoint },
        { config: emulator.clientConfig(), env: {}, sharing: new RequestSharing() },
      ).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(TransportError);
    }
    expect(emulator.count()).toBe(0);
  });

  it.each(refused('http://127.0.0.1:9'))('the CLI exits 2 for %s', async (_what, endpoint) => {
    const { code, stderr } = await captureCli(
      emulator.clientEnv(['alicloud']),
      'images',
      '--cloud',
      'alicloud',
      '--region',
      'cn-hangzhou',
      '--endpoint',
      endpoint,
    );
    expect(stderr).toMatch(/^cloudimages: /);
    expect(code).toBe(2);
  });

  it('a plain base URL with a path still works', async () => {
    const { code } = await captureCli(
      emulator.clientEnv(['alicloud']),
      'images',
      '--cloud',
      'alicloud',
      '--region',
      'cn-hangzhou',
      '--endpoint',
      `${emulator.endpoint('alicloud')}/`,
    );
    expect(code).toBe(0);
  });
});
