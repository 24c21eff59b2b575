/**
 * The SDK functions inside a Pulumi program under `pulumi.runtime.setMocks`, querying the emulator: plain and
 * Output forms on every cloud, unknown inputs during preview, errors surfacing as Pulumi errors, and configuration
 * from the stack's `cloudimages` namespace with secret keys (and from an explicit object, and the environment).
 */
import { expect } from '@jest/globals';
import * as pulumi from '@pulumi/pulumi';
import * as cloudimages from '../../sdk';
import { Emulator } from '../../provider/emulator/server';
import { lookupImage, lookupImages } from '../../provider/lookup';
import { sharedRequests } from '../../provider/core/share';
import { AmbiguousImageError, NoImageError, ValidationError } from '../../provider/core/errors';
import type { CloudImagesConfig } from '../../provider/core/config';
import type { CloudName } from '../../provider/clouds/registry';

let emulator: Emulator;
let config: CloudImagesConfig;
let nscaleRegion: string;
const registered: pulumi.runtime.MockResourceArgs[] = [];
const invokes: pulumi.runtime.MockCallArgs[] = [];
let preview = false;
/** What the SDK logged as warnings (pulumi.log.warn, which prints when no engine is attached). */
let warn: jest.SpyInstance;

const mocks: pulumi.runtime.Mocks = {
  newResource(args) {
    registered.push(args);
    if (args.type === 'test:index:Network') {
      // During preview the network is not created yet: no ID, no region.
      return preview ? { id: undefined, state: {} } : { id: 'net-1', state: { region: nscaleRegion } };
    }
    return { id: `${args.name}-id`, state: args.inputs as Record<string, unknown> };
  },
  call(args) {
    invokes.push(args);
    return {};
  },
};

class Network extends pulumi.CustomResource {
  declare readonly region: pulumi.Output<string>;
  constructor(name: string, opts?: pulumi.CustomResourceOptions) {
    super('test:index:Network', name, { region: undefined }, opts);
  }
}

class Instance extends pulumi.CustomResource {
  declare readonly imageId: pulumi.Output<string>;
  constructor(name: string, args: { imageId: pulumi.Input<string> }) {
    super('test:index:Instance', name, args);
  }
}

/** Any inputs, to see what Pulumi's serialization hands the engine. */
class Holder extends pulumi.CustomResource {
  constructor(name: string, args: Record<string, pulumi.Input<unknown>>) {
    super('test:index:Holder', name, args);
  }
}

interface Settled<T> {
  known: boolean;
  secret: boolean;
  value: T | undefined;
}
async function settle<T>(output: pulumi.Output<T>): Promise<Settled<T>> {
  const impl = output as unknown as { isKnown: Promise<boolean>; isSecret: Promise<boolean>; promise(withUnknowns?: boolean): Promise<T> };
  // A failed Output rejects all three promises: observe them together so none is left unhandled.
  const [value, known, secret] = await Promise.all([impl.promise(), impl.isKnown, impl.isSecret]);
  return { known, secret, value };
}

/** Stack configuration as `pulumi config set --secret --path cloudimages:<cloud>.<field>` leaves it for the program. */
function useStackConfig(sections: CloudImagesConfig): void {
  const values = Object.fromEntries(Object.entries(sections).map(([cloud, section]) => [`cloudimages:${cloud}`, JSON.stringify(section)]));
  pulumi.runtime.setAllConfig(values, Object.keys(values));
}

async function program(isPreview: boolean): Promise<void> {
  preview = isPreview;
  await pulumi.runtime.setMocks(mocks, 'quickstart', 'dev', isPreview);
}

const QUERIES: Record<CloudName, () => cloudimages.GetImageArgs> = {
  alicloud: () => ({ cloud: 'alicloud', region: 'cn-hangzhou', mostRecent: true, architecture: 'arm64', nameRegex: '^ubuntu' }),
  huaweicloud: () => ({ cloud: 'huaweicloud', region: 'cn-north-4', mostRecent: true, visibility: 'public', osDistro: 'ubuntu' }),
  opentelekomcloud: () => ({ cloud: 'opentelekomcloud', region: 'eu-de', mostRecent: true, visibility: 'public' }),
  ucloud: () => ({ cloud: 'ucloud', region: 'cn-bj2', mostRecent: true, gpu: true, machineType: 'vm' }),
  nscale: () => ({
    cloud: 'nscale',
    region: nscaleRegion,
    mostRecent: true,
    architecture: 'x86_64',
    gpuModel: 'H100',
    softwareVersions: { kubernetes: '>=1.29.0 <1.31.0' },
  }),
};

