/**
 * nscale: the Region Service's image list (`GET /api/v2/regions/{regionID}/images`).
 *
 * Visibility. The API has two scopes: `owned` (images the organization owns) and `available` (nscale's global
 * images plus the owned ones); a record does not say which it is. cloudimages maps `private` to the owned
 * images and `public` to the global ones (published by nscale itself). Listing `public` therefore asks both
 * scopes and labels the owned records `private`; `shared` and `marketplace` have no nscale equivalent and
 * fetch nothing. Neither scope ever includes another organization's images, so the default is both and
 * `mostRecent` is trusted over both.
 *
 * Status is pushed down: available → ready, pending → pending and creating, failed → failed. unavailable is
 * what cloudimages calls an image without a state or with one nscale does not document, which no state filter
 * returns: asking for it lists every state and selects locally. deprecated has no nscale equivalent: nothing.
 */
import { CloudSettings, configFields, defineCloud, PlannedFetch } from '../../core/module';
import { ValidationError } from '../../core/errors';
import { stableJson } from '../../core/keys';
import type { Image, ImageStatus, Visibility } from '../../core/image';
import type { Query } from '../../core/query';
import type { SelectorCapabilities } from '../../core/selectors';
import { mapWithConcurrency } from '../../core/http/pool';
import { listImages, NscaleSettings } from './client';
import { normalizeImage } from './normalize';
import { DEFAULT_ENDPOINT, NSCALE_SCOPES, NSCALE_STATES, NscaleScope, NscaleState } from './types';

const DEFAULT_VISIBILITY: Visibility[] = ['private', 'public'];

/** Which nscale states each query status stands for. */
export const STATUS_PUSHDOWN: Readonly<Record<ImageStatus, readonly NscaleState[]>> = {
  available: ['ready'],
  pending: ['pending', 'creating'],
  failed: ['failed'],
  deprecated: [],
  unavailable: [],
};

/** What nscale does with each selector (core/selectors.ts): its image list filters by scope and status only, and its
 * records report everything a selector asks about, so every selector is checked locally. */
export const NSCALE_SELECTORS = {} satisfies SelectorCapabilities;

/** Cloud-native parameters `filters` may set; each replaces what the query would have sent. */
const FILTERS = ['scope', 'status'] as const;

export interface NscalePlan {
  /** Scopes to ask, in order; `owned` is asked whenever `available` is, to tell owned from global images. */
  scopes: NscaleScope[];
  status: NscaleState[];
}

/** The request parameters a query becomes (pure). Empty `scopes` means nothing can match: no request. */
export function pushDown(query: Query): NscalePlan {
  for (const key of Object.keys(query.filters)) {
    if (!(FILTERS as readonly string[]).includes(key)) {
      throw new ValidationError(
        `filters.${key}`,
        `nscale's image list takes no such parameter; accepted filters are ${FILTERS.join(', ')} (organizationID comes from the configuration)`,
      );
    }
  }
  const visibility = query.visibility ?? DEFAULT_VISIBILITY;
  let scopes: NscaleScope[] = visibility.includes('public') ? ['available', 'owned'] : visibility.includes('private') ? ['owned'] : [];
  const scopeFilter = query.filters.scope;
  if (scopeFilter !== undefined) {
    const wanted = filterValues('scope', scopeFilter, NSCALE_SCOPES);
    if (wanted.length !== 1) throw new ValidationError('filters.scope', `one of ${NSCALE_SCOPES.join(', ')}`);
    // `owned` narrows to the organization's own images; `available` is what public already asks.
    if (wanted[0] === 'owned') scopes = scopes.filter((s) => s === 'owned');
  }
  if (query.filters.status !== undefined) return { scopes, status: filterValues('status', query.filters.status, NSCALE_STATES).sort() };
  // Every status the package gives an image must select it: `unavailable` is given to records no filter returns.
  if (query.status.includes('unavailable')) return { scopes, status: [] };
  const status = [...new Set(query.status.flatMap((s) => STATUS_PUSHDOWN[s]))];
  if (status.length === 0) scopes = [];
  return { scopes, status: status.sort() };
}

