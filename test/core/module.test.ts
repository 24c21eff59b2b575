/** The registry seam: the core builds registries of any modules and keeps none, never reading a cloud folder. */
import { exampleCloudModule } from '../contract/examplecloud';
import { createRegistry } from '../../provider/core/module';
import { queryArguments, validateQuery } from '../../provider/core/query';
import { checkConfig } from '../../provider/core/config';
import { BUILT_IN_REGISTRY } from '../../provider/clouds';

/** A fresh copy of the core, with no composition root loaded: what the core does on its own. */
function freshCore() {
  let core!: { module: typeof import('../../provider/core/module'); redact: typeof import('../../provider/core/redact') };
  jest.isolateModules(() => {
    core = { module: jest.requireActual('../../provider/core/module'), redact: jest.requireActual('../../provider/core/redact') };
  });
  return core;
}

test('the core alone holds no registry: it only builds one from the modules it is given (and the template modules are made with)', () => {
  const { module } = freshCore();
  expect(Object.keys(module).sort()).toEqual(['configFields', 'createRegistry', 'defineCloud']);
});

test('a registry of one module answers the look-ups from that module only, and masks its credential parameters from then on', () => {
  const { module, redact } = freshCore();
  expect(redact.isSensitiveName('X-Example-Token')).toBe(false);
  const registry = module.createRegistry([exampleCloudModule]);
  expect(registry.names()).toEqual(['examplecloud']);
  expect(registry.get('examplecloud')).toBe(exampleCloudModule);
  expect(registry.find('alicloud')).toBeUndefined();
  expect(() => registry.get('alicloud')).toThrow('no cloud module is registered as "alicloud"; registered: examplecloud');
  expect(redact.isSensitiveName('x-example-token')).toBe(true);
  expect(redact.redactBody('{"X-Example-Token": "abc", "region": "ex-1"}')).toBe('{"X-Example-Token": "***", "region": "ex-1"}');
  // Masking only grows: a second registry without the module leaves its parameters masked.
  module.createRegistry([]);
  expect(redact.isSensitiveName('X-Example-Token')).toBe(true);
});

describe('the functions that need clouds answer for the registry they are given', () => {
  const onlyExample = createRegistry([exampleCloudModule]);
  const none = createRegistry([]);

  test('validation accepts exactly its clouds and names them when refusing', () => {
    expect(validateQuery({ cloud: 'examplecloud' }, onlyExample).cloud).toBe('examplecloud');
    expect(() => validateQuery({ cloud: 'alicloud' }, onlyExample)).toThrow(
      'invalid argument "cloud": "alicloud" is not accepted; accepted values are examplecloud',
    );
    expect(() => validateQuery({}, onlyExample)).toThrow('invalid argument "cloud": required; one of examplecloud');
    expect(() => validateQuery({ cloud: 'examplecloud' }, none)).toThrow(/"cloud": "examplecloud" is not accepted/);
  });

  test('the argument table lists its clouds and says what they call a region', () => {
    const table = queryArguments(onlyExample);
    expect(table.find((a) => a.name === 'cloud')!.accepted).toEqual(['examplecloud']);
    expect(queryArguments(none).find((a) => a.name === 'cloud')!.accepted).toEqual([]);
    expect(table.find((a) => a.name === 'region')!.description).toMatch(/^The region\. Defaults/); // its region setting is called region
    expect(queryArguments(BUILT_IN_REGISTRY).find((a) => a.name === 'regions')!.description).toMatch(/^Several regions \(nscale: the region ID\), instead/);
  });

  test('configuration checks accept its objects only', () => {
    expect(checkConfig({ examplecloud: { apiToken: 'example-token-0123456789' } }, onlyExample).failures).toEqual([]);
    expect(checkConfig({ alicloud: {} }, onlyExample).failures).toEqual([
      { property: 'alicloud', reason: 'unknown configuration variable; accepted variables are examplecloud' },
    ]);
  });
});
