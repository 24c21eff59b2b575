/**
 * schema.json: valid against Pulumi's package metaschema, generated from the core's tables (and up to date), and in
 * agreement with the SDK's TypeScript types, both at run time (names, required fields, doc comments) and at compile
 * time (the assertions at the bottom fail type-checking if the SDK's types drift from the core's).
 */
import * as fs from 'fs';
import * as path from 'path';
import Ajv2020 from 'ajv/dist/2020';
import * as ts from 'typescript';
import { buildSchema, renderSchema, renderSdkTypes, GET_IMAGE_ONLY, imageProperties } from '../../provider/plugin/schema-gen';
import { QUERY_ARGUMENTS, QueryArgs, queryArguments } from '../../provider/core/query';
import { CLOUD_MODULES, CLOUD_NAMES as CLOUDS, CloudName } from '../../provider/clouds/registry';
import { BUILT_IN_REGISTRY } from '../../provider/clouds';
import { Image as CoreImage, GpuSupport as CoreGpu, makeImage } from '../../provider/core/image';
import type * as sdk from '../../sdk';

const ROOT = path.resolve(__dirname, '../..');
const SCHEMA_FILE = path.join(ROOT, 'schema.json');
const METASCHEMA_FILE = path.join(__dirname, 'pulumi-package-metaschema.json');
const SHARED_METASCHEMA = path.resolve(ROOT, '../shared/reference/pulumi-package-metaschema.json');

/** The parts of a Pulumi package schema these tests read. */
type SchemaProperty = { type?: string; $ref?: string; oneOf?: SchemaProperty[]; items?: SchemaProperty; description?: string; secret?: boolean };
type SchemaObject = { type?: string; description?: string; properties: Record<string, SchemaProperty>; required: string[]; enum?: { value: string }[] };
type PackageSchema = {
  name: string;
  version: string;
  description: string;
  repository: string;
  homepage: string;
  license: string;
  meta: { moduleFormat: string };
  language: {
    nodejs: { packageName: string; dependencies: Record<string, string> };
    python: { packageName: string };
    go: { importBasePath: string };
    csharp: unknown;
    java: { basePackage: string };
  };
  config: { variables: Record<string, SchemaProperty> };
  provider: { inputProperties: Record<string, SchemaProperty> };
  functions: Record<string, { description?: string; inputs: SchemaObject; outputs: SchemaObject; returnType?: unknown }>;
  types: Record<string, SchemaObject>;
};
type PackageJson = { name: string; version: string; repository: { url: string }; homepage: string; license: string; peerDependencies: Record<string, string> };

const schema = JSON.parse(fs.readFileSync(SCHEMA_FILE, 'utf8')) as PackageSchema;
const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as PackageJson;
const GET_IMAGE = 'cloudimages:index:getImage';
const GET_IMAGES = 'cloudimages:index:getImages';

describe('the metaschema', () => {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  // The metaschema uses `format: regex` (meta.moduleFormat) and `uri-reference` ($ref); check them rather than ignore them.
  ajv.addFormat('uri-reference', (value: string) => URL.canParse(value, 'https://example.com/schema.json'));
  ajv.addFormat('regex', (value: string) => {
    try {
      new RegExp(value);
      return true;
    } catch {
      return false;
    }
  });
  const validate = ajv.compile(JSON.parse(fs.readFileSync(METASCHEMA_FILE, 'utf8')) as object);

  test('schema.json is a valid Pulumi package schema', () => {
    const valid = validate(schema);
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
  });

  test.each([
    ['an unknown key under config', (s: PackageSchema) => ((s.config as Record<string, unknown>).region = { type: 'string' })],
    ['a function token without a module', (s: PackageSchema) => (s.functions['cloudimages-getImage'] = s.functions[GET_IMAGE])],
    ['a property of a type Pulumi does not have', (s: PackageSchema) => (s.types['cloudimages:index:Image'].properties.id.type = 'text')],
    ['a module format that is not a regular expression', (s: PackageSchema) => (s.meta.moduleFormat = '(.*')],
    ['an array without items', (s: PackageSchema) => delete s.types['cloudimages:index:GpuSupport'].properties.models.items],
  ])('rejects a schema with %s (the validator is not vacuous)', (_name, breakIt) => {
    const broken = JSON.parse(JSON.stringify(schema)) as PackageSchema;
    breakIt(broken);
    expect(validate(broken)).toBe(false);
  });

  test('the copy kept with the tests is the reference metaschema', () => {
    if (fs.existsSync(SHARED_METASCHEMA)) expect(fs.readFileSync(METASCHEMA_FILE, 'utf8')).toBe(fs.readFileSync(SHARED_METASCHEMA, 'utf8'));
    expect((JSON.parse(fs.readFileSync(METASCHEMA_FILE, 'utf8')) as { $schema: string }).$schema).toBe('https://json-schema.org/draft/2020-12/schema');
  });
});

