/**
 * Builds `schema.json` from the core's tables (the query arguments, the cloud modules' fields, imageProperties below) and renders
 * the SDK's typed arguments and results (`sdk/types.ts`) from that schema, so the query table, the schema and the
 * TypeScript types cannot drift apart. `npm run gen` rewrites both files (for the built-in clouds, the one place here
 * that names their registry); test/schema checks they are current. Everything else takes the registry it describes.
 *
 *   node dist/provider/plugin/schema-gen.js [--check]
 */
import * as fs from 'fs';
import * as path from 'path';
import { GET_IMAGE_ONLY, queryArguments, ArgumentSpec } from '../core/query';
import { ARCHITECTURES, MACHINE_TYPES, OS_TYPES, STATUSES, VISIBILITIES } from '../core/image';
import type { CloudModule, CloudRegistry } from '../core/module';
import { BUILT_IN_REGISTRY } from '../clouds';
import { PACKAGE_ROOT, PACKAGE_NAME, VERSION } from '../core/version';

import { PACKAGE, TOKENS } from '../surface';

export { PACKAGE, TOKENS };

/** package.json: the license, homepage, repository and the @pulumi/pulumi range come from there. */
const MANIFEST = JSON.parse(fs.readFileSync(path.join(PACKAGE_ROOT, 'package.json'), 'utf8')) as {
  license: string;
  homepage: string;
  repository: { url: string };
  peerDependencies: Record<string, string>;
};

/** `https://github.com/owner/repo`, from package.json's `git+https://….git`. */
function repositoryUrl(): string {
  return MANIFEST.repository.url.replace(/^git\+/, '').replace(/\.git$/, '');
}

/** A property as it appears in the schema (the subset of propertySpec this package uses). */
export interface PropertySpec {
  type?: 'string' | 'boolean' | 'number' | 'integer' | 'array' | 'object';
  items?: PropertySpec;
  additionalProperties?: PropertySpec;
  oneOf?: PropertySpec[];
  $ref?: string;
  description?: string;
  secret?: boolean;
}

/** An enum type (Pulumi schema: a string type with `enum` values); SDKs render it as a closed set of values. */
export interface EnumSpec {
  type: 'string';
  description: string;
  enum: { value: string }[];
}

export interface ObjectSpec {
  type: 'object';
  description?: string;
  properties: Record<string, PropertySpec>;
  required?: string[];
}

const str: PropertySpec = { type: 'string' };
const strList: PropertySpec = { type: 'array', items: str };
const strMap: PropertySpec = { type: 'object', additionalProperties: str };
const list = (values: readonly string[]) => values.map((v) => `\`${v}\``).join(', ');

