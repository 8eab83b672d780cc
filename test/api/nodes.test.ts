import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryStore } from '../../src/graph/memory/MemoryStore.js';
import { loadDataDir } from '../../src/ingest/loadDataDir.js';
import { globalId, parseGlobalId } from '../../src/resolvers/globalId.js';
import { AUTH, startSampleServer } from './sampleServer.js';
import type { TestServer } from './testServer.js';

let server: TestServer;
beforeAll(async () => {
  server = await startSampleServer();
  // A small cohort (two appointments of one patient) so that Patient has an instance.
  const put = await server.query(
    `mutation($input: PutDocumentsInput!) { putDocuments(input: $input) { documents { id } } }`,
    { input: { corpus: 'cohort1', documents: [
      { documentId: 'a1', split: 'train', text: 'Жалобы на боли в груди.', patient: 'P1', date: '2021-02-03' },
      { documentId: 'a2', split: 'train', text: 'Контроль.', patient: 'P1', date: '2021-01-05' },
    ] } },
    AUTH,
  );
  expect(put.body.errors).toBeUndefined();
});
afterAll(async () => {
  await server?.close();
});

async function data(query: string, variables?: Record<string, unknown>) {
  const { body } = await server.query(query, variables);
  expect(body.errors).toBeUndefined();
  return body.data as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
}

describe('global ids', () => {
  it('round-trip through node(id:) for every Node type', async () => {
    const d = await data(`{
      code(code: "I25.2") { id names { id } }
      corpus(name: "ruccod") { id document(documentId: "0") { id layer(name: "gold") { id mentions { id label } } } }
      patient(cohort: "cohort1", patientId: "P1") { id appointments { documentId date } }
      predictionEvaluation(cohort: "cohort1", model: "linked") { id }
    }`);
    const doc = d.corpus.document;
    const expected: [string, string][] = [
      ['Code', d.code.id],
      ['Name', d.code.names[0].id],
      ['Corpus', d.corpus.id],
      ['Document', doc.id],
      ['Layer', doc.layer.id],
      ['Mention', doc.layer.mentions[0].id],
      ['Patient', d.patient.id],
      ['PredictionEvaluation', d.predictionEvaluation.id],
    ];
    expect(d.patient.appointments.map((a: { date: string }) => a.date)).toEqual(['2021-01-05', '2021-02-03']);
    for (const [type, id] of expected) {
      const back = await data(`query($id: ID!) { node(id: $id) { __typename id
        ... on Code { code } ... on Name { text concept { code } } ... on Corpus { name } ... on Document { documentId corpus }
        ... on Layer { name documentId } ... on Mention { label documentId } ... on Patient { patientId cohort }
        ... on PredictionEvaluation { model cohort } } }`, { id });
      expect(back.node, type).toMatchObject({ __typename: type, id });
    }
    const { nodes } = await data('query($ids: [ID!]!) { nodes(ids: $ids) { id } }', { ids: [...expected.map(([, id]) => id), 'bm9wZQ', globalId('Code', 'Z99.9')] });
    expect(nodes).toEqual([...expected.map(([, id]) => ({ id })), null, null]);
    expect(new Set(expected.map(([, id]) => id)).size).toBe(expected.length);
  });

  it('are opaque strings that differ between two documents with the same local id in two corpora', async () => {
    const d = await data('{ a: document(corpus: "ruccod", documentId: "0") { id } }');
    expect(d.a.id).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(parseGlobalId(d.a.id)).toEqual({ type: 'Document', parts: ['ruccod', '0'] });
    expect(globalId('Document', 'other', '0')).not.toBe(d.a.id);
    expect(parseGlobalId('garbage')).toBeNull();
  });

  it('give every mention of the sample its own id (brat labels repeat across documents)', async () => {
    const d = await data('{ documents(corpus: "ruccod", first: 100) { nodes { layers { mentions { id label } } } } }');
    const mentions = d.documents.nodes.flatMap((n: { layers: { mentions: { id: string; label: string }[] }[] }) => n.layers.flatMap((l) => l.mentions));
    expect(mentions.length).toBeGreaterThan(10);
    expect(new Set(mentions.map((m: { label: string }) => m.label)).size).toBeLessThan(mentions.length);
    expect(new Set(mentions.map((m: { id: string }) => m.id)).size).toBe(mentions.length);
  });
});

const dataDir = process.env.ICDKG_DATA_DIR;
if (!dataDir) console.warn('skipped: ICDKG_DATA_DIR not set (test/api/nodes.test.ts: mention ids of the full corpus)');

describe.skipIf(!dataDir)('global ids on the full data', () => {
  it('no two mentions of the full corpus share an id', async () => {
    const store = MemoryStore.open(await loadDataDir(dataDir!), { journalDir: null });
    const ids = new Set<string>();
    let total = 0;
    for (const corpus of await store.listCorpora()) {
      const docs = await store.listDocumentIds(corpus.name, null);
      for (const layer of corpus.layers) {
        for (const a of await store.getLayer(corpus.name, layer, docs)) {
          for (const m of a.mentions) {
            total++;
            ids.add(globalId('Mention', corpus.name, layer, a.documentId, m.id));
          }
        }
      }
    }
    console.log(`full data: ${total} mentions, ${ids.size} distinct ids`);
    expect(total).toBeGreaterThan(8_000);
    expect(ids.size).toBe(total);
    await store.close();
  }, 240_000);
});
