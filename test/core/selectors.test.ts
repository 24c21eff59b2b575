/**
 * A selector is declared once (the argument table, core/query.ts) and each cloud says once what it does with it
 * (core/selectors.ts); everything else is derived. These tests walk the table, so a selector added to it is checked
 * here without touching this file beyond its sample value (a Record: a selector without one does not compile).
 */
import fc from 'fast-check';
import { BUILT_IN_REGISTRY, CLOUD_MODULES } from '../../provider/clouds';
import { HUAWEI_CLOUD_PROFILE, IMS_SELECTORS, newestOnlyAdmits, OPEN_TELEKOM_CLOUD_PROFILE, pushDown } from '../../provider/clouds/huawei';
import { widen, planFetch } from '../../provider/core/backend';
import { ValidationError } from '../../provider/core/errors';
import { makeImage } from '../../provider/core/image';
import type { CloudModule } from '../../provider/core/module';
import { ArgumentName, argumentsOf, compileQuery, Query, QUERY_ARGUMENTS, queryDefaults, SelectorName } from '../../provider/core/query';
import { explainSelection } from '../../provider/core/select';
import { capabilityKind, pushSelectors, SelectorCapabilities } from '../../provider/core/selectors';
import { parseCommandLine, usage } from '../../provider/cli/args';
import { buildSchema, TOKENS } from '../../provider/plugin/schema-gen';
import { useEmulator } from '../helpers/emulator';

/** A validated value of every selector. */
const SAMPLE: { readonly [Name in SelectorName]: Query[Name] } = {
  architecture: 'i386',
  gpu: true,
  gpuVendor: 'NVIDIA',
  gpuModel: 'H100',
  gpuDriver: '>=525',
  nameRegex: '^ubuntu-22\\.04$',
  osType: 'linux',
  osDistro: 'ubuntu',
  osVersion: '22.04',
  machineType: 'baremetal',
  minAgeDays: 7,
  maxAgeDays: 30,
  softwareVersions: { kubernetes: '>=1.29.0' },
  tags: { env: 'prod' },
};
const SELECTORS = argumentsOf('selector').map((spec) => spec.name);

const query = (cloud: string, selectors: Partial<Query> = {}): Query => ({ ...queryDefaults(), cloud, ...selectors });

// Compile-time agreement (ts-jest and the typecheck read this file): the table and the Query interface name the same
// arguments, so an argument declared in one and not the other does not compile.
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
const assertTrue = <T extends true>(): T => true as T;

describe('the argument table drives every surface', () => {
  it('compile-time: the Query interface names exactly the arguments of the table', () => {
    expect(assertTrue<Equal<keyof Query, ArgumentName>>()).toBe(true);
  });

  const inputs = (buildSchema(BUILT_IN_REGISTRY).functions as Record<string, { inputs: { properties: Record<string, unknown> } }>)[TOKENS.getImage].inputs
    .properties;
  it.each(QUERY_ARGUMENTS.map((spec) => [spec.name, spec] as const))('%s is a schema input and a CLI flag', (name, spec) => {
    expect(Object.keys(inputs)).toContain(name);
    expect(usage(BUILT_IN_REGISTRY)).toContain(`--${spec.flag}`);
  });

  it.each(SELECTORS)('selector %s is read from the command line and applied by selection', (name) => {
    const spec = QUERY_ARGUMENTS.find((s) => s.name === name)!;
    const sample = SAMPLE[name];
    const flags =
      typeof sample === 'boolean'
        ? [`--${spec.flag}`]
        : typeof sample === 'object'
          ? Object.entries(sample).flatMap(([k, v]) => [`--${spec.flag}`, `${k}=${v}`])
          : [`--${spec.flag}`, String(sample)];
    // Numbers arrive as text; validation reads them (query.test.ts).
    expect(parseCommandLine(['images', '--cloud', 'nscale', ...flags]).args[name]).toEqual(typeof sample === 'number' ? String(sample) : sample);
    // Every selector is a step of the funnel (the local check), named as users write it.
    const image = makeImage({ id: 'i-1', cloud: 'nscale', region: 'r1' });
    const steps = explainSelection([image], compileQuery(query('nscale', { [name]: sample }))).funnel.map((step) => step.selector);
    expect(steps.some((step) => step === name || step.startsWith(`${name}.`))).toBe(true);
  });

  it('the catalog is scoped by cloud, region(s), zone, endpoint, visibility, status and filters; the rest selects or chooses', () => {
    expect(
      argumentsOf('scope')
        .map((spec) => spec.name)
        .sort(),
    ).toEqual(['cloud', 'endpoint', 'filters', 'region', 'regions', 'status', 'visibility', 'zone']);
    expect(argumentsOf('choice').map((spec) => spec.name)).toEqual(['mostRecent', 'allowUnsafeMostRecent']);
  });

  it('widen keeps exactly the scope arguments and resets every other to its default', () => {
    const full = query('nscale', {
      ...SAMPLE,
      region: 'r1',
      zone: 'z1',
      endpoint: 'http://127.0.0.1:1',
      visibility: ['public'],
      status: ['pending'],
      filters: { scope: 'owned' },
      mostRecent: true,
      allowUnsafeMostRecent: true,
    });
    const wide = widen(full) as unknown as Record<string, unknown>;
    const defaults = queryDefaults() as Record<string, unknown>;
    for (const spec of QUERY_ARGUMENTS) {
      expect([spec.name, wide[spec.name]]).toEqual([
        spec.name,
        spec.role === 'scope' ? (full as unknown as Record<string, unknown>)[spec.name] : defaults[spec.name],
      ]);
    }
  });
});

