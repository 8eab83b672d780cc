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

/** Starts the real server on a free port over `store` (the fixture store by default). */
export async function startTestServer(options: { config?: Partial<Config>; env?: NodeJS.ProcessEnv; store?: GraphStore } = {}): Promise<TestServer> {
  const server = await startServer(testConfig(options.config, options.env), { store: options.store ?? (await fixtureStore()) });
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
