/**
 * The contract every cloud folder fulfils: one `CloudModule` per cloud, made by the template `defineCloud` (which
 * types the cloud's settings by its own fields), listed in `clouds/registry.ts` and
 * assembled into a `CloudRegistry` by the composition root (`clouds/index.ts`). Everything
 * that lists clouds (the `cloud` argument's accepted values, the configuration objects and their schema types,
 * redaction, the emulator's routes, the SDK's config types) is derived from these modules, so the core and the
 * surfaces name no cloud. The core holds no registry: each surface passes the one it assembled to the functions
 * that need clouds (validateQuery, checkConfig, the lookup's options, buildSchema).
 */
import type { Image, Visibility } from './image';
import type { Query } from './query';
import type { HttpClient } from './http/client';
import type { FieldSettings, ResolvedSettings } from './settings';
import type { PagingHints } from './hints';
import type { SelectorCapabilities } from './selectors';
import { registerCredentialParameters } from './redact';

/** One field of a cloud's configuration object (`cloudimages:<cloud>.<field>`). */
export interface ConfigField {
  readonly name: string;
  /** For the schema and the SDK's types. */
  readonly description: string;
  /** What it is, for messages: `no ${label}; set …` (e.g. `AccessKey ID`). */
  readonly label: string;
  /** A credential: a secret in Pulumi config and the schema, and masked wherever it appears once read. */
  readonly secret?: boolean;
  /** Environment variables read when the field is unset, first match wins. */
  readonly env?: readonly string[];
  /** The value when neither the configuration nor the environment sets one. */
  readonly default?: string;
  /** A lookup cannot run without it: the resolver refuses before any request. */
  readonly required?: boolean;
  /** Tells accounts apart in sharing keys (hashed, never shown): the access key ID, not its secret. */
  readonly identifiesAccount?: boolean;
}

/** A fetch the backend planned from a query and resolved settings: pure until `run`. */
export interface PlannedFetch {
  /** Everything that changes the answer (endpoint, region, account fingerprint, request parameters) and nothing
   * secret: identical keys share one fetch in a process. */
  key: string;
  /** Fetches the complete answer or throws; never a partial list. */
  run(http: HttpClient, context?: FetchContext): Promise<Image[]>;
}

/** What a run may use besides the HTTP client. */
export interface FetchContext {
  /** Page counts from earlier runs (core/hints.ts), for clouds whose paging can use them; absent when disabled. */
  hints?: PagingHints;
}

/** The working half of a module: turns a validated query and resolved settings into a planned fetch. */
export interface CloudBackend {
  /**
   * Checks what this cloud cannot answer, pushes every selector its API applies itself down to the request, and
   * plans the fetch. Pure: no I/O. Throws ValidationError naming the argument.
   */
  plan(query: Query, settings: ResolvedSettings): PlannedFetch;
}

export interface CloudModule<Name extends string = string> {
  /** The value of the `cloud` argument and the configuration key (`cloudimages:<name>`). */
  readonly name: Name;
  /** How people call the cloud: `Alibaba Cloud`. */
  readonly title: string;
  /** The schema type of the configuration object; clouds served by one API share one (same fields). */
  readonly configType: { readonly name: string; readonly title: string };
  readonly fields: readonly ConfigField[];
  /** The field that holds the default region (`region`; nscale: `regionId`). Always required. */
  readonly regionField: string;
  /** The base URL when neither the query nor the configuration sets one; may contain `{region}`. */
  readonly defaultEndpoint: string;
  /** Request parameters and headers that carry credentials or signatures: masked by name in messages. */
  readonly credentialParameters: readonly string[];
  /** Visibility used when a query names none. Never includes images of other accounts. null: no such notion. */
  readonly defaultVisibility: readonly Visibility[] | null;
  /** Visibilities published by the cloud vendor or the caller's own account: `mostRecent` is safe over these. */
  readonly trustedVisibilities: readonly Visibility[];
  /** False for clouds without creation times (UCloud): mostRecent falls back to version order of names. */
  readonly reportsCreationTime: boolean;
  /** Credentials come from one place: any credential in the configuration means the configuration alone, so a
   * configured token is not paired with an old key from the shell. */
  readonly credentialsFromOneSource?: boolean;
  /** Checks that go beyond "required" (alternatives such as AK/SK or a token); throws ConfigurationError. */
  checkSettings?(settings: ResolvedSettings): void;
  /** What the cloud does with each selector (core/selectors.ts): pushed down, checked locally or refused. Absent, or a
   * selector it does not mention: checked locally. Others read which it is; only the cloud's plan calls `push`. */
  readonly selectors?: SelectorCapabilities<never>;
  /** Settings → push-down → plan (the folder's index.ts). */
  readonly backend: CloudBackend;
}

/** The names of a cloud's declared fields. */
type FieldNames<Fields extends readonly ConfigField[]> = Fields[number]['name'];

