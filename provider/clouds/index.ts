/**
 * The composition root of the clouds: the registry of the built-in clouds, installed when a surface (the SDK, the
 * plugin, the CLI, the lookup pipeline) imports this file. The core knows no cloud and imports nothing from here;
 * a test (or an extension) builds a registry of its own with `createRegistry` and installs it in its place.
 */
import { createRegistry, installRegistry } from '../core/module';
import { CLOUD_MODULES } from './registry';

export { CLOUD_MODULES, CLOUD_NAMES, CloudName } from './registry';

export const BUILT_IN_REGISTRY = createRegistry(CLOUD_MODULES);

installRegistry(BUILT_IN_REGISTRY);
