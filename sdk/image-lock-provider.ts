/**
 * What ImageLock's dynamic provider does. The provider that Pulumi serializes into state (`image-lock.ts`) is a
 * thin shim that loads this compiled module inside each method, so the code here can change between versions
 * without changing the serialized text, and nothing here is captured into state.
 *
 * The engine computes preview lines from old vs new **inputs**, and passes back only changes/replaces from
 * `diff`. So `check` does the catalog query and writes the resolution into the inputs it returns:
 * `imageId`, `image`, `imageStatus`, `latestImageId`, `drifted`, `resolvedAt`. `create` and `update` record those
 * inputs as outputs; `diff` compares them; `read` (refresh) re-resolves what the query selects now.
 *
 * Credentials: the dynamic-provider server hands the stack's configuration (secrets unwrapped) to `configure`, once
 * per process; a lock's explicit `config` input replaces it. Fields left unset fall back to the environment. Neither
 * reaches state: `check` drops `config` from the inputs it returns, outputs never carry it, and the query's
 * arguments cannot carry credentials (validation rejects any argument that is not a query argument).
 */
import { randomUUID } from 'crypto';
import { lookupImage, LookupOptions } from '../provider/lookup';
import { RequestSharing } from '../provider/core/share';
import { CloudImagesError, NoImageError, ValidationError } from '../provider/core/errors';
import type { Image } from '../provider/core/image';
import { describeQuery, validateQuery } from '../provider/core/query';
import type { CloudImagesConfig } from '../provider/core/config';
import { SDK_REGISTRY } from './clouds';
import { checkConfig } from '../provider/core/config';
import { canonicalQuery, findImageById } from './pinned-image';
import { UNKNOWN, unwrap } from '../provider/surface';
import { stableJson } from '../provider/core/keys';
import { escapeControls } from '../provider/core/text';

/** Pulumi's wire value for "not known yet" (during preview). */
export { UNKNOWN };

/** `missing`: the catalog no longer has the image at all. */
export type ImageLockStatus = Image['status'] | 'missing';

/** The properties an ImageLock holds, as inputs after `check` and as outputs. */
export interface ImageLockState {
  query: Record<string, unknown>;
  pin: boolean;
  /** The image in use: the query's choice (pin: false) or the pinned image (pin: true). */
  imageId: string;
  /** The image in use as last seen in the catalog. */
  image: Image;
  /** The status of `imageId` in the catalog now (`missing` when it is gone). */
  imageStatus: ImageLockStatus;
  /** What the query selects now; null when nothing matches any more (pin: true only). */
  latestImageId: string | null;
  /** True when `imageId` is not what the query selects now. */
  drifted: boolean;
  /** When the recorded resolution last changed (ISO-8601 UTC); it never changes on its own. */
  resolvedAt: string;
  /** Present (true) when the lock was resolved with its own `config`, whose values are never recorded. */
  explicitConfig?: true;
}

export interface CheckFailure {
  property: string;
  reason: string;
}

type Props = Record<string, unknown>;

/** Hooks for tests: where lookups go, and what "now" is. */
export interface ImageLockRuntime {
  lookup?: Omit<LookupOptions, 'sharing'>;
  now?: () => Date;
  warn?: (message: string) => void;
}

let runtime: ImageLockRuntime = {};

/** The stack's configuration as `configure` received it (or why it could not be used). */
let stackConfig: { config: CloudImagesConfig; failures: CheckFailure[] } = { config: {}, failures: [] };

/** What the dynamic-provider server passes to `configure`: the stack's configuration, keys namespaced. */
export interface StackConfigSource {
  get(key: string): unknown;
}

/**
 * Called by `@pulumi/pulumi`'s dynamic-provider server with the stack's configuration, secrets unwrapped
 * (`cloudimages:nscale` holds the JSON text of the object `pulumi config set --path` built).
 */
