import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import type { Config } from '../../src/config.js';
import { createNeo4jStore } from '../../src/graph/neo4j/createNeo4jStore.js';
import type { GraphStore } from '../../src/graph/GraphStore.js';
import { startServer } from '../../src/server.js';

/**
 * The Neo4j store against databases that are not there (no Neo4j server needed): a port where
 * nothing listens, and a TCP server that accepts connections and drops them at once. Timeouts are
 * small (1 s to connect, 1 s per transaction), so every call must fail within 2 s (+1 s slack).
 */
const CONNECTION_MS = 1000;
const TRANSACTION_MS = 1000;
const BOUND_MS = CONNECTION_MS + TRANSACTION_MS + 1000;

function config(uri: string): Config {
  const base = loadConfig({});
  return {
    ...base,
    port: 0,
    host: '127.0.0.1',
    neo4j: { ...base.neo4j, uri, password: 'secret', connectionTimeoutMs: CONNECTION_MS, transactionTimeoutMs: TRANSACTION_MS, maxConnectionPoolSize: 4 },
  };
}

/** A port that was free a moment ago: bind, read, close. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Accepts every connection and destroys it at once (a database that dies mid-handshake). */
async function droppingServer(): Promise<{ port: number; accepted: () => number; close: () => Promise<void> }> {
  let accepted = 0;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    accepted++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    accepted: () => accepted,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

async function timed<T>(promise: Promise<T>): Promise<{ value: T | null; error: unknown; ms: number }> {
  const started = Date.now();
  try {
    const value = await promise;
    return { value, error: null, ms: Date.now() - started };
  } catch (error) {
    return { value: null, error, ms: Date.now() - started };
  }
}

function expectUnavailable(result: { error: unknown; ms: number }, port: number): void {
  const error = result.error as { message: string; extensions?: Record<string, unknown> };
  expect(error, 'the call should have failed').toBeTruthy();
  expect(error.extensions?.code).toBe('SERVICE_UNAVAILABLE');
  expect(error.message).not.toContain('127.0.0.1');
  expect(error.message).not.toContain(String(port));
  expect(result.ms).toBeLessThan(BOUND_MS);
}

const targets: [string, () => Promise<{ port: number; close: () => Promise<void>; accepted?: () => number }>][] = [
  ['a port where nothing listens', async () => ({ port: await closedPort(), close: async () => undefined })],
  ['a server that accepts and drops connections', droppingServer],
];

for (const [what, makeTarget] of targets) {
  describe(`Neo4j store: ${what}`, () => {
    let target: Awaited<ReturnType<typeof makeTarget>>;
    let store: GraphStore;
    beforeAll(async () => {
      target = await makeTarget();
      store = await createNeo4jStore(config(`bolt://127.0.0.1:${target.port}`));
    });
    afterAll(async () => {
      await store?.close();
      await target?.close();
    });

    it('starts, and info() reports the store unavailable within the timeout', async () => {
      const result = await timed(store.info());
      expect(result.value).toEqual({ kind: 'neo4j', available: false, dataVersion: null, sources: [], sample: false });
      expect(result.ms).toBeLessThan(BOUND_MS);
    });

    it('answers reads with SERVICE_UNAVAILABLE within the timeout', async () => {
      expectUnavailable(await timed(store.getCodes(['I25'])), target.port);
      expectUnavailable(await timed(store.searchNames('ишемическая болезнь', { first: 5 })), target.port);
      expectUnavailable(await timed(store.listDocuments('ruccod', null, { first: 5 })), target.port);
      if (target.accepted) expect(target.accepted()).toBeGreaterThan(0);
    });

    it('answers writes with SERVICE_UNAVAILABLE within the timeout, and concurrent calls too', async () => {
      expectUnavailable(await timed(store.deleteLayer('ruccod', 'system:x')), target.port);
      const all = await Promise.all([timed<unknown>(store.counts()), timed<unknown>(store.chapters()), timed<unknown>(store.listCorpora())]);
      for (const r of all) expectUnavailable(r, target.port);
    });
  });
}

describe('GraphQL server on an unreachable Neo4j', () => {
  let port: number;
  let server: Awaited<ReturnType<typeof startServer>>;
  beforeAll(async () => {
    port = await closedPort();
    server = await startServer(config(`bolt://127.0.0.1:${port}`));
  });
  afterAll(async () => {
    await server?.close();
  });

  it('starts, and GET /health answers 503 with the store unavailable', async () => {
    const started = Date.now();
    const res = await fetch(server.url.replace(/\/graphql$/, '/health'));
    expect(Date.now() - started).toBeLessThan(BOUND_MS);
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ available: false, store: 'neo4j' });
  });

  it('reports the store in `system` and answers a graph query with SERVICE_UNAVAILABLE', async () => {
    const started = Date.now();
    const res = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ system { store available dataVersion } code(code: "I25") { code title } }' }),
    });
    expect(Date.now() - started).toBeLessThan(BOUND_MS + 1000);
    const body = (await res.json()) as { data?: { system?: unknown }; errors?: { message: string; extensions: { code: string } }[] };
    expect(body.data?.system).toEqual({ store: 'NEO4J', available: false, dataVersion: null });
    expect(body.errors?.map((e) => e.extensions.code)).toContain('SERVICE_UNAVAILABLE');
    expect(JSON.stringify(body.errors)).not.toContain(String(port));
  });
});
