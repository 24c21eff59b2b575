/**
 * One image across regions (`regions: [...]`, CLI `--region a,b`): the newest image by name that every listed region
 * has, its ID in each; per-region reasons when none is common; each region listed once, all at once.
 */
import { expect } from '@jest/globals';
import { Emulator } from '../provider/emulator/server';
import { lookupImage, lookupImages } from '../provider/lookup';
import { HttpClient } from '../provider/core/http/client';
import { RequestSharing } from '../provider/core/share';
import { NoImageError, ValidationError } from '../provider/core/errors';
import { buildAlicloudCatalog, AlicloudCatalogRecord } from '../provider/emulator/alicloud/catalog';
import { parseCommandLine } from '../provider/cli/args';
import { invoke } from '../provider/plugin/functions';
import { TOKENS } from '../provider/surface';
import { BUILT_IN_REGISTRY } from '../provider/clouds';
import { captureCli } from './helpers/cli';

const HZ = 'cn-hangzhou';
const SH = 'cn-shanghai';
const SG = 'ap-southeast-1';

/** A custom image in a region; the ID tells region and name apart, as real per-region copies do. */
function custom(region: string, name: string, day: number): AlicloudCatalogRecord {
  return {
    region,
    ImageId: `m-${region.slice(0, 6)}-${name}`,
    ImageName: name,
    ImageOwnerAlias: 'self',
    Status: 'Available',
    Architecture: 'x86_64',
    OSType: 'linux',
    Platform: 'Ubuntu',
    OSNameEn: 'Ubuntu  22.04 64 bit',
    Size: 40,
    CreationTime: `2025-03-${String(day).padStart(2, '0')}T00:00:00Z`,
    Tags: { Tag: [] },
    Usage: 'none',
    Progress: '100%',
  };
}

const base = buildAlicloudCatalog();
const IMAGES = [
  // app-v3 reached cn-hangzhou only; beta-v4 cn-shanghai only; app-v1 and app-v2 are everywhere but in cn-shanghai
  // app-v2 was copied later (its own time there).
  custom(HZ, 'app-v1', 1),
  custom(HZ, 'app-v2', 10),
  custom(HZ, 'app-v3', 20),
  custom(SH, 'app-v1', 2),
  custom(SH, 'app-v2', 15),
  custom(SH, 'beta-v4', 25),
  custom(SG, 'app-v1', 3),
  custom(SG, 'app-v2', 11),
];
let emulator: Emulator;
beforeAll(async () => {
  emulator = await new Emulator({
    catalog: { alicloud: { ...base, images: [...base.images.filter((r) => r.ImageOwnerAlias !== 'self'), ...IMAGES] } },
  }).start();
});
afterAll(() => emulator.stop());
beforeEach(() => {
  emulator.clearFaults();
  emulator.resetCounts();
});

const options = (sharing = new RequestSharing()) => ({ config: emulator.clientConfig(), env: {}, http: new HttpClient(), sharing });
const apps = { cloud: 'alicloud', visibility: 'private', nameRegex: '^app-' };
const idOf = (region: string, name: string) => `m-${region.slice(0, 6)}-${name}`;

