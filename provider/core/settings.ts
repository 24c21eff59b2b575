/**
 * The one settings resolver: run once per lookup, for every cloud the same way, from the cloud's declared fields.
 * - region: the query's `region`, then the module's region field (config, then its environment variables);
 * - endpoint: the query's `endpoint`, then config, then the endpoint field's environment variable if it has one,
 *   then the module's default; checked (https, or http to loopback) with `{region}` filled in;
 * - every other field: config, then its environment variables; credentials are registered for redaction;
 * - one account fingerprint over the fields that identify the account.
 * A missing setting is a ConfigurationError whose `setting` is always `cloudimages:<cloud>.<field>`.
 */
import { CloudImagesConfig, Env, readSetting, Setting, settingHint, settingName } from './config';
import { ConfigurationError, ValidationError } from './errors';
import { fingerprint } from './keys';
import { checkBaseUrl, REGION_PATTERN } from './http/transport';
import { quoteServerText } from './text';
import type { CloudModule, ConfigField } from './module';
import type { Query } from './query';

/**
 * The fields a cloud's settings hold (every field but the region field and `endpoint`), typed by name: a required
 * field is always there (the resolver refuses before any request otherwise), any other may be absent, and a name
 * the cloud does not declare is a compile error. Untyped (`string`, none required): what the registry sees.
 */
export type FieldSettings<Name extends string = string, Required extends string = never> = { readonly [K in Required]: Setting } & {
  readonly [K in Exclude<Name, Required>]?: Setting;
};

export interface ResolvedSettings<Fields = FieldSettings> {
  readonly cloud: string;
  readonly region: Setting;
  /** Checked, `{region}` filled in, no trailing slash. */
  readonly endpoint: Setting;
  /** Every other field that is set, with where it came from. */
  readonly fields: Fields;
  /** A short hash that tells accounts apart in sharing keys without revealing any credential. */
  readonly account: string;
}

const ENDPOINT_FIELD = 'endpoint';

function defaulted(field: ConfigField | undefined): Setting | undefined {
  return field?.default === undefined ? undefined : { value: field.default, source: `the default ${field.label}` };
}

export function resolveSettings(module: CloudModule, query: Pick<Query, 'region' | 'endpoint'>, config: CloudImagesConfig, env: Env): ResolvedSettings {
  const cloud = module.name;
  const field = (name: string): ConfigField | undefined => module.fields.find((f) => f.name === name);
  const regionField = field(module.regionField);
  const region =
    query.region !== undefined
      ? { value: query.region, source: 'the region argument' }
      : (readSetting(cloud, config, env, module.regionField, regionField?.env ?? []) ?? defaulted(regionField));
  if (!region) {
    throw new ConfigurationError(
      `${cloud}: no ${regionField?.label ?? 'region'}; pass region, or set ${settingHint(cloud, module.regionField, regionField?.env ?? [])}`,
      settingName(cloud, module.regionField),
    );
  }
  // A region from config or the environment goes where the argument goes (a host name, a URL path): checked as
  // strictly as the argument, so `..` cannot turn `/regions/{id}/images` into `/images`.
  if (!REGION_PATTERN.test(region.value)) {
    throw new ValidationError(
      'region',
      `${quoteServerText(region.value, 40)} from ${region.source} is not a ${regionField?.label ?? 'region'} name (letters, digits, '-', '_' and '.', starting with a letter or digit)`,
    );
  }

  const endpointVariables = field(ENDPOINT_FIELD)?.env ?? [];
  const endpoint =
    query.endpoint !== undefined
      ? { value: query.endpoint, source: 'endpoint' }
      : (readSetting(cloud, config, env, ENDPOINT_FIELD, endpointVariables) ?? { value: module.defaultEndpoint, source: 'the default endpoint' });
  const checked = { value: checkBaseUrl(endpoint.value, endpoint.source, region.value), source: endpoint.source };

  const configuredCredential =
    module.credentialsFromOneSource === true &&
    module.fields.some((f) => f.secret && typeof config[cloud]?.[f.name] === 'string' && config[cloud]?.[f.name] !== '');
  const fields: Record<string, Setting> = {};
  for (const f of module.fields) {
    if (f.name === module.regionField || f.name === ENDPOINT_FIELD) continue;
    const fromEnvToo = !(configuredCredential && f.secret);
    const found = readSetting(cloud, config, fromEnvToo ? env : {}, f.name, fromEnvToo ? (f.env ?? []) : [], f.secret === true) ?? defaulted(f);
    if (found && f.secret) refuseUnsendable(found, settingName(cloud, f.name), f);
    if (found) fields[f.name] = found;
    else if (f.required) {
      throw new ConfigurationError(`${cloud}: no ${f.label}; set ${settingHint(cloud, f.name, f.env ?? [])}`, settingName(cloud, f.name));
    }
  }
  const identity = module.fields.filter((f) => f.identifiesAccount && fields[f.name]).map((f) => `${f.name}=${fields[f.name].value}`);
  const settings: ResolvedSettings = { cloud, region, endpoint: checked, fields, account: fingerprint(identity.join('\n')) };
  module.checkSettings?.(settings);
  return settings;
}

/** What an HTTP header value may hold (Node refuses anything else, CR and LF first, as a header injection). */
const HEADER_SAFE = /^[\t\x20-\x7e\x80-\xff]*$/;

/**
 * A credential goes into headers or a signed query: one with a line break or a character a header cannot carry
 * (a stray newline from `$(cat file)`, a pasted control character) is a configuration error before any request,
 * naming where to fix it and never showing the value.
 */
function refuseUnsendable(found: Setting, setting: string, field: ConfigField): void {
  if (HEADER_SAFE.test(found.value)) return;
  const names = [setting, ...(field.env ?? [])].join(' or ');
  const what = /[\r\n]/.test(found.value) ? 'a line break (CR or LF)' : 'a character HTTP headers cannot carry (a control character, or one beyond Latin-1)';
  throw new ConfigurationError(`${names} contains ${what}; remove it (the value read from ${found.source} is not shown)`, setting);
}
