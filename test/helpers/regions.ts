import type { Emulator } from '../../provider/emulator/server';
import type { CloudName } from '../../provider/clouds/registry';

/** A region each cloud's built-in emulator catalog serves (nscale's are UUIDs, read from the catalog). */
export const BUILT_IN_REGION: Record<CloudName, (emulator: Emulator) => string> = {
  alicloud: () => 'cn-hangzhou',
  huaweicloud: () => 'cn-north-4',
  opentelekomcloud: () => 'eu-de',
  ucloud: () => 'cn-bj2',
  nscale: (emulator) => (emulator.catalog.nscale!.regions as string[])[0],
};