export function configure(req: { config: StackConfigSource }): Promise<void> {
  const raw: Record<string, unknown> = {};
  const failures: CheckFailure[] = [];
  for (const cloud of SDK_REGISTRY.names()) {
    let value = unwrap(configValue(req, `cloudimages:${cloud}`)).value;
    if (typeof value === 'string') {
      try {
        value = unwrap(JSON.parse(value)).value;
      } catch {
        failures.push({
          property: `cloudimages:${cloud}`,
          reason: 'expected an object (set it with pulumi config set --path cloudimages:' + cloud + '.<field> …)',
        });
        continue;
      }
    }
    if (value !== undefined && value !== null) raw[cloud] = value;
  }
  const checked = checkConfig(raw, SDK_REGISTRY);
  stackConfig = {
    config: checked.config,
    failures: [...failures, ...checked.failures.map((f) => ({ property: `cloudimages:${f.property}`, reason: f.reason }))],
  };
  return Promise.resolve();
}

/** A key of the stack's configuration; none when the engine skipped Configure (the server then has no config). */
function configValue(req: { config: StackConfigSource }, key: string): unknown {
  try {
    return req.config.get(key);
  } catch {
    return undefined;
  }
}

/**
 * The configuration a lock resolves with: its explicit `config` input when given (replacing the stack's), else the
 * stack's. Failures name the config key (stack) or `config.<cloud>.<field>` (explicit).
 */
function configFor(news: Props): { config: CloudImagesConfig; failures: CheckFailure[] } {
  if (news.config === undefined || news.config === null) return stackConfig;
  const explicit = unwrap(news.config).value;
  if (typeof explicit !== 'object' || Array.isArray(explicit)) {
    return { config: {}, failures: [{ property: 'config', reason: `expected an object with one entry per cloud (${SDK_REGISTRY.names().join(', ')})` }] };
  }
  const checked = checkConfig(explicit as Props, SDK_REGISTRY);
  return { config: checked.config, failures: checked.failures.map((f) => ({ property: `config.${f.property}`, reason: f.reason })) };
}

export function setImageLockRuntime(next: ImageLockRuntime): void {
  runtime = next;
}

function warn(text: string): void {
  // Messages quote image IDs and names from the catalog: never a terminal escape in the engine's output.
  const message = escapeControls(text);
  if (runtime.warn) return runtime.warn(message);
  // Through the engine when this process has one; otherwise on stderr, which the engine shows with the resource.
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    void (require('@pulumi/pulumi') as typeof import('@pulumi/pulumi')).log.warn(message);
  } catch {
    process.stderr.write(`warning: ${message}\n`);
  }
}

function containsUnknown(value: unknown): boolean {
  if (value === UNKNOWN) return true;
  if (Array.isArray(value)) return value.some(containsUnknown);
  if (value && typeof value === 'object') return Object.values(value).some(containsUnknown);
  return false;
}

/** Inputs without Pulumi's reserved keys (`__provider`) and without the explicit configuration. */
function ownProps(props: Props): Props {
  return Object.fromEntries(Object.entries(props).filter(([key]) => !key.startsWith('__') && key !== 'config'));
}

function sameQuery(a: unknown, b: unknown): boolean {
  try {
    return canonicalQuery(a, SDK_REGISTRY) === canonicalQuery(b, SDK_REGISTRY);
  } catch {
    return stableJson(a) === stableJson(b);
  }
}

function label(query: Props): string {
  try {
    return describeQuery(validateQuery(query, SDK_REGISTRY));
  } catch {
    return stableJson(query);
  }
}

function lookupOptions(config: CloudImagesConfig): LookupOptions {
  // A fresh sharing per call: a long-lived process must see an image published since the last resolution.
  // The same "now" for minAgeDays and maxAgeDays as for resolvedAt.
  return { registry: SDK_REGISTRY, config, now: runtime.now, ...runtime.lookup, sharing: new RequestSharing() };
}

const RESOLVED_KEYS = ['imageId', 'image', 'imageStatus', 'latestImageId', 'drifted'] as const;

function keepOrStamp(olds: Props, next: Omit<ImageLockState, 'resolvedAt'>): string {
  const unchanged = typeof olds.resolvedAt === 'string' && RESOLVED_KEYS.every((key) => stableJson(olds[key]) === stableJson(next[key]));
  return unchanged ? (olds.resolvedAt as string) : (runtime.now?.() ?? new Date()).toISOString();
}

