import { nscaleModule, pushDown } from '../../../provider/clouds/nscale';
import { useEmulator } from '../../helpers/emulator';
import { buildRequest } from '../../../provider/clouds/nscale/client';
import { DEFAULT_ENDPOINT } from '../../../provider/clouds/nscale/types';
import { planFetch } from '../../../provider/core/backend';
import type { CloudImagesConfig, Env } from '../../../provider/core/config';
import { fingerprint } from '../../../provider/core/keys';
import type { Query } from '../../../provider/core/query';
import { resolveSettings } from '../../../provider/core/settings';

/** nscale's view of the resolved settings. */
function resolved(query: Query, config: CloudImagesConfig, env: Env) {
  const s = resolveSettings(nscaleModule, query, config, env);
  const { organizationId, serviceToken } = s.fields;
  return {
    endpoint: s.endpoint.value,
    regionId: s.region.value,
    organizationId: organizationId?.value,
    serviceToken: serviceToken?.value,
    sources: { endpoint: s.endpoint.source, regionId: s.region.source, organizationId: organizationId?.source, serviceToken: serviceToken?.source },
  };
}
import {
  AuthenticationError,
  CloudApiError,
  ConfigurationError,
  NoImageError,
  ThrottlingError,
  TransportError,
  ValidationError,
} from '../../../provider/core/errors';
import { HttpClient } from '../../../provider/core/http/client';
import { validateQuery } from '../../../provider/core/query';
import { RequestSharing } from '../../../provider/core/share';
import {
  nscaleCatalog,
  ORGANIZATION_ID,
  OTHER_ORGANIZATION_ID,
  OTHER_SERVICE_TOKEN,
  REGION_IDS,
  SERVICE_TOKEN,
} from '../../../provider/emulator/nscale/catalog';
import { lookupImage, lookupImages } from '../../../provider/lookup';
import { ids, newestFirst, owned, visible } from './oracle';
import { BUILT_IN_REGISTRY } from '../../../provider/clouds';

const [REGION, REGION2] = REGION_IDS;
const catalog = nscaleCatalog();
const emulator = useEmulator({ catalog: { nscale: nscaleCatalog() } });

function options(overrides: { config?: object; env?: Record<string, string> } = {}) {
  const base = emulator.clientConfig().nscale!;
  return {
    config: { nscale: { ...base, ...overrides.config } },
    env: overrides.env ?? {},
    http: new HttpClient({ retry: { baseDelayMs: 1, maxDelayMs: 5 } }),
    sharing: new RequestSharing(),
  };
}

describe('nscale request building', () => {
  const settings = {
    endpoint: 'https://region.example.test',
    regionId: 'a/b',
    organizationId: 'org-1',
    serviceToken: 'tok-123456',
    sources: { endpoint: 'x', regionId: 'x', organizationId: 'x', serviceToken: 'x' },
  };

  it('sends the bearer token, organizationID, scope and a form-exploded status array', () => {
    const request = buildRequest(settings, { scope: 'owned', status: ['creating', 'pending'] });
    expect(request).toStrictEqual({
      method: 'GET',
      url: 'https://region.example.test/api/v2/regions/a%2Fb/images?organizationID=org-1&scope=owned&status=creating&status=pending',
      headers: { accept: 'application/json', authorization: 'Bearer tok-123456' },
    });
  });

  it('maps statuses and visibilities to scopes and states', () => {
    const plan = (args: object) => pushDown(validateQuery({ cloud: 'nscale', ...args }, BUILT_IN_REGISTRY));
    expect(plan({})).toStrictEqual({ scopes: ['available', 'owned'], status: ['ready'] });
    expect(plan({ visibility: 'private', status: ['pending', 'failed'] })).toStrictEqual({ scopes: ['owned'], status: ['creating', 'failed', 'pending'] });
    expect(plan({ visibility: 'public' })).toStrictEqual({ scopes: ['available', 'owned'], status: ['ready'] });
    expect(plan({ visibility: ['shared', 'marketplace'] })).toStrictEqual({ scopes: [], status: ['ready'] });
    expect(plan({ status: 'deprecated' })).toStrictEqual({ scopes: [], status: [] });
    // unavailable (no state, or an undocumented one) is returned by no state filter: every state, selected locally.
    expect(plan({ status: ['deprecated', 'unavailable'] })).toStrictEqual({ scopes: ['available', 'owned'], status: [] });
    expect(plan({ status: 'unavailable', visibility: 'private' })).toStrictEqual({ scopes: ['owned'], status: [] });
    expect(plan({ filters: { status: ['creating'], scope: 'owned' } })).toStrictEqual({ scopes: ['owned'], status: ['creating'] });
    expect(() => plan({ filters: { organizationID: 'x' } })).toThrow(ValidationError);
    expect(() => plan({ filters: { organizationID: 'x' } })).toThrow(/filters\.organizationID.*accepted filters are scope, status/);
    expect(() => plan({ filters: { status: 'ready2' } })).toThrow(/filters\.status.*"ready2" is not accepted/);
  });
});

