/** The registry seam: the core builds registries of any modules and keeps none, never reading a cloud folder. */
import { exampleCloudModule } from '../contract/examplecloud';

/** A fresh copy of the core, with no composition root loaded: what the core does on its own. */
function freshCore() {
  let core!: { module: typeof import('../../provider/core/module'); redact: typeof import('../../provider/core/redact') };
  jest.isolateModules(() => {
    core = { module: jest.requireActual('../../provider/core/module'), redact: jest.requireActual('../../provider/core/redact') };
  });
  return core;
}

test('the core alone holds no registry: it only builds one from the modules it is given', () => {
  const { module } = freshCore();
  expect(Object.keys(module)).toEqual(['createRegistry']);
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
