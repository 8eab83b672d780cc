import { afterAll, beforeAll, expect } from 'vitest';
import { loadConfig } from '../../src/config.js';
import type { Config } from '../../src/config.js';
import type { GraphStore } from '../../src/graph/GraphStore.js';
import { MemoryStore } from '../../src/graph/memory/MemoryStore.js';
import { startServer } from '../../src/server.js';
import type { RunningServer } from '../../src/server.js';
import { sampleData } from '../fixtures/sample.js';

/** The API tests' configuration: defaults, a free port, loopback, overrides on top. */
export function testConfig(overrides: Partial<Config> = {}, env: NodeJS.ProcessEnv = {}): Config {
  return { ...loadConfig(env), port: 0, host: '127.0.0.1', ...overrides };
}

/**
 * The store the API tests run on by default: `memory`, or `neo4j` when ICDKG_TEST_STORE=neo4j
 * (the `api-on-neo4j` project of vitest.config.ts, with NEO4J_URI set).
 */
export const TEST_STORE: 'memory' | 'neo4j' = process.env.ICDKG_TEST_STORE === 'neo4j' ? 'neo4j' : 'memory';

/** The real memory store over the sample with the test corpus `fixture` (no journal). */
export async function fixtureStore(): Promise<MemoryStore> {
  return MemoryStore.open(await sampleData('fixture'), { journalDir: null });
}

export interface TestServer extends RunningServer {
  /** POSTs a query as JSON and returns the parsed body and status. */
  query(query: string, variables?: Record<string, unknown>, headers?: Record<string, string>): Promise<{ status: number; body: GraphQLBody; headers: Headers }>;
}

export interface GraphQLBody {
  data?: Record<string, unknown> | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[];
}

/** The fixture data in the store of TEST_STORE (a Neo4j emptied first). */
async function defaultStore(): Promise<GraphStore> {
  if (TEST_STORE === 'memory') return fixtureStore();
  const { freshNeo4jStore } = await import('../neo4j/freshNeo4jStore.js');
  return freshNeo4jStore(await sampleData('fixture'));
}

/** Starts the real server on a free port over `store` (the fixture data in TEST_STORE by default). */
export async function startTestServer(options: { config?: Partial<Config>; env?: NodeJS.ProcessEnv; store?: GraphStore } = {}): Promise<TestServer> {
  const server = await startServer(testConfig(options.config, options.env), { store: options.store ?? (await defaultStore()) });
  return {
    ...server,
    async query(query, variables, headers = {}) {
      const res = await fetch(server.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ query, variables }),
      });
      return { status: res.status, body: (await res.json()) as GraphQLBody, headers: res.headers };
    },
  };
}

/** What {@link useTestServer} gives a suite. */
export interface SuiteServer {
  /** The running server (throws before the suite's `beforeAll` ran). */
  readonly server: TestServer;
  /** Runs a query that must succeed (status 200, no errors) and returns its `data`. */
  data(query: string, variables?: Record<string, unknown>): Promise<Record<string, unknown> | null | undefined>;
}

/**
 * Starts a test server before the enclosing suite's tests and closes it after them.
 *
 * @example
 *   const api = useTestServer();
 *   it('lists chapters', async () => expect(await api.data('{ chapters { code } }')).toBeTruthy());
 */
export function useTestServer(options: Parameters<typeof startTestServer>[0] = {}): SuiteServer {
  let running: TestServer | undefined;
  beforeAll(async () => {
    running = await startTestServer(options);
  });
  afterAll(async () => {
    await running?.close();
  });
  return {
    get server() {
      if (!running) throw new Error('the test server is not started yet');
      return running;
    },
    async data(query, variables) {
      const { status, body } = await this.server.query(query, variables);
      expect(body.errors).toBeUndefined();
      expect(status).toBe(200);
      return body.data;
    },
  };
}
