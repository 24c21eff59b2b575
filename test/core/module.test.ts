/** The registry seam: the core builds registries of any modules and reads the one installed, never a cloud folder. */
import { exampleCloudModule } from '../contract/examplecloud';

/** A fresh copy of the core, with no composition root loaded: what the core does on its own. */
function freshCore() {
  let core!: { module: typeof import('../../provider/core/module'); redact: typeof import('../../provider/core/redact') };
  jest.isolateModules(() => {
    core = { module: jest.requireActual('../../provider/core/module'), redact: jest.requireActual('../../provider/core/redact') };
  });
  return core;
}

test('the core alone has no clouds: a look-up says to install a registry instead of loading one', () => {
  const { module } = freshCore();
  expect(() => module.cloudNames()).toThrow(/no cloud registry is installed: import a composition root/);
});

test('a registry of one module answers the look-ups from that module only; installing it masks its parameters, and putting the previous one back unmasks them', () => {
  const { module, redact } = freshCore();
  const registry = module.createRegistry([exampleCloudModule]);
  expect(registry.names()).toEqual(['examplecloud']);
  expect(registry.find('alicloud')).toBeUndefined();
  expect(() => registry.get('alicloud')).toThrow('no cloud module is registered as "alicloud"; registered: examplecloud');
  expect(redact.isSensitiveName('X-Example-Token')).toBe(false);
  const restore = module.installRegistry(registry);
  expect(module.cloudModule('examplecloud')).toBe(exampleCloudModule);
  expect(redact.isSensitiveName('x-example-token')).toBe(true);
  restore();
  expect(redact.isSensitiveName('X-Example-Token')).toBe(false);
  expect(() => module.cloudNames()).toThrow(/no cloud registry is installed/);
});