beforeAll(async () => {
  emulator = await new Emulator().start();
  config = emulator.clientConfig();
  nscaleRegion = (emulator.catalog.nscale!.regions as string[])[0];
  warn = jest.spyOn(pulumi.log, 'warn').mockResolvedValue(undefined);
});

afterAll(async () => {
  warn.mockRestore();
  await emulator?.stop();
});

beforeEach(async () => {
  registered.length = 0;
  invokes.length = 0;
  warn.mockClear();
  // Every test queries the emulator afresh (identical requests are otherwise shared for the process's life).
  sharedRequests.clear();
  await program(false);
  useStackConfig(config);
});

describe.each(Object.keys(QUERIES) as CloudName[])('%s through the stack configuration', (cloud) => {
  test('getImage returns the image the core chooses', async () => {
    const args = QUERIES[cloud]();
    const image = await cloudimages.getImage(args);
    const expected = (await lookupImage(args, { config, env: {} })).result;
    expect(image).toEqual(expected);
    expect(image.cloud).toBe(cloud);
  });

  test('getImagesOutput flows into a resource, newest first, not secret', async () => {
    const { mostRecent: _m, allowUnsafeMostRecent: _a, ...args } = QUERIES[cloud]();
    const images = cloudimages.getImagesOutput(args);
    new Instance(`${cloud}-vm`, { imageId: images.ids[0] });
    const settled = await settle(images);
    const expected = (await lookupImages(args, { config, env: {} })).result;
    expect(settled).toMatchObject({ known: true, secret: false });
    expect(settled.value!.ids).toEqual(expected.ids);
    expect(settled.value!.images.map((i) => i.id)).toEqual(expected.ids);
    await new Promise((r) => setTimeout(r, 50));
    expect(registered.find((r) => r.name === `${cloud}-vm`)?.inputs).toEqual({ imageId: expected.ids[0] });
    // The SDK runs in the program's process: no invoke ever reaches the engine (or a plugin).
    expect(invokes).toEqual([]);
  });
});

describe('Output forms', () => {
  test("results keep their shape through Pulumi's serialization: lists reach a resource as lists", async () => {
    // structuredClone is the host realm's under jest, and Pulumi serializes an array of another realm as an object
    // with keys "0", "1", …: the real engine showed getImages' ids that way when the program ran under jest.
    const { mostRecent: _m, allowUnsafeMostRecent: _a, ...args } = QUERIES.alicloud();
    const images = cloudimages.getImagesOutput(args);
    new Holder('holder', { ids: images.ids, first: images.images[0], plain: cloudimages.getImages(args) });
    const expected = (await lookupImages(args, { config, env: {} })).result;
    await settle(images);
    await new Promise((r) => setTimeout(r, 50));
    const inputs = registered.find((r) => r.name === 'holder')!.inputs as { ids: unknown; plain: { ids: unknown; images: unknown }; first: unknown };
    expect(Array.isArray(inputs.ids)).toBe(true);
    expect(Array.isArray(inputs.plain.ids)).toBe(true);
    expect(Array.isArray(inputs.plain.images)).toBe(true);
    expect(inputs.ids).toEqual(expected.ids);
    expect(inputs.first).toEqual(JSON.parse(JSON.stringify(expected.images[0])));
  });

  test('getImageOutput accepts Inputs and resolves to the chosen image', async () => {
    const image = cloudimages.getImageOutput({ ...QUERIES.nscale(), region: pulumi.output(nscaleRegion), gpuModel: Promise.resolve('H100') });
    const settled = await settle(image);
    expect(settled.known).toBe(true);
    expect(settled.value).toEqual((await lookupImage(QUERIES.nscale(), { config, env: {} })).result);
    expect(await settle(image.id)).toMatchObject({ known: true, value: settled.value!.id });
  });

  test('a secret argument makes the result secret, as generated SDKs do', async () => {
    const image = cloudimages.getImageOutput({ ...QUERIES.alicloud(), nameRegex: pulumi.secret('^ubuntu') });
    const settled = await settle(image);
    expect(settled).toMatchObject({ known: true, secret: true });
    expect(settled.value!.name).toMatch(/^ubuntu/);
  });
});

