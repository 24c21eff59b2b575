/**
 * The one place clouds register: one line per cloud folder. Everything that lists clouds is derived from this list
 * (core/module.ts reads it), so adding a cloud means one new folder and one line here.
 */
import type { CloudModule } from '../core/module';
import { alicloudModule } from './alicloud';
import { huaweiCloudModule, openTelekomCloudModule } from './huawei';
import { ucloudModule } from './ucloud';
import { nscaleModule } from './nscale';

export const CLOUD_MODULES = [alicloudModule, huaweiCloudModule, openTelekomCloudModule, ucloudModule, nscaleModule] as const;

/** The built-in clouds' names: tables that must cover every cloud are typed `Record<CloudName, …>`. */
export type CloudName = (typeof CLOUD_MODULES)[number]['name'];

export const CLOUD_NAMES: readonly CloudName[] = CLOUD_MODULES.map((m) => m.name);

/** Modules added at run time, after the built-in ones: how a test proves the contract with a cloud of its own. */
const registered: CloudModule[] = [];
let all: readonly CloudModule[] = CLOUD_MODULES;

export function cloudModules(): readonly CloudModule[] {
  return overrides.size === 0 ? all : all.map((m) => overrides.get(m.name) ?? m);
}

/**
 * Adds a cloud module at run time (a test's made-up cloud, an extension). Returns the function that removes it
 * again. A name that is already registered is refused: a module cannot silently replace another.
 */
export function registerCloudModule(module: CloudModule): () => void {
  if (all.some((m) => m.name === module.name)) throw new Error(`a cloud module named ${JSON.stringify(module.name)} is already registered`);
  registered.push(module);
  all = [...CLOUD_MODULES, ...registered];
  return () => {
    const i = registered.indexOf(module);
    if (i >= 0) registered.splice(i, 1);
    all = [...CLOUD_MODULES, ...registered];
  };
}

const overrides = new Map<string, CloudModule>();

/** For tests of the core pipeline: put a fake module (e.g. one with a fixed catalog) in a cloud's place. */
export function overrideModule(cloud: string, module: CloudModule | undefined): void {
  if (module) overrides.set(cloud, module);
  else overrides.delete(cloud);
}
