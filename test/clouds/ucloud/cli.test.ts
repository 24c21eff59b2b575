import { captureCli } from '../../helpers/cli';
import { useEmulator } from '../../helpers/emulator';
import { compareNameVersions } from '../../../provider/core/versions';
import { FULL_ZONE, UcloudCatalog } from '../../../provider/emulator/ucloud/catalog';

const emulator = useEmulator();

const cli = captureCli;

const scope = () => ['--cloud', 'ucloud', '--region', FULL_ZONE.region, '--zone', FULL_ZONE.zone, '--endpoint', emulator.endpoint('ucloud')];

/** The raw catalog's GPU-capable VM image names of a distribution in the full zone. */
function gpuVmNames(distro: string): string[] {
  const catalog = emulator.catalog.ucloud as UcloudCatalog;
  const zoneId = catalog.regions[FULL_ZONE.region][FULL_ZONE.zone];
  return catalog.images
    .filter((i) => i.Region === FULL_ZONE.region && i.Info.ZoneId === zoneId && i.Set !== 'PHostImageSet' && !i.Info.NotSupportGPU)
    .map((i) => i.Info.ImageName)
    .filter((name) => name.startsWith(`uk8s-${distro}-`));
}

describe('cloudimages CLI on UCloud (emulator)', () => {
  test('image --most-recent --gpu picks the newest GPU-capable VM image of a distribution by version order', async () => {
    const { code, stdout, stderr } = await cli(
      emulator.clientEnv(['ucloud']),
      'image',
      ...scope(),
      '--most-recent',
      '--gpu',
      '--os-distro',
      'rocky',
      '--machine-type',
      'vm',
      '--json',
    );
    expect(code).toBe(0);
    const image = JSON.parse(stdout) as { id: string; name: string; gpu: { supported: boolean } };
    const names = gpuVmNames('rocky');
    // Text order would pick a rocky-8.9 image; version order picks 8.10 and the highest build.
    expect([...names].sort().at(-1)).toMatch(/-8\.9-/);
    expect(image.name).toBe([...names].sort(compareNameVersions).at(-1));
    expect(image).toMatchObject({ cloud: 'ucloud', machineType: 'vm', osDistro: 'rocky', osVersion: '8.10', createdAt: null, zone: FULL_ZONE.zone });
    expect(image.gpu.supported).toBe(true);
    expect(stderr).toContain('warning: ucloud reports no creation time');
    expect(stderr).toContain(image.id);
    expect(emulator.count('ucloud')).toBe(1);
  });

  test('without --most-recent several matches fail with exit 1 and the count', async () => {
    const { code, stdout, stderr } = await cli(emulator.clientEnv(['ucloud']), 'image', ...scope(), '--gpu', '--os-distro', 'rocky', '--machine-type', 'vm');
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toContain(`${gpuVmNames('rocky').length} images match`);
  });

  test('a wrong private key: exit 1, names UCLOUD_PRIVATE_KEY, never prints its value', async () => {
    const env = { ...emulator.clientEnv(['ucloud']), UCLOUD_PRIVATE_KEY: 'not-the-right-private-key-42' };
    const { code, stderr } = await cli(env, 'images', ...scope());
    expect(code).toBe(1);
    expect(stderr).toContain('UCLOUD_PRIVATE_KEY');
    expect(stderr).toContain('RetCode 171');
    expect(stderr).not.toContain('not-the-right-private-key-42');
  });
});
