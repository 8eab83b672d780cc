import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MemoryStore } from '../../src/graph/memory/MemoryStore.js';
import { createMcpServer } from '../../src/mcp/createMcpServer.js';
import { startServer } from '../../src/server.js';
import type { RunningServer } from '../../src/server.js';
import { createServices } from '../../src/services.js';
import { testConfig } from '../api/testServer.js';
import { dataStore } from '../fhir/fhirServer.js';

let dir: string;
let store: MemoryStore;
let corpus: string;
let client: Client;
const logs: string[] = [];
const logger = pino({ level: 'debug' }, new Writable({ write: (chunk, _enc, done) => (logs.push(String(chunk)), done()) }));
const config = () => testConfig({}, { ICDKG_DATA_DIR: join(dir, 'no-data'), ICDKG_MODELS_DIR: join(dir, 'no-models'), ICDKG_JOURNAL_DIR: dir });

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'icdkg-mcp-'));
  store = await dataStore();
  corpus = (await store.listCorpora())[0]!.name;
  const ids = (await store.listDocumentIds(corpus, null)).slice(0, 3);
  const layer = (name: string, codes: string[][]) => ids.map((documentId, i) => ({ documentId, layer: name, mentions: [], codes: codes[i]! }));
  await store.putLayer(corpus, 'original', layer('original', [['I25.2'], ['I25.2', 'E11.9'], ['I25.2']]));
  await store.putLayer(corpus, 'linked', layer('linked', [['I11.9'], ['I11.9', 'E11.9'], ['I25']]));
  // The real services over the sample: the lexical coder is trained from the sample on first use.
  const server = createMcpServer(createServices(config(), store, logger), logger);
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await server.connect(serverSide);
  client = new Client({ name: 'icdkg-test', version: '1.0.0' });
  await client.connect(clientSide);
}, 60_000);
afterAll(async () => {
  await client?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function call(name: string, args: Record<string, unknown>) {
  const result = await client.callTool({ name, arguments: args });
  const text = (result.content as { type: string; text: string }[])[0]!.text;
  return { isError: result.isError === true, text, value: result.isError ? null : (JSON.parse(text) as Record<string, unknown>) };
}

const TOOLS = ['lookup_code', 'search_codes', 'code_text', 'is_a', 'hierarchy_relation', 'transitions_from', 'evaluate_layer'];

describe('the MCP server (SDK client over an in-memory transport)', () => {
  it('lists the read-only tools, each with a JSON schema of its input', async () => {
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual([...TOOLS].sort());
    for (const t of tools) {
      expect(t.inputSchema.type).toBe('object');
      expect(Object.keys(t.inputSchema.properties ?? {}).length).toBeGreaterThan(0);
      expect(t.annotations?.readOnlyHint).toBe(true);
    }
    const lookup = tools.find((t) => t.name === 'lookup_code')!;
    expect(lookup.inputSchema.required).toEqual(['code']);
  });

  it('lookup_code gives the code with its parent, ancestors and children', async () => {
    const { value } = await call('lookup_code', { code: 'I25' });
    const [children] = await store.getChildren(['I25']);
    expect(value).toMatchObject({ code: 'I25', kind: 'CATEGORY', parent: 'I20-I25' });
    expect((value!.children as { code: string }[]).map((c) => c.code)).toEqual(children!.map((c) => c.code));
    expect((value!.ancestors as { code: string }[]).map((c) => c.code)).toEqual(['I20-I25', 'I00-I99']);
    const unknown = await call('lookup_code', { code: 'X99.9' });
    expect(unknown.isError).toBe(true);
    expect(unknown.text).toContain('NOT_FOUND');
  });

  it('search_codes ranks as the store search does', async () => {
    const { value } = await call('search_codes', { text: 'ишемичская болезнь', first: 5 });
    const expected = await store.searchNames('ишемичская болезнь', { first: 5 });
    expect((value!.hits as { code: string }[]).map((h) => h.code)).toEqual(expected.map((h) => h.code));
  });

  it('code_text codes a text and never logs it', async () => {
    const text = 'ИБС: постинфарктный кардиосклероз. Сахарный диабет 2 типа';
    const { value } = await call('code_text', { text });
    const codes = value!.codes as string[];
    expect(codes.length).toBeGreaterThan(0);
    for (const e of value!.entities as { start: number; end: number; text: string; code: string }[]) {
      expect(text.slice(e.start, e.end)).toBe(e.text);
      expect(codes).toContain(e.code);
    }
    expect(logs.join('\n')).toContain('code_text');
    for (const fragment of ['постинфарктный', 'кардиосклероз', 'Сахарный']) expect(logs.join('\n')).not.toContain(fragment);
    const empty = await call('code_text', { text: '   ' });
    expect(empty.isError).toBe(true);
  }, 60_000);

  it('is_a and hierarchy_relation follow PARENT hops', async () => {
    expect((await call('is_a', { code: 'I25.2', ancestor: 'I20-I25' })).value).toMatchObject({ isA: true, hops: 2 });
    expect((await call('is_a', { code: 'I20-I25', ancestor: 'I25.2' })).value).toMatchObject({ isA: false, hops: null });
    expect((await call('hierarchy_relation', { a: 'I25.2', b: 'I11.9' })).value).toMatchObject({ lca: { code: 'I00-I99' }, distance: 6 });
  });

  it('transitions_from ranks what replaced a code between original and linked', async () => {
    const { value } = await call('transitions_from', { corpus, code: 'I25.2' });
    expect((value!.transitions as { to: string; count: number }[]).map((t) => [t.to, t.count])).toEqual([
      ['I11.9', 2],
      ['I25', 1],
    ]);
    expect((await call('transitions_from', { corpus: 'nope', code: 'I25.2' })).isError).toBe(true);
  });

  it('evaluate_layer scores a layer against gold (gold against itself is perfect)', async () => {
    const { value } = await call('evaluate_layer', { corpus, predicted: 'gold' });
    expect((value!.codeAssignment as { f1: number }).f1).toBe(1);
    expect((await call('evaluate_layer', { corpus, predicted: 'linked', level: 'CATEGORY' })).isError).toBe(false);
    expect((await call('evaluate_layer', { corpus, predicted: 'nope' })).isError).toBe(true);
  });

  it('exposes codes as icd10:// resources (chapters listed)', async () => {
    const { resources } = await client.listResources();
    expect(resources.map((r) => r.name)).toEqual((await store.chapters()).map((c) => c.code));
    const read = await client.readResource({ uri: 'icd10://I25.2' });
    expect(JSON.parse((read.contents[0] as { text: string }).text)).toMatchObject({ code: 'I25.2', parent: 'I25' });
  });

  it('refuses invalid input by its JSON schema', async () => {
    const res = await client.callTool({ name: 'search_codes', arguments: { text: 'x', first: 1000 } });
    expect(res.isError).toBe(true);
  });
});

describe('the MCP server over Streamable HTTP at /mcp', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer({ ...config(), mcpHttp: true }, { store, logger });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('lists the tools and calls one through the SDK client', async () => {
    const http = new Client({ name: 'icdkg-http-test', version: '1.0.0' });
    await http.connect(new StreamableHTTPClientTransport(new URL(server.url.replace(/\/graphql$/, '/mcp'))));
    expect((await http.listTools()).tools.map((t) => t.name).sort()).toEqual([...TOOLS].sort());
    const res = await http.callTool({ name: 'is_a', arguments: { code: 'I25.2', ancestor: 'I25' } });
    expect(JSON.parse((res.content as { text: string }[])[0]!.text)).toMatchObject({ isA: true, hops: 1 });
    await http.close();
  });

  it('is absent unless enabled', async () => {
    const plain = await startServer(config(), { store, logger });
    try {
      expect((await fetch(plain.url.replace(/\/graphql$/, '/mcp'), { method: 'POST' })).status).toBe(404);
    } finally {
      await plain.close();
    }
  });
});
