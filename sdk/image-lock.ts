/**
 * ImageLock: a Pulumi dynamic resource that records which image a query chose, and shows in `pulumi preview` when
 * the catalog has moved on.
 *
 * ```ts
 * const lock = new cloudimages.ImageLock("gpu-node", {
 *   query: { cloud: "nscale", gpuModel: "H100", softwareVersions: { kubernetes: ">=1.29.0 <1.31.0" }, mostRecent: true },
 *   pin: true,
 * });
 * // lock.imageId stays put; lock.latestImageId and lock.drifted show what the query selects now.
 * ```
 *
 * Pulumi stores a dynamic resource's provider in state as serialized JavaScript. That text is kept to a thin shim:
 * each method loads this package's compiled provider (`dist/sdk/image-lock-provider.js`) from the package root,
 * found at serialization time and stored as a plain string. The shim captures nothing else (no clients, sockets,
 * credentials or versions), so it serializes to the same text for every instance and every release installed at the
 * same place; when that place no longer exists (state moved to another machine), the shim finds the package the
 * program's own directory resolves.
 */
import * as pulumi from '@pulumi/pulumi';
import type { GetImageArgs, Image } from './types';
import { packageRoot } from '../provider/core/version';
import type { CloudImagesConfigInput } from './config';
import { escapeControls } from '../provider/core/text';

/** The query an ImageLock resolves: getImage's arguments (Inputs allowed). It must not hold credentials. */
export type ImageLockQuery = { [K in keyof GetImageArgs]: pulumi.Input<GetImageArgs[K]> };

export interface ImageLockArgs {
  /** The query, as for `getImage` (usually with `mostRecent: true`). */
  query: pulumi.Input<ImageLockQuery>;
  /**
   * false (default): `imageId` follows the query, and `pulumi preview` shows `~ imageId: "old" => "new"` when the
   * catalog changes. true: `imageId` stays; `latestImageId` and `drifted` show the newer choice, with a warning.
   * Changing the query moves a pin to the new query's choice.
   */
  pin?: pulumi.Input<boolean>;
  /**
   * Credentials and endpoints to use instead of the stack's `cloudimages` configuration (a second account), as
   * getImage's `config` option; fields may be secret Outputs. Used by preview and up, never recorded in state or
   * outputs, and rotating a credential causes no diff. (`pulumi refresh` sees only state, so it uses the stack's
   * configuration and the environment.)
   */
  config?: pulumi.Input<CloudImagesConfigInput>;
}

/** The package's name, to recognize its root. */
/** The compiled provider, relative to the package root. */
export const PROVIDER_MODULE = 'dist/sdk/image-lock-provider.js';

export { packageRoot };

/** The engine's property bags, as the provider reads them (Pulumi types them `any`). */
type Props = Record<string, unknown>;

/**
 * The provider Pulumi serializes. Everything it references is a string or one of these functions; each method
 * requires the real implementation when it runs (inside the engine's dynamic-provider process).
 */
export function makeShim(root: string, moduleFile: string): pulumi.dynamic.ResourceProvider {
  // Each method requires what it needs when it runs, so the serialized text captures no module (an import would be
  // captured); the `as` types erase from the compiled JavaScript, which Pulumi serializes.
  /* eslint-disable @typescript-eslint/no-require-imports -- loading at call time inside the serialized shim is the point */
  const load = () => {
    const nodeFs = require('fs') as typeof import('fs');
    const nodePath = require('path') as typeof import('path');
    let file = nodePath.join(root, moduleFile);
    if (!nodeFs.existsSync(file)) {
      // The state was written where the package lived then; find the one the program's directory resolves now.
      const manifest = require.resolve('@cloudimages/pulumi/package.json', { paths: [process.cwd()] });
      file = nodePath.join(nodePath.dirname(manifest), moduleFile);
    }
    return require(file) as typeof import('./image-lock-provider');
  };
  /* eslint-enable @typescript-eslint/no-require-imports */
  return {
    configure: (req) => load().configure(req),
    check: (olds: Props, news: Props) => load().check(olds, news),
    diff: (id, olds: Props, news: Props) => load().diff(id, olds, news),
    create: (inputs: Props) => load().create(inputs),
    read: (id, props: Props) => load().read(id, props),
    update: (id, olds: Props, news: Props) => load().update(id, olds, news),
  };
}

