/**
 * getImage / getImages and their Output forms, with the conventions of Pulumi's generated SDKs: the plain forms
 * take plain arguments and return Promises; the Output forms take Inputs, return Outputs, and give an unknown
 * result during preview when an argument (or an explicit dependency) is not known yet.
 *
 * They run the core in the program's own process: no provider plugin is involved for TypeScript programs.
 */
import * as pulumi from '@pulumi/pulumi';
import { lookupImage, lookupImages } from '../provider/lookup';
import { CloudImagesError, ErrorCode, ValidationError } from '../provider/core/errors';
import { TOKENS as ALL_TOKENS } from '../provider/surface';
import { CloudImagesConfigInput, stackConfig, stackConfigOutput, toCoreConfig } from './config';
import { SDK_REGISTRY } from './clouds';
import type { CloudRegistry } from '../provider/core/module';
import type { CloudImagesConfig, GetImageArgs, GetImageOutputArgs, GetImageResult, GetImagesArgs, GetImagesOutputArgs, GetImagesResult } from './types';

/**
 * Invoke options that only select a provider plugin. The lookups run in this process, not through a provider, so
 * they would be silently ignored: they are left out of the option types and refused at run time (JavaScript
 * callers, casts). A second account goes in `config`.
 */
export const PROVIDER_OPTIONS = ['provider', 'version', 'pluginDownloadURL'] as const;

/** Options of the plain forms: Pulumi's InvokeOptions without the provider-selecting ones, plus an explicit configuration. */
export interface GetImageOptions extends Omit<pulumi.InvokeOptions, (typeof PROVIDER_OPTIONS)[number]> {
  /**
   * Credentials and endpoints to use instead of the stack's `cloudimages` configuration (a second account or
   * endpoint). Fields left unset still fall back to the environment variables.
   */
  config?: CloudImagesConfig;
  /**
   * How long a catalog an earlier lookup in this process fetched is reused, in seconds (default:
   * CLOUDIMAGES_CATALOG_TTL_SECONDS, else 3600). For long-lived processes (Automation API servers, watch loops).
   */
  catalogTtlSeconds?: number;
}

/** Options of the Output forms: Pulumi's InvokeOutputOptions (`dependsOn` is honoured) without the provider-selecting ones, plus an explicit configuration. */
export interface GetImageOutputOptions extends Omit<pulumi.InvokeOutputOptions, (typeof PROVIDER_OPTIONS)[number]> {
  /** As `GetImageOptions.config`; its fields may be Inputs, e.g. `cfg.requireSecret("accessKeySecret")`. */
  config?: pulumi.Input<CloudImagesConfigInput>;
  /** As `GetImageOptions.catalogTtlSeconds`. */
  catalogTtlSeconds?: number;
}

/** The refusal of a provider-selecting option, naming it and pointing at `config`. */
function refusedOption(opts: object | undefined): ValidationError | undefined {
  const name = PROVIDER_OPTIONS.find((option) => (opts as Record<string, unknown> | undefined)?.[option] !== undefined);
  if (!name) return undefined;
  return new ValidationError(
    `opts.${name}`,
    `not supported: cloudimages looks images up in this program's process, not through a provider plugin, so "${name}" would be ignored; for a second account or endpoint pass its settings as opts.config, e.g. { config: { nscale: { serviceToken: cfg.requireSecret("token") } } }`,
  );
}

/** The error a failed lookup rejects with: a Pulumi RunError (shown without a stack trace) carrying the typed cause. */
export class CloudImagesInvokeError extends pulumi.RunError {
  /** The stable code of the cause (`INVALID_ARGUMENT`, `NO_IMAGE`, `AMBIGUOUS_IMAGE`, `AUTHENTICATION`, …). */
  readonly code: ErrorCode | 'UNEXPECTED';
  /** For invalid arguments: the argument at fault. */
  readonly argument?: string;
  constructor(
    readonly token: string,
    override readonly cause: unknown,
  ) {
    super(`${token}: ${cause instanceof Error ? cause.message : String(cause)}`);
    this.name = 'CloudImagesInvokeError';
    this.code = cause instanceof CloudImagesError ? cause.code : 'UNEXPECTED';
    if (cause instanceof ValidationError) this.argument = cause.argument;
  }
}

const TOKENS = { getImage: ALL_TOKENS.getImage, getImages: ALL_TOKENS.getImages } as const;

async function run<K extends keyof typeof TOKENS>(
  clouds: CloudRegistry,
  fn: K,
  args: unknown,
  rawConfig: unknown,
  configSource: string,
  catalogTtlSeconds?: number,
): Promise<K extends 'getImage' ? GetImageResult : GetImagesResult> {
  const token = TOKENS[fn];
  try {
    const plainArgs = withoutUndefined(args);
    const config = toCoreConfig(rawConfig, configSource, clouds);
    const options = { registry: clouds, config, catalogTtlSeconds };
    const outcome = fn === 'getImage' ? await lookupImage(plainArgs, options) : await lookupImages(plainArgs, options);
    for (const warning of outcome.warnings) void pulumi.log.warn(`${fn}: ${warning}`);
    // A copy: results are shared between identical lookups in a process, and callers may mutate theirs. Made with
    // this realm's JSON, not structuredClone: under jest that is the host realm's, and Pulumi serializes an array of
    // another realm as an object with keys "0", "1", … (results are plain JSON data).
    return JSON.parse(JSON.stringify(outcome.result)) as never;
  } catch (err) {
    throw new CloudImagesInvokeError(token, err);
  }
}

function withoutUndefined(args: unknown): Record<string, unknown> {
  if (args === null || typeof args !== 'object' || Array.isArray(args)) return args as Record<string, unknown>;
  return Object.fromEntries(Object.entries(args).filter(([, v]) => v !== undefined));
}