describe('getImage across regions', () => {
  it("chooses the newest name every region has, with its ID in each; id and region are the first region's", async () => {
    const { result, reason } = await lookupImage({ ...apps, regions: [HZ, SH, SG], mostRecent: true }, options());
    expect(result).toMatchObject({ name: 'app-v2', id: idOf(HZ, 'app-v2'), region: HZ });
    expect(result.regionIds).toEqual({ [HZ]: idOf(HZ, 'app-v2'), [SH]: idOf(SH, 'app-v2'), [SG]: idOf(SG, 'app-v2') });
    expect(Object.keys(result.regionIds!)).toEqual([HZ, SH, SG]);
    expect(reason).toContain(`all of ${HZ}, ${SH}, ${SG}`);
  });

  it('the first listed region answers id, region and createdAt', async () => {
    const { result } = await lookupImage({ ...apps, regions: [SH, HZ], mostRecent: true }, options());
    expect(result).toMatchObject({ name: 'app-v2', id: idOf(SH, 'app-v2'), region: SH, createdAt: '2025-03-15T00:00:00Z' });
    expect(Object.keys(result.regionIds!)).toEqual([SH, HZ]);
  });

  it('a single listed region works like region, with regionIds; region alone gives no regionIds', async () => {
    const listed = await lookupImage({ ...apps, regions: [HZ], mostRecent: true }, options());
    const plain = await lookupImage({ ...apps, region: HZ, mostRecent: true }, options());
    expect(listed.result.regionIds).toEqual({ [HZ]: idOf(HZ, 'app-v3') });
    const { regionIds: _, ...withoutIds } = listed.result;
    expect(withoutIds).toEqual(plain.result);
    expect('regionIds' in plain.result).toBe(false);
  });

  it('several common images without mostRecent are ambiguous, as in one region', async () => {
    await expect(lookupImage({ ...apps, regions: [HZ, SH] }, options())).rejects.toThrow(/2 images match/);
  });

  it("no common image: per region its newest match and where it is not yet, in the funnel's style", async () => {
    const failure = lookupImage({ cloud: 'alicloud', visibility: 'private', nameRegex: '^(app-v3|beta-v4)$', regions: [HZ, SH], mostRecent: true }, options());
    await expect(failure).rejects.toBeInstanceOf(NoImageError);
    const message = String(((await failure.catch((e: Error) => e)) as Error).message);
    expect(message).toContain(`${HZ}: newest match app-v3 (created 2025-03-20T00:00:00Z), not yet in ${SH}`);
    expect(message).toContain(`${SH}: newest match beta-v4 (created 2025-03-25T00:00:00Z), not yet in ${HZ}`);
    expect(message).toMatch(/in every region/);
  });

  it('a region with no match at all shows its funnel', async () => {
    const failure = lookupImage({ ...apps, nameRegex: '^app-v3$', regions: [HZ, SG], mostRecent: true }, options());
    const message = String(((await failure.catch((e: Error) => e)) as Error).message);
    expect(message).toContain(`${HZ}: newest match app-v3`);
    expect(message).toMatch(new RegExp(`${SG}: no match \\(\\d+ in the catalog → .*nameRegex: 0\\)`));
    expect(message).toContain(`leave ${SG} without a match`);
  });
});

describe('getImages across regions', () => {
  it('returns the images every region has, one per name, in the usual order, each with regionIds', async () => {
    const { result } = await lookupImages({ ...apps, regions: [HZ, SH, SG] }, options());
    expect(result.images.map((i) => i.name)).toEqual(['app-v2', 'app-v1']);
    expect(result.ids).toEqual([idOf(HZ, 'app-v2'), idOf(HZ, 'app-v1')]);
    expect(result.images[1].regionIds).toEqual({ [HZ]: idOf(HZ, 'app-v1'), [SH]: idOf(SH, 'app-v1'), [SG]: idOf(SG, 'app-v1') });
  });

  it('an empty intersection is an empty list (getImages lists, it does not choose)', async () => {
    const { result } = await lookupImages({ ...apps, nameRegex: '^app-v3$', regions: [HZ, SH] }, options());
    expect(result).toEqual({ ids: [], images: [] });
  });

  it('refuses getImage-only arguments as in one region', async () => {
    await expect(lookupImages({ ...apps, regions: [HZ, SH], mostRecent: true }, options())).rejects.toBeInstanceOf(ValidationError);
  });
});

describe('each region listed once, all at once', () => {
  it("lists every region concurrently, and a program's lookups over them list each once", async () => {
    // Every answer held for a second: a region asked only after another's answer would never be in flight with it.
    emulator.inject({ kind: 'delay', cloud: 'alicloud', times: Infinity, delayMs: 1000 });
    const sharing = new RequestSharing();
    await Promise.all([
      lookupImage({ ...apps, regions: [HZ, SH, SG], mostRecent: true }, options(sharing)),
      lookupImages({ ...apps, regions: [SG, HZ] }, options(sharing)),
    ]);
    await lookupImages({ ...apps, region: SH }, options(sharing));
    expect([emulator.maxInFlight, emulator.waves]).toEqual([3, 1]); // the three regions asked at once: nobody waited for another region's answer
    expect(emulator.requests.map((r) => r.query.RegionId).sort()).toEqual([SG, HZ, SH].sort()); // one request per region (one page each)
    expect(sharing.fetches).toBe(3);
  });
});

