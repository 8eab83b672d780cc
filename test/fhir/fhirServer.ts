import type { GraphStore } from '../../src/graph/GraphStore.js';
import { MemoryStore } from '../../src/graph/memory/MemoryStore.js';
import { loadDataDir, SAMPLE_DATA_DIR } from '../../src/ingest/loadDataDir.js';
import { startTestServer } from '../api/testServer.js';
import type { TestServer } from '../api/testServer.js';

/** The real memory store over the project's sample (graph/seed/sample), or ICDKG_DATA_DIR's full data. */
export async function dataStore(dataDir: string = SAMPLE_DATA_DIR): Promise<MemoryStore> {
  return MemoryStore.open(await loadDataDir(dataDir), { journalDir: null });
}

export interface FhirTestServer extends TestServer {
  /** `http://host:port/fhir`. */
  fhirBase: string;
  /** GET `/fhir/<path>` with query parameters; the parsed body, status and content type. */
  get(path: string, params?: Record<string, string | string[]>): Promise<{ status: number; body: Record<string, unknown>; type: string | null }>;
  /** POST a Parameters resource to `/fhir/<path>`. */
  post(path: string, parameter: Record<string, unknown>[], contentType?: string): Promise<{ status: number; body: Record<string, unknown>; type: string | null }>;
}

/** Starts the real server (GraphQL + FHIR) over `store`. */
export async function startFhirServer(store: GraphStore): Promise<FhirTestServer> {
  const server = await startTestServer({ store });
  const fhirBase = server.url.replace(/\/graphql$/, '/fhir');
  const read = async (res: Response) => ({ status: res.status, body: (await res.json()) as Record<string, unknown>, type: res.headers.get('content-type') });
  return {
    ...server,
    fhirBase,
    async get(path, params = {}) {
      const search = new URLSearchParams();
      for (const [k, v] of Object.entries(params)) for (const one of Array.isArray(v) ? v : [v]) search.append(k, one);
      return read(await fetch(`${fhirBase}/${path}${search.size > 0 ? `?${search}` : ''}`));
    },
    async post(path, parameter, contentType = 'application/fhir+json') {
      return read(await fetch(`${fhirBase}/${path}`, { method: 'POST', headers: { 'content-type': contentType }, body: JSON.stringify({ resourceType: 'Parameters', parameter }) }));
    },
  };
}

/** A Parameters resource's values by name (the first value[x] of each), parts as nested arrays. */
export function paramValues(body: Record<string, unknown>, name: string): unknown[] {
  const list = (body.parameter as { name: string; [k: string]: unknown }[]) ?? [];
  return list
    .filter((p) => p.name === name)
    .map((p) => {
      if (p.part) return p.part;
      const key = Object.keys(p).find((k) => k.startsWith('value'));
      return key ? p[key] : undefined;
    });
}

/** The value of a part list's entry. */
export function partValue(parts: unknown, name: string): unknown {
  const p = (parts as { name: string; [k: string]: unknown }[]).find((x) => x.name === name);
  if (!p) return undefined;
  const key = Object.keys(p).find((k) => k.startsWith('value'));
  return key ? p[key] : undefined;
}
