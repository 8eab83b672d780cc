import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What one path answers: bytes with 200, a redirect, or a bare status. */
export type Route = { body: Buffer } | { redirect: string } | { status: number };

/** A local HTTP server on 127.0.0.1 (random free port) answering from a mutable route table. */
export interface FixtureServer {
  url(pathname: string): string;
  routes: Map<string, Route>;
  /** Every path requested, in order. */
  requests: string[];
  close(): Promise<void>;
}

export async function startFixtureServer(): Promise<FixtureServer> {
  const routes = new Map<string, Route>();
  const requests: string[] = [];
  const server: Server = createServer((req, res) => {
    const pathname = new URL(req.url ?? '/', 'http://x').pathname;
    requests.push(pathname);
    const route = routes.get(pathname);
    if (route === undefined) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    } else if ('redirect' in route) {
      res.writeHead(302, { location: route.redirect }).end();
    } else if ('status' in route) {
      res.writeHead(route.status).end();
    } else {
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': route.body.length }).end(route.body);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: (pathname) => `http://127.0.0.1:${port}${pathname}`,
    routes,
    requests,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}
