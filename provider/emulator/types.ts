/** The emulator's framework types: each cloud's API module implements EmulatorApi over its part of the catalog. */
import type { IncomingHttpHeaders } from 'http';
import type { CloudName } from '../clouds/registry';
import type { CloudImagesConfig } from '../core/config';

export interface EmulatorRequest {
  cloud: CloudName;
  method: string;
  /** Path below the cloud's prefix, e.g. `/v2/cloudimages` or `/`. */
  path: string;
  /** The path as the client sent it (signatures cover it). */
  rawPath: string;
  query: URLSearchParams;
  /** The raw query string as sent (without `?`). */
  rawQuery: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface EmulatorReply {
  status: number;
  headers?: Record<string, string>;
  body: string | object;
}

/** One cloud's catalog: the fake credentials it accepts and its images in the cloud's own record format. */
export interface CloudCatalog<Record = unknown> {
  credentials: { [name: string]: string };
  images: Record[];
  /** Anything else the API needs (regions, organizations). */
  [extra: string]: unknown;
}

export type Catalog = Partial<Record<CloudName, CloudCatalog>>;

export interface EmulatorContext {
  catalog: CloudCatalog;
  /** Seconds since the epoch as the emulator sees it (tests may move it). */
  now(): number;
  /** Per-API state that lives as long as the server (nonces seen, …). */
  state: Map<string, unknown>;
}

export interface EmulatorApi {
  readonly clouds: readonly CloudName[];
  handle(request: EmulatorRequest, context: EmulatorContext): EmulatorReply;
  /** The cloud's own throttling answer. */
  throttled(request: EmulatorRequest): EmulatorReply;
  /** The cloud's own internal-error answer. */
  serverError(request: EmulatorRequest): EmulatorReply;
  /** The configuration a client needs to reach this cloud on the emulator (endpoint and credentials). */
  clientConfig(cloud: CloudName, baseUrl: string, catalog: CloudCatalog): CloudImagesConfig;
  /** The catalog's first region, as the configuration field that names it (`{ nscale: { regionId: … } }`). */
  clientRegion(cloud: CloudName, catalog: CloudCatalog): CloudImagesConfig;
  /** Environment variables for the same (what the CLI and demo print). */
  clientEnv(cloud: CloudName, catalog: CloudCatalog): Record<string, string>;
  /** The built-in catalog for this cloud, generated deterministically. */
  builtInCatalog(cloud: CloudName): CloudCatalog;
}
