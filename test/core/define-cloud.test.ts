/**
 * The cloud template (`defineCloud`): a cloud's settings are typed by its own fields, so a misspelt field is a
 * compile error (ts-jest type-checks this file: each `@ts-expect-error` fails the run if the line compiles), and a
 * required field is always there, checked once more when settings bypass the resolver.
 */
import { CloudSettings, configFields, defineCloud, PlannedFetch } from '../../provider/core/module';
import { resolveSettings, ResolvedSettings } from '../../provider/core/settings';
import { ConfigurationError } from '../../provider/core/errors';
import type { Query } from '../../provider/core/query';

const FIELDS = configFields([
  { name: 'apiToken', label: 'API token', secret: true, required: true, identifiesAccount: true, env: ['T_TOKEN'], description: 'API token.' },
  { name: 'project', label: 'project', env: ['T_PROJECT'], description: 'Project.' },
  { name: 'zoneId', label: 'zone ID', env: ['T_ZONE'], description: 'Default zone.' },
  { name: 'endpoint', label: 'endpoint', description: 'Base URL.' },
]);

/** What a plan saw, for the assertions below. */
let seen: CloudSettings<typeof FIELDS, 'zoneId'> | undefined;
const nothing: PlannedFetch = { key: 'k', run: () => Promise.resolve([]) };

const typedCloud = defineCloud({
  name: 'typedcloud',
  title: 'Typed Cloud',
  configType: { name: 'TypedcloudConfig', title: 'Typed Cloud' },
  fields: FIELDS,
  regionField: 'zoneId',
  defaultEndpoint: 'https://typed.example.invalid',
  credentialParameters: [],
  defaultVisibility: null,
  trustedVisibilities: [],
  reportsCreationTime: true,
  plan(query, settings) {
    seen = settings;
    const token: string = settings.fields.apiToken.value; // required: a Setting, never undefined
    const project: string | undefined = settings.fields.project?.value; // optional: may be absent
    // @ts-expect-error a misspelt field is a compile error
    void settings.fields.apiTokn;
    // @ts-expect-error the region field is `settings.region`, not one of the fields
    void settings.fields.zoneId;
    // @ts-expect-error so is the endpoint
    void settings.fields.endpoint;
    // @ts-expect-error an optional field may be unset: reading it unguarded is a compile error
    void settings.fields.project.value;
    void token;
    void project;
    return nothing;
  },
});

// @ts-expect-error the region field must be one of the declared fields
defineCloud({ ...typedCloud, fields: FIELDS, regionField: 'regoin', plan: () => nothing });

const query: Query = {
  cloud: 'typedcloud',
  mostRecent: false,
  allowUnsafeMostRecent: false,
  status: ['available'],
  filters: {},
  tags: {},
  softwareVersions: {},
};

test('the module the template makes is planned with the settings the core resolved from its fields', () => {
  const settings = resolveSettings(typedCloud, { region: 'z1' }, {}, { T_TOKEN: 'token-1', T_PROJECT: 'p' });
  expect(typedCloud.backend.plan(query, settings)).toBe(nothing);
  expect(seen?.fields).toEqual({ apiToken: { value: 'token-1', source: 'T_TOKEN' }, project: { value: 'p', source: 'T_PROJECT' } });
  expect(seen?.region.value).toBe('z1');
});

test('a required field missing is refused by the resolver before any plan, naming its setting', () => {
  seen = undefined;
  expect(() => resolveSettings(typedCloud, { region: 'z1' }, {}, {})).toThrow(ConfigurationError);
  expect(seen).toBeUndefined();
});

test('settings that bypass the resolver without a required field fail loudly instead of reading undefined', () => {
  seen = undefined;
  const forged: ResolvedSettings = {
    cloud: 'typedcloud',
    region: { value: 'z1', source: 's' },
    endpoint: { value: 'https://x', source: 's' },
    fields: {},
    account: 'a',
  };
  expect(() => typedCloud.backend.plan(query, forged)).toThrow('typedcloud: settings were not resolved from its fields (a required field is missing)');
  expect(seen).toBeUndefined();
});
