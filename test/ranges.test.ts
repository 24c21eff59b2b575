/**
 * Ranges mean what they say on every surface (SDK, CLI, policy helpers, ImageLock; the provider plugin's are in
 * test/plugin/plugin.test.ts): a range semver's strict grammar cannot read, or an empty one, is refused before any
 * request, quoting the range and showing an example. Loose parsing read `>=1.29 <<1.31` as `>=1.29`, and `` as
 * "any version", so a typo widened the answer without a word.
 */
import { expect } from '@jest/globals';
import * as semver from 'semver';
import * as cloudimages from '../sdk';
import { checkImageId, imageIdPolicy } from '../sdk/policy';
import { check } from '../sdk/image-lock-provider';
import { lookupImages } from '../provider/lookup';
import { REGION_IDS } from '../provider/emulator/nscale/catalog';
import { captureCli } from './helpers/cli';
import { useEmulator } from './helpers/emulator';

const emulator = useEmulator();
const REGION = REGION_IDS[0];
const EXAMPLE = 'use e.g. ">=1.29.0 <1.31.0", "^1.30", ">=525" or "*" for any version';

/** A typo'd upper bound, an empty range, an empty alternative: each once as a software range and once as a driver range. */
const BAD: [string, Record<string, unknown>, string][] = [
  ['softwareVersions.kubernetes', { softwareVersions: { kubernetes: '>=1.29 <<1.31' } }, '">=1.29 <<1.31" is not a semver range: "<<1.31" is not a comparator'],
  ['softwareVersions.kubernetes', { softwareVersions: { kubernetes: '' } }, '"" is empty'],
  ['gpuDriver', { gpuDriver: '>=525 ||' }, '">=525 ||" has an empty alternative beside "||"'],
  ['gpuDriver', { gpuDriver: '' }, '"" is empty'],
];

const query = (extra: Record<string, unknown>) => ({ cloud: 'nscale' as const, region: REGION, ...extra });

describe.each(BAD)('%s in %j', (argument, extra, problem) => {
  afterEach(() => expect(emulator.count()).toBe(0)); // refused before any request, on every surface

  test('SDK getImage and getImages reject with the argument, the quoted range and an example', async () => {
    for (const call of [cloudimages.getImage, cloudimages.getImages]) {
      const error = await call(query(extra) as cloudimages.GetImageArgs, { config: emulator.clientConfig() }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(cloudimages.CloudImagesInvokeError);
      expect(error).toMatchObject({ code: 'INVALID_ARGUMENT', argument });
      expect((error as Error).message).toContain(`invalid argument "${argument}": ${problem}`);
      expect((error as Error).message).toContain(EXAMPLE);
    }
  });

  test('the CLI exits 2 with the same words, in its own', async () => {
    const flags =
      'gpuDriver' in extra
        ? ['--gpu-driver', extra.gpuDriver as string]
        : ['--software', `kubernetes=${(extra.softwareVersions as Record<string, string>).kubernetes}`];
    const { code, stdout, stderr } = await captureCli(
      emulator.clientEnv(['nscale']),
      'images',
      '--cloud',
      'nscale',
      '--region',
      REGION,
      '--endpoint',
      emulator.endpoint('nscale'),
      ...flags,
    );
    expect([code, stdout]).toEqual([2, '']);
    expect(stderr).toContain(problem);
    expect(stderr).toContain(EXAMPLE);
  });

  test('the policy helpers refuse it when the pack loads, and checkImageId rejects', async () => {
    expect(() => imageIdPolicy({ name: 'p', resources: { 'nscale:index:Instance': 'imageId' }, query: query(extra) })).toThrow(
      `invalid argument "${argument}": ${problem}`,
    );
    await expect(checkImageId('any-id', { query: query(extra), lookup: { config: emulator.clientConfig(), env: {} } })).rejects.toThrow(
      `invalid argument "${argument}": ${problem}`,
    );
  });

  test('ImageLock fails its check on the argument', async () => {
    const result = await check({}, { query: { ...query(extra), mostRecent: true }, pin: false });
    expect(result.failures).toEqual([{ property: `query.${argument}`, reason: expect.stringContaining(problem) }]);
  });
});

test('a well-formed upper bound is kept: the images between the bounds, not every one above the lower bound', async () => {
  const ids = async (kubernetes: string) =>
    (await lookupImages(query({ softwareVersions: { kubernetes } }), { config: emulator.clientConfig(), env: {} })).result.ids;
  const between = await ids('>=1.29 <1.31');
  expect(between.length).toBeGreaterThan(0);
  // What the typo `>=1.29 <<1.31` used to mean under loose parsing: the lower bound alone, a longer list.
  expect(new semver.Range('>=1.29 <<1.31', { loose: true }).range).toBe(new semver.Range('>=1.29').range);
  expect((await ids('>=1.29')).length).toBeGreaterThan(between.length);
});