/** The image's fields (contract.md, "The image"), in the contract's order, for the clouds of `clouds`. `required`: never null. */
export const imageProperties = (clouds: CloudRegistry): { name: string; spec: PropertySpec; required: boolean }[] => [
  { name: 'id', required: true, spec: { ...str, description: 'The image ID, as the cloud names it.' } },
  { name: 'name', required: false, spec: { ...str, description: 'The image name; null for a record the cloud sent without one (listed with a warning).' } },
  { name: 'cloud', required: true, spec: { ...str, description: `The cloud the image belongs to: ${list(clouds.names())}.` } },
  { name: 'region', required: true, spec: { ...str, description: `The region the image was found in${clouds.regionNote()}.` } },
  { name: 'zone', required: false, spec: { ...str, description: 'The availability zone, where the cloud scopes images to one (UCloud); null otherwise.' } },
  { name: 'description', required: false, spec: { ...str, description: "The cloud's description of the image, or null." } },
  { name: 'architecture', required: true, spec: { ...str, description: `CPU architecture: ${list([...ARCHITECTURES, 'unknown'])}.` } },
  { name: 'osType', required: true, spec: { ...str, description: `Operating system type: ${list([...OS_TYPES, 'unknown'])}.` } },
  { name: 'osName', required: false, spec: { ...str, description: 'The operating system name as the cloud reports it, or null.' } },
  {
    name: 'osDistro',
    required: false,
    spec: { ...str, description: "The distribution's os-release ID (e.g. `ubuntu`, `rhel`, `sles`), or null when the cloud does not tell." },
  },
  {
    name: 'osVersion',
    required: false,
    spec: { ...str, description: 'The os-release VERSION_ID (e.g. `22.04`, `12.2`); Windows the release name (`2008 R2`); or null when none is told.' },
  },
  {
    name: 'createdAt',
    required: false,
    spec: {
      ...str,
      description: `Creation time, ISO-8601 UTC (\`2023-02-22T12:04:13Z\`); null where the cloud reports none (${prose(clouds.modules.filter((m) => !m.reportsCreationTime).map((m) => m.title))}).`,
    },
  },
  { name: 'status', required: true, spec: { ...str, description: `Image status: ${list(STATUSES)}.` } },
  {
    name: 'visibility',
    required: false,
    spec: { ...str, description: `Who publishes the image: ${list(VISIBILITIES)}; null where the cloud has no such notion.` },
  },
  { name: 'sizeGiB', required: false, spec: { type: 'number', description: 'The image size in GiB, or null.' } },
  {
    name: 'machineType',
    required: true,
    spec: { ...str, description: `The machines the image runs on: ${list([...MACHINE_TYPES, 'unknown'])} (where the cloud does not say).` },
  },
  {
    name: 'gpu',
    required: true,
    spec: { $ref: `#/types/${TOKENS.gpu}`, description: 'GPU support: whether the image runs on GPU machines, and the vendor, driver and models.' },
  },
  {
    name: 'softwareVersions',
    required: true,
    spec: { ...strMap, description: 'Versions of preinstalled software by name (e.g. `kubernetes`), sorted by name; empty when none are reported.' },
  },
  { name: 'tags', required: true, spec: { ...strMap, description: 'The image tags, sorted by key; empty when there are none.' } },
  { name: 'family', required: false, spec: { ...str, description: 'The image family, or null.' } },
  {
    name: 'regionIds',
    required: false,
    spec: {
      ...strMap,
      description:
        "Only when the lookup listed `regions`: the image's ID in each listed region, in their order (the same name; the first is `id`). Absent otherwise, so single-region outputs stay as they were.",
    },
  },
];

/** Result fields that are absent (not null) unless asked for: optional in the SDK's types. */
const ABSENT_UNLESS_ASKED = new Set(['regionIds']);

export const GPU_PROPERTIES: { name: string; spec: PropertySpec; required: boolean }[] = [
  {
    name: 'supported',
    required: false,
    spec: { type: 'boolean', description: 'True when the image runs on GPU machines, false when it does not; null when the cloud does not say.' },
  },
  { name: 'vendor', required: false, spec: { ...str, description: 'The GPU vendor (e.g. `NVIDIA`), or null.' } },
  { name: 'driver', required: false, spec: { ...str, description: 'The preinstalled GPU driver version, or null.' } },
  { name: 'models', required: true, spec: { ...strList, description: 'GPU models the image supports (e.g. `H100`); empty when not reported.' } },
];

/** Enum type names where the argument's own name would be too vague. */
const ENUM_TYPE_NAMES: Record<string, string> = { status: 'ImageStatus' };

/** The arguments with a closed set of values: each has an enum type (`Cloud`, `Architecture`, …). */
export function enumArguments(clouds: CloudRegistry): ArgumentSpec[] {
  return queryArguments(clouds).filter((arg) => arg.kind === 'enum' || arg.kind === 'enumList');
}

export function enumTypeName(arg: ArgumentSpec): string {
  return ENUM_TYPE_NAMES[arg.name] ?? `${arg.name[0].toUpperCase()}${arg.name.slice(1)}`;
}

function enumToken(arg: ArgumentSpec): string {
  return `${PACKAGE}:index:${enumTypeName(arg)}`;
}

function enumType(arg: ArgumentSpec): EnumSpec {
  const aliases = Object.entries(arg.aliases ?? {});
  const alsoAccepted = aliases.length
    ? ` At run time the aliases ${aliases.map(([alias, value]) => `\`${alias}\` (${value})`).join(', ')} are accepted too.`
    : '';
  return { type: 'string', description: `The values of \`${arg.name}\`.${alsoAccepted}`, enum: arg.accepted!.map((value) => ({ value })) };
}

