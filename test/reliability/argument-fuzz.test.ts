/**
 * Thousands of random and hostile argument sets thrown at validation and the pipeline: each is accepted or
 * refused with a ValidationError naming an argument; none reaches the network, none hangs, none crashes.
 */
import { validateQuery, QUERY_ARGUMENTS } from '../../provider/core/query';
import { ValidationError } from '../../provider/core/errors';
import { lookupImages } from '../../provider/lookup';
import { testRegistry } from '../helpers/registry';
import { RequestSharing } from '../../provider/core/share';
import { seededRandom, pick } from '../../provider/emulator/random';
import { fakeBackend } from '../helpers/fake-backend';
import { image } from '../helpers/images';
import { BUILT_IN_REGISTRY } from '../../provider/clouds';

const HOSTILE_STRINGS = [
  '',
  ' ',
  'x'.repeat(10_000),
  '(a+)+$',
  '^(a|aa)+$',
  '(.*a){25}',
  '([a-z',
  '\\',
  '${process.exit()}',
  '__proto__',
  'constructor',
  '>=1.2.3 <',
  'v1.29',
  '>=525',
  '525.85.05',
  '*',
  'latest',
  '\u0000',
  '\ud800',
  '🙂',
  'x86_64',
  'AARCH64',
  'public',
  'available',
  'true',
  'false',
  '1e309',
  'NaN',
  '../../etc/passwd',
  'http://evil.example.com',
  'https://ok.example.com',
  'alicloud',
  'nscale',
];
const HOSTILE_VALUES: unknown[] = [
  undefined,
  null,
  true,
  false,
  0,
  -1,
  1.5,
  NaN,
  Infinity,
  [],
  [[]],
  {},
  { a: 1 },
  { a: { b: 1 } },
  ['public', 42],
  Symbol.iterator,
  () => 1,
  new Date(0),
  Object.create(null),
  {
    toString: () => {
      throw new Error('boom');
    },
  },
  BigInt(1),
  ...HOSTILE_STRINGS,
];
const NAMES = [...QUERY_ARGUMENTS.map((a) => a.name), '__proto__', 'constructor', 'owner', 'most_recent', 'Cloud'];

function randomArgs(random: () => number): unknown {
  const roll = random();
  if (roll < 0.03) return pick(random, HOSTILE_VALUES);
  const args: Record<string, unknown> = {};
  if (random() < 0.9) args.cloud = random() < 0.8 ? 'nscale' : pick(random, HOSTILE_VALUES);
  const count = Math.floor(random() * 5);
  for (let i = 0; i < count; i++) {
    const name = pick(random, NAMES);
    const value =
      random() < 0.5
        ? pick(random, HOSTILE_STRINGS)
        : random() < 0.5
          ? pick(random, HOSTILE_VALUES)
          : { [pick(random, HOSTILE_STRINGS)]: pick(random, HOSTILE_VALUES) };
    Object.defineProperty(args, name, { value, enumerable: true, configurable: true, writable: true });
  }
  return args;
}

describe('argument fuzzing', () => {
  const fake = fakeBackend(
    'nscale',
    Array.from({ length: 50 }, (_, i) => image({ id: `img-${i}`, name: `${'a'.repeat(30)}-${i}`, visibility: 'public' })),
  );
  const registry = testRegistry({ nscale: fake.module });

  it('validation accepts or refuses 5,000 random argument sets with a named argument, never anything else', () => {
    const random = seededRandom(20261123);
    let accepted = 0;
    let refused = 0;
    for (let i = 0; i < 5000; i++) {
      const args = randomArgs(random);
      try {
        validateQuery(args, BUILT_IN_REGISTRY);
        accepted++;
      } catch (err) {
        if (!(err instanceof ValidationError)) throw new Error(`case ${i}: ${String(err)} is not a ValidationError`);
        expect(err.argument.length).toBeGreaterThan(0);
        expect(err.message).toContain(`invalid argument "${err.argument}"`);
        refused++;
      }
    }
    // Both paths are exercised: the generator is not trivially all-bad or all-good.
    expect(accepted).toBeGreaterThan(200);
    expect(refused).toBeGreaterThan(2000);
  });

  it('accepted sets run through the pipeline without hanging; refused ones never plan a request', async () => {
    const random = seededRandom(7);
    const started = Date.now();
    let ran = 0;
    for (let i = 0; i < 400; i++) {
      const args = randomArgs(random);
      let valid = true;
      try {
        validateQuery(args, BUILT_IN_REGISTRY);
      } catch {
        valid = false;
      }
      const plansBefore = fake.calls.plans.length;
      try {
        await lookupImages(args, { registry, sharing: new RequestSharing(), env: {} });
        ran++;
      } catch (err) {
        expect(err).toBeInstanceOf(Error);
        expect((err as { code?: string }).code).toMatch(/^[A-Z_]+$/);
      }
      if (!valid) expect(fake.calls.plans.length).toBe(plansBefore);
    }
    expect(ran).toBeGreaterThan(10);
    // Catastrophic regexes are cut off by the regex budget rather than hanging the run.
    expect(Date.now() - started).toBeLessThan(60_000);
  });

  it('a catastrophic regex over long names fails fast with a nameRegex error', async () => {
    const evil = fakeBackend(
      'nscale',
      Array.from({ length: 30 }, (_, i) => image({ id: `e${i}`, name: `${'a'.repeat(35)}!`, visibility: 'public' })),
    );
    const options = { registry: testRegistry({ nscale: evil.module }), sharing: new RequestSharing() };
    await expect(lookupImages({ cloud: 'nscale', nameRegex: '^(a+)+$' }, options)).rejects.toThrow(/invalid argument "nameRegex": took longer than/);
  });
});