function configSource(explicit: boolean): string {
  return explicit ? 'opts.config' : 'the cloudimages stack configuration';
}

/**
 * Waits for explicit dependencies: during preview a dependency that is not created yet (unknown ID) makes the result
 * unknown. A component stands for its children (transitively), as in Pulumi's own output invokes: the lookup waits
 * for every custom resource inside it, not just for the component's registration.
 */
function dependencies(dependsOn: pulumi.InvokeOutputOptions['dependsOn']): pulumi.Output<unknown> {
  if (dependsOn === undefined) return pulumi.output(true);
  return pulumi.output(dependsOn as pulumi.Input<pulumi.Input<pulumi.Resource>[]>).apply(async (resources) => {
    const list = (Array.isArray(resources) ? resources : [resources]) as pulumi.Resource[];
    const customs = await customResourcesWithin(list);
    return pulumi.all(customs.map((r) => r.id));
  });
}

async function customResourcesWithin(resources: pulumi.Resource[], seen = new Set<pulumi.Resource>()): Promise<pulumi.CustomResource[]> {
  const out: pulumi.CustomResource[] = [];
  for (const resource of resources) {
    if (seen.has(resource)) continue;
    seen.add(resource);
    if (pulumi.CustomResource.isInstance(resource)) out.push(resource);
    else if (pulumi.ComponentResource.isInstance(resource)) {
      // Internal to @pulumi/pulumi, but stable since 2.x: `__data` settles when the component's constructor has
      // run (so every child is registered) and `__childResources` holds its children.
      const internal = resource as unknown as { __data?: Promise<unknown>; __childResources?: Set<pulumi.Resource> };
      await internal.__data;
      out.push(...(await customResourcesWithin([...(internal.__childResources ?? [])], seen)));
    }
  }
  return out;
}

function outputForm<K extends keyof typeof TOKENS>(clouds: CloudRegistry, fn: K, args: unknown, opts: GetImageOutputOptions | undefined) {
  const refused = refusedOption(opts);
  if (refused) return pulumi.output(Promise.reject(new CloudImagesInvokeError(TOKENS[fn], refused)));
  const explicit = opts?.config !== undefined;
  const config = explicit ? pulumi.unsecret(pulumi.output(opts.config as pulumi.Input<object>)) : stackConfigOutput(clouds);
  return pulumi
    .all([pulumi.output(args as pulumi.Input<object>), config, dependencies(opts?.dependsOn)])
    .apply(([plainArgs, plainConfig]) => run(clouds, fn, plainArgs, plainConfig, configSource(explicit), opts?.catalogTtlSeconds));
}

/**
 * getImage, getImages and their Output forms over the clouds of `clouds`, as octokit composes plugins into an
 * instance: the exported functions below are these over the SDK's registry (sdk/clouds.ts); a test (or an extension)
 * takes them over a registry of its own.
 */
export function imageFunctions(clouds: CloudRegistry) {
  const plain = async <K extends keyof typeof TOKENS>(fn: K, args: unknown, opts: GetImageOptions | undefined) => {
    const refused = refusedOption(opts);
    if (refused) throw new CloudImagesInvokeError(TOKENS[fn], refused);
    const explicit = opts?.config !== undefined;
    return run(clouds, fn, args, explicit ? opts.config : await stackConfig(clouds), configSource(explicit), opts?.catalogTtlSeconds);
  };
  return {
    getImage: (args: GetImageArgs, opts?: GetImageOptions): Promise<GetImageResult> => plain('getImage', args, opts),
    getImages: (args: GetImagesArgs, opts?: GetImageOptions): Promise<GetImagesResult> => plain('getImages', args, opts),
    getImageOutput: (args: GetImageOutputArgs, opts?: GetImageOutputOptions): pulumi.Output<GetImageResult> => outputForm(clouds, 'getImage', args, opts),
    getImagesOutput: (args: GetImagesOutputArgs, opts?: GetImageOutputOptions): pulumi.Output<GetImagesResult> => outputForm(clouds, 'getImages', args, opts),
  };
}

const SDK_FUNCTIONS = imageFunctions(SDK_REGISTRY);

/**
 * Chooses exactly one image. No match rejects with an error that repeats the query; several matches reject with the
 * count and the first IDs, unless `mostRecent` is set.
 *
 * ```ts
 * const ubuntu = await cloudimages.getImage({ cloud: "alicloud", region: "cn-hangzhou", osDistro: "ubuntu", osVersion: "22.04", mostRecent: true });
 * ```
 */
export function getImage(args: GetImageArgs, opts?: GetImageOptions): Promise<GetImageResult> {
  return SDK_FUNCTIONS.getImage(args, opts);
}

/** Lists every matching image, newest first: `{ ids, images }`. */
export function getImages(args: GetImagesArgs, opts?: GetImageOptions): Promise<GetImagesResult> {
  return SDK_FUNCTIONS.getImages(args, opts);
}

/** The Output form of `getImage`: arguments may be Inputs; unknown during preview while any of them is unknown. */
export function getImageOutput(args: GetImageOutputArgs, opts?: GetImageOutputOptions): pulumi.Output<GetImageResult> {
  return SDK_FUNCTIONS.getImageOutput(args, opts);
}

/** The Output form of `getImages`: arguments may be Inputs; unknown during preview while any of them is unknown. */
export function getImagesOutput(args: GetImagesOutputArgs, opts?: GetImageOutputOptions): pulumi.Output<GetImagesResult> {
  return SDK_FUNCTIONS.getImagesOutput(args, opts);
}
