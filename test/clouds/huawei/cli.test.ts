import { captureCli } from '../../helpers/cli';
import { useEmulator } from '../../helpers/emulator';
import { ImsCatalog, imsCatalog } from '../../../provider/emulator/huawei/catalog';
import type { ImsImage } from '../../../provider/clouds/huawei/types';

const emulator = useEmulator({ catalog: { huaweicloud: imsCatalog('huaweicloud'), opentelekomcloud: imsCatalog('opentelekomcloud') } });

const cli = captureCli;

const records = (cloud: 'huaweicloud' | 'opentelekomcloud', region: string) =>
  (emulator.catalog[cloud] as ImsCatalog).images.filter((e) => e.region === region).map((e) => e.image);
const newestFirst = (a: ImsImage, b: ImsImage) =>
  a.created_at !== b.created_at ? (a.created_at! < b.created_at! ? 1 : -1) : a.name < b.name ? -1 : a.name > b.name ? 1 : a.id < b.id ? -1 : 1;

describe('cloudimages CLI on Huawei Cloud and Open Telekom Cloud (emulator)', () => {
  test('huaweicloud with HW_* variables: image --most-recent picks the newest active gold Ubuntu arm64 image in two requests (the newest, then all since)', async () => {
    const env = emulator.clientEnv(['huaweicloud']);
    expect(Object.keys(env).every((k) => k.startsWith('HW_'))).toBe(true);
    const { code, stdout, stderr } = await cli(
      env,
      'image',
      '--cloud',
      'huaweicloud',
      '--endpoint',
      emulator.endpoint('huaweicloud'),
      '--most-recent',
      '--visibility',
      'public',
      '--os-distro',
      'ubuntu',
      '--architecture',
      'arm64',
      '--json',
    );
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const image = JSON.parse(stdout) as Record<string, unknown>;
    const expected = records('huaweicloud', env.HW_REGION_NAME)
      .filter((i) => i.__imagetype === 'gold' && i.status === 'active' && i.__platform === 'Ubuntu' && i.__support_arm === 'true')
      .sort(newestFirst)[0];
    expect(image).toMatchObject({
      id: expected.id,
      cloud: 'huaweicloud',
      region: 'cn-north-4',
      architecture: 'arm64',
      osDistro: 'ubuntu',
      visibility: 'public',
      status: 'available',
    });
    expect(emulator.requests).toHaveLength(2);
  });

  test('opentelekomcloud with OS_* variables: images --json lists the Windows gold images newest first', async () => {
    const env = emulator.clientEnv(['opentelekomcloud']);
    expect(Object.keys(env).every((k) => k.startsWith('OS_'))).toBe(true);
    const { code, stdout, stderr } = await cli(
      env,
      'images',
      '--cloud',
      'opentelekomcloud',
      '--region',
      'eu-nl',
      '--endpoint',
      emulator.endpoint('opentelekomcloud'),
      '--os-type',
      'windows',
      '--visibility',
      'public',
      '--json',
    );
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const result = JSON.parse(stdout) as { ids: string[] };
    const expected = records('opentelekomcloud', 'eu-nl')
      .filter((i) => i.__imagetype === 'gold' && i.status === 'active' && i.__os_type === 'Windows')
      .sort(newestFirst);
    expect(expected.length).toBeGreaterThan(0);
    expect(result.ids).toEqual(expected.map((i) => i.id));
    expect(emulator.requests.every((r) => r.cloud === 'opentelekomcloud' && r.path === '/eu-nl/v2/cloudimages')).toBe(true);
  });

  test('each cloud reads only its own variables: HW_* do not configure opentelekomcloud', async () => {
    const { code, stdout, stderr } = await cli(
      emulator.clientEnv(['huaweicloud']),
      'images',
      '--cloud',
      'opentelekomcloud',
      '--region',
      'eu-de',
      '--endpoint',
      emulator.endpoint('opentelekomcloud'),
    );
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/opentelekomcloud: no credentials; .*OS_ACCESS_KEY.*OS_AUTH_TOKEN/);
    expect(emulator.requests).toHaveLength(0);
  });

  test('huaweicloud falls back to OS_* variables; a refused key exits 1 naming the variable, not its value', async () => {
    const hw = emulator.clientEnv(['huaweicloud']);
    const env = {
      OS_ACCESS_KEY: hw.HW_ACCESS_KEY,
      OS_SECRET_KEY: 'not-the-right-secret-key',
      OS_PROJECT_ID: hw.HW_PROJECT_ID,
      OS_REGION_NAME: 'ap-southeast-3',
    };
    const { code, stderr } = await cli(env, 'images', '--cloud', 'huaweicloud', '--endpoint', emulator.endpoint('huaweicloud'));
    expect(code).toBe(1);
    expect(stderr).toContain('OS_SECRET_KEY');
    expect(stderr).toContain('APIG.0301');
    expect(stderr).not.toContain('not-the-right-secret-key');
    expect(emulator.requests.every((r) => r.path === '/ap-southeast-3/v2/cloudimages')).toBe(true);
  });
});
