/**
 * The wire format of the nscale Region Service (`GET /api/v2/regions/{regionID}/images`, OpenAPI 1.13.0),
 * shared by the client and the emulator so the two cannot drift apart.
 */

/** Unconfirmed: the host the official tooling uses for europe-west4; override it when yours differs. */
export const DEFAULT_ENDPOINT = 'https://region.nks.europe-west4.nscale.com';
export const OPERATION = 'ListImages';

/** `imageState`: the image's lifecycle state. */
export const NSCALE_STATES = ['pending', 'creating', 'ready', 'failed'] as const;
export type NscaleState = (typeof NSCALE_STATES)[number];

/** `imageScopeQueryParameter`: owned by the organization, or available to it (global or owned). */
export const NSCALE_SCOPES = ['owned', 'available'] as const;
export type NscaleScope = (typeof NSCALE_SCOPES)[number];

export interface NscaleTag {
  name: string;
  value: string;
}

export interface NscaleImage {
  metadata: {
    id: string;
    name: string;
    description?: string;
    tags?: NscaleTag[];
    creationTime: string;
    createdBy?: string;
    modifiedTime?: string;
    modifiedBy?: string;
  };
  spec: {
    architecture: 'x86_64' | 'aarch64';
    sizeGiB: number;
    virtualization: 'virtualized' | 'baremetal' | 'any';
    os: { kernel: 'linux'; family: string; distro: string; variant?: string; codename?: string; version: string };
    softwareVersions?: Record<string, string>;
    gpu?: { vendor: 'NVIDIA' | 'AMD'; driver: string; models?: string[] };
  };
  status: { state: NscaleState };
}

/** The error body: compatible with OAuth 2.0 errors. */
export interface NscaleErrorBody {
  error: string;
  error_description: string;
  trace_id?: string;
}
