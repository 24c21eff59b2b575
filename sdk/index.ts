/**
 * @cloudimages/pulumi: choose VM and Kubernetes node images in Pulumi programs by what they are.
 *
 * ```ts
 * import * as cloudimages from "@cloudimages/pulumi";
 * const image = cloudimages.getImageOutput({ cloud: "nscale", osDistro: "ubuntu", gpu: true, mostRecent: true });
 * export const imageId = image.id;
 * ```
 */
export { getImage, getImages, getImageOutput, getImagesOutput, CloudImagesInvokeError } from './functions';
export type { GetImageOptions, GetImageOutputOptions } from './functions';
export { CONFIG_NAMESPACE } from './config';
export { ImageLock, IMAGE_LOCK_TYPE } from './image-lock';
export type { ImageLockArgs, ImageLockQuery } from './image-lock';
export type { CloudImagesConfigInput } from './config';
// Every generated type: the image, the arguments and results, and one config type per cloud module.
export type * from './types';
export {
  CloudImagesError,
  ValidationError,
  ConfigurationError,
  NoImageError,
  AmbiguousImageError,
  AuthenticationError,
  CloudApiError,
} from '../provider/core/errors';

// When Pulumi's plugin runner loads this package as a provider plugin (PulumiPlugin.yaml), serve the provider.
import { startIfLaunchedAsPlugin } from '../provider/plugin/launch';
startIfLaunchedAsPlugin(module);
