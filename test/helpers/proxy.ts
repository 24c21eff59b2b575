import * as http from 'http';
import * as net from 'net';
import type { AddressInfo } from 'net';

export interface ProxyOptions {
  /** Where a CONNECT to `host:port` really goes (a port on 127.0.0.1); undefined answers 502. */
  route: (authority: string) => number | undefined;
  /** When set, CONNECT needs `Proxy-Authorization: Basic base64(credentials)`, else 407. */
  credentials?: string;
}

/**
 * A forward proxy on loopback that only tunnels (CONNECT), as corporate proxies do for https. It resolves no
 * names: `route` decides where each tunnel ends, so a test can use host names that do not exist anywhere.
 */
export async function loopbackProxy(options: ProxyOptions) {
  const connects: string[] = [];
  const sockets = new Set<net.Socket>();
  const server = http.createServer((_req, res) => res.writeHead(405).end('this proxy only tunnels\n'));
  server.on('connect', (req: http.IncomingMessage, client: net.Socket, head: Buffer) => {
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    client.on('error', () => undefined);
    const authority = String(req.url);
    connects.push(authority);
    const expected = options.credentials && `Basic ${Buffer.from(options.credentials).toString('base64')}`;
    if (expected && req.headers['proxy-authorization'] !== expected) {
      client.end('HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm="test"\r\n\r\n');
      return;
    }
    const port = options.route(authority);
    if (port === undefined) {
      client.end('HTTP/1.1 502 Bad Gateway\r\n\r\n');
      return;
    }
    const upstream = net.connect(port, '127.0.0.1', () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    sockets.add(upstream);
    upstream.on('close', () => {
      sockets.delete(upstream);
      client.destroy();
    });
    upstream.on('error', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    /** The CONNECT targets asked for, in order. */
    connects,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