function filterValues<T extends string>(name: string, value: string | string[], accepted: readonly T[]): T[] {
  const values = [...new Set([value].flat())];
  for (const v of values) {
    if (!(accepted as readonly string[]).includes(v))
      throw new ValidationError(`filters.${name}`, `${JSON.stringify(v)} is not accepted; accepted values are ${accepted.join(', ')}`);
  }
  return values as T[];
}

const FIELDS = configFields([
  {
    name: 'serviceToken',
    label: 'service token',
    secret: true,
    required: true,
    identifiesAccount: true,
    env: ['NSCALE_SERVICE_TOKEN'],
    description: 'Service token (sent as a bearer token).',
  },
  { name: 'organizationId', label: 'organization ID', required: true, env: ['NSCALE_ORGANIZATION_ID'], description: 'Organization ID.' },
  { name: 'regionId', label: 'region ID', env: ['NSCALE_REGION_ID'], description: 'Default region ID.' },
  { name: 'endpoint', label: 'endpoint', env: ['NSCALE_REGION_SERVICE_API_ENDPOINT'], description: 'Region Service base URL override.' },
]);
type NscaleResolved = CloudSettings<typeof FIELDS, 'regionId'>;

/** Region IDs are UUIDs: one from the argument, config or NSCALE_REGION_ID that is not one never reaches the URL path. */
const REGION_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function checkRegionId(settings: NscaleResolved): void {
  const { value, source } = settings.region;
  if (REGION_ID.test(value)) return;
  throw new ValidationError(
    'region',
    `${JSON.stringify(value.slice(0, 40))} (from ${source}) is not an nscale region ID, which is a UUID such as 3f8a1c52-6b1d-4e0f-9a7c-2d5e8b4c1a90`,
  );
}

/** The settings resolved (core/settings.ts) → the planned fetch. */
export function plan(query: Query, resolved: NscaleResolved): PlannedFetch {
  const params = pushDown(query);
  const { serviceToken, organizationId } = resolved.fields;
  const settings: NscaleSettings = {
    endpoint: resolved.endpoint.value,
    regionId: resolved.region.value,
    organizationId: organizationId.value,
    serviceToken: serviceToken.value,
    sources: { endpoint: resolved.endpoint.source, regionId: resolved.region.source, organizationId: organizationId.source, serviceToken: serviceToken.source },
  };
  return {
    key: stableJson({
      cloud: 'nscale',
      endpoint: settings.endpoint,
      regionId: settings.regionId,
      organizationId: settings.organizationId,
      account: resolved.account,
      scopes: params.scopes,
      status: params.status,
    }),
    async run(http) {
      const answers = await mapWithConcurrency(
        params.scopes,
        params.scopes.length,
        (scope) => listImages(http, settings, { scope, status: params.status }),
        http.scope,
      );
      const byScope = new Map(params.scopes.map((scope, i) => [scope, answers[i]]));
      const images: Image[] = [];
      const owned = new Set<string>();
      for (const record of byScope.get('owned') ?? []) {
        const image = normalizeImage(record, { regionId: settings.regionId, visibility: 'private' });
        owned.add(image.id);
        images.push(image);
      }
      for (const record of byScope.get('available') ?? []) {
        const image = normalizeImage(record, { regionId: settings.regionId, visibility: 'public' });
        if (!owned.has(image.id)) images.push(image);
      }
      return images;
    },
  };
}

export const nscaleModule = defineCloud({
  name: 'nscale',
  title: 'nscale',
  configType: { name: 'NscaleConfig', title: 'nscale' },
  fields: FIELDS,
  regionField: 'regionId',
  defaultEndpoint: DEFAULT_ENDPOINT,
  credentialParameters: [],
  defaultVisibility: DEFAULT_VISIBILITY,
  trustedVisibilities: DEFAULT_VISIBILITY,
  reportsCreationTime: true,
  checkSettings: checkRegionId,
  selectors: NSCALE_SELECTORS,
  plan,
});