describe('generated from the core, and up to date', () => {
  test('schema.json is what schema-gen produces (run `npm run gen` after changing the tables)', () => {
    expect(fs.readFileSync(SCHEMA_FILE, 'utf8')).toBe(renderSchema(BUILT_IN_REGISTRY));
  });

  test('sdk/types.ts is what schema-gen renders from schema.json', () => {
    expect(fs.readFileSync(path.join(ROOT, 'sdk/types.ts'), 'utf8')).toBe(renderSdkTypes(schema, BUILT_IN_REGISTRY));
  });

  test('package identity follows package.json', () => {
    expect(schema).toMatchObject({ name: 'cloudimages', version: pkg.version, language: { nodejs: { packageName: pkg.name } } });
    expect(schema.language.nodejs.dependencies['@pulumi/pulumi']).toBe(pkg.peerDependencies['@pulumi/pulumi']);
  });

  test('both functions have inputs and outputs (never returnType), inputs from the query table', () => {
    const names = QUERY_ARGUMENTS.map((a) => a.name);
    expect(Object.keys(schema.functions[GET_IMAGE].inputs.properties)).toEqual(names);
    expect(Object.keys(schema.functions[GET_IMAGES].inputs.properties)).toEqual(names.filter((n) => !GET_IMAGE_ONLY.includes(n)));
    for (const token of [GET_IMAGE, GET_IMAGES]) {
      expect(schema.functions[token].returnType).toBeUndefined();
      expect(schema.functions[token].inputs.required).toEqual(['cloud']);
      expect(schema.functions[token].outputs.type).toBe('object');
    }
    expect(Object.keys(schema.functions[GET_IMAGES].outputs.properties)).toEqual(['ids', 'images']);
    expect(schema.functions[GET_IMAGES].outputs.properties.images.items).toEqual({ $ref: '#/types/cloudimages:index:Image' });
  });

  test('arguments with a closed set of values reference an enum type listing exactly those values', () => {
    const closed = queryArguments(BUILT_IN_REGISTRY).filter((a) => a.accepted);
    expect(closed.map((a) => a.name)).toEqual(['cloud', 'architecture', 'osType', 'machineType', 'visibility', 'status']);
    for (const arg of closed) {
      const property = schema.functions[GET_IMAGE].inputs.properties[arg.name];
      const ref = (property.$ref ?? property.oneOf![0].$ref)!;
      if (arg.kind === 'enumList') expect(property.oneOf).toEqual([{ $ref: ref }, { type: 'array', items: { $ref: ref } }]);
      const type = schema.types[ref.replace('#/types/', '')];
      expect([arg.name, type.type, type.enum!.map((e) => e.value)]).toEqual([arg.name, 'string', [...arg.accepted!]]);
      expect(schema.functions[GET_IMAGES].inputs.properties[arg.name]).toEqual(property);
    }
    expect(schema.types['cloudimages:index:Cloud'].enum!.map((e) => e.value)).toEqual([...CLOUDS]);
    expect(schema.types['cloudimages:index:Architecture'].description).toMatch(/aliases `amd64` \(x86_64\), `x64` \(x86_64\), `aarch64` \(arm64\)/);
    expect(Object.keys(schema.types).filter((t) => schema.types[t].enum)).toEqual(
      ['Cloud', 'Architecture', 'OsType', 'MachineType', 'Visibility', 'ImageStatus'].map((n) => `cloudimages:index:${n}`),
    );
  });

  test('says where it comes from and names the package in every language', () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as PackageJson;
    expect(schema.repository).toBe(manifest.repository.url.replace(/^git\+/, '').replace(/\.git$/, ''));
    expect(schema.homepage).toBe(manifest.homepage);
    expect(schema.license).toBe(manifest.license);
    expect(schema.language.nodejs).toMatchObject({
      packageName: '@cloudimages/pulumi',
      dependencies: { '@pulumi/pulumi': manifest.peerDependencies['@pulumi/pulumi'] },
    });
    expect(schema.language.python.packageName).toBe('pulumi_cloudimages');
    expect(schema.language.go.importBasePath).toBe(`${schema.repository.replace('https://', '')}/sdk/go/cloudimages`);
    expect(schema.language.csharp).toMatchObject({ rootNamespace: 'Pulumi', namespaces: { cloudimages: 'CloudImages' } });
    expect(schema.language.java.basePackage).toBe('io.github.cloudimages');
  });

  test('the image type has exactly the fields of a core image, in the contract order; non-null ones are required', () => {
    const image = schema.types['cloudimages:index:Image'];
    const sample = makeImage({ id: 'i', name: 'n', cloud: 'nscale', region: 'r' });
    // regionIds is set only on results of lookups across regions (core/regions.ts), never by makeImage.
    expect(Object.keys(image.properties).sort()).toEqual([...Object.keys(sample), 'regionIds'].sort());
    expect(Object.keys(image.properties)[0]).toBe('id');
    const nonNull = Object.entries(sample)
      .filter(([, v]) => v !== null)
      .map(([k]) => k);
    for (const name of image.required) expect(nonNull).toContain(name);
    expect(schema.functions[GET_IMAGE].outputs.properties).toEqual(image.properties);
    expect(Object.keys(schema.types['cloudimages:index:GpuSupport'].properties).sort()).toEqual(Object.keys(sample.gpu).sort());
    expect(imageProperties(BUILT_IN_REGISTRY).map((p) => p.name)).toEqual(Object.keys(image.properties));
  });

  test('config.variables has one object per cloud, credentials marked secret, the same as the provider inputs', () => {
    expect(Object.keys(schema.config)).toEqual(['variables']);
    expect(Object.keys(schema.config.variables)).toEqual([...CLOUDS]);
    expect(schema.provider.inputProperties).toEqual(schema.config.variables);
    for (const cloud of CLOUDS) {
      const ref = schema.config.variables[cloud].$ref!;
      const type = schema.types[ref.replace('#/types/', '')];
      expect(Object.keys(type.properties)).toEqual(BUILT_IN_REGISTRY.get(cloud).fields.map((f) => f.name));
      for (const field of BUILT_IN_REGISTRY.get(cloud).fields)
        expect([cloud, field.name, type.properties[field.name].secret === true]).toEqual([cloud, field.name, field.secret === true]);
    }
    expect(schema.types['cloudimages:index:AlicloudConfig'].properties.accessKeySecret.secret).toBe(true);
    expect(schema.types['cloudimages:index:NscaleConfig'].properties.regionId.secret).toBeUndefined();
  });

  test('every function, type and property has a description', () => {
    const missing: string[] = [];
    const properties = (where: string, props: Record<string, { description?: string }>) => {
      for (const [name, p] of Object.entries(props)) if (!p.description) missing.push(`${where}.${name}`);
    };
    for (const [token, fn] of Object.entries(schema.functions)) {
      if (!fn.description) missing.push(token);
      properties(`${token} inputs`, fn.inputs.properties);
      properties(`${token} outputs`, fn.outputs.properties);
    }
    for (const [token, type] of Object.entries(schema.types)) {
      if (!type.description) missing.push(token);
      if (type.properties) properties(token, type.properties);
    }
    properties('config', schema.config.variables);
    expect(missing).toEqual([]);
    expect(schema.description).toBeTruthy();
  });

  test('buildSchema is deterministic', () => {
    expect(JSON.stringify(buildSchema(BUILT_IN_REGISTRY))).toBe(JSON.stringify(buildSchema(BUILT_IN_REGISTRY)));
  });
});