/** The schema type of one query argument, from its kind; arguments with a closed set of values reference their enum type. */
export function argumentProperty(arg: ArgumentSpec): PropertySpec {
  const description = arg.description;
  switch (arg.kind) {
    case 'boolean':
      return { type: 'boolean', description };
    case 'days':
      return { type: 'number', description };
    case 'string':
    case 'regex':
    case 'range':
      return { type: 'string', description };
    case 'stringList':
      return { ...strList, description };
    case 'enum':
      return { $ref: `#/types/${enumToken(arg)}`, description };
    case 'enumList': {
      const ref = { $ref: `#/types/${enumToken(arg)}` };
      return { oneOf: [ref, { type: 'array', items: ref }], description };
    }
    case 'rangeMap':
    case 'stringMap':
      return { ...strMap, description };
    case 'filterMap':
      return { type: 'object', additionalProperties: { oneOf: [str, strList] }, description };
  }
}

function objectSpec(description: string | undefined, props: { name: string; spec: PropertySpec; required: boolean }[]): ObjectSpec {
  const spec: ObjectSpec = { type: 'object', properties: Object.fromEntries(props.map((p) => [p.name, p.spec])) };
  if (description) spec.description = description;
  const required = props.filter((p) => p.required).map((p) => p.name);
  if (required.length) spec.required = required;
  return spec;
}

export { GET_IMAGE_ONLY };

/** The schema's config types: one per `configType` the modules name, in module order (clouds served by one API share one). */
function configTypes(clouds: CloudRegistry): { token: string; title: string; module: CloudModule }[] {
  const byName = new Map<string, { token: string; title: string; module: CloudModule }>();
  for (const module of clouds.modules) {
    if (!byName.has(module.configType.name))
      byName.set(module.configType.name, { token: `${PACKAGE}:index:${module.configType.name}`, title: module.configType.title, module });
  }
  return [...byName.values()];
}

/** Which config type token each cloud's configuration object uses. */
export function configTypeToken(module: CloudModule): string {
  return `${PACKAGE}:index:${module.configType.name}`;
}

