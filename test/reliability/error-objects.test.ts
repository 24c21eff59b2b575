/**
 * A rejected lookup's error object is what users and Pulumi print (`console.log(err)` shows every property, the
 * `cause` chain included). After a connection-level failure no property, however deep, hidden or symbol-keyed, may
 * reach a credential: not the HTTP client's request options (headers, signed URL), not the proxy agent's password.
 */
import * as net from 'net';
import { Emulator } from '../../provider/emulator/server';
import { lookupImages } from '../../provider/lookup';
import { HttpClient } from '../../provider/core/http/client';
import { RequestSharing } from '../../provider/core/share';
import type { CloudImagesConfig } from '../../provider/core/config';
import { CloudApiError } from '../../provider/core/errors';
import { BUILT_IN_REGION } from '../helpers/regions';
import { loopbackProxy } from '../helpers/proxy';
import type { CloudName } from '../../provider/clouds/registry';
import { expectNoSecret } from '../helpers/error-views';

const retryFast = () => new HttpClient({ timeoutMs: 2000, retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 2 } });

/** Each cloud with every credential it can send (STS tokens and IAM tokens included), made recognizable. */
const VARIANTS: [string, CloudName, (base: Record<string, string>) => Record<string, string>][] = [
  [
    'alicloud AccessKey + STS SecurityToken',
    'alicloud',
    (b) => ({
      ...b,
      accessKeyId: 'LTAI-recognizable-key-id-7788',
      accessKeySecret: 'ali-secret-recognizable-5566',
      securityToken: 'CAIS-sts-security-token-recognizable-1122',
    }),
  ],
  [
    'huaweicloud AK/SK + security token',
    'huaweicloud',
    (b) => ({ ...b, accessKey: 'HWAKrecognizable3344', secretKey: 'hw-sk-recognizable-9900', securityToken: 'hw-security-token-recognizable-4455' }),
  ],
  ['huaweicloud X-Auth-Token', 'huaweicloud', (b) => ({ endpoint: b.endpoint, projectId: b.projectId, authToken: 'MIIhw-x-auth-token-recognizable-6677' })],
  ['opentelekomcloud AK/SK', 'opentelekomcloud', (b) => ({ ...b, accessKey: 'OTCAKrecognizable1357', secretKey: 'otc-sk-recognizable-2468' })],
  [
    'opentelekomcloud X-Auth-Token',
    'opentelekomcloud',
    (b) => ({ endpoint: b.endpoint, projectId: b.projectId, authToken: 'MIIotc-x-auth-token-recognizable-8642' }),
  ],
  [
    'ucloud public and private keys',
    'ucloud',
    (b) => ({ ...b, publicKey: 'ucloud-public-key-recognizable-1029', privateKey: 'ucloud-private-key-recognizable-3847' }),
  ],
  ['nscale bearer token', 'nscale', (b) => ({ ...b, serviceToken: 'nscale-bearer-token-recognizable-5610' })],
];

const SECRET_FIELDS = ['accessKeyId', 'accessKeySecret', 'securityToken', 'accessKey', 'secretKey', 'authToken', 'publicKey', 'privateKey', 'serviceToken'];
const secretsIn = (section: Record<string, string>) => SECRET_FIELDS.filter((f) => section[f]).map((f) => section[f]);

describe('no secret in any error object after a connection-level failure', () => {
  let emulator: Emulator;
  beforeAll(async () => {
    emulator = await new Emulator().start();
  });
  afterAll(() => emulator.stop());
  afterEach(() => emulator.clearFaults());

  it.each(VARIANTS)('%s', async (_name, cloud, credentials) => {
    const base = emulator.clientConfig()[cloud] as Record<string, string>;
    const section = credentials(base);
    const config: CloudImagesConfig = { [cloud]: section };
    emulator.inject({ cloud, kind: 'reset', times: Infinity });
    const err = await lookupImages(
      { cloud, region: BUILT_IN_REGION[cloud](emulator) },
      { config, env: {}, http: retryFast(), sharing: new RequestSharing() },
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CloudApiError);
    // A useful cause is kept: what the connection did, as a plain error with its code.
    const cause = (err as Error).cause as Error & { code?: string };
    expect(cause).toBeInstanceOf(Error);
    expect(typeof cause.code).toBe('string');
    expectNoSecret(err, secretsIn(section));
  });
});

describe('no proxy password in any error object', () => {
  const saved = { HTTPS_PROXY: process.env.HTTPS_PROXY, NO_PROXY: process.env.NO_PROXY };
  afterEach(() => {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });
  const password = 'proxy-pa55word-recognizable-2025';
  const token = 'nscale-bearer-through-proxy-recognizable-77';
  const nscaleThrough = () =>
    lookupImages(
      { cloud: 'nscale', region: '11111111-2222-3333-4444-555555555555' },
      {
        config: { nscale: { endpoint: 'https://region.nscale.cloudimages.test', serviceToken: token, organizationId: 'org-1' } },
        env: {},
        http: retryFast(),
        sharing: new RequestSharing(),
      },
    ).catch((e: unknown) => e);

  it('a proxy that cannot be reached', async () => {
    const closed = net.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as net.AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    process.env.HTTPS_PROXY = `http://user:${password}@127.0.0.1:${port}`;
    const err = await nscaleThrough();
    expect(err).toBeInstanceOf(CloudApiError);
    expect((err as Error).message).toMatch(/could not reach the proxy/);
    expectNoSecret(err, [password, token]);
  });

  it('a proxy that refuses the tunnel, and one that drops the connection', async () => {
    const proxy = await loopbackProxy({ route: () => undefined, credentials: `user:${password}` });
    try {
      process.env.HTTPS_PROXY = `http://user:${password}@${proxy.url.slice('http://'.length)}`;
      const refused = await nscaleThrough();
      expect((refused as Error).message).toMatch(/refused to open a tunnel .*HTTP 502/);
      expectNoSecret(refused, [password, token]);
    } finally {
      await proxy.close();
    }
    const dropping = net.createServer((socket) => socket.destroy());
    await new Promise<void>((resolve) => dropping.listen(0, '127.0.0.1', resolve));
    try {
      process.env.HTTPS_PROXY = `http://user:${password}@127.0.0.1:${(dropping.address() as net.AddressInfo).port}`;
      const dropped = await nscaleThrough();
      expect(dropped).toBeInstanceOf(CloudApiError);
      expectNoSecret(dropped, [password, token]);
    } finally {
      await new Promise<void>((resolve) => dropping.close(() => resolve()));
    }
  });
});
