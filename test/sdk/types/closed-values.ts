/**
 * Compiled by test/sdk/types.test.ts (and by `npm run typecheck`): the arguments with a closed set of values are
 * string-literal unions, so a misspelt value is a compile error. Each `@ts-expect-error` fails the build if the line
 * below it compiles.
 */
import * as cloudimages from '../../../sdk/index';

export const good: cloudimages.GetImageArgs = {
  cloud: 'alicloud',
  architecture: 'arm64',
  osType: 'linux',
  machineType: 'vm',
  visibility: ['public', 'private'],
  status: 'available',
};
export const goodOutputs: cloudimages.GetImagesOutputArgs = { cloud: 'nscale', visibility: 'private', status: ['available', 'deprecated'] };

// @ts-expect-error: "alicoud" is not a cloud
export const cloud: cloudimages.GetImageArgs = { cloud: 'alicoud' };
// @ts-expect-error: "sparc" is not an architecture
export const architecture: cloudimages.GetImageArgs = { cloud: 'alicloud', architecture: 'sparc' };
// @ts-expect-error: "solaris" is not an OS type
export const osType: cloudimages.GetImagesArgs = { cloud: 'alicloud', osType: 'solaris' };
// @ts-expect-error: "metal" is not a machine type
export const machineType: cloudimages.GetImagesArgs = { cloud: 'ucloud', machineType: 'metal' };
// @ts-expect-error: "friends" is not a visibility
export const visibility: cloudimages.GetImagesArgs = { cloud: 'huaweicloud', visibility: ['public', 'friends'] };
// @ts-expect-error: "gone" is not a status
export const status: cloudimages.GetImagesArgs = { cloud: 'nscale', status: 'gone' };

export function lookups(): void {
  // @ts-expect-error: the Output forms and ImageLock take the same closed sets
  void cloudimages.getImageOutput({ cloud: 'alicoud' });
  // @ts-expect-error: the Output forms and ImageLock take the same closed sets
  void new cloudimages.ImageLock('lock', { query: { cloud: 'nscale', architecture: 'sparc' } });
}

export function providerOptions(other: import('@pulumi/pulumi').ProviderResource): void {
  // @ts-expect-error: no provider option: the lookups run in the program's process (use config)
  void cloudimages.getImage({ cloud: 'nscale' }, { provider: other });
  // @ts-expect-error: no version option
  void cloudimages.getImagesOutput({ cloud: 'nscale' }, { version: '0.1.0' });
  // @ts-expect-error: no pluginDownloadURL option
  void cloudimages.getImageOutput({ cloud: 'nscale' }, { pluginDownloadURL: 'https://example.com' });
}
