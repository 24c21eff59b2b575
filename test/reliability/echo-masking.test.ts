/**
 * A server that echoes everything it received (URL, headers, body) and every credential of the configuration,
 * in every form a server or a proxy may use (raw, JSON-escaped, JSON inside JSON, URL-encoded, form-encoded,
 * HTML-escaped, base64 at any alignment), back in an error message, in an HTML page, and in image names and
 * descriptions. Whatever reaches a person or a program (errors, debug logs, warnings, results) holds no secret
 * in any of those forms.
 */
import * as http from 'http';
import { Emulator } from '../../provider/emulator/server';
import { lookupImages } from '../../provider/lookup';
import { HttpClient } from '../../provider/core/http/client';
import { RequestSharing } from '../../provider/core/share';
import { CloudImagesConfig } from '../../provider/core/config';
import { BUILT_IN_REGISTRY } from '../../provider/clouds';
import { CLOUD_NAMES as CLOUDS, CloudName } from '../../provider/clouds/registry';
import { localServer } from '../helpers/server';
import { BUILT_IN_REGION } from '../helpers/regions';
import { adapterOf } from '../clouds/adapters';

type Mode = 'error' | 'html' | 'success';

/** Every way the echo spells a text. */
function spellings(text: string): string[] {
  const b64 = (s: string) => Buffer.from(s).toString('base64');
  return [
    text,
    JSON.stringify(text),
    JSON.stringify(JSON.stringify({ echoed: text })),
    encodeURIComponent(text),
    new URLSearchParams({ echoed: text }).toString(),
    text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;'),
    b64(text),
    b64(`x${text}`),
    b64(`xy${text}`),
    b64(`id:${text}`).replace(/\+/g, '-').replace(/\//g, '_'),
  ];
}

/** What must not appear: each secret in each form, base64 at its three alignments (the part fixed by the secret). */
function forbiddenForms(secret: string): string[] {
  const forms = [secret, JSON.stringify(secret).slice(1, -1), encodeURIComponent(secret), new URLSearchParams({ s: secret }).toString().slice(2)];
  const bytes = Buffer.from(secret);
  for (let offset = 0; offset < 3; offset++) {
    const encoded = Buffer.concat([Buffer.alloc(offset), bytes]).toString('base64');
    forms.push(encoded.slice(Math.ceil((8 * offset) / 6), Math.floor((8 * (offset + bytes.length)) / 6)));
  }
  return forms;
}

function everythingAbout(err: unknown): string {
  const e = err as Error & Record<string, unknown>;
  return [String(e), e?.message, e?.stack, JSON.stringify(e), JSON.stringify(Object.fromEntries(Object.entries(e ?? {})))].join('\n');
}

describe.each([...CLOUDS])('masking holds against an echoing server: %s', (cloud: CloudName) => {
  let emulator: Emulator;
  let config: CloudImagesConfig;
  let secrets: string[];
  let mode: Mode = 'error';
  let received = 0;
  let server: Awaited<ReturnType<typeof localServer>>;

  beforeAll(async () => {
    emulator = await new Emulator().start();
    config = emulator.clientConfig();
    const section = config[cloud] as Record<string, string>;
    secrets = BUILT_IN_REGISTRY.get(cloud)
      .fields.filter((f) => f.secret && section[f.name])
      .map((f) => section[f.name]);
    expect(secrets.length).toBeGreaterThan(0);
    server = await localServer((req: http.IncomingMessage, res: http.ServerResponse) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        received++;
        const url = new URL(req.url ?? '/', 'http://127.0.0.1');
        const echo = spellings([req.method, req.url, JSON.stringify(req.headers), body, ...secrets].join(' | ')).join(' ~ ');
        if (mode === 'html') {
          res.writeHead(200, { 'content-type': 'text/html' }).end(`<html><body>${secrets[0]} ${echo}</body></html>`);
          return;
        }
        const answer =
          mode === 'success'
            ? adapterOf(cloud).successAnswer(url, [{ id: 'img-echo', name: `img ${echo}`, description: echo }])
            : adapterOf(cloud).errorAnswer(echo);
        res.writeHead(answer.status, { 'content-type': 'application/json' }).end(JSON.stringify(answer.body));
      });
    });
    section.endpoint = `${server.url}/${cloud}`;
  });
  afterAll(async () => {
    await server.close();
    await emulator.stop();
  });

  async function run(m: Mode) {
    mode = m;
    received = 0;
    const logs: string[] = [];
    const client = new HttpClient({ debug: true, log: (line) => logs.push(line), timeoutMs: 5000, retry: { maxAttempts: 1 } });
    const outcome = await lookupImages(
      { cloud, region: BUILT_IN_REGION[cloud](emulator), endpoint: (config[cloud] as { endpoint: string }).endpoint },
      { config, env: {}, http: client, sharing: new RequestSharing() },
    ).then(
      (o) => ({ ok: true as const, text: JSON.stringify(o.result) + JSON.stringify(o.warnings), images: o.result.images }),
      (err) => ({ ok: false as const, text: everythingAbout(err), images: [] }),
    );
    expect(received).toBeGreaterThan(0);
    expect(logs.length).toBeGreaterThan(0);
    const seen = `${outcome.text}\n${logs.join('\n')}`;
    for (const secret of secrets) for (const form of forbiddenForms(secret)) expect(seen).not.toContain(form);
    return outcome;
  }

  it('an error answer that echoes the request and the credentials in every form leaks none of them', async () => {
    const outcome = await run('error');
    expect(outcome.ok).toBe(false);
    expect(outcome.text).toContain('***');
  });

  it('an HTML page that echoes them, quoted in the error, leaks no prefix of them', async () => {
    const outcome = await run('html');
    expect(outcome.ok).toBe(false);
    expect(outcome.text).toMatch(/not valid JSON .*starting "<html><body>\*\*\*/);
  });

  it('images whose names and descriptions echo them are returned masked', async () => {
    const outcome = await run('success');
    expect(outcome.ok).toBe(true);
    expect(outcome.images).toHaveLength(1);
    expect(outcome.images[0].name).toMatch(/^img .*\*\*\*/);
  });
});