describe('preview', () => {
  beforeEach(async () => {
    await program(true);
    useStackConfig(config);
  });

  test('an unknown argument gives an unknown result and no request', async () => {
    const network = new Network('net');
    const before = emulator.count();
    const image = cloudimages.getImageOutput({ cloud: 'nscale', region: network.region, mostRecent: true, gpuModel: 'H100' });
    const instance = new Instance('vm', { imageId: image.id });
    expect(await settle(image)).toMatchObject({ known: false });
    expect(await settle(instance.imageId)).toMatchObject({ known: false });
    expect(emulator.count()).toBe(before);
  });

  test('a dependency that does not exist yet (dependsOn) gives an unknown result', async () => {
    const network = new Network('net');
    const before = emulator.count();
    const images = cloudimages.getImagesOutput({ cloud: 'nscale', region: nscaleRegion }, { dependsOn: [network] });
    expect(await settle(images)).toMatchObject({ known: false });
    expect(emulator.count()).toBe(before);
  });

  test('a component dependency stands for its children: the lookup waits for the custom resources inside it', async () => {
    class Builder extends pulumi.ComponentResource {
      constructor(name: string) {
        super('test:index:ImageBuilder', name);
        new Network(`${name}-net`, { parent: this }); // not created yet during preview
        this.registerOutputs({});
      }
    }
    const builder = new Builder('golden');
    const before = emulator.count();
    const images = cloudimages.getImagesOutput({ cloud: 'nscale', region: nscaleRegion }, { dependsOn: [builder] });
    expect(await settle(images)).toMatchObject({ known: false });
    expect(emulator.count()).toBe(before);
  });

  test('known arguments are looked up during preview too', async () => {
    const image = cloudimages.getImageOutput(QUERIES.nscale());
    expect(await settle(image)).toMatchObject({ known: true, value: { cloud: 'nscale', region: nscaleRegion } });
    await expect(cloudimages.getImage(QUERIES.ucloud())).resolves.toMatchObject({ cloud: 'ucloud' });
  });
});

test('after the dependency exists (pulumi up), the same program looks the image up', async () => {
  const network = new Network('net');
  const image = cloudimages.getImageOutput({ cloud: 'nscale', region: network.region, mostRecent: true, gpuModel: 'H100' }, { dependsOn: network });
  const settled = await settle(image);
  expect(settled.known).toBe(true);
  expect(settled.value!.region).toBe(nscaleRegion);
});