describe('nscale settings', () => {
  const query = (args: object = {}) => validateQuery({ cloud: 'nscale', ...args }, BUILT_IN_REGISTRY);
  /** Region IDs are UUIDs; any that is not one is refused (see test/reliability/hostile-answers.test.ts). */
  const R1 = '00000000-0000-4000-8000-000000000001';
  const env = { NSCALE_SERVICE_TOKEN: 'env-token-abcdef', NSCALE_ORGANIZATION_ID: 'org-env', NSCALE_REGION_ID: '00000000-0000-4000-8000-00000000e0e0' };

  it('takes the endpoint from the query, then config, then NSCALE_REGION_SERVICE_API_ENDPOINT, then the default', () => {
    const withEnv = { ...env, NSCALE_REGION_SERVICE_API_ENDPOINT: 'https://env.example.test/' };
    const config = { nscale: { endpoint: 'https://config.example.test' } };
    expect(resolved(query({ endpoint: 'https://query.example.test' }), config, withEnv).endpoint).toBe('https://query.example.test');
    expect(resolved(query(), config, withEnv).endpoint).toBe('https://config.example.test');
    expect(resolved(query(), {}, withEnv).endpoint).toBe('https://env.example.test');
    expect(resolved(query(), {}, env).endpoint).toBe(DEFAULT_ENDPOINT);
  });

  it('takes the region ID from the query, then config regionId, then NSCALE_REGION_ID; config before environment', () => {
    expect(
      resolved(query({ region: '00000000-0000-4000-8000-0000000000a1' }), { nscale: { regionId: '00000000-0000-4000-8000-0000000000c1' } }, env).regionId,
    ).toBe('00000000-0000-4000-8000-0000000000a1');
    expect(resolved(query(), { nscale: { regionId: '00000000-0000-4000-8000-0000000000c1' } }, env).regionId).toBe('00000000-0000-4000-8000-0000000000c1');
    const fromEnv = resolved(query(), {}, env);
    expect(fromEnv).toMatchObject({ regionId: '00000000-0000-4000-8000-00000000e0e0', organizationId: 'org-env', serviceToken: 'env-token-abcdef' });
    expect(fromEnv.sources).toStrictEqual({
      endpoint: 'the default endpoint',
      regionId: 'NSCALE_REGION_ID',
      organizationId: 'NSCALE_ORGANIZATION_ID',
      serviceToken: 'NSCALE_SERVICE_TOKEN',
    });
    expect(resolved(query(), { nscale: { organizationId: 'org-config', serviceToken: 'config-token-1' } }, env)).toMatchObject({
      organizationId: 'org-config',
      serviceToken: 'config-token-1',
    });
  });

  it.each([
    ['NSCALE_SERVICE_TOKEN', /^nscale: no service token; set config cloudimages:nscale\.serviceToken or environment variable NSCALE_SERVICE_TOKEN$/],
    ['NSCALE_ORGANIZATION_ID', /^nscale: no organization ID; set config cloudimages:nscale\.organizationId or environment variable NSCALE_ORGANIZATION_ID$/],
    ['NSCALE_REGION_ID', /^nscale: no region ID; pass region, or set config cloudimages:nscale\.regionId or environment variable NSCALE_REGION_ID$/],
  ])('fails with a ConfigurationError naming what to set when %s is missing', (name, message) => {
    const partial: Record<string, string> = { ...env };
    delete partial[name];
    expect(() => planFetch(nscaleModule, query(), {}, partial)).toThrow(ConfigurationError);
    expect(() => planFetch(nscaleModule, query(), {}, partial)).toThrow(message);
  });

  it('refuses plain http:// to a non-loopback endpoint before any request', () => {
    expect(() => planFetch(nscaleModule, query({ endpoint: 'http://region.example.test' }), {}, env)).toThrow(TransportError);
  });

  it('keys sharing on endpoint, region, organization, a token hash and the parameters, never the token', () => {
    const key = planFetch(nscaleModule, query({ region: R1 }), {}, env).key;
    expect(key).toContain(DEFAULT_ENDPOINT);
    expect(key).toContain(`"regionId":"${R1}"`);
    expect(key).toContain('"organizationId":"org-env"');
    expect(key).toContain(fingerprint('serviceToken=env-token-abcdef'));
    expect(key).toContain('"scopes":["available","owned"]');
    expect(key).toContain('"status":["ready"]');
    expect(key).not.toContain('env-token-abcdef');
    const others = [
      planFetch(nscaleModule, query({ region: '00000000-0000-4000-8000-000000000002' }), {}, env).key,
      planFetch(nscaleModule, query({ region: R1 }), {}, { ...env, NSCALE_SERVICE_TOKEN: 'another-token-123' }).key,
      planFetch(nscaleModule, query({ region: R1 }), {}, { ...env, NSCALE_ORGANIZATION_ID: 'org-2' }).key,
      planFetch(nscaleModule, query({ region: R1, endpoint: 'https://other.example.test' }), {}, env).key,
      planFetch(nscaleModule, query({ region: R1, status: 'pending' }), {}, env).key,
      planFetch(nscaleModule, query({ region: R1, visibility: 'private' }), {}, env).key,
    ];
    expect(new Set([key, ...others]).size).toBe(7);
    expect(planFetch(nscaleModule, query({ region: R1, gpuModel: 'H100' }), {}, env).key).toBe(key);
  });
});

