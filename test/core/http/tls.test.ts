import { HttpClient } from '../../../provider/core/http/client';
import { MIB } from '../../../provider/core/http/settings';
import { TlsError } from '../../../provider/core/errors';
import { localHttpsServer, tlsFixture } from '../../helpers/server';

const get = (url: string) =>
  new HttpClient({ timeoutMs: 5000, maxResponseBytes: MIB, retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 2 } }).send({
    cloud: 'toy',
    operation: 'List',
    request: { method: 'GET', url, headers: {} },
    interpret: () => ({ ok: true, value: 'accepted' }),
  });

// Names and the hint are checked here; wrong host names and the hint followed are in proxy.test.ts (they need a
// trusted CA, so a child process with NODE_EXTRA_CA_CERTS).
describe('certificate verification failures', () => {
  it.each([
    ['self-signed', 'the certificate is self-signed (DEPTH_ZERO_SELF_SIGNED_CERT)'],
    ['server', 'its issuer is not a certificate authority this machine trusts (UNABLE_TO_VERIFY_LEAF_SIGNATURE)'],
  ] as const)('a %s certificate is refused, with what failed and the NODE_EXTRA_CA_CERTS hint, and not retried', async (fixture, problem) => {
    const server = await localHttpsServer(tlsFixture(fixture), (_req, res) => res.end('{}'));
    try {
      const sent = get(`${server.url}/v1/images`);
      await expect(sent).rejects.toBeInstanceOf(TlsError);
      await expect(sent).rejects.toThrow(
        `toy List: the TLS certificate of 127.0.0.1:${server.port} failed verification: ${problem}. Verification stays on; if your network uses its own certificate authority (a TLS-inspecting proxy or firewall), set NODE_EXTRA_CA_CERTS to the path of that authority's PEM file`,
      );
      expect(server.hits).toBe(0);
    } finally {
      await server.close();
    }
  });
});