describe('options that would select a provider plugin are refused, pointing at config', () => {
  class OtherAccount extends pulumi.ProviderResource {
    constructor() {
      super('cloudimages', 'other-account', {});
    }
  }
  const forms = {
    getImage: (opts: object) => cloudimages.getImage({ cloud: 'nscale', region: nscaleRegion, mostRecent: true }, opts),
    getImages: (opts: object) => cloudimages.getImages({ cloud: 'nscale', region: nscaleRegion }, opts),
    getImageOutput: (opts: object) =>
      settle(cloudimages.getImageOutput({ cloud: 'nscale', region: nscaleRegion, mostRecent: true }, opts as cloudimages.GetImageOutputOptions)),
    getImagesOutput: (opts: object) =>
      settle(cloudimages.getImagesOutput({ cloud: 'nscale', region: nscaleRegion }, opts as cloudimages.GetImageOutputOptions)),
  };
  test.each(
    (Object.keys(forms) as (keyof typeof forms)[]).flatMap((form) =>
      (['provider', 'version', 'pluginDownloadURL'] as const).map((option) => [form, option] as const),
    ),
  )('%s with %s', async (form, option) => {
    const value = option === 'provider' ? new OtherAccount() : option === 'version' ? '0.1.0' : 'https://example.com/plugins';
    const before = emulator.count();
    const error = await forms[form]({ [option]: value }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(cloudimages.CloudImagesInvokeError);
    expect(error).toMatchObject({ code: 'INVALID_ARGUMENT', argument: `opts.${option}` });
    const message = (error as Error).message;
    expect(message).toMatch(
      new RegExp(
        `^cloudimages:index:${form.replace('Output', '')}: invalid argument "opts\\.${option}": not supported: .*"${option}" would be ignored; for a second account or endpoint pass its settings as opts\\.config`,
      ),
    );
    expect(emulator.count()).toBe(before);
  });

  test('the other options still work', async () => {
    const image = await cloudimages.getImage({ cloud: 'nscale', region: nscaleRegion, gpuModel: 'H100', mostRecent: true }, { async: true, config });
    expect(image.id).toEqual(expect.any(String));
  });
});

describe('errors surface as Pulumi errors carrying the typed cause', () => {
  test('a bad argument rejects before any request, naming the argument', async () => {
    const before = emulator.count();
    // A JavaScript caller (or a cast) gets past the types: the run-time check still names the argument.
    const error = await cloudimages.getImage({ cloud: 'nscale', architecture: 'sparc' as cloudimages.Architecture }).catch((e: unknown) => e);
    expect(pulumi.RunError.isInstance(error)).toBe(true);
    expect(error).toBeInstanceOf(cloudimages.CloudImagesInvokeError);
    expect(error).toMatchObject({
      code: 'INVALID_ARGUMENT',
      argument: 'architecture',
      message:
        'cloudimages:index:getImage: invalid argument "architecture": "sparc" is not accepted; accepted values are x86_64, arm64, i386 (aliases: amd64, x64, aarch64, arm, x86)',
    });
    expect((error as cloudimages.CloudImagesInvokeError).cause).toBeInstanceOf(ValidationError);
    expect(emulator.count()).toBe(before);
  });

  test('several matches without mostRecent: the count and the first IDs', async () => {
    const error = (await cloudimages
      .getImage({ cloud: 'nscale', region: nscaleRegion, gpuVendor: 'NVIDIA' })
      .catch((e: unknown) => e)) as cloudimages.CloudImagesInvokeError;
    expect(error.code).toBe('AMBIGUOUS_IMAGE');
    expect(error.cause).toBeInstanceOf(AmbiguousImageError);
    expect(error.message).toMatch(/^cloudimages:index:getImage: /);
    expect(error.message).toContain((error.cause as AmbiguousImageError).ids[0]);
  });

  test('the Output form rejects with the same error (no match repeats the query)', async () => {
    const image = cloudimages.getImageOutput({ cloud: 'nscale', region: nscaleRegion, nameRegex: '^no-such-image$' });
    await expect(settle(image)).rejects.toMatchObject({ code: 'NO_IMAGE', message: expect.stringContaining('nameRegex=^no-such-image$') });
  });

  test('no match: the cause is the NoImageError with its funnel and near misses', async () => {
    const error = (await cloudimages
      .getImage({ cloud: 'nscale', region: nscaleRegion, architecture: 'arm64', nameRegex: '^no-such-image$' })
      .catch((e: unknown) => e)) as cloudimages.CloudImagesInvokeError;
    expect(error.code).toBe('NO_IMAGE');
    const cause = error.cause as NoImageError;
    expect(cause).toBeInstanceOf(NoImageError);
    expect(cause.funnel.map((s) => s.selector)).toEqual(['catalog', 'status', 'visibility', 'architecture', 'nameRegex']);
    expect(cause.funnel.at(-1)!.remaining).toBe(0);
    expect(cause.nearMisses).toHaveLength(3);
    expect(cause.nearMisses.every((m) => m.failed.includes('nameRegex'))).toBe(true);
    expect(error.message).toContain(`closest: ${cause.nearMisses[0].name!.slice(0, 40)}`);
  });

  test('minAgeDays and maxAgeDays pass through; a cloud without creation times refuses them, naming the argument', async () => {
    const all = await cloudimages.getImages({ cloud: 'nscale', region: nscaleRegion });
    const kept = await cloudimages.getImages({ cloud: 'nscale', region: nscaleRegion, minAgeDays: 0, maxAgeDays: 36_500 });
    expect(kept.ids).toEqual(all.ids);
    const before = emulator.count();
    await expect(cloudimages.getImage({ cloud: 'ucloud', region: 'cn-bj2', mostRecent: true, minAgeDays: 7 })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      argument: 'minAgeDays',
    });
    expect(emulator.count()).toBe(before);
  });

  test('getImages refuses mostRecent, which only getImage uses', async () => {
    await expect(cloudimages.getImages({ cloud: 'nscale', mostRecent: true } as cloudimages.GetImagesArgs)).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      argument: 'mostRecent',
    });
  });

  test('a misspelt configuration field is a configuration error naming it', async () => {
    pulumi.runtime.setAllConfig({ 'cloudimages:nscale': JSON.stringify({ servicetoken: 'x' }) }, ['cloudimages:nscale']);
    await expect(cloudimages.getImages({ cloud: 'nscale', region: nscaleRegion })).rejects.toMatchObject({
      code: 'CONFIGURATION',
      message: expect.stringContaining('nscale.servicetoken: unknown field'),
    });
  });
});

