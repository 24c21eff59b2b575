/**
 * The nscale Region Service as the emulator plays it: `GET /api/v2/regions/{regionID}/images` with a bearer
 * service token, `organizationID`, `scope` and a form-exploded `status` array; no paging. Checks in the
 * service's order: token (401), organization (403), region ID (404), then parameters (400).
 */
import type { EmulatorApi, EmulatorReply, EmulatorRequest, EmulatorContext } from '../types';
import { NSCALE_SCOPES, NSCALE_STATES } from '../../clouds/nscale/types';
import type { NscaleCatalog, NscaleCatalogEntry } from './catalog';
import { nscaleCatalog } from './catalog';

const IMAGES_PATH = /^\/api\/v2\/regions\/([^/]+)\/images\/?$/;

function traceId(context?: EmulatorContext): string {
  const state = context?.state;
  const next = ((state?.get('trace') as number | undefined) ?? 0) + 1;
  state?.set('trace', next);
  return next.toString(16).padStart(32, '0');
}

function fail(status: number, error: string, description: string, context?: EmulatorContext): EmulatorReply {
  return { status, body: { error, error_description: description, trace_id: traceId(context) } };
}

/** Which organization each accepted token may read (catalogs loaded from JSON may carry only `credentials`). */
function tokenOrganizations(catalog: NscaleCatalog): Record<string, string> {
  return { ...(catalog.tokens ?? {}), [catalog.credentials.serviceToken]: catalog.credentials.organizationId };
}

export function handleNscale(request: EmulatorRequest, context: EmulatorContext): EmulatorReply {
  const catalog = context.catalog as NscaleCatalog;
  const match = IMAGES_PATH.exec(request.path);
  if (!match) return fail(404, 'not_found', `no route for ${request.path}`, context);
  if (request.method !== 'GET') return fail(405, 'method_not_allowed', `${request.method} is not allowed`, context);

  const authorization = String(request.headers.authorization ?? '');
  const token = /^Bearer (.+)$/.exec(authorization)?.[1];
  const tokenOrganization = token === undefined ? undefined : tokenOrganizations(catalog)[token];
  if (tokenOrganization === undefined) return fail(401, 'access_denied', 'authentication failed', context);

  const organizations = request.query.getAll('organizationID');
  if (organizations.some((o) => o !== tokenOrganization)) {
    return fail(403, 'forbidden', 'user credentials do not have the required privileges', context);
  }
  const regionId = decodeURIComponent(match[1]);
  if (!(catalog.regions ?? []).includes(regionId)) return fail(404, 'not_found', 'the requested resource does not exist', context);

  const scope = request.query.get('scope') ?? 'available';
  if (!(NSCALE_SCOPES as readonly string[]).includes(scope)) return fail(400, 'invalid_request', `scope must be one of ${NSCALE_SCOPES.join(', ')}`, context);
  if (scope === 'owned' && organizations.length === 0) return fail(400, 'invalid_request', 'scope owned requires organizationID', context);
  const states = request.query.getAll('status');
  const badState = states.find((s) => !(NSCALE_STATES as readonly string[]).includes(s));
  if (badState !== undefined) return fail(400, 'invalid_request', `status ${badState} is not one of ${NSCALE_STATES.join(', ')}`, context);

  const visible = (entry: NscaleCatalogEntry) => (entry.organizationId === null ? scope === 'available' : organizations.includes(entry.organizationId));
  const images = catalog.images
    .filter((entry) => entry.regionId === regionId && visible(entry))
    // Published answers carry records without `status` (test/fixtures/real/nscale): no state filter returns them.
    .filter((entry) => states.length === 0 || (entry.image.status?.state !== undefined && states.includes(entry.image.status.state)))
    .map((entry) => entry.image);
  return { status: 200, body: images };
}

export const nscaleApi: EmulatorApi = {
  clouds: ['nscale'],
  handle: handleNscale,
  throttled: () => fail(429, 'too_many_requests', 'rate limit exceeded'),
  serverError: () => fail(500, 'server_error', 'failed to token claim'),
  clientConfig: (cloud, baseUrl, catalog) => {
    const { serviceToken, organizationId } = (catalog as NscaleCatalog).credentials;
    return { nscale: { endpoint: baseUrl, serviceToken, organizationId } };
  },
  clientRegion: (_cloud, catalog) => ({ nscale: { regionId: (catalog as NscaleCatalog).regions?.[0] } }),
  clientEnv: (_cloud, catalog) => {
    const c = catalog as NscaleCatalog;
    return {
      NSCALE_SERVICE_TOKEN: c.credentials.serviceToken,
      NSCALE_ORGANIZATION_ID: c.credentials.organizationId,
      NSCALE_REGION_ID: (c.regions ?? [])[0] ?? '',
    };
  },
  builtInCatalog: () => nscaleCatalog(),
};