/** A message that names both IDs, for pin mode when the query has moved on. */
export function driftMessage(state: Pick<ImageLockState, 'imageId' | 'latestImageId' | 'query'>): string {
  const latest = state.latestImageId === null ? 'no image any more' : state.latestImageId;
  return `ImageLock: image ${state.imageId} is pinned, but the query (${label(state.query)}) now selects ${latest}; set pin: false (or move the pin) to use ${latest}`;
}

export function statusMessage(state: Pick<ImageLockState, 'imageId' | 'imageStatus' | 'query'> & { pin?: boolean }, where: string): string {
  const which = state.pin === false ? 'image in use' : 'pinned image';
  const advice = state.pin === false ? "run pulumi up to move the lock to the query's current choice" : 'unpin or change the query';
  return state.imageStatus === 'missing'
    ? `ImageLock: ${which} ${state.imageId} no longer exists in ${where}; the lock keeps it (it is not replaced silently), but new machines cannot boot from it: ${advice}`
    : `ImageLock: ${which} ${state.imageId} is ${state.imageStatus} in ${where}, no longer available; the lock keeps it (it is not replaced silently): ${advice}`;
}

/**
 * Resolves the lock: what the query selects now, and which image the lock holds.
 * pin: false → the query's choice. pin: true → the image held before, while the query is unchanged; a changed
 * query (or a first resolution) pins the query's choice.
 */
async function resolve(olds: Props, news: Props): Promise<{ inputs: Props; failures: CheckFailure[] }> {
  // The explicit configuration is used, never recorded: not in state, not in outputs, and no diff when it rotates.
  // Only the fact that there was one is recorded, so that refresh (which sees state alone) does not re-resolve the
  // lock with the stack's account.
  const { config: _config, explicitConfig: _explicit, ...inputs } = news;
  if (news.config !== undefined && news.config !== null) inputs.explicitConfig = true;
  const query = news.query as Props;
  if (query === undefined || query === null || typeof query !== 'object' || Array.isArray(query)) {
    return {
      inputs,
      failures: [{ property: 'query', reason: 'required: an object of query arguments, e.g. { cloud: "nscale", osDistro: "ubuntu", mostRecent: true }' }],
    };
  }
  if (news.pin !== undefined && typeof news.pin !== 'boolean' && news.pin !== UNKNOWN) {
    return { inputs, failures: [{ property: 'pin', reason: `expected true or false, got ${stableJson(news.pin)}` }] };
  }
  if (containsUnknown(query) || news.pin === UNKNOWN || containsUnknown(news.config)) {
    // Preview with arguments not known yet: so is the resolution.
    for (const key of [...RESOLVED_KEYS, 'resolvedAt']) inputs[key] = UNKNOWN;
    return { inputs, failures: [] };
  }
  try {
    validateQuery(query, SDK_REGISTRY);
  } catch (err) {
    if (err instanceof ValidationError) return { inputs, failures: [{ property: `query.${err.argument}`, reason: err.message }] };
    throw err;
  }
  const settings = configFor(news);
  if (settings.failures.length) return { inputs, failures: settings.failures };
  const pin = news.pin === true;
  const options = lookupOptions(settings.config);
  const previousId = typeof olds.imageId === 'string' && olds.imageId !== UNKNOWN ? olds.imageId : undefined;
  const keepPin = pin && previousId !== undefined && olds.query !== undefined && sameQuery(olds.query, query);

  let latest: Image | undefined;
  try {
    latest = (await lookupImage(query, options)).result;
  } catch (err) {
    // Refusals raised by the lookup itself (the unsafe mostRecent guard, a reserved filter) name their argument.
    if (err instanceof ValidationError) return { inputs, failures: [{ property: `query.${err.argument}`, reason: err.message }] };
    if (keepPin && err instanceof CloudImagesError && !(err instanceof NoImageError)) {
      // The pinned image is known: an outage, throttling or a new ambiguity must not block the whole deployment.
      warn(`ImageLock keeps pinned image ${previousId}: the query could not be re-resolved now (${err.message})`);
      for (const key of RESOLVED_KEYS) inputs[key] = olds[key];
      Object.assign(inputs, { query, pin, resolvedAt: olds.resolvedAt });
      return { inputs, failures: [] };
    }
    // A pinned lock outlives its query matching nothing; a lock that follows the query cannot.
    if (!(keepPin && err instanceof NoImageError)) {
      if (err instanceof CloudImagesError) return { inputs, failures: [{ property: 'query', reason: err.message }] };
      throw err;
    }
  }

  let image: Image;
  let imageStatus: ImageLockStatus;
  if (keepPin) {
    const found = latest?.id === previousId ? { image: latest } : await findImageById(query, previousId, options);
    if (found.image) {
      image = found.image;
      imageStatus = found.image.status;
    } else {
      image = olds.image as Image;
      imageStatus = 'missing';
    }
  } else {
    image = latest!;
    imageStatus = latest!.status;
  }
  const imageId = keepPin ? previousId : latest!.id;
  const next = { query, pin, imageId, image, imageStatus, latestImageId: latest?.id ?? null, drifted: imageId !== (latest?.id ?? null) };
  Object.assign(inputs, next, { resolvedAt: keepOrStamp(olds, next) });
  return { inputs, failures: [] };
}

