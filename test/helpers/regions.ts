import type { Emulator } from '../../provider/emulator/server';
import type { CloudName } from '../../provider/clouds/registry';
import { ADAPTERS } from '../clouds/adapters';

/** A region each cloud's built-in emulator catalog serves (each cloud's test adapter knows its own). */
export const BUILT_IN_REGION = Object.fromEntries(ADAPTERS.map((adapter) => [adapter.cloud, adapter.builtInRegion])) as Readonly<
  Record<CloudName, (emulator: Emulator) => string>
>;
