/**
 * Registries of a test's own: the built-in clouds with some modules put in their place (a fake backend with a fixed
 * catalog) or added (a made-up cloud). A test passes one where a surface passes the built-in registry (the lookup's
 * `registry` option, the plugin's provider, the CLI's `registry`); nothing global is changed.
 */
import { CLOUD_MODULES } from '../../provider/clouds';
import { CloudModule, CloudRegistry, createRegistry } from '../../provider/core/module';

/** The built-in clouds, those named in `replace` replaced, then `add`ed ones. */
export function testRegistry(replace: Record<string, CloudModule> = {}, add: readonly CloudModule[] = []): CloudRegistry {
  return createRegistry([...CLOUD_MODULES.map((m) => replace[m.name] ?? m), ...add]);
}
