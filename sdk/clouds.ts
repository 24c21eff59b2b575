/**
 * The SDK's composition point: the clouds its functions, ImageLock and policy helpers look images up in (the
 * built-in ones). Every part of the SDK takes its registry from here and passes it on.
 */
import { BUILT_IN_REGISTRY } from '../provider/clouds';

export const SDK_REGISTRY = BUILT_IN_REGISTRY;