/** `A, B and C`. */
function prose(items: readonly string[]): string {
  return items.length < 2 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

export function buildSchema(clouds: CloudRegistry): Record<string, unknown> {
  const args = queryArguments(clouds).map((a) => ({ name: a.name, spec: argumentProperty(a), required: a.name === 'cloud' }));
  const types: Record<string, unknown> = {
    ...Object.fromEntries(enumArguments(clouds).map((arg) => [enumToken(arg), enumType(arg)])),
    [TOKENS.image]: objectSpec(
      'A machine image, normalized to one shape for every cloud. Fields a cloud does not report are null (or empty), never guessed.',
      imageProperties(clouds),
    ),
    [TOKENS.gpu]: objectSpec('What the image says about GPUs.', GPU_PROPERTIES),
  };
  for (const t of configTypes(clouds)) {
    types[t.token] = objectSpec(
      `Credentials and endpoints for ${t.title}. A field left unset falls back to the cloud's environment variables.`,
      t.module.fields.map((f) => ({ name: f.name, required: false, spec: { ...str, description: f.description, ...(f.secret ? { secret: true } : {}) } })),
    );
  }
  const variables: Record<string, PropertySpec> = {};
  for (const module of clouds.modules) {
    const cloud = module.name;
    variables[cloud] = {
      $ref: `#/types/${configTypeToken(module)}`,
      description: `${module.title}: credentials, default region and endpoint. Credential fields are secrets (\`pulumi config set --secret --path cloudimages:${cloud}.<field> …\`).`,
    };
  }
  const image = { $ref: `#/types/${TOKENS.image}` };
  const catalogs = `${prose(clouds.modules.map((m) => m.title))} catalogs`;
  return {
    name: PACKAGE,
    displayName: 'Cloud Images',
    version: VERSION,
    description: `Data functions that choose VM and Kubernetes node images from ${catalogs}, with stable, sorted outputs.`,
    keywords: ['pulumi', 'cloudimages', 'images', ...clouds.names(), 'category/utility', 'kind/native'],
    license: MANIFEST.license,
    homepage: MANIFEST.homepage,
    repository: repositoryUrl(),
    publisher: 'cloudimages',
    meta: { moduleFormat: '(.*)' },
    config: { variables },
    provider: {
      description: 'The cloudimages provider: one configuration object per cloud. Create an explicit provider for a second account or endpoint.',
      inputProperties: variables,
    },
    types,
    functions: {
      [TOKENS.getImage]: {
        description:
          'Chooses exactly one image. No match is an error that repeats the query; several matches are an error that gives the count and the first IDs, unless `mostRecent` is set (then the newest is chosen).',
        inputs: objectSpec(undefined, args),
        outputs: objectSpec('The chosen image.', imageProperties(clouds)),
      },
      [TOKENS.getImages]: {
        description: 'Lists every matching image, newest first (creation time descending, unknown last, then name, then ID).',
        inputs: objectSpec(
          undefined,
          args.filter((a) => !GET_IMAGE_ONLY.includes(a.name)),
        ),
        outputs: objectSpec('The matching images and their IDs, in the same order.', [
          { name: 'ids', required: true, spec: { ...strList, description: 'The IDs of the matching images, newest first.' } },
          { name: 'images', required: true, spec: { type: 'array', items: image, description: 'The matching images, newest first.' } },
        ]),
      },
    },
    language: {
      nodejs: {
        packageName: PACKAGE_NAME,
        packageDescription: `Pulumi data functions that choose VM and Kubernetes node images from ${catalogs}.`,
        dependencies: { '@pulumi/pulumi': MANIFEST.peerDependencies['@pulumi/pulumi'] },
        respectSchemaVersion: true,
      },
      python: {
        packageName: 'pulumi_cloudimages',
        requires: { pulumi: '>=3.0.0,<4.0.0' },
        respectSchemaVersion: true,
      },
      go: {
        importBasePath: `${repositoryUrl().replace(/^https:\/\//, '')}/sdk/go/cloudimages`,
        generateResourceContainerTypes: true,
        respectSchemaVersion: true,
      },
      csharp: {
        rootNamespace: 'Pulumi',
        namespaces: { [PACKAGE]: 'CloudImages' },
        packageReferences: { Pulumi: '3.*' },
        respectSchemaVersion: true,
      },
      java: {
        basePackage: 'io.github.cloudimages',
        buildFiles: 'gradle',
      },
    },
  };
}

// ---- sdk/types.ts ----

function tsType(spec: PropertySpec, input: boolean): string {
  if (spec.$ref) return spec.$ref.split(':').pop()!;
  if (spec.oneOf) return spec.oneOf.map((s) => tsType(s, input)).join(' | ');
  switch (spec.type) {
    case 'string':
      return 'string';
    case 'boolean':
      return 'boolean';
    case 'number':
    case 'integer':
      return 'number';
    case 'array': {
      const item = tsType(spec.items!, input);
      return item.includes(' ') ? `(${item})[]` : `${item}[]`;
    }
    case 'object':
      return `Record<string, ${spec.additionalProperties ? tsType(spec.additionalProperties, input) : 'string'}>`;
    default:
      throw new Error(`no TypeScript type for ${JSON.stringify(spec)}`);
  }
}

function doc(text: string, indent: string): string {
  return `${indent}/** ${text.replace(/\*\//g, '*\\/')} */\n`;
}

/** `mode`: `plain` (results: required fields are present, optional ones are `T | null`), `args` (optional), `inputs` (pulumi.Input). */
function renderInterface(name: string, spec: ObjectSpec, mode: 'result' | 'args' | 'inputs' | 'config', description: string): string {
  let out = doc(description, '');
  out += `export interface ${name} {\n`;
  const required = new Set(spec.required ?? []);
  for (const [prop, p] of Object.entries(spec.properties)) {
    out += doc(`${p.description ?? ''}${p.secret ? ' (secret)' : ''}`, '  ');
    const t = tsType(p, mode !== 'result');
    if (mode === 'result' && ABSENT_UNLESS_ASKED.has(prop)) out += `  readonly ${prop}?: ${t};\n`;
    else if (mode === 'result') out += `  readonly ${prop}: ${required.has(prop) ? t : `${t} | null`};\n`;
    else if (mode === 'inputs') out += `  ${prop}${required.has(prop) ? '' : '?'}: pulumi.Input<${t}>;\n`;
    else out += `  ${prop}${required.has(prop) ? '' : '?'}: ${t};\n`;
  }
  return `${out}}\n`;
}

function renderEnum(name: string, spec: EnumSpec): string {
  return `${doc(spec.description, '')}export type ${name} = ${spec.enum.map((e) => JSON.stringify(e.value)).join(' | ')};\n`;
}

export function renderSdkTypes(schema: Record<string, unknown>, clouds: CloudRegistry): string {
  const types = schema.types as Record<string, ObjectSpec>;
  const enums = Object.entries(schema.types as Record<string, EnumSpec | ObjectSpec>).filter((entry): entry is [string, EnumSpec] => 'enum' in entry[1]);
  const functions = schema.functions as Record<string, { description: string; inputs: ObjectSpec; outputs: ObjectSpec }>;
  const parts = [
    '// Generated by provider/plugin/schema-gen.ts from schema.json: do not edit by hand (`npm run gen`).\n',
    "import type * as pulumi from '@pulumi/pulumi';\n",
    ...enums.map(([token, spec]) => renderEnum(token.split(':').pop()!, spec)),
    renderInterface('GpuSupport', types[TOKENS.gpu], 'result', types[TOKENS.gpu].description!),
    renderInterface('Image', types[TOKENS.image], 'result', types[TOKENS.image].description!),
    renderInterface('GetImageArgs', functions[TOKENS.getImage].inputs, 'args', 'Arguments of `getImage`.'),
    renderInterface('GetImageOutputArgs', functions[TOKENS.getImage].inputs, 'inputs', 'Arguments of `getImageOutput`: the same as `getImage`, each an Input.'),
    `${doc('The result of `getImage`: the chosen image.', '')}export type GetImageResult = Image;\n`,
    renderInterface('GetImagesArgs', functions[TOKENS.getImages].inputs, 'args', 'Arguments of `getImages`.'),
    renderInterface(
      'GetImagesOutputArgs',
      functions[TOKENS.getImages].inputs,
      'inputs',
      'Arguments of `getImagesOutput`: the same as `getImages`, each an Input.',
    ),
    renderInterface('GetImagesResult', functions[TOKENS.getImages].outputs, 'result', 'The result of `getImages`.'),
  ];
  for (const t of configTypes(clouds)) {
    parts.push(renderInterface(t.token.split(':').pop()!, types[t.token], 'config', types[t.token].description!));
  }
  const variables = (schema.config as { variables: Record<string, PropertySpec> }).variables;
  parts.push(
    renderInterface(
      'CloudImagesConfig',
      { type: 'object', properties: variables },
      'config',
      'The `cloudimages` configuration: one object per cloud, as in `pulumi config` and the provider plugin.',
    ),
  );
  return parts.join('\n');
}

export const SCHEMA_PATH = path.join(PACKAGE_ROOT, 'schema.json');
export const SDK_TYPES_PATH = path.join(PACKAGE_ROOT, 'sdk', 'types.ts');

export function renderSchema(clouds: CloudRegistry): string {
  return `${JSON.stringify(buildSchema(clouds), null, 2)}\n`;
}

if (require.main === module) {
  const schema = renderSchema(BUILT_IN_REGISTRY);
  const types = renderSdkTypes(JSON.parse(schema) as Record<string, unknown>, BUILT_IN_REGISTRY);
  if (process.argv.includes('--check')) {
    const stale = [
      [SCHEMA_PATH, schema],
      [SDK_TYPES_PATH, types],
    ].filter(([file, text]) => !fs.existsSync(file) || fs.readFileSync(file, 'utf8') !== text);
    for (const [file] of stale) console.error(`${path.relative(PACKAGE_ROOT, file)} is out of date: run npm run gen`);
    process.exitCode = stale.length ? 1 : 0;
  } else {
    fs.writeFileSync(SCHEMA_PATH, schema);
    fs.writeFileSync(SDK_TYPES_PATH, types);
    console.log(`wrote ${path.relative(PACKAGE_ROOT, SCHEMA_PATH)} and ${path.relative(PACKAGE_ROOT, SDK_TYPES_PATH)}`);
  }
}
