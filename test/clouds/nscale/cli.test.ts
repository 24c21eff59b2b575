import { captureCli } from '../../helpers/cli';
import { useEmulator } from '../../helpers/emulator';
import { nscaleCatalog, ORGANIZATION_ID, REGION_IDS } from '../../../provider/emulator/nscale/catalog';
import { arch, hasModel, ids, kubernetes129to131, newestFirst, ready, visible } from './oracle';

const [REGION, REGION2] = REGION_IDS;
const catalog = nscaleCatalog();
const emulator = useEmulator({ catalog: { nscale: nscaleCatalog() } });

const cli = captureCli;

const query = ['--gpu-model', 'H100', '--software', 'kubernetes=>=1.29.0 <1.31.0', '--architecture', 'x86_64'];
const newestH100 = (region: string) =>
  newestFirst(visible(catalog, region, ORGANIZATION_ID).filter((i) => ready(i) && hasModel('H100')(i) && kubernetes129to131(i) && arch('x86_64')(i)));

describe('cloudimages CLI on nscale (emulator)', () => {
  it('image --most-recent picks the newest x86_64 H100 image for a Kubernetes range', async () => {
    const expected = newestH100(REGION);
    expect(expected.length).toBeGreaterThan(1);
    const { code, stdout, stderr } = await cli(
      emulator.clientEnv(['nscale']),
      'image',
      '--cloud',
      'nscale',
      '--region',
      REGION,
      '--endpoint',
      emulator.endpoint('nscale'),
      ...query,
      '--most-recent',
      '--json',
    );
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const image = JSON.parse(stdout) as { id: string; gpu: { models: string[] }; softwareVersions: Record<string, string> };
    expect(image.id).toBe(expected[0].metadata.id);
    expect(image).toMatchObject({ cloud: 'nscale', region: REGION, architecture: 'x86_64', status: 'available', gpu: { supported: true } });
    expect(image.gpu.models).toContain('H100');
    expect(image.softwareVersions.kubernetes).toMatch(/^v1\.(29|30)\.\d+$/);
  });

  it('takes the region ID from NSCALE_REGION_ID when --region is not given, and prints a table without --json', async () => {
    const env = { ...emulator.clientEnv(['nscale']), NSCALE_REGION_ID: REGION2 };
    const expected = newestH100(REGION2)[0];
    const { code, stdout } = await cli(env, 'image', '--cloud', 'nscale', '--endpoint', emulator.endpoint('nscale'), ...query, '--most-recent');
    expect(code).toBe(0);
    expect(stdout).toContain(expected.metadata.id);
    expect(stdout).toMatch(/chosen: the newest of \d+ matches/);
    expect(emulator.requests.every((r) => r.path === `/api/v2/regions/${REGION2}/images`)).toBe(true);
  });

  it('images --json lists the same range newest first', async () => {
    const { code, stdout } = await cli(
      emulator.clientEnv(['nscale']),
      'images',
      '--cloud',
      'nscale',
      '--region',
      REGION,
      '--endpoint',
      emulator.endpoint('nscale'),
      ...query,
      '--json',
    );
    expect(code).toBe(0);
    const result = JSON.parse(stdout) as { ids: string[]; images: { id: string }[] };
    expect(result.ids).toEqual(ids(newestH100(REGION)));
    expect(result.images.map((i) => i.id)).toEqual(result.ids);
  });

  it('exits 1 with a message naming NSCALE_SERVICE_TOKEN, never the token, when the token is refused', async () => {
    const env = { ...emulator.clientEnv(['nscale']), NSCALE_SERVICE_TOKEN: 'revoked-token-5e6f7a8b' };
    const { code, stdout, stderr } = await cli(env, 'images', '--cloud', 'nscale', '--region', REGION, '--endpoint', emulator.endpoint('nscale'));
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toContain('the service token from NSCALE_SERVICE_TOKEN was refused');
    expect(stderr).not.toContain('revoked-token-5e6f7a8b');
  });

  it('exits 2 (configuration) naming what to set when the organization is missing, before any request', async () => {
    const env = { ...emulator.clientEnv(['nscale']) };
    delete (env as Record<string, string | undefined>).NSCALE_ORGANIZATION_ID;
    const { code, stderr } = await cli(env, 'images', '--cloud', 'nscale', '--region', REGION, '--endpoint', emulator.endpoint('nscale'));
    expect(code).toBe(2);
    expect(stderr).toContain('NSCALE_ORGANIZATION_ID');
    expect(emulator.count('nscale')).toBe(0);
  });
});
