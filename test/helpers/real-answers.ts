/** The corpus of real answers (`test/fixtures/real/<cloud>/`, sources in SOURCES.md): read as published. */
import { readdirSync, readFileSync } from 'fs';
import * as path from 'path';
import type { CloudImagesConfig } from '../../provider/core/config';
import { HttpClient } from '../../provider/core/http/client';
import { RequestSharing } from '../../provider/core/share';

export const REAL_ROOT = path.join(__dirname, '..', 'fixtures', 'real');
/** `glance`: answers of OpenStack Glance itself, the image service IMS runs on (its records without IMS's fields). */
export const REAL_CLOUDS = ['alicloud', 'huawei', 'opentelekomcloud', 'glance', 'ucloud', 'nscale'] as const;
export type RealCloud = (typeof REAL_CLOUDS)[number];

/** The body exactly as stored (what an exact replay sends). */
export function realText(cloud: RealCloud, file: string): string {
  return readFileSync(path.join(REAL_ROOT, cloud, file), 'utf8');
}

export function realJson<T>(cloud: RealCloud, file: string): T {
  return JSON.parse(realText(cloud, file)) as T;
}

/** Every body stored for a cloud, sorted. */
export function realFiles(cloud: RealCloud): string[] {
  return readdirSync(path.join(REAL_ROOT, cloud))
    .filter((f) => f.endsWith('.json'))
    .sort();
}

/** Whitespace runs collapsed and trimmed; null when nothing is left (how clouds' free text is compared). */
export function collapsed(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const text = value.replace(/\s+/g, ' ').trim();
  return text === '' ? null : text;
}

/** Lookup options for a replay: the given cloud config, no environment, one attempt per request, nothing shared. */
export function replayOptions(config: CloudImagesConfig) {
  return { config, env: {}, http: new HttpClient({ retry: { baseDelayMs: 1, maxDelayMs: 5, maxAttempts: 1 } }), sharing: new RequestSharing() };
}

/** Every record of a cloud's real answers (`records` finds them in a body), once per `id`. */
export function realRecords(
  cloud: RealCloud,
  records: (body: unknown) => unknown[],
  id: (record: Record<string, unknown>) => unknown,
): Record<string, unknown>[] {
  const seen = new Set<unknown>();
  return realFiles(cloud)
    .flatMap((file) => records(realJson(cloud, file)) as Record<string, unknown>[])
    .filter((r) => r !== null && typeof r === 'object' && !seen.has(id(r)) && (seen.add(id(r)), true));
}
