/**
 * Registries of a test's own: the built-in clouds with some modules put in their place (a fake backend with a fixed
 * catalog) or added (a made-up cloud). A test installs one the way a surface installs the built-in registry; nothing
 * in the registry of the built-in clouds is changed.
 */
import { BUILT_IN_REGISTRY, CLOUD_MODULES } from '../../provider/clouds';
import { CloudModule, CloudRegistry, createRegistry, installRegistry } from '../../provider/core/module';

/** The built-in clouds, those named in `replace` replaced, then `add`ed ones. */
export function testRegistry(replace: Record<string, CloudModule> = {}, add: readonly CloudModule[] = []): CloudRegistry {
  return createRegistry([...CLOUD_MODULES.map((m) => replace[m.name] ?? m), ...add]);
}

/** Installs `testRegistry(replace, add)`; returns the function that puts the previous registry back. */
export function useTestRegistry(replace: Record<string, CloudModule> = {}, add: readonly CloudModule[] = []): () => void {
  return installRegistry(testRegistry(replace, add));
}

/** Back to the built-in clouds (after a test file's own registries). */
export function useBuiltInRegistry(): void {
  installRegistry(BUILT_IN_REGISTRY);
}
