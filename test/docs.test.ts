import { readdirSync, readFileSync } from 'node:fs';
import { GraphQLClient } from 'graphql-request';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUTH, startSampleServer } from './api/sampleServer.js';
import type { TestServer } from './api/testServer.js';

/**
 * Every `graphql` block of README.md and docs/*.md, run in file order with graphql-request (a
 * client front ends use) against the sample server; a block must answer without errors.
 * Mutations carry the write token. A block whose first line is `# needs: full data` runs only
 * with ICDKG_DATA_DIR (none does today).
 */
const FILES = ['README.md', ...readdirSync('docs', { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];
const BLOCKS = FILES.flatMap((file) =>
  [...readFileSync(file, 'utf8').matchAll(/^```graphql\n([\s\S]*?)^```/gm)].map((m, i) => ({ file, index: i + 1, query: m[1]! })),
);
const fullData = Boolean(process.env.ICDKG_DATA_DIR);

let server: TestServer;
let client: GraphQLClient;
beforeAll(async () => {
  server = await startSampleServer();
  client = new GraphQLClient(server.url);
  // docs/cohorts.md queries a cohort `demo`: two appointments of P001 with `original` and `linked`
  // codes, written through the API itself.
  const writer = new GraphQLClient(server.url, { headers: AUTH });
  await writer.request(`mutation {
    putDocuments(input: { corpus: "demo", documents: [
      { documentId: "P001-1", split: "train", text: "ИБС.", patient: "P001", date: "2021-01-05" },
      { documentId: "P001-2", split: "train", text: "Постинфарктный кардиосклероз.", patient: "P001", date: "2021-05-20" }
    ] }) { documents { id } }
  }`);
  for (const [layer, codes] of [['original', ['I25.2', 'I11.9']], ['linked', ['I25.1', 'I11.9']]] as const) {
    await writer.request('mutation($input: ImportLayerInput!) { importLayer(input: $input) { documents } }', {
      input: { corpus: 'demo', layer, annotations: [{ documentId: 'P001-1', codes }, { documentId: 'P001-2', codes: [codes[0]] }] },
    });
  }
}, 60_000);
afterAll(async () => {
  await server?.close();
});

describe('the docs run', () => {
  it('has graphql blocks in README.md and docs/', () => {
    expect(BLOCKS.filter((b) => b.file === 'README.md').length).toBeGreaterThanOrEqual(5);
    expect(BLOCKS.some((b) => b.file.startsWith('docs/'))).toBe(true);
  });

  for (const block of BLOCKS) {
    const needsFull = block.query.startsWith('# needs: full data');
    it.skipIf(needsFull && !fullData)(`${block.file} graphql block ${block.index} answers without errors`, async () => {
      const mutation = /^\s*(#[^\n]*\n\s*)*mutation\b/.test(block.query);
      const data = await client.request<Record<string, unknown>>(block.query, undefined, mutation ? AUTH : undefined);
      expect(Object.keys(data).length).toBeGreaterThan(0);
      for (const [field, value] of Object.entries(data)) expect(value, `${field} is null`).not.toBeNull();
    }, 60_000);
  }
});