export async function check(olds: Props, news: Props): Promise<{ inputs: Props; failures: CheckFailure[] }> {
  return resolve(olds ?? {}, news ?? {});
}

/** Changes when anything the lock records differs; never a replacement (the lock is only a record). */
export function diff(_id: string, olds: Props, news: Props): Promise<{ changes: boolean; replaces: string[] }> {
  const keys = ['query', 'pin', 'explicitConfig', ...RESOLVED_KEYS];
  const changed = keys.filter((key) => stableJson(olds[key]) !== stableJson(news[key]));
  return Promise.resolve({ changes: changed.length > 0, replaces: [] });
}

/** The outputs: the inputs `check` resolved (resolved here when an engine skipped check). */
async function outputsOf(olds: Props, news: Props): Promise<Props> {
  let props = ownProps(news);
  if (typeof props.imageId !== 'string' || props.imageId === UNKNOWN) {
    const { inputs, failures } = await resolve(olds, news);
    if (failures.length) throw new CloudImagesError(failures.map((f) => `${f.property}: ${f.reason}`).join('; '));
    props = ownProps(inputs);
  }
  return props;
}

export async function create(inputs: Props): Promise<{ id: string; outs: Props }> {
  return { id: randomUUID(), outs: await outputsOf({}, inputs) };
}

export async function update(_id: string, olds: Props, news: Props): Promise<{ outs: Props }> {
  return { outs: await outputsOf(olds, news) };
}

/**
 * Refresh: what does the query select now, and is the image in use still there and available? The image in use is
 * never changed here (a refresh records reality; moving the lock is `pulumi up`'s job), so a pinned image that is
 * gone or deprecated shows as `imageStatus` and a warning, not as a silent replacement.
 */
export async function read(id: string, props: Props): Promise<{ id: string; props: Props }> {
  const state = ownProps(props);
  const query = state.query as Props;
  const imageId = state.imageId as string;
  if (state.explicitConfig === true) {
    // Resolved with the lock's own `config`, which state does not hold: the stack's account may not even see the
    // image (another account's private image would read as missing). Kept as recorded; `pulumi up` re-checks it.
    warn(
      `ImageLock: image ${imageId} was resolved with the lock's own config, which refresh cannot use (it is never stored); kept as recorded: run pulumi preview or up to re-check it`,
    );
    return { id, props: state };
  }
  // Refresh sees only the recorded state, which holds no configuration: the stack's configuration applies.
  const options = lookupOptions(stackConfig.config);
  let latestImageId: string | null;
  try {
    latestImageId = (await lookupImage(query, options)).result.id;
  } catch (err) {
    if (!(err instanceof NoImageError)) throw err;
    latestImageId = null;
  }
  const found = await findImageById(query, imageId, options);
  const imageStatus: ImageLockStatus = found.image ? found.image.status : 'missing';
  const next = {
    query,
    pin: state.pin === true,
    imageId,
    image: found.image ?? (state.image as Image),
    imageStatus,
    latestImageId,
    drifted: imageId !== latestImageId,
  };
  if (imageStatus !== 'available') warn(statusMessage({ imageId, imageStatus, query, pin: next.pin }, found.where));
  else if (next.drifted && next.pin) warn(driftMessage(next));
  return { id, props: { ...state, ...next, resolvedAt: keepOrStamp(state, next) } };
}