describe('configuration', () => {
  test('credentials come from secret config keys; a wrong one fails authentication without showing the secret', async () => {
    const wrong = 'wrong-secret-value-0123456789';
    useStackConfig({ alicloud: { ...config.alicloud, accessKeySecret: wrong } });
    const error = (await cloudimages.getImage(QUERIES.alicloud()).catch((e: unknown) => e)) as cloudimages.CloudImagesInvokeError;
    expect(error.code).toBe('AUTHENTICATION');
    expect(error.message).not.toContain(wrong);
    // The same stack configuration with the right secret works.
    useStackConfig({ alicloud: config.alicloud });
    await expect(cloudimages.getImage(QUERIES.alicloud())).resolves.toMatchObject({ cloud: 'alicloud' });
  });

  test('the secret config is read as a secret, yet results are plain and contain no credential', async () => {
    expect(await settle(new pulumi.Config('cloudimages').getSecretObject('nscale')!)).toMatchObject({ secret: true });
    const images = await settle(cloudimages.getImagesOutput({ cloud: 'nscale', region: nscaleRegion }));
    expect(images.secret).toBe(false);
    const text = JSON.stringify(images.value);
    expect(text).not.toContain((config.nscale as { serviceToken: string }).serviceToken);
  });

  test('an explicit configuration (a second account) replaces the stack configuration; its fields may be secret Outputs', async () => {
    useStackConfig({ nscale: { ...config.nscale, serviceToken: 'revoked-token-0123456789' } });
    await expect(cloudimages.getImage(QUERIES.nscale())).rejects.toMatchObject({ code: 'AUTHENTICATION' });
    const { serviceToken, ...rest } = config.nscale as Record<string, string>;
    const image = cloudimages.getImageOutput(QUERIES.nscale(), { config: { nscale: { ...rest, serviceToken: pulumi.secret(serviceToken) } } });
    expect(await settle(image)).toMatchObject({ known: true, secret: false, value: { cloud: 'nscale' } });
    await expect(cloudimages.getImage(QUERIES.nscale(), { config: { nscale: config.nscale } })).resolves.toMatchObject({ cloud: 'nscale' });
  });

  test('fields left unset fall back to the environment variables', async () => {
    const env = emulator.clientEnv(['ucloud']);
    expect(Object.keys(env).length).toBeGreaterThan(0);
    useStackConfig({ ucloud: { endpoint: (config.ucloud as { endpoint: string }).endpoint } });
    const saved = { ...process.env };
    Object.assign(process.env, env);
    try {
      await expect(cloudimages.getImage(QUERIES.ucloud())).resolves.toMatchObject({ cloud: 'ucloud' });
    } finally {
      for (const key of Object.keys(env)) if (!(key in saved)) delete process.env[key];
      Object.assign(process.env, saved);
    }
    await expect(cloudimages.getImage(QUERIES.ucloud())).rejects.toMatchObject({ code: 'CONFIGURATION' });
  });

  test('warnings from the core reach the Pulumi log', async () => {
    await cloudimages.getImage(QUERIES.ucloud());
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn).toHaveBeenCalledWith(
      expect.stringMatching(/^getImage: ucloud reports no creation time: mostRecent chose \S+ by OS version, then the version numbers in image names, uk8s-/),
    );
    await cloudimages.getImage(QUERIES.nscale());
    expect(warn).toHaveBeenCalledTimes(1);
  });
});

describe('several regions and the catalog TTL', () => {
  const across = { cloud: 'alicloud', regions: ['cn-hangzhou', 'cn-shanghai'], visibility: 'public', nameRegex: '^ubuntu', mostRecent: true } as const;

  test("getImageOutput takes regions as an Input and gives the core's image with regionIds", async () => {
    const image = cloudimages.getImageOutput({ ...across, regions: pulumi.output([...across.regions]) });
    const settled = await settle(image);
    const expected = (await lookupImage({ ...across, regions: [...across.regions] }, { config, env: {} })).result;
    expect(settled.value).toEqual(expected);
    expect(Object.keys(settled.value!.regionIds!)).toEqual([...across.regions]);
  });

  test('catalogTtlSeconds: 0 fetches a settled catalog anew; by default a program reuses it', async () => {
    const args = QUERIES.alicloud();
    const before = emulator.count('alicloud');
    await cloudimages.getImage(args);
    const once = emulator.count('alicloud') - before;
    expect(once).toBeGreaterThan(0);
    await cloudimages.getImage(args);
    expect(emulator.count('alicloud') - before).toBe(once);
    await cloudimages.getImage(args, { catalogTtlSeconds: 0 });
    // Fetched anew (wide this time: the sharing's second request for a catalog asks for all of it).
    expect(emulator.count('alicloud') - before).toBeGreaterThan(once);
    await expect(cloudimages.getImage(args, { catalogTtlSeconds: -1 })).rejects.toMatchObject({ code: 'CONFIGURATION' });
  });
});
