/**
 * A made-up sixth cloud, written only against the contract (provider/core/module.ts): "Example Cloud" lists images
 * at `GET /v1/images?region=…[&arch=…]` with a bearer token and answers `{"images": [{id, name, arch, created}]}`.
 * Its tiny loopback server is part of it. Nothing outside this file knows it exists; a test registers it with the
 * one registry line (`testRegistry({}, [exampleCloudModule])`, passed where the built-in registry is).
 * It goes through the template (`defineCloud`) like the built-in clouds, without a single type assertion: its
 * settings are typed by its own fields.
 */
import * as http from 'http';
import { defineCloud } from '../../provider/core/module';
import { AuthenticationError, CloudApiError } from '../../provider/core/errors';
import { HttpResponse, Interpretation, parseJsonBody } from '../../provider/core/http/client';
import { makeImage } from '../../provider/core/image';
import { stableJson } from '../../provider/core/keys';
import type { Query } from '../../provider/core/query';

export const TOKEN = 'example-token-0123456789';

interface ExampleRecord {
  id: string;
  name: string;
  arch: 'amd64' | 'arm64';
  created: string;
}

export const CATALOG: Record<string, ExampleRecord[]> = {
  'ex-1': [
    { id: 'ex-ubuntu-2204', name: 'ubuntu-22.04', arch: 'amd64', created: '2025-01-01T00:00:00Z' },
    { id: 'ex-ubuntu-2404', name: 'ubuntu-24.04', arch: 'amd64', created: '2025-06-01T00:00:00Z' },
    { id: 'ex-ubuntu-2404-arm', name: 'ubuntu-24.04', arch: 'arm64', created: '2025-06-02T00:00:00Z' },
  ],
};

/** The cloud's API on 127.0.0.1, recording what it was asked. */
export async function startExampleServer(): Promise<{ url: string; requests: URL[]; stop(): Promise<void> }> {
  const requests: URL[] = [];
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    requests.push(url);
    const reply = (status: number, body: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    if (req.headers.authorization !== `Bearer ${TOKEN}`) return reply(401, { error: 'bad token' });
    if (url.pathname !== '/v1/images') return reply(404, { error: 'no such path' });
    const arch = url.searchParams.get('arch');
    const images = (CATALOG[url.searchParams.get('region') ?? ''] ?? []).filter((r) => !arch || r.arch === arch);
    return reply(200, { images });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('the example server has no TCP port');
  return {
    url: `http://127.0.0.1:${address.port}`,
    requests,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** What an answer means. */
function interpretAnswer(response: HttpResponse, tokenSource: string): Interpretation<ExampleRecord[]> {
  const details = { cloud: 'examplecloud', operation: 'ListImages', httpStatus: response.status };
  if (response.status === 401) return { ok: false, kind: 'final', error: new AuthenticationError(`the token from ${tokenSource} was refused`, details) };
  if (response.status !== 200)
    return { ok: false, kind: response.status >= 500 ? 'transient' : 'final', error: new CloudApiError(`HTTP ${response.status}`, details) };
  const parsed = parseJsonBody(response, 'examplecloud', 'ListImages');
  if (!parsed.ok) return parsed;
  const images: unknown = typeof parsed.value === 'object' && parsed.value !== null && 'images' in parsed.value ? parsed.value.images : undefined;
  if (!Array.isArray(images) || !images.every(isExampleRecord))
    return { ok: false, kind: 'final', error: new CloudApiError('no "images" list of {id, name, arch, created}', details) };
  return { ok: true, value: images };
}

function isExampleRecord(value: unknown): value is ExampleRecord {
  if (typeof value !== 'object' || value === null) return false;
  const record: Record<string, unknown> = { ...value };
  return (
    typeof record.id === 'string' &&
    typeof record.name === 'string' &&
    (record.arch === 'amd64' || record.arch === 'arm64') &&
    typeof record.created === 'string'
  );
}

/** Query → request parameters: the architecture is filtered by the server. */
function pushDown(query: Query, region: string): Record<string, string> {
  const arch = query.architecture === 'x86_64' ? 'amd64' : query.architecture === 'arm64' ? 'arm64' : undefined;
  return { region, ...(arch ? { arch } : {}) };
}

export const exampleCloudModule = defineCloud({
  name: 'examplecloud',
  title: 'Example Cloud',
  configType: { name: 'ExamplecloudConfig', title: 'Example Cloud' },
  fields: [
    { name: 'apiToken', label: 'API token', secret: true, required: true, identifiesAccount: true, env: ['EXAMPLECLOUD_TOKEN'], description: 'API token.' },
    { name: 'region', label: 'region', env: ['EXAMPLECLOUD_REGION'], description: 'Default region, e.g. ex-1.' },
    { name: 'endpoint', label: 'endpoint', env: ['EXAMPLECLOUD_ENDPOINT'], description: 'API base URL.' },
  ],
  regionField: 'region',
  defaultEndpoint: 'https://api.example.invalid',
  credentialParameters: ['X-Example-Token'],
  defaultVisibility: ['public'],
  trustedVisibilities: ['public'],
  reportsCreationTime: true,
  plan(query, settings) {
    const region = settings.region.value;
    const params = pushDown(query, region);
    const token = settings.fields.apiToken; // typed by the fields above: required, so always set
    const url = `${settings.endpoint.value}/v1/images?${new URLSearchParams(params).toString()}`;
    return {
      key: stableJson({ cloud: 'examplecloud', endpoint: settings.endpoint.value, account: settings.account, params }),
      async run(client) {
        const records = await client.send({
          cloud: 'examplecloud',
          operation: 'ListImages',
          request: { method: 'GET', url, headers: { accept: 'application/json', authorization: `Bearer ${token.value}` } },
          interpret: (response) => interpretAnswer(response, token.source),
        });
        return records.map((r) =>
          makeImage({
            id: r.id,
            name: r.name,
            cloud: 'examplecloud',
            region,
            createdAt: r.created,
            visibility: 'public',
            architecture: r.arch === 'amd64' ? 'x86_64' : 'arm64',
            osType: 'linux',
            osDistro: 'ubuntu',
            osVersion: r.name.split('-')[1],
          }),
        );
      },
    };
  },
});