describe('validation, before any request', () => {
  it.each([
    [{ regions: [] }, /at least one/],
    [{ regions: [HZ, HZ] }, /listed twice/],
    [{ regions: HZ }, /a list of strings/],
    [{ regions: [HZ, 'no/such'] }, /not a region name/],
    [{ regions: [HZ, ''] }, /must not be empty/],
    [{ regions: [HZ, 7] }, /expected a string/],
    [{ regions: [HZ, SH], region: HZ }, /region or regions, not both/],
  ])('%p is refused', async (args, message) => {
    for (const lookup of [lookupImage, lookupImages]) {
      const failure = lookup({ ...apps, ...args }, options());
      await expect(failure).rejects.toBeInstanceOf(ValidationError);
      await expect(failure).rejects.toThrow(message);
      await expect(failure).rejects.toMatchObject({ argument: expect.stringMatching(/^regions/) });
    }
    expect(emulator.count()).toBe(0);
  });
});

describe('surfaces', () => {
  it('the CLI takes --region a,b as regions, and one region as region', () => {
    expect(parseCommandLine(['image', '--cloud', 'alicloud', '--region', `${HZ},${SH}`]).args).toEqual({ cloud: 'alicloud', regions: [HZ, SH] });
    expect(parseCommandLine(['image', '--cloud', 'alicloud', `--region=${HZ}`]).args).toEqual({ cloud: 'alicloud', region: HZ });
    expect(() => parseCommandLine(['image', '--regions', HZ])).toThrow(/unknown flag --regions/);
  });

  it('the CLI answers --region a,b with the image and its regionIds (--json), and says why none is common', async () => {
    const env = emulator.clientEnv(['alicloud']);
    const at = ['--endpoint', emulator.endpoint('alicloud')];
    const chosen = await captureCli(
      env,
      'image',
      ...at,
      '--cloud',
      'alicloud',
      '--region',
      `${SG},${HZ}`,
      '--visibility',
      'private',
      '--name-regex',
      '^app-',
      '--most-recent',
      '--json',
    );
    expect(chosen.stderr).toBe('');
    expect(chosen.code).toBe(0);
    expect(JSON.parse(chosen.stdout)).toMatchObject({ id: idOf(SG, 'app-v2'), region: SG, regionIds: { [SG]: idOf(SG, 'app-v2'), [HZ]: idOf(HZ, 'app-v2') } });
    const none = await captureCli(
      env,
      'image',
      ...at,
      '--cloud',
      'alicloud',
      '--region',
      `${HZ},${SG}`,
      '--visibility',
      'private',
      '--name-regex',
      '^app-v3$',
      '--most-recent',
    );
    expect(none.code).toBe(1);
    expect(none.stderr).toContain(`${HZ}: newest match app-v3`);
  });

  it('the plugin takes regions and answers regionIds; a bad list is a check failure naming it', async () => {
    const config = emulator.clientConfig();
    const answer = await invoke(TOKENS.getImage, { ...apps, regions: [HZ, SG], mostRecent: true }, config, BUILT_IN_REGISTRY);
    expect(answer.outputs).toMatchObject({ id: idOf(HZ, 'app-v2'), regionIds: { [HZ]: idOf(HZ, 'app-v2'), [SG]: idOf(SG, 'app-v2') } });
    const refused = await invoke(TOKENS.getImages, { ...apps, regions: [HZ, HZ] }, config, BUILT_IN_REGISTRY);
    expect(refused.failures).toEqual([{ property: 'regions', reason: expect.stringMatching(/listed twice/) }]);
  });
});
