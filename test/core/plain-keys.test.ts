/** Tag, filter and software keys are data: `__proto__`, `constructor` and `toString` are keys like any other. */
import { validateQuery, compileQuery } from '../../provider/core/query';
import { matches } from '../../provider/core/select';
import { parseCommandLine } from '../../provider/cli/args';
import { testRegistry } from '../helpers/registry';
import type { CloudRegistry } from '../../provider/core/module';
import { captureCliWith } from '../helpers/cli';
import { sharedRequests } from '../../provider/core/share';
import { fakeBackend } from '../helpers/fake-backend';
import { image } from '../helpers/images';
import { BUILT_IN_REGISTRY } from '../../provider/clouds';

const PROTO_TAGS = JSON.parse('{"__proto__":"x"}') as Record<string, string>;

describe('keys that name prototype members', () => {
  it('validation keeps __proto__ as an own key instead of dropping it', () => {
    const query = validateQuery({ cloud: 'nscale', tags: PROTO_TAGS, filters: JSON.parse('{"constructor":"y"}') as Record<string, string> }, BUILT_IN_REGISTRY);
    expect(Object.keys(query.tags)).toEqual(['__proto__']);
    expect(query.tags.__proto__).toBe('x');
    expect(Object.keys(query.filters)).toEqual(['constructor']);
  });

  it('selection matches such keys literally, never on a prototype', () => {
    const compiled = compileQuery(validateQuery({ cloud: 'nscale', tags: PROTO_TAGS }, BUILT_IN_REGISTRY));
    expect(matches(image({ id: 'tagged', tags: PROTO_TAGS }), compiled)).toBe(true);
    expect(matches(image({ id: 'untagged' }), compiled)).toBe(false);
    const inherited = compileQuery(validateQuery({ cloud: 'nscale', tags: { toString: 'function toString() { [native code] }' } }, BUILT_IN_REGISTRY));
    expect(matches(image({ id: 'untagged' }), inherited)).toBe(false);
    const software = compileQuery(validateQuery({ cloud: 'nscale', softwareVersions: { constructor: '>=1' } }, BUILT_IN_REGISTRY));
    expect(matches(image({ id: 'plain' }), software)).toBe(false);
    expect(matches(image({ id: 'has', softwareVersions: JSON.parse('{"constructor":"1.2.0"}') as Record<string, string> }), software)).toBe(true);
  });

  it('the CLI reads --tag __proto__=x and --filter constructor=y as plain entries', () => {
    const { args } = parseCommandLine(['images', '--cloud', 'nscale', '--tag', '__proto__=x', '--filter', 'constructor=y', '--filter', 'toString=z']);
    expect(Object.entries(args.tags as object)).toEqual([['__proto__', 'x']]);
    expect(Object.entries(args.filters as object)).toEqual([
      ['constructor', 'y'],
      ['toString', 'z'],
    ]);
  });

  describe('end to end', () => {
    let registry: CloudRegistry;
    beforeAll(() => {
      registry = testRegistry({
        nscale: fakeBackend('nscale', [
          image({ id: 'img-proto', tags: PROTO_TAGS, createdAt: '2025-01-02T00:00:00Z', visibility: 'public' }),
          image({ id: 'img-plain', tags: { env: 'prod' }, createdAt: '2025-01-01T00:00:00Z', visibility: 'public' }),
        ]).module,
      });
    });
    beforeEach(() => sharedRequests.clear());

    it('--tag __proto__=x filters the listing instead of returning it unfiltered', async () => {
      const { code, stdout } = await captureCliWith({ env: {}, registry }, 'images', '--cloud', 'nscale', '--tag', '__proto__=x', '--json');
      expect(code).toBe(0);
      expect((JSON.parse(stdout) as { ids: string[] }).ids).toEqual(['img-proto']);
      expect(
        (
          JSON.parse((await captureCliWith({ env: {}, registry }, 'images', '--cloud', 'nscale', '--tag', 'constructor=x', '--json')).stdout) as {
            ids: string[];
          }
        ).ids,
      ).toEqual([]);
    });
  });
});
