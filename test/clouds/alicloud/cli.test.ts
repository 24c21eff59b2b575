import { captureCli } from '../../helpers/cli';
import { useEmulator } from '../../helpers/emulator';
import { AlicloudCatalog, AlicloudCatalogRecord } from '../../../provider/emulator/alicloud/catalog';

const emulator = useEmulator();

const cli = captureCli;

const scope = () => ['--cloud', 'alicloud', '--region', 'cn-hangzhou', '--endpoint', emulator.endpoint('alicloud')];
const records = () => (emulator.catalog.alicloud as AlicloudCatalog).images;

/** The contract's order on raw records: CreationTime descending, then name, then ID. */
function newestFirst(a: AlicloudCatalogRecord, b: AlicloudCatalogRecord): number {
  const [ta, tb] = [String(a.CreationTime), String(b.CreationTime)];
  if (ta !== tb) return ta < tb ? 1 : -1;
  return a.ImageName < b.ImageName ? -1 : a.ImageName > b.ImageName ? 1 : a.ImageId < b.ImageId ? -1 : 1;
}

describe('cloudimages CLI on Alibaba Cloud (emulator)', () => {
  test('image --most-recent --architecture arm64 --name-regex picks the newest matching image from a multi-page catalog', async () => {
    const { code, stdout, stderr } = await cli(
      emulator.clientEnv(['alicloud']),
      'image',
      ...scope(),
      '--most-recent',
      '--architecture',
      'arm64',
      '--name-regex',
      '^k8s-node-arm64-',
      '--json',
    );
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const image = JSON.parse(stdout) as { id: string };
    const candidates = records()
      .filter(
        (r) =>
          r.region === 'cn-hangzhou' &&
          r.Architecture === 'arm64' &&
          r.Status === 'Available' &&
          ['system', 'self'].includes(String(r.ImageOwnerAlias)) &&
          /^k8s-node-arm64-/.test(r.ImageName),
      )
      .sort(newestFirst);
    expect(candidates.length).toBeGreaterThan(100);
    expect(image.id).toBe(candidates[0].ImageId);
    // The newest build of all is still Creating: it must not be chosen.
    const newestAny = records()
      .filter((r) => r.region === 'cn-hangzhou' && /^k8s-node-arm64-/.test(r.ImageName))
      .sort(newestFirst)[0];
    expect(newestAny.Status).toBe('Creating');
    expect(image.id).not.toBe(newestAny.ImageId);
    expect(image).toMatchObject({
      cloud: 'alicloud',
      region: 'cn-hangzhou',
      architecture: 'arm64',
      status: 'available',
      visibility: 'private',
      osDistro: 'alinux',
      family: 'k8s-node-arm64',
    });
    // The self listing spanned pages: page 2 was asked for, and every request pushed arm64 down.
    const requests = emulator.requests.filter((r) => r.cloud === 'alicloud');
    expect(requests.some((r) => r.query.ImageOwnerAlias === 'self' && r.query.PageNumber === '2')).toBe(true);
    expect(requests.every((r) => r.query.Architecture === 'arm64' && r.query.PageSize === '100')).toBe(true);
  });

  test('images --json prints {ids, images} newest first and nothing else', async () => {
    const { code, stdout } = await cli(
      emulator.clientEnv(['alicloud']),
      'images',
      ...scope(),
      '--architecture',
      'arm64',
      '--name-regex',
      '^ubuntu_22_04_arm64_',
      '--json',
    );
    expect(code).toBe(0);
    const result = JSON.parse(stdout) as { ids: string[]; images: { id: string }[] };
    const expected = records()
      .filter(
        (r) =>
          r.region === 'cn-hangzhou' &&
          r.Architecture === 'arm64' &&
          r.Status === 'Available' &&
          r.ImageOwnerAlias === 'system' &&
          r.ImageName.startsWith('ubuntu_22_04_arm64_'),
      )
      .sort(newestFirst);
    expect(result.ids).toEqual(expected.map((r) => r.ImageId));
    expect(result.images.map((i) => i.id)).toEqual(result.ids);
  });

  test('a wrong secret: exit 1, names the variable, never prints its value', async () => {
    const env = { ...emulator.clientEnv(['alicloud']), ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'definitely-wrong-secret-42' };
    const { code, stdout, stderr } = await cli(env, 'images', ...scope());
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/SignatureDoesNotMatch/);
    expect(stderr).toContain('secret from ALIBABA_CLOUD_ACCESS_KEY_SECRET');
    expect(stderr).not.toContain('definitely-wrong-secret-42');
    expect(stderr).not.toContain((emulator.catalog.alicloud as AlicloudCatalog).credentials.accessKeyId);
  });

  test('gpu without a GPU instance type is bad usage: exit 2, says to pass one', async () => {
    const { code, stderr } = await cli(emulator.clientEnv(['alicloud']), 'images', ...scope(), '--gpu');
    expect(code).toBe(2);
    expect(stderr).toMatch(/pass the GPU instance type/);
    expect(emulator.count('alicloud')).toBe(0);
  });
});
