/**
 * Quickstart: choose images on five clouds by what they are, not by a hard-coded ID.
 *
 * By default (`cloudimages-quickstart:emulator` true) the program starts the package's local emulator, so
 * `pulumi preview` shows images chosen with no cloud account. Set it to false to query the real clouds with the
 * credentials in the `cloudimages` configuration (or the environment variables), e.g.
 *   pulumi config set cloudimages-quickstart:emulator false
 *   pulumi config set --secret --path cloudimages:alicloud.accessKeySecret …
 */
import * as pulumi from '@pulumi/pulumi';
import * as cloudimages from '@cloudimages/pulumi';
import type { Emulator } from '@cloudimages/pulumi/emulator';

const config = new pulumi.Config();
const useEmulator = config.getBoolean('emulator') ?? true;

/** The emulator is the package's public `@cloudimages/pulumi/emulator` entry point, loaded only when it is used. */
async function startEmulator(): Promise<Emulator> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { Emulator } = require('@cloudimages/pulumi/emulator') as typeof import('@cloudimages/pulumi/emulator');
  return new Emulator().start();
}

export = async () => {
  const emulator = useEmulator ? await startEmulator() : undefined;
  try {
    // With the emulator, an explicit configuration points every cloud at it; otherwise the stack's `cloudimages`
    // configuration (and the environment) is used.
    const opts: cloudimages.GetImageOptions = emulator ? { config: emulator.clientConfig() } : {};
    // nscale regions are IDs; without one configured, the core falls back to cloudimages:nscale.regionId.
    const nscaleRegion = emulator ? (emulator.catalog.nscale?.regions as string[])[0] : config.get('nscaleRegion') || undefined;

    // Each query names what a program needs (OS release, architecture, VM or bare metal): "the newest Ubuntu" alone
    // can be an 18.04 rebuild, or a bare-metal image a VM cannot boot.
    const ubuntu2204Vm = { osDistro: 'ubuntu', osVersion: '22.04', architecture: 'x86_64', machineType: 'vm' } as const;
    const [alicloud, huawei, otc, ucloud, nscale, windows] = await Promise.all([
      cloudimages.getImage({ cloud: 'alicloud', region: 'cn-hangzhou', mostRecent: true, architecture: 'arm64', osDistro: 'ubuntu', osVersion: '22.04' }, opts),
      cloudimages.getImage({ cloud: 'huaweicloud', region: 'cn-north-4', mostRecent: true, visibility: 'public', ...ubuntu2204Vm }, opts),
      cloudimages.getImage({ cloud: 'opentelekomcloud', region: 'eu-de', mostRecent: true, visibility: 'public', ...ubuntu2204Vm }, opts),
      cloudimages.getImage({ cloud: 'ucloud', region: 'cn-bj2', mostRecent: true, gpu: true, machineType: 'vm', osDistro: 'ubuntu' }, opts),
      cloudimages.getImage(
        {
          cloud: 'nscale',
          region: nscaleRegion,
          mostRecent: true,
          architecture: 'x86_64',
          gpuModel: 'H100',
          softwareVersions: { kubernetes: '>=1.29.0 <1.31.0' },
        },
        opts,
      ),
      cloudimages.getImages({ cloud: 'alicloud', region: 'cn-hangzhou', osType: 'windows' }, opts),
    ]);
    const summary = (image: cloudimages.Image) => ({ id: image.id, name: image.name, createdAt: image.createdAt });
    return {
      alicloudUbuntuArm64: summary(alicloud),
      huaweicloudUbuntu: summary(huawei),
      opentelekomcloudUbuntu: summary(otc),
      ucloudGpuNode: summary(ucloud),
      nscaleH100Kubernetes: summary(nscale),
      alicloudWindowsImageIds: windows.ids,
    };
  } finally {
    await emulator?.stop();
  }
};