describe('the SDK types agree with the schema', () => {
  const source = ts.createSourceFile('types.ts', fs.readFileSync(path.join(ROOT, 'sdk/types.ts'), 'utf8'), ts.ScriptTarget.ES2022, true);
  const interfaces = new Map<string, ts.InterfaceDeclaration>();
  source.forEachChild((node) => {
    if (ts.isInterfaceDeclaration(node)) interfaces.set(node.name.text, node);
  });
  const members = (name: string) => {
    const decl = interfaces.get(name);
    if (!decl) throw new Error(`sdk/types.ts has no interface ${name}`);
    return decl.members.filter(ts.isPropertySignature).map((m) => ({
      name: (m.name as ts.Identifier).text,
      optional: m.questionToken !== undefined,
      nullable:
        m.type !== undefined &&
        ts.isUnionTypeNode(m.type) &&
        m.type.types.some((t) => t.kind === ts.SyntaxKind.LiteralType && (t as ts.LiteralTypeNode).literal.kind === ts.SyntaxKind.NullKeyword),
      doc: ts
        .getJSDocCommentsAndTags(m)
        .map((d) => (typeof d.comment === 'string' ? d.comment : ''))
        .join(''),
    }));
  };

  test.each([
    ['GetImageArgs', () => schema.functions[GET_IMAGE].inputs],
    ['GetImageOutputArgs', () => schema.functions[GET_IMAGE].inputs],
    ['GetImagesArgs', () => schema.functions[GET_IMAGES].inputs],
    ['GetImagesOutputArgs', () => schema.functions[GET_IMAGES].inputs],
  ])('%s: the schema inputs, optional unless required, each documented with its schema description', (name, spec) => {
    const { properties, required } = spec();
    expect(members(name)).toEqual(
      Object.entries(properties).map(([prop, p]) => ({ name: prop, optional: !required.includes(prop), nullable: false, doc: p.description })),
    );
  });

  test.each([
    ['Image', 'cloudimages:index:Image'],
    ['GpuSupport', 'cloudimages:index:GpuSupport'],
  ])('%s: the schema object, non-required fields nullable, each documented', (name, token) => {
    const { properties, required } = schema.types[token];
    // regionIds is absent unless regions were listed (single-region outputs stay as they were): optional, not null.
    expect(members(name)).toEqual(
      Object.entries(properties).map(([prop, p]) => ({
        name: prop,
        optional: prop === 'regionIds',
        nullable: !required.includes(prop) && prop !== 'regionIds',
        doc: p.description,
      })),
    );
  });

  test('GetImagesResult and the config types follow the schema', () => {
    expect(members('GetImagesResult').map((m) => m.name)).toEqual(['ids', 'images']);
    expect(members('CloudImagesConfig').map((m) => m.name)).toEqual([...CLOUDS]);
    for (const module of CLOUD_MODULES) {
      expect(members(module.configType.name).map((m) => [m.name, m.doc.endsWith('(secret)')])).toEqual(module.fields.map((f) => [f.name, f.secret === true]));
    }
  });
});

// ---- Compile-time agreement: ts-jest type-checks this file, so drift fails the suite. ----
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
const assertTrue = <T extends true>(): T => true as T;

test('compile-time: SDK types and core types have the same fields and the core values fit the SDK types', () => {
  const checks = [
    assertTrue<Equal<keyof sdk.Image, keyof CoreImage>>(),
    assertTrue<Equal<keyof sdk.GpuSupport, keyof CoreGpu>>(),
    assertTrue<Equal<keyof sdk.GetImageArgs, keyof QueryArgs>>(),
    assertTrue<Equal<keyof sdk.GetImagesArgs, Exclude<keyof QueryArgs, 'mostRecent' | 'allowUnsafeMostRecent'>>>(),
    // The config types' fields are checked against the modules above (the generated interfaces' members).
    assertTrue<Equal<keyof sdk.CloudImagesConfig, CloudName>>(),
  ];
  const fromCore: sdk.Image = makeImage({ id: 'i', name: 'n', cloud: 'alicloud', region: 'r' });
  expect(checks.every(Boolean)).toBe(true);
  expect(fromCore.gpu.models).toEqual([]);
});
