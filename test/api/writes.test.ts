import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SAMPLE_DATA_DIR } from '../../src/ingest/loadDataDir.js';
import { AUTH, startSampleServer } from './sampleServer.js';
import { startTestServer } from './testServer.js';
import type { TestServer } from './testServer.js';

const TRAIN = join(SAMPLE_DATA_DIR, 'ruccod', 'train');
/** The sample's gold brat files: a "system" that agrees with gold except where a test edits it. */
const GOLD = readdirSync(TRAIN)
  .filter((f) => f.endsWith('.ann'))
  .map((f) => ({ documentId: f.slice(0, -4), ann: readFileSync(join(TRAIN, f), 'utf8') }));

const IMPORT = `mutation($input: ImportLayerInput!) {
  importLayer(input: $input) { layer documents mentions cleared corpus { layers } }
}`;
const EVALUATE = `query($predicted: String!) {
  evaluateCoding(corpus: "ruccod", predicted: $predicted) { documents codeAssignment { tp fp fn f1 } nerLinking { tp fp fn } }
}`;

let server: TestServer;
beforeAll(async () => {
  server = await startSampleServer();
});
afterAll(async () => {
  await server?.close();
});

describe('a researcher compares a coding system over HTTP alone, no restart', () => {
  it('imports the system brat output as a layer, evaluates it against gold, compares layers, deletes it', async () => {
    // The system replaces I25.2 by I25.1 in document 0 and is otherwise gold.
    const system = GOLD.map((f) => (f.documentId === '0' ? { ...f, ann: f.ann.replace(/\tI25\.2$/m, '\tI25.1') } : f));
    expect(system.find((f) => f.documentId === '0')!.ann).toContain('I25.1');
    const imported = await server.query(IMPORT, { input: { corpus: 'ruccod', layer: 'system:mine', brat: system } }, AUTH);
    expect(imported.body.errors).toBeUndefined();
    const mentions = GOLD.reduce((n, f) => n + (f.ann.match(/^T\d+\t/gm) ?? []).length, 0);
    expect(imported.body.data!.importLayer).toEqual({
      layer: 'system:mine', documents: GOLD.length, mentions, cleared: 0, corpus: { layers: expect.arrayContaining(['gold', 'system:mine']) as unknown },
    });

    const evaluated = await server.query(EVALUATE, { predicted: 'system:mine' });
    expect(evaluated.body.errors).toBeUndefined();
    const e = evaluated.body.data!.evaluateCoding as { documents: number; codeAssignment: { tp: number; fp: number; fn: number; f1: number }; nerLinking: { tp: number; fp: number; fn: number } };
    expect(e.documents).toBe(GOLD.length);
    expect(e.codeAssignment.fp).toBe(1);
    expect(e.codeAssignment.fn).toBe(1);
    expect(e.nerLinking).toMatchObject({ fp: 1, fn: 1 });
    expect(e.codeAssignment.f1).toBeGreaterThan(0.8);
    expect(e.codeAssignment.f1).toBeLessThan(1);

    const compared = await server.query('{ compareLayers(corpus: "ruccod", a: "gold", b: "system:mine") { transitions { fromCode toCode count relation { hopDistance sameCategory } } } }');
    expect(compared.body.errors).toBeUndefined();
    expect((compared.body.data!.compareLayers as { transitions: unknown[] }).transitions).toEqual([
      { fromCode: 'I25.2', toCode: 'I25.1', count: 1, relation: { hopDistance: 2, sameCategory: true } },
    ]);

    const deleted = await server.query('mutation { deleteLayer(input: { corpus: "ruccod", layer: "system:mine" }) { deleted corpus { layers } } }', undefined, AUTH);
    expect(deleted.body.errors).toBeUndefined();
    expect(deleted.body.data!.deleteLayer).toEqual({ deleted: true, corpus: { layers: ['gold'] } });
    const after = await server.query(EVALUATE, { predicted: 'system:mine' });
    expect(after.body.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });

  it('imports JSON annotations and sees them in the next query', async () => {
    const { body } = await server.query(IMPORT, {
      input: { corpus: 'ruccod', layer: 'system:json', annotations: [{ documentId: '1', mentions: [{ fragments: [{ start: 0, end: 22 }], code: 'E11.9' }], codes: ['E66.9'] }] },
    }, AUTH);
    expect(body.errors).toBeUndefined();
    expect(body.data!.importLayer).toMatchObject({ documents: 1, mentions: 1, cleared: 5 });
    const read = await server.query('{ document(corpus: "ruccod", documentId: "1") { layer(name: "system:json") { codes mentions { label text code } } } }');
    expect(read.body.data!.document).toEqual({ layer: { codes: ['E66.9'], mentions: [{ label: 'T1', text: 'Сахарный диабет 2 типа', code: 'E11.9' }] } });
    await server.query('mutation { deleteLayer(input: { corpus: "ruccod", layer: "system:json" }) { deleted } }', undefined, AUTH);
  });

  it('codes a split with the server coder into system:<name>', async () => {
    const { body } = await server.query('mutation { codeCorpus(input: { corpus: "ruccod", split: "train", system: "lexical" }) { layer documents mentions } }', undefined, AUTH);
    expect(body.errors).toBeUndefined();
    const r = body.data!.codeCorpus as { layer: string; documents: number; mentions: number };
    expect(r.layer).toBe('system:lexical');
    expect(r.documents).toBe(GOLD.length - 1); // document 5 is in dev
    expect(r.mentions).toBeGreaterThan(0);
    const e = await server.query(EVALUATE.replace('corpus: "ruccod"', 'corpus: "ruccod", split: "train"'), { predicted: 'system:lexical' });
    expect(e.body.errors).toBeUndefined();
    await server.query('mutation { deleteLayer(input: { corpus: "ruccod", layer: "system:lexical" }) { deleted } }', undefined, AUTH);
  }, 60_000);
});

describe('writes are validated and all-or-nothing', () => {
  it('refuses a bad file naming the document and the line, and writes nothing', async () => {
    const bad = GOLD.map((f) => (f.documentId === '2' ? { ...f, ann: `${f.ann.trimEnd()}\nT9\ticd_code 0 99999\tx\n` } : f));
    const { body } = await server.query(IMPORT, { input: { corpus: 'ruccod', layer: 'system:bad', brat: bad } }, AUTH);
    expect(body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', file: '2.ann', line: GOLD.find((f) => f.documentId === '2')!.ann.trimEnd().split('\n').length + 1 });
    expect(body.errors?.[0]?.message).toMatch(/^2\.ann:\d+: /);
    const layers = await server.query('{ corpus(name: "ruccod") { layers } }');
    expect(layers.body.data!.corpus).toEqual({ layers: ['gold'] });
  });

  it('refuses an unknown code and an unknown document in JSON, naming the document and the mention', async () => {
    const unknownCode = await server.query(IMPORT, {
      input: { corpus: 'ruccod', layer: 'system:bad', annotations: [{ documentId: '1', mentions: [{ fragments: [{ start: 0, end: 5 }] }, { fragments: [{ start: 0, end: 5 }], code: 'Z99.9' }] }] },
    }, AUTH);
    expect(unknownCode.body.errors?.[0]?.message).toBe('document 1 mention:2: unknown ICD-10 code <5 characters>');
    const unknownDoc = await server.query(IMPORT, { input: { corpus: 'ruccod', layer: 'system:bad', annotations: [{ documentId: '404', mentions: [] }] } }, AUTH);
    expect(unknownDoc.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(unknownDoc.body.errors?.[0]?.message).toContain('no document <3 characters>');
    const both = await server.query(IMPORT, { input: { corpus: 'ruccod', layer: 'system:bad' } }, AUTH);
    expect(both.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argumentName: 'input' });
    const corpus = await server.query(IMPORT, { input: { corpus: 'nope', layer: 'system:bad', brat: [] } }, AUTH);
    expect(corpus.body.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });

  it('needs the bearer token, and is off without ICDKG_WRITE_TOKEN', async () => {
    const mutation = 'mutation { deleteLayer(input: { corpus: "ruccod", layer: "gold" }) { deleted } }';
    expect((await server.query(mutation)).body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect((await server.query(mutation, undefined, { authorization: 'Bearer wrong-token-of-same-len' })).body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    const readOnly = await startTestServer();
    try {
      const { body } = await readOnly.query(mutation, undefined, AUTH);
      expect(body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      expect((await readOnly.query('{ system { writable } }')).body.data).toEqual({ system: { writable: false } });
    } finally {
      await readOnly.close();
    }
    expect((await server.query('{ corpus(name: "ruccod") { layers } }')).body.data!.corpus).toEqual({ layers: ['gold'] });
  });
});

describe('documents and corpora through the API', () => {
  it('puts documents, deletes one (with its annotations), refuses an unknown one, deletes the corpus', async () => {
    const put = await server.query('mutation { putDocuments(input: { corpus: "scratch", documents: [{ documentId: "a", split: "train", text: "ИБС." }, { documentId: "b", split: "train", text: "Стенокардия." }] }) { corpus { documentCount } documents { id } } }', undefined, AUTH);
    expect(put.body.errors).toBeUndefined();
    expect(put.body.data!.putDocuments).toMatchObject({ corpus: { documentCount: 2 } });
    await server.query(IMPORT, { input: { corpus: 'scratch', layer: 'system:x', annotations: [{ documentId: 'a', codes: ['I25.9'] }] } }, AUTH);

    const unknown = await server.query('mutation { deleteDocuments(input: { corpus: "scratch", documentIds: ["b", "zz"] }) { deleted } }', undefined, AUTH);
    expect(unknown.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(unknown.body.errors?.[0]?.message).toBe('deleteDocuments.documentIds[1]: no document "zz" in corpus "scratch"');
    expect((await server.query('{ corpus(name: "scratch") { documentCount } }')).body.data).toEqual({ corpus: { documentCount: 2 } });

    const deleted = await server.query('mutation { deleteDocuments(input: { corpus: "scratch", documentIds: ["a"] }) { deleted corpus { documentCount layers } } }', undefined, AUTH);
    expect(deleted.body.errors).toBeUndefined();
    expect(deleted.body.data!.deleteDocuments).toEqual({ deleted: 1, corpus: { documentCount: 1, layers: [] } });
    expect((await server.query('{ document(corpus: "scratch", documentId: "a") { id } }')).body.data).toEqual({ document: null });

    const gone = await server.query('mutation { deleteCorpus(input: { corpus: "scratch" }) { name documents } }', undefined, AUTH);
    expect(gone.body.data!.deleteCorpus).toEqual({ name: 'scratch', documents: 1 });
    expect((await server.query('{ corpus(name: "scratch") { name } corpora { name } }')).body.data).toEqual({ corpus: null, corpora: [{ name: 'ruccod' }] });
  });
});
