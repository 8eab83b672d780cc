import { describe, expect, it } from 'vitest';
import { sampleData } from '../fixtures/sample.js';
import { TEST_STORE, useTestServer } from './testServer.js';

const sample = await sampleData();
const api = useTestServer();

const data = api.data.bind(api);

describe('corpora()', () => {
  it('lists corpora with their splits and layers', async () => {
    expect(await data('{ corpora { name documentCount splits { split documentCount } layers } }')).toEqual({
      corpora: [
        {
          name: 'fixture',
          documentCount: 3,
          splits: [
            { split: 'dev', documentCount: 1 },
            { split: 'train', documentCount: 2 },
          ],
          layers: ['gold', 'linked'],
        },
        {
          name: 'ruccod',
          documentCount: 6,
          splits: [
            { split: 'dev', documentCount: 1 },
            { split: 'train', documentCount: 5 },
          ],
          layers: ['gold'],
        },
      ],
    });
  });

  it('answers null for an unknown corpus', async () => {
    expect(await data('{ corpus(name: "none") { name } }')).toEqual({ corpus: null });
  });
});

describe('documents()', () => {
  it('pages documents in id order and goes on from endCursor', async () => {
    const first = (await data('{ documents(corpus: "fixture", first: 2) { totalCount pageInfo { endCursor hasNextPage } nodes { documentId split } } }')) as {
      documents: { pageInfo: { endCursor: string } };
    };
    expect(first).toEqual({
      documents: {
        totalCount: 3,
        pageInfo: { endCursor: expect.any(String), hasNextPage: true },
        nodes: [
          { documentId: '1', split: 'train' },
          { documentId: '2', split: 'train' },
        ],
      },
    });
    expect(
      await data('query($after: String) { documents(corpus: "fixture", first: 2, after: $after) { pageInfo { hasNextPage } nodes { documentId } } }', {
        after: first.documents.pageInfo.endCursor,
      }),
    ).toEqual({ documents: { pageInfo: { hasNextPage: false }, nodes: [{ documentId: '3' }] } });
  });

  it('filters by split, also through Corpus.documents', async () => {
    expect(
      await data('{ documents(corpus: "fixture", split: "dev") { totalCount nodes { documentId } } corpus(name: "fixture") { documents(split: "train") { nodes { documentId } } } }'),
    ).toEqual({ documents: { totalCount: 1, nodes: [{ documentId: '3' }] }, corpus: { documents: { nodes: [{ documentId: '1' }, { documentId: '2' }] } } });
  });

  it('refuses a cursor that is not one of the list with BAD_USER_INPUT (not masked)', async () => {
    const { body } = await api.server.query('{ documents(corpus: "fixture", after: "garbage") { totalCount } }');
    expect(body.errors?.map((e) => [e.extensions?.code, e.message])).toEqual([['BAD_USER_INPUT', 'after: "garbage" is not a cursor of this list']]);
  });

  it('answers NOT_FOUND for an unknown corpus', async () => {
    const { body } = await api.server.query('{ documents(corpus: "none") { totalCount } }');
    expect(body.errors?.map((e) => [e.extensions?.code, e.message])).toEqual([['NOT_FOUND', 'No corpus <4 characters>']]);
  });
});

describe('document()', () => {
  it('answers a document with its fields and every layer', async () => {
    expect(
      await data(`{ document(corpus: "fixture", documentId: "2") {
        corpus documentId split text patient date fields { name value }
        layers { name documentId codes mentions { label start end fragments { start end } text code concept { code kind } document { documentId } } }
      } }`),
    ).toEqual({
      document: {
        corpus: 'fixture',
        documentId: '2',
        split: 'train',
        text: 'Стенокардия напряжения, сахарный диабет 2 типа.',
        patient: 'p7',
        date: '2020-03-01',
        fields: [{ name: 'age', value: '61' }],
        layers: [
          {
            name: 'gold',
            documentId: '2',
            codes: [],
            mentions: [
              { label: 'T1', start: 0, end: 22, fragments: [{ start: 0, end: 22 }], text: 'Стенокардия напряжения', code: 'I20.9', concept: { code: 'I20.9', kind: 'SUBCATEGORY' }, document: { documentId: '2' } },
              { label: 'T2', start: 24, end: 46, fragments: [{ start: 24, end: 46 }], text: 'сахарный диабет 2 типа', code: 'E11.9', concept: { code: 'E11.9', kind: 'SUBCATEGORY' }, document: { documentId: '2' } },
            ],
          },
          { name: 'linked', documentId: '2', codes: [], mentions: [] },
        ],
      },
    });
  });

  it('answers one named layer, with code-only assignments', async () => {
    expect(await data('{ document(corpus: "fixture", documentId: "1") { layer(name: "linked") { name codes mentions { label } } layers(names: ["gold"]) { name mentions { code } } } }')).toEqual({
      document: { layer: { name: 'linked', codes: ['E11.9', 'I11.9'], mentions: [] }, layers: [{ name: 'gold', mentions: [{ code: 'I11.9' }, { code: 'I25.2' }] }] },
    });
  });

  it('answers a discontinuous mention with its fragments', async () => {
    expect(await data('{ document(corpus: "fixture", documentId: "3") { layer(name: "gold") { mentions { label start end text fragments { start end } } } } }')).toEqual({
      document: {
        layer: {
          mentions: [
            { label: 'T1', start: 0, end: 3, text: 'ИБС', fragments: [{ start: 0, end: 3 }] },
            { label: 'T2', start: 0, end: 16, text: 'ИБС стенокардия', fragments: [{ start: 0, end: 3 }, { start: 5, end: 16 }] },
          ],
        },
      },
    });
  });

  it('answers null for an unknown document or corpus', async () => {
    expect(await data('{ a: document(corpus: "fixture", documentId: "99") { documentId } b: document(corpus: "none", documentId: "1") { documentId } }')).toEqual({ a: null, b: null });
  });
});

describe('system()', () => {
  it('reports the store, the data version, the sources and the counts', async () => {
    expect(await data('{ system { version store available sample dataVersion sources { path sha256 } counts { codes names corpora documents mentions } } }')).toEqual({
      system: {
        version: expect.stringMatching(/^\d+\.\d+\.\d+/),
        store: TEST_STORE.toUpperCase(),
        available: true,
        sample: false,
        dataVersion: sample.dataVersion,
        sources: ['ruccod/mkb2descr.yaml', 'mkb10-nsi/mkb10_sample.csv', 'ruccod/abbr2term.yaml', 'umls/MRCONSO.RRF', 'ruccod/train', 'ruccod/dev-ids.txt'].map((path) => ({
          path,
          sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
        })),
        // The sample: 79 codes; 79 titles + 2 dictionary, 4 abbreviation, 3 UMLS and 13 corpus names;
        // 16 gold mentions in ruccod (6 documents) and 6 in the test corpus `fixture` (3 documents).
        counts: { codes: 79, names: 101, corpora: 2, documents: 9, mentions: 22 },
      },
    });
  });
});