describe('nscale against the emulator', () => {
  it("lists owned and global images of the region newest first, never another organization's", async () => {
    const { result } = await lookupImages({ cloud: 'nscale', region: REGION }, options());
    const expected = newestFirst(visible(catalog, REGION, ORGANIZATION_ID).filter((i) => i.status.state === 'ready'));
    expect(expected.length).toBeGreaterThan(50);
    expect(result.ids).toEqual(ids(expected));
    const ownedIds = new Set(ids(owned(catalog, REGION, ORGANIZATION_ID)));
    expect(ownedIds.size).toBeGreaterThan(5);
    for (const image of result.images) expect(image.visibility).toBe(ownedIds.has(image.id) ? 'private' : 'public');
    const foreign = new Set(ids(owned(catalog, REGION, OTHER_ORGANIZATION_ID)));
    expect(foreign.size).toBeGreaterThan(0);
    expect(result.ids.filter((id) => foreign.has(id))).toEqual([]);
    expect(result.images.every((i) => i.region === REGION && i.cloud === 'nscale')).toBe(true);
    // One request per scope, both with the pushed-down status and the organization.
    expect(emulator.requests.map((r) => r.query).sort((a, b) => String(a.scope).localeCompare(String(b.scope)))).toStrictEqual([
      { organizationID: ORGANIZATION_ID, scope: 'available', status: 'ready' },
      { organizationID: ORGANIZATION_ID, scope: 'owned', status: 'ready' },
    ]);
    expect(emulator.requests.every((r) => r.path === `/api/v2/regions/${REGION}/images` && r.status === 200)).toBe(true);
  });

  it('private asks only the owned scope; public leaves the owned images out', async () => {
    const mine = await lookupImages({ cloud: 'nscale', region: REGION2, visibility: 'private' }, options());
    expect(emulator.requests.map((r) => r.query.scope)).toEqual(['owned']);
    expect(mine.result.ids).toEqual(ids(newestFirst(owned(catalog, REGION2, ORGANIZATION_ID).filter((i) => i.status.state === 'ready'))));
    expect(mine.result.ids.length).toBeGreaterThan(0);
    const global = await lookupImages({ cloud: 'nscale', region: REGION2, visibility: 'public' }, options());
    const globalExpected = catalog.images
      .filter((e) => e.regionId === REGION2 && e.organizationId === null && e.image.status.state === 'ready')
      .map((e) => e.image);
    expect(global.result.ids).toEqual(ids(newestFirst(globalExpected)));
    expect(global.result.images.every((i) => i.visibility === 'public')).toBe(true);
  });

  it('pushes pending down as pending and creating, sent as repeated status parameters', async () => {
    const { result } = await lookupImages({ cloud: 'nscale', region: REGION, status: 'pending', visibility: 'private' }, options());
    expect(emulator.requests[0].query.status).toEqual(['creating', 'pending']);
    const expected = owned(catalog, REGION, ORGANIZATION_ID).filter((i) => ['pending', 'creating'].includes(i.status.state));
    expect(expected.some((i) => i.status.state === 'creating') && expected.some((i) => i.status.state === 'pending')).toBe(true);
    expect(result.ids).toEqual(ids(newestFirst(expected)));
    expect(result.images.every((i) => i.status === 'pending')).toBe(true);
  });

  it('fetches nothing for statuses and visibilities nscale does not have', async () => {
    await expect(lookupImages({ cloud: 'nscale', region: REGION, status: 'deprecated' }, options())).resolves.toMatchObject({
      result: { ids: [], images: [] },
    });
    await expect(lookupImage({ cloud: 'nscale', region: REGION, visibility: 'shared' }, options())).rejects.toBeInstanceOf(NoImageError);
    expect(emulator.count('nscale')).toBe(0);
  });

  it('shares one fetch between identical catalog requests', async () => {
    const opts = options();
    await Promise.all([
      lookupImages({ cloud: 'nscale', region: REGION, gpuModel: 'H100' }, opts),
      lookupImages({ cloud: 'nscale', region: REGION, architecture: 'arm64' }, opts),
      lookupImage({ cloud: 'nscale', region: REGION, gpuVendor: 'AMD', mostRecent: true }, opts),
    ]);
    expect(opts.sharing.fetches).toBe(1);
    expect(emulator.count('nscale')).toBe(2);
  });

  it('passes filters through: status replaces the pushed-down states', async () => {
    await lookupImages({ cloud: 'nscale', region: REGION, status: ['available', 'pending'], filters: { status: 'creating', scope: 'owned' } }, options());
    expect(emulator.requests.map((r) => r.query)).toStrictEqual([{ organizationID: ORGANIZATION_ID, scope: 'owned', status: 'creating' }]);
  });
});

