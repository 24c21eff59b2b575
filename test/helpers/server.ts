import * as http from 'http';
import type { AddressInfo } from 'net';

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
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}
