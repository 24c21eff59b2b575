/**
 * The composition root of the clouds: the registry of the built-in clouds, which each surface (the SDK, the plugin,
 * the CLI, `npm run gen`) passes to the functions that need clouds; the lookup uses it when its caller names none.
 * The core knows no cloud and imports nothing from here; a test (or an extension) builds a registry of its own with
 * `createRegistry` and passes that instead. Importing this file changes nothing.
 */
import { createRegistry } from '../core/module';
import { CLOUD_MODULES } from './registry';

export { CLOUD_MODULES, CLOUD_NAMES, CloudName } from './registry';

export const BUILT_IN_REGISTRY = createRegistry(CLOUD_MODULES);