describe('nscale errors', () => {
  it('401: says the token from the config key was refused, never prints it, and does not retry', async () => {
    const opts = options({ config: { serviceToken: 'not-the-right-token-9f8e7d' } });
    const run = lookupImages({ cloud: 'nscale', region: REGION, visibility: 'private' }, opts);
    await expect(run).rejects.toBeInstanceOf(AuthenticationError);
    await expect(run).rejects.toMatchObject({ httpStatus: 401, cloudCode: 'access_denied', cloud: 'nscale' });
    const error = (await run.catch((e: Error) => e)) as AuthenticationError;
    expect(error.message).toContain('the service token from cloudimages:nscale.serviceToken was refused');
    expect(error.message).toMatch(/request ID [0-9a-f]{32}/);
    expect(error.message).not.toContain('not-the-right-token-9f8e7d');
    expect(emulator.requests.map((r) => r.status)).toEqual([401]); // not retried
  });

  it('401: names NSCALE_SERVICE_TOKEN when the token came from the environment', async () => {
    const opts = {
      ...options(),
      config: { nscale: { endpoint: emulator.endpoint('nscale') } },
      env: { NSCALE_SERVICE_TOKEN: 'expired-token-4c3b2a', NSCALE_ORGANIZATION_ID: ORGANIZATION_ID },
    };
    const error = (await lookupImages({ cloud: 'nscale', region: REGION, visibility: 'private' }, opts).catch((e: Error) => e)) as Error;
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error.message).toContain('the service token from NSCALE_SERVICE_TOKEN was refused');
    expect(error.message).not.toContain('expired-token-4c3b2a');
  });

  it("403: a token refused for the organization names the organization's source", async () => {
    const error = (await lookupImages(
      { cloud: 'nscale', region: REGION, visibility: 'private' },
      options({ config: { organizationId: OTHER_ORGANIZATION_ID } }),
    ).catch((e: Error) => e)) as AuthenticationError;
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error.httpStatus).toBe(403);
    expect(error.cloudCode).toBe('forbidden');
    expect(error.message).toContain(`refused for organization ${OTHER_ORGANIZATION_ID} (from cloudimages:nscale.organizationId)`);
    expect(error.message).toContain('the API said: user credentials do not have the required privileges');
    expect(error.message).not.toContain(SERVICE_TOKEN);
    // The other organization's own token reads its own images.
    const theirs = await lookupImages(
      { cloud: 'nscale', region: REGION, visibility: 'private' },
      options({ config: { organizationId: OTHER_ORGANIZATION_ID, serviceToken: OTHER_SERVICE_TOKEN } }),
    );
    expect(theirs.result.ids).toEqual(ids(newestFirst(owned(catalog, REGION, OTHER_ORGANIZATION_ID).filter((i) => i.status.state === 'ready'))));
  });

  it('404: names the region ID and where it came from', async () => {
    const error = (await lookupImages({ cloud: 'nscale', region: '00000000-0000-4000-a000-000000000000', visibility: 'private' }, options()).catch(
      (e: Error) => e,
    )) as CloudApiError;
    expect(error).toBeInstanceOf(CloudApiError);
    expect(error).not.toBeInstanceOf(AuthenticationError);
    expect(error.httpStatus).toBe(404);
    expect(error.cloudCode).toBe('not_found');
    expect(error.message).toContain('region ID 00000000-0000-4000-a000-000000000000 (from the region argument) was not found');
    expect(emulator.count('nscale')).toBe(1);
  });

  it('500: retried, then succeeds', async () => {
    emulator.inject({ kind: 'server-error', cloud: 'nscale', times: 2 });
    const { result } = await lookupImages({ cloud: 'nscale', region: REGION, visibility: 'private' }, options());
    expect(result.ids.length).toBeGreaterThan(0);
    expect(emulator.requests.map((r) => r.status)).toEqual([500, 500, 200]);
  });

  it('500: gives up after the retry budget with the trace ID', async () => {
    emulator.inject({ kind: 'server-error', cloud: 'nscale', times: Infinity });
    const error = (await lookupImages({ cloud: 'nscale', region: REGION, visibility: 'private' }, options()).catch((e: Error) => e)) as CloudApiError;
    expect(error).toBeInstanceOf(CloudApiError);
    expect(error).toMatchObject({ httpStatus: 500, cloudCode: 'server_error' });
    expect(error.message).toMatch(/may succeed on a retry.*failed to token claim.*request ID [0-9a-f]{32}/);
    expect(emulator.count('nscale')).toBe(5);
  });

  it('429: retried, and reported as throttling when it does not stop', async () => {
    emulator.inject({ kind: 'throttle', cloud: 'nscale', times: 1 });
    await expect(lookupImages({ cloud: 'nscale', region: REGION, visibility: 'private' }, options())).resolves.toBeDefined();
    expect(emulator.count('nscale')).toBe(2);
    emulator.inject({ kind: 'throttle', cloud: 'nscale', times: Infinity });
    await expect(lookupImages({ cloud: 'nscale', region: REGION, visibility: 'private' }, options())).rejects.toBeInstanceOf(ThrottlingError);
  });

  it('an answer cut short, reset or not JSON is retried; a JSON answer of the wrong shape is not', async () => {
    emulator.inject({ kind: 'truncate', cloud: 'nscale', times: 1 });
    emulator.inject({ kind: 'reset', cloud: 'nscale', times: 1 });
    emulator.inject({ kind: 'invalid-json', cloud: 'nscale', times: 1 });
    const { result } = await lookupImages({ cloud: 'nscale', region: REGION, visibility: 'private' }, options());
    expect(result.ids).toEqual(ids(newestFirst(owned(catalog, REGION, ORGANIZATION_ID).filter((i) => i.status.state === 'ready'))));
    expect(emulator.count('nscale')).toBe(4);
    emulator.resetCounts();
    emulator.inject({ kind: 'wrong-shape', cloud: 'nscale', times: 1 });
    await expect(lookupImages({ cloud: 'nscale', region: REGION, visibility: 'private' }, options())).rejects.toThrow(
      /nscale ListImages scope=owned: the answer is not a JSON list of images \(HTTP 200\)/,
    );
    expect(emulator.count('nscale')).toBe(1);
  });

  it('a failure in one scope fails the whole lookup: never a partial list', async () => {
    emulator.inject({ kind: 'server-error', cloud: 'nscale', times: Infinity, when: (r) => r.query.get('scope') === 'available' });
    await expect(lookupImages({ cloud: 'nscale', region: REGION }, options())).rejects.toThrow(/ListImages scope=available/);
  });
});
