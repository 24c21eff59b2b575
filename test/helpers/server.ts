import * as fs from 'fs';
import * as http from 'http';
import * as https from 'https';
import type { AddressInfo } from 'net';
import * as path from 'path';

export type Handler = (req: http.IncomingMessage, res: http.ServerResponse, hit: number) => void;

/** A real local HTTP server per test, answering with `handler`; counts hits. */
export async function localServer(handler: Handler) {
  let hits = 0;
  const server = http.createServer((req, res) => handler(req, res, ++hits));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    get hits() {
      return hits;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The test-only certificates in test/fixtures/tls (see make.sh there). */
export const TLS_FIXTURES = path.resolve(__dirname, '../fixtures/tls');
export function tlsFixture(name: 'server' | 'self-signed'): { cert: Buffer; key: Buffer } {
  return { cert: fs.readFileSync(path.join(TLS_FIXTURES, `${name}.pem`)), key: fs.readFileSync(path.join(TLS_FIXTURES, `${name}.key`)) };
}

/** Like localServer, over TLS with the given certificate. */
export async function localHttpsServer(credentials: { cert: Buffer; key: Buffer }, handler: Handler) {
  let hits = 0;
  const server = https.createServer(credentials, (req, res) => handler(req, res, ++hits));
  // A client that rejects the certificate makes the handshake fail here too: that is expected.
  server.on('tlsClientError', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    port,
    url: `https://127.0.0.1:${port}`,
    get hits() {
      return hits;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