let shim: pulumi.dynamic.ResourceProvider | undefined;

/** One shim per process, so Pulumi serializes it once (it caches by identity). */
export function imageLockProvider(): pulumi.dynamic.ResourceProvider {
  return (shim ??= makeShim(packageRoot(), PROVIDER_MODULE));
}

/** The resource type token: `pulumi-nodejs:dynamic/cloudimages:ImageLock`. */
export const IMAGE_LOCK_TYPE = 'pulumi-nodejs:dynamic/cloudimages:ImageLock';

export class ImageLock extends pulumi.dynamic.Resource {
  /** The query, as given. */
  declare readonly query: pulumi.Output<Record<string, unknown>>;
  /** Whether the lock holds its image while the catalog moves on. */
  declare readonly pin: pulumi.Output<boolean>;
  /** The image in use: the query's choice (pin: false), or the pinned image (pin: true). */
  declare readonly imageId: pulumi.Output<string>;
  /** The image in use, in full, as last seen in the catalog. */
  declare readonly image: pulumi.Output<Image>;
  /** The status of `imageId` in the catalog now: `available`, `deprecated`, …, or `missing` when it is gone. */
  declare readonly imageStatus: pulumi.Output<string>;
  /** What the query selects now (null when nothing matches any more). */
  declare readonly latestImageId: pulumi.Output<string | null>;
  /** True when `imageId` differs from `latestImageId`. */
  declare readonly drifted: pulumi.Output<boolean>;
  /** When the recorded resolution last changed (ISO-8601 UTC); it does not change by itself. */
  declare readonly resolvedAt: pulumi.Output<string>;

  constructor(name: string, args: ImageLockArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      imageLockProvider(),
      name,
      {
        query: args.query,
        pin: args.pin ?? false,
        // Secret as a whole, so the engine never shows or stores it in plain text; the provider drops it from state.
        config: args.config === undefined ? undefined : pulumi.secret(args.config),
        imageId: undefined,
        image: undefined,
        imageStatus: undefined,
        latestImageId: undefined,
        drifted: undefined,
        resolvedAt: undefined,
      },
      opts,
      'cloudimages',
      'ImageLock',
    );
    // The engine knows the outputs during preview (a dynamic provider's preview outputs are its checked inputs)
    // and after an update, so this warns in both.
    pulumi
      .all([this.pin, this.imageId, this.latestImageId, this.drifted, this.imageStatus])
      .apply(([pin, rawImageId, rawLatestImageId, drifted, imageStatus]) => {
        // IDs come from the catalog: shown with any control characters escaped.
        const imageId = rawImageId === undefined ? rawImageId : escapeControls(rawImageId);
        const latestImageId = rawLatestImageId === undefined || rawLatestImageId === null ? rawLatestImageId : escapeControls(rawLatestImageId);
        if (imageStatus !== undefined && imageStatus !== 'available') {
          const which = pin ? 'pinned image' : 'image in use';
          const advice = pin ? 'unpin or change the query' : "run pulumi up to move the lock to the query's current choice";
          void pulumi.log.warn(
            imageStatus === 'missing'
              ? `${which} ${imageId} no longer exists in the catalog; the lock keeps it (not replaced silently): ${advice}`
              : `${which} ${imageId} is ${imageStatus}, no longer available; the lock keeps it (not replaced silently): ${advice}`,
            this,
          );
        }
        if (pin && drifted) {
          void pulumi.log.warn(`image ${imageId} is pinned, but the query now selects ${latestImageId ?? 'no image'}; set pin: false to move to it`, this);
        }
      });
  }
}