/** The settings a cloud's backend sees: its own fields by name, the region field and `endpoint` excepted (they are
 * `region` and `endpoint`), the required ones always present. */
export type CloudSettings<Fields extends readonly ConfigField[], RegionField extends string = 'region'> = ResolvedSettings<
  FieldSettings<
    Exclude<FieldNames<Fields>, RegionField | 'endpoint'>,
    Exclude<Extract<Fields[number], { readonly required: true }>['name'], RegionField | 'endpoint'>
  >
>;

/**
 * A cloud as its folder writes it: the module's description, with `plan` and `checkSettings` typed over the cloud's
 * own fields, so `settings.fields.accessKey` is a setting and a misspelt field name is a compile error.
 */
export type CloudDefinition<Name extends string, Fields extends readonly ConfigField[], RegionField extends FieldNames<Fields>> = Omit<
  CloudModule<Name>,
  'fields' | 'regionField' | 'checkSettings' | 'backend'
> & {
  readonly fields: Fields;
  readonly regionField: RegionField;
  readonly checkSettings?: (settings: CloudSettings<Fields, RegionField>) => void;
  /** Checks what this cloud cannot answer, pushes down what its API applies itself, and plans the fetch (pure). */
  readonly plan: (query: Query, settings: CloudSettings<Fields, RegionField>) => PlannedFetch;
};

/** A cloud's fields, declared apart from its module (so its plan can name their type): the names stay literal. */
export function configFields<const Fields extends readonly ConfigField[]>(fields: Fields): Fields {
  return fields;
}

/**
 * The template every cloud goes through: a module from a typed definition. The settings the core resolves from
 * these fields (core/settings.ts: every required field present, or a ConfigurationError before any request) are
 * checked once more here, so a module that bypasses the resolver fails loudly instead of reading undefined.
 */
export function defineCloud<const Name extends string, const Fields extends readonly ConfigField[], const RegionField extends FieldNames<Fields>>(
  definition: CloudDefinition<Name, Fields, RegionField>,
): CloudModule<Name> {
  const { plan, checkSettings, ...description } = definition;
  const typed = (settings: ResolvedSettings): CloudSettings<Fields, RegionField> => {
    if (!holdsRequiredFields(settings, definition.fields, definition.regionField)) {
      throw new Error(`${definition.name}: settings were not resolved from its fields (a required field is missing)`);
    }
    return settings;
  };
  return {
    ...description,
    ...(checkSettings ? { checkSettings: (settings: ResolvedSettings) => checkSettings(typed(settings)) } : {}),
    backend: { plan: (query, settings) => plan(query, typed(settings)) },
  };
}

function holdsRequiredFields<Fields extends readonly ConfigField[], RegionField extends string>(
  settings: ResolvedSettings,
  fields: Fields,
  regionField: RegionField,
): settings is CloudSettings<Fields, RegionField> {
  return fields.every((f) => !f.required || f.name === regionField || f.name === 'endpoint' || settings.fields[f.name] !== undefined);
}

/**
 * The clouds a surface works with, with the look-ups it needs. Built from a list of modules by `createRegistry`; the
 * core knows no cloud and keeps no registry, so the list comes from a composition root outside it
 * (`provider/clouds/index.ts` for the built-in clouds, a test's own list in tests) and is passed in.
 */
export interface CloudRegistry {
  readonly modules: readonly CloudModule[];
  /** The `cloud` argument's accepted values, in registry order. */
  names(): string[];
  /** The module of a cloud, or undefined for a name no module has. */
  find(name: string): CloudModule | undefined;
  /** The module of a cloud the query validation accepted. */
  get(name: string): CloudModule;
  /** ` (nscale: the region ID)`: what the clouds whose region setting has another name call a region; '' if none. */
  regionNote(): string;
}

/** A registry of these modules. A name twice is refused: a module cannot silently replace another. */
export function createRegistry(modules: readonly CloudModule[]): CloudRegistry {
  const byName = new Map<string, CloudModule>();
  for (const module of modules) {
    if (byName.has(module.name)) throw new Error(`a cloud module named ${JSON.stringify(module.name)} is already registered`);
    byName.set(module.name, module);
  }
  // A registry lists clouds a process may call: their credential parameters are masked from now on, as registered
  // secrets are (masking is process-wide and only grows, so no registry can unmask another's).
  registerCredentialParameters(modules.flatMap((m) => m.credentialParameters));
  const names = () => modules.map((m) => m.name);
  const notes = modules
    .filter((m) => m.regionField !== 'region')
    .map((m) => `${m.name}: the ${m.fields.find((f) => f.name === m.regionField)?.label ?? m.regionField}`);
  return {
    modules,
    names,
    find: (name) => byName.get(name),
    get(name) {
      const found = byName.get(name);
      if (!found) throw new Error(`no cloud module is registered as ${JSON.stringify(name)}; registered: ${names().join(', ')}`);
      return found;
    },
    regionNote: () => (notes.length ? ` (${notes.join('; ')})` : ''),
  };
}
