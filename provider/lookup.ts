/**
 * The lookup pipeline every surface (SDK, plugin, CLI, ImageLock, policy) calls:
 * validate → plan (push-down) → fetch once per identical request → select → choose.
 */
import { CloudImagesConfig, Env } from './core/config';
import { Image } from './core/image';
import { compileQuery, Query, validateQuery } from './core/query';
import { chooseImage, selectImages } from './core/select';
import { ValidationError } from './core/errors';
import { HttpClient } from './core/http/client';
import { RequestSharing, sharedRequests } from './core/share';
import { planRequests } from './core/backend';
import { cloudModule, CloudModule } from './core/module';
import { resolveSettings } from './core/settings';

export interface LookupOptions {
  /** The `cloudimages` configuration (per-cloud credentials and endpoints); unset fields fall back to `env`. */
  config?: CloudImagesConfig;
  /** Defaults to process.env. */
  env?: Env;
  http?: HttpClient;
  sharing?: RequestSharing;
}

export interface ImagesResult {
  ids: string[];
  images: Image[];
}

export interface LookupOutcome<T> {
  result: T;
  query: Query;
  warnings: string[];
  /** getImage: why this image was chosen. */
  reason?: string;
}

let defaultHttp: HttpClient | undefined;

async function fetchCandidates(args: unknown, options: LookupOptions, forOneImage: boolean) {
  const parsed = validateQuery(args);
  const module = cloudModule(parsed.cloud);
  const query: Query = { ...parsed, visibility: parsed.visibility ?? (module.defaultVisibility ? [...module.defaultVisibility] : undefined) };
  if (forOneImage) guardMostRecent(query, module);
  const settings = resolveSettings(module, query, options.config ?? {}, options.env ?? process.env);
  const { narrow, wide } = planRequests(module.backend, query, settings, forOneImage);
  const http = options.http ?? (defaultHttp ??= new HttpClient());
  const catalog = await (options.sharing ?? sharedRequests).getWithin(
    { key: narrow.key, run: () => narrow.run(http) },
    { key: wide.key, run: () => wide.run(http) },
  );
  return { query, images: selectImages(catalog, compileQuery(query)) };
}

/**
 * `mostRecent` over images that strangers can publish picks whoever uploaded last (CVE-2018-15869 was this
 * mistake in AWS's provider), so it needs an explicit opt-in.
 */
function guardMostRecent(query: Query, module: CloudModule): void {
  if (!query.mostRecent || query.allowUnsafeMostRecent) return;
  const untrusted = (query.visibility ?? []).filter((v) => !module.trustedVisibilities.includes(v));
  if (untrusted.length > 0) {
    throw new ValidationError(
      'mostRecent',
      `refusing to choose the most recent image among ${untrusted.join(', ')} images, which other accounts can publish on ${query.cloud}; narrow visibility to ${module.trustedVisibilities.join(' or ') || 'your own images'}, or set allowUnsafeMostRecent: true if you trust every publisher`,
    );
  }
}

export async function lookupImages(args: unknown, options: LookupOptions = {}): Promise<LookupOutcome<ImagesResult>> {
  const { query, images } = await fetchCandidates(args, options, false);
  return { result: { ids: images.map((i) => i.id), images }, query, warnings: [] };
}

export async function lookupImage(args: unknown, options: LookupOptions = {}): Promise<LookupOutcome<Image>> {
  const { query, images } = await fetchCandidates(args, options, true);
  const choice = chooseImage(images, query);
  return { result: choice.image, query, warnings: choice.warnings, reason: choice.reason };
}