describe("each cloud's capabilities", () => {
  const emulator = useEmulator();
  const modules = CLOUD_MODULES as readonly CloudModule[];

  it('name only selectors of the table', () => {
    for (const module of modules) expect(SELECTORS).toEqual(expect.arrayContaining(Object.keys(module.selectors ?? {})));
    // @ts-expect-error a misspelt selector does not compile
    const misspelt: SelectorCapabilities = { gpuVendr: { local: 'never' } };
    expect(misspelt).toBeDefined();
  });

  it.each(modules.flatMap((m) => SELECTORS.map((s) => [m.name, s, capabilityKind(m.selectors ?? {}, s), m] as const)))(
    '%s: %s is %s, and planning does what the capability says',
    (cloud, selector, kind, module) => {
      // gpu: true needs a GPU instance type on Alibaba Cloud (a check of its own, not a refusal of the selector).
      const extra: Partial<Query> = cloud === 'alicloud' && selector === 'gpu' ? { filters: { InstanceType: 'ecs.gn7i-c8g1.2xlarge' } } : {};
      const plan = (q: Query) => planFetch(module, q, emulator.clientConfig({ regions: true }), {});
      const asked = query(cloud, { [selector]: SAMPLE[selector], ...extra });
      if (kind === 'unreported') {
        let error: unknown;
        try {
          plan(asked);
        } catch (err) {
          error = err;
        }
        expect(error).toBeInstanceOf(ValidationError);
        expect((error as ValidationError).argument).toBe(selector);
        expect((error as Error).message).toContain(`${cloud} images do not report this, so it would match nothing; `);
        return;
      }
      const key = plan(asked).key;
      // Pushed: the request changes (its parameters are in the key). Local: the request is the unfiltered one.
      if (kind === 'push') expect(key).not.toBe(plan(query(cloud, extra)).key);
      else expect(key).toBe(plan(query(cloud, extra)).key);
    },
  );
});

describe('pushSelectors and the IMS fast path are deny-by-default', () => {
  it.each(SELECTORS)('a cloud that does not mention %s checks it locally: never exact, nothing sent', (selector) => {
    const pushed = pushSelectors(query('any', { [selector]: SAMPLE[selector] }), {}, undefined);
    expect(pushed).toEqual({ params: [], exact: false });
  });

  it('an argument the table does not know is never exact', () => {
    expect(pushSelectors({ ...query('any'), minRamGiB: 4 } as Query, {}, undefined).exact).toBe(false);
  });

  it('IMS admits the newest-only path exactly when every selector the query sets is pushed exactly (property)', () => {
    const exactlyPushed = (selector: SelectorName, profile: typeof HUAWEI_CLOUD_PROFILE, q: Query) => {
      const capability = (IMS_SELECTORS as SelectorCapabilities<typeof HUAWEI_CLOUD_PROFILE>)[selector];
      return capability !== undefined && 'push' in capability && capability.push(q, profile)?.exact === true;
    };
    fc.assert(
      fc.property(fc.subarray(SELECTORS), fc.constantFrom(HUAWEI_CLOUD_PROFILE, OPEN_TELEKOM_CLOUD_PROFILE), (chosen, profile) => {
        const q = query(profile.cloud, { ...Object.fromEntries(chosen.map((s) => [s, SAMPLE[s]])), mostRecent: true });
        expect(newestOnlyAdmits(q, pushDown(q, profile, ['public']))).toBe(chosen.every((s) => exactlyPushed(s, profile, q)));
      }),
      { numRuns: 200 },
    );
  });

  it('IMS lists everything when a zone is set (IMS has no zones: only the local check applies one)', () => {
    const q = query('huaweicloud', { zone: 'z1', osType: 'linux', mostRecent: true });
    expect(newestOnlyAdmits(q, pushDown(q, HUAWEI_CLOUD_PROFILE, ['public']))).toBe(false);
  });

  it.each(SELECTORS.filter((s) => capabilityKind(IMS_SELECTORS, s) !== 'push'))('IMS lists everything when %s (not pushed) is set', (selector) => {
    const q = query('huaweicloud', { [selector]: SAMPLE[selector], osType: 'linux', mostRecent: true });
    expect(newestOnlyAdmits(q, pushDown(q, HUAWEI_CLOUD_PROFILE, ['public']))).toBe(false);
    expect(newestOnlyAdmits({ ...q, [selector]: undefined }, pushDown({ ...q, [selector]: undefined }, HUAWEI_CLOUD_PROFILE, ['public']))).toBe(true);
  });
});
