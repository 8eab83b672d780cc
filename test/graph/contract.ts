import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { GraphStore } from '../../src/graph/GraphStore.js';
import type { Code, Document, GraphData, LayerAnnotations } from '../../src/graph/model.js';
import { sampleData } from '../fixtures/sample.js';

/** A code the contract's data marks withdrawn by the МКБ-10 reference (`inactive`): a category with subcategories. */
const WITHDRAWN = 'I67';

/** The contract's data: the sample, a system layer over its corpus and an EHR corpus; {@link WITHDRAWN} inactive. */
const contractData = async (): Promise<GraphData> => {
  const data = await sampleData('system:x', 'ehr');
  return { ...data, codes: data.codes.map((c) => (c.code === WITHDRAWN ? { ...c, inactive: true } : c)) };
};

/** Builds a store holding exactly `data` (a fresh, empty database for Neo4j, then imported). */
export type MakeStore = (data: GraphData) => Promise<GraphStore>;

const codesOf = (list: readonly (Code | null)[]) => list.map((c) => (c ? c.code : null));

async function rejection(promise: Promise<unknown>): Promise<{ message: string; extensions: Record<string, unknown> }> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error, 'the call should have been rejected').not.toBeNull();
  return error as { message: string; extensions: Record<string, unknown> };
}

/** Expects a BAD_USER_INPUT rejection whose message names every given fragment (value, where). */
async function expectBadInput(promise: Promise<unknown>, ...fragments: string[]): Promise<void> {
  const error = await rejection(promise);
  expect(error.extensions?.code).toBe('BAD_USER_INPUT');
  for (const f of fragments) expect(error.message).toContain(f);
}

/** Everything a write could change, read through the port. */
async function snapshot(store: GraphStore) {
  const corpora = await store.listCorpora();
  const layers: Record<string, LayerAnnotations[]> = {};
  const documents: Record<string, (Document | null)[]> = {};
  for (const c of corpora) {
    const ids = await store.listDocumentIds(c.name, null);
    documents[c.name] = await store.getDocuments(c.name, ids);
    for (const layer of c.layers) layers[`${c.name}/${layer}`] = await store.getLayer(c.name, layer, ids);
  }
  return { corpora, documents, layers, counts: await store.counts() };
}

/**
 * The contract every `GraphStore` adapter keeps (issue 3), over the canonical fixture
 * (`graph/seed/sample` with the test layer `system:x` and corpus `ehr`, `test/fixtures/sample.ts`): hierarchy walks, lifts, names and searches, documents and cursors, layers, writes
 * (all-or-nothing, bad input changes nothing), counts, frequencies and mentions of codes.
 * Cursors are opaque: the suite only passes them back.
 *
 * @example runStoreContract('memory', async (data) => MemoryStore.open(data));
 */
export function runStoreContract(name: string, makeStore: MakeStore): void {
  describe(`GraphStore contract: ${name}`, () => {
    describe('reads', () => {
      let store: GraphStore;
      let dataVersion: string;
      beforeAll(async () => {
        const data = await contractData();
        dataVersion = data.dataVersion;
        store = await makeStore(data);
      });
      afterAll(async () => {
        await store?.close();
      });

      describe('codes', () => {
        it('gets codes in key order with null for unknown keys', async () => {
          expect(await store.getCodes(['I25.2', 'X99', 'H00-H59'])).toEqual([
            { code: 'I25.2', title: 'Перенесенный в прошлом инфаркт миокарда', kind: 'SUBCATEGORY', depth: 3, parent: 'I25', number: null },
            null,
            { code: 'H00-H59', title: 'БОЛЕЗНИ ГЛАЗА И ЕГО ПРИДАТОЧНОГО АППАРАТА', kind: 'CHAPTER', depth: 0, parent: null, number: 'VII' },
          ]);
        });

        it('keeps inactive (withdrawn by the МКБ-10 reference) on that code only, through every read', async () => {
          const [withdrawn, active] = await store.getCodes([WITHDRAWN, 'I67.9']);
          expect(withdrawn).toMatchObject({ code: WITHDRAWN, inactive: true });
          expect(active).not.toHaveProperty('inactive');
          const [siblings] = await store.getChildren(['I60-I69']);
          expect(siblings!.filter((c) => c.inactive === true).map((c) => c.code)).toEqual([WITHDRAWN]);
          const [ancestors] = await store.getAncestors(['I67.9']);
          expect(ancestors!.map((c) => [c.code, c.inactive === true])).toEqual([[WITHDRAWN, true], ['I60-I69', false], ['I00-I99', false]]);
          const below = await store.getDescendants('I00-I99', Infinity);
          expect(below.filter((c) => 'inactive' in c).map((c) => c.code)).toEqual([WITHDRAWN]);
          expect((await store.chapters()).some((c) => 'inactive' in c)).toBe(false);
        });

        it('lists chapters in code order', async () => {
          expect((await store.chapters()).map((c) => [c.code, c.number])).toEqual([
            ['E00-E90', 'IV'],
            ['F00-F99', 'V'],
            ['H00-H59', 'VII'],
            ['I00-I99', 'IX'],
            ['J00-J99', 'X'],
            ['K00-K93', 'XI'],
          ]);
        });
      });

      describe('hierarchy walks', () => {
        it('lists children sorted by code, empty for leaves and unknown codes', async () => {
          const children = await store.getChildren(['I00-I99', 'I25', 'I25.2', 'nope']);
          expect(children.map(codesOf)).toEqual([['I00-I02', 'I10-I15', 'I20-I25', 'I60-I69', 'I95-I99'], ['I25.1', 'I25.2', 'I25.6', 'I25.9'], [], []]);
        });

        it('lists ancestors nearest first, empty for chapters and unknown codes', async () => {
          const ancestors = await store.getAncestors(['I25.2', 'H10', 'K00-K93', 'nope']);
          expect(ancestors.map(codesOf)).toEqual([['I25', 'I20-I25', 'I00-I99'], ['H10-H13', 'H00-H59'], [], []]);
        });

        it('walks descendants in pre-order by code down to a depth', async () => {
          expect(codesOf(await store.getDescendants('I00-I99', 1))).toEqual(['I00-I02', 'I10-I15', 'I20-I25', 'I60-I69', 'I95-I99']);
          expect(codesOf(await store.getDescendants('I00-I99', 2))).toEqual(['I00-I02', 'I10-I15', 'I10', 'I11', 'I20-I25', 'I20', 'I21', 'I25', 'I60-I69', 'I67', 'I95-I99']);
          expect(codesOf(await store.getDescendants('I00-I99', 3))).toEqual([
            'I00-I02',
            'I10-I15', 'I10', 'I11', 'I11.0', 'I11.9',
            'I20-I25', 'I20', 'I20.0', 'I20.8', 'I20.9', 'I21', 'I21.9', 'I25', 'I25.1', 'I25.2', 'I25.6', 'I25.9',
            'I60-I69', 'I67', 'I67.2', 'I67.8', 'I67.9',
            'I95-I99',
          ]);
          expect(codesOf(await store.getDescendants('E66', 5))).toEqual(['E66.0', 'E66.9']);
        });

        it('has no descendants at depth 0, for leaves or for unknown codes', async () => {
          expect(await store.getDescendants('I00-I99', 0)).toEqual([]);
          expect(await store.getDescendants('I25.2', 3)).toEqual([]);
          expect(await store.getDescendants('nope', 3)).toEqual([]);
        });
      });

      describe('lifts', () => {
        it('lifts H10.0 to H10 at CATEGORY; blocks, chapters and unknown codes give null', async () => {
          expect(await store.lift(['H10.0', 'H10', 'H10-H13', 'H00-H59', 'X00.0'], 'CATEGORY')).toEqual(['H10', 'H10', null, null, null]);
        });

        it('lifts to the BLOCK; a chapter has none', async () => {
          expect(await store.lift(['H10.0', 'I25.2', 'E11', 'H10-H13', 'H00-H59'], 'BLOCK')).toEqual([
            'H10-H13', 'I20-I25', 'E10-E14', 'H10-H13', null,
          ]);
        });

        it('lifts to the CHAPTER', async () => {
          expect(await store.lift(['H10.0', 'I25.2', 'K80', 'I00-I99', 'nope'], 'CHAPTER')).toEqual([
            'H00-H59', 'I00-I99', 'K00-K93', 'I00-I99', null,
          ]);
        });
      });

      describe('names', () => {
        it('gets names by source order then text, optionally of some sources', async () => {
          const [k80, i119, unknown] = await store.getNames(['K80', 'I11.9', 'nope']);
          expect(k80).toEqual([
            { code: 'K80', text: 'Желчнокаменная болезнь [холелитиаз]', normalized: 'желчнокаменная болезнь холелитиаз', source: 'ICD_TITLE', lang: 'ru' },
            { code: 'K80', text: 'Желчнокаменная болезнь', normalized: 'желчнокаменная болезнь', source: 'DICTIONARY', lang: 'ru' },
            { code: 'K80', text: 'ЖКБ', normalized: 'жкб', source: 'ABBREVIATION', lang: 'ru' },
          ]);
          expect(i119!.map((n) => [n.source, n.text])).toEqual([
            ['ICD_TITLE', 'Гипертензивная [гипертоническая] болезнь с преимущественным поражением сердца без (застойной) сердечной недостаточности'],
            ['CORPUS', 'ГБ II стадии'],
            ['CORPUS', 'Гипертоническая болезнь III стадии'],
          ]);
          expect(unknown).toEqual([]);
          expect(await store.getNames(['I20', 'I67.9'], ['UMLS', 'CORPUS'])).toEqual([
            [{ code: 'I20', text: 'Стенокардия', normalized: 'стенокардия', source: 'UMLS', lang: 'ru', cui: 'C0002962', sab: 'MDRRUS' }],
            [{ code: 'I67.9', text: 'ЦВБ', normalized: 'цвб', source: 'CORPUS', lang: 'ru', count: 1 }],
          ]);
        });
      });

      describe('searches', () => {
        const top = async (text: string, first = 5, sources?: Parameters<GraphStore['searchNames']>[1]['sources']) =>
          (await store.searchNames(text, { first, sources })).map((h) => h.code);

        it('puts the code whose name equals the query first', async () => {
          const hits = await store.searchNames('Конъюнктивит', { first: 3 });
          expect(hits[0]!.code).toBe('H10');
          expect(hits.map((h) => h.code).every((c) => ['H10', 'H10.0', 'H10.1', 'H10.9', 'H10-H13'].includes(c))).toBe(true);
          expect(await top('Сахарный диабет 2 типа', 1)).toEqual(['E11.9']);
        });

        it('puts the abbreviation\'s code first for an abbreviation, then the corpus\'s', async () => {
          const hits = await store.searchNames('ЖКБ', { first: 2 });
          expect(hits.map((h) => h.code)).toEqual(['K80', 'K80.2']);
          expect(hits[0]!.name).toEqual({ code: 'K80', text: 'ЖКБ', normalized: 'жкб', source: 'ABBREVIATION', lang: 'ru' });
        });

        it('tolerates typos', async () => {
          expect((await top('стенокардя'))[0]).toBe('I20');
          expect((await top('канъюнктивит'))[0]).toBe('H10');
          expect((await top('желчнокаменая болезнь'))[0]).toBe('K80');
        });

        it('tolerates inflection', async () => {
          expect((await top('хронической ишемической болезни сердца'))[0]).toBe('I25');
          expect((await top('острого атопического конъюнктивита'))[0]).toBe('H10.1');
        });

        it('ranks the code covering the whole query first', async () => {
          expect((await top('гипертоническая болезнь сердца'))[0]).toBe('I11');
          expect((await top('хронический гастрит'))[0]).toBe('K29.5');
        });

        it('restricts to sources', async () => {
          expect(await top('ЖКБ', 5, ['CORPUS'])).toEqual(['K80.2']);
          expect(await top('ЖКБ', 5, ['UMLS'])).toEqual([]);
        });

        it('gives one hit per code, at most `first`, best first', async () => {
          const hits = await store.searchNames('болезнь', { first: 50 });
          const codes = hits.map((h) => h.code);
          expect(new Set(codes).size).toBe(codes.length);
          expect(codes.length).toBeGreaterThan(5);
          for (let i = 1; i < hits.length; i++) expect(hits[i - 1]!.score).toBeGreaterThanOrEqual(hits[i]!.score);
          expect(await store.searchNames('болезнь', { first: 2 })).toEqual(hits.slice(0, 2));
        });

        it('finds nothing for a query without letters or digits, or for first 0', async () => {
          expect(await store.searchNames(' ,.; ', { first: 5 })).toEqual([]);
          expect(await store.searchNames('ИБС', { first: 0 })).toEqual([]);
          expect(await store.searchNames('zzzzqqq', { first: 5 })).toEqual([]);
        });
      });

      describe('corpora and documents', () => {
        it('lists corpora by name with splits and layers', async () => {
          expect(await store.listCorpora()).toEqual([
            { name: 'ehr', documentCount: 2, splits: [{ split: 'test', documentCount: 1 }, { split: 'train', documentCount: 1 }], layers: ['original'] },
            { name: 'ruccod', documentCount: 6, splits: [{ split: 'dev', documentCount: 1 }, { split: 'train', documentCount: 5 }], layers: ['gold', 'system:x'] },
          ]);
        });

        it('lists document ids in numeric order, optionally of one split', async () => {
          expect(await store.listDocumentIds('ruccod', null)).toEqual(['0', '1', '2', '3', '4', '5']);
          expect(await store.listDocumentIds('ehr', null)).toEqual(['9', '10']);
          expect(await store.listDocumentIds('ruccod', 'dev')).toEqual(['5']);
          expect(await store.listDocumentIds('ruccod', 'nope')).toEqual([]);
          expect(await store.listDocumentIds('nope', null)).toEqual([]);
        });

        it("lists one patient's documents by date, then id", async () => {
          expect((await store.listPatientDocuments('ehr', 'p1')).map((d) => [d.id, d.date])).toEqual([
            ['9', '2021-03-04'],
            ['10', '2021-05-06'],
          ]);
          expect(await store.listPatientDocuments('ehr', 'nobody')).toEqual([]);
          expect(await store.listPatientDocuments('nope', 'p1')).toEqual([]);
        });

        it('pages through documents with cursors', async () => {
          const p1 = await store.listDocuments('ruccod', null, { first: 2 });
          expect({ ...p1, items: p1.items.map((d) => d.id) }).toEqual({ items: ['0', '1'], totalCount: 6, endCursor: expect.any(String), hasNextPage: true });
          const p2 = await store.listDocuments('ruccod', null, { first: 2, after: p1.endCursor });
          expect({ ...p2, items: p2.items.map((d) => d.id) }).toEqual({ items: ['2', '3'], totalCount: 6, endCursor: expect.any(String), hasNextPage: true });
          const p3 = await store.listDocuments('ruccod', null, { first: 3, after: p2.endCursor });
          expect({ ...p3, items: p3.items.map((d) => d.id) }).toEqual({ items: ['4', '5'], totalCount: 6, endCursor: expect.any(String), hasNextPage: false });
          expect(await store.listDocuments('ruccod', null, { first: 2, after: p3.endCursor })).toEqual({ items: [], totalCount: 6, endCursor: null, hasNextPage: false });
          const e1 = await store.listDocuments('ehr', null, { first: 1 });
          const e2 = await store.listDocuments('ehr', null, { first: 1, after: e1.endCursor });
          expect([...e1.items, ...e2.items].map((d) => d.id)).toEqual(['9', '10']);
        });

        it('pages through one split', async () => {
          const p1 = await store.listDocuments('ruccod', 'train', { first: 4 });
          expect(p1.items.map((d) => d.id)).toEqual(['0', '1', '2', '3']);
          const p2 = await store.listDocuments('ruccod', 'train', { first: 4, after: p1.endCursor });
          expect({ ...p2, endCursor: null }).toEqual({
            items: [{ corpus: 'ruccod', id: '4', split: 'train', text: 'ЦВБ. Церебральный атеросклероз. ГБ II стадии.', patient: null, date: null }],
            totalCount: 5,
            endCursor: null,
            hasNextPage: false,
          });
        });

        it('answers an empty page for an unknown corpus and rejects a foreign cursor', async () => {
          expect(await store.listDocuments('nope', null, { first: 5 })).toEqual({ items: [], totalCount: 0, endCursor: null, hasNextPage: false });
          await expectBadInput(store.listDocuments('ruccod', null, { first: 5, after: 'not-a-cursor' }), 'after');
        });

        it('gets documents by id in key order', async () => {
          expect(await store.getDocuments('ehr', ['10', 'zz'])).toEqual([
            { corpus: 'ehr', id: '10', split: 'test', text: 'Повышение давления до 160/100.', patient: 'p1', date: '2021-05-06' },
            null,
          ]);
        });
      });

      describe('layers', () => {
        it('lists layers by name', async () => {
          expect(await store.listLayers('ruccod')).toEqual(['gold', 'system:x']);
          expect(await store.listLayers('nope')).toEqual([]);
        });

        it('reads a layer in key order, with a discontinuous mention, and empty entries', async () => {
          expect(await store.getLayer('ruccod', 'system:x', ['2', '0', '99'])).toEqual([
            {
              documentId: '2',
              layer: 'system:x',
              mentions: [
                { id: 'T1', fragments: [{ start: 0, end: 36 }], start: 0, end: 36, text: 'Острый слизисто-гнойный конъюнктивит', code: 'H10.0' },
                { id: 'T2', fragments: [{ start: 37, end: 47 }], start: 37, end: 47, text: 'обоих глаз', code: null },
              ],
              codes: [],
            },
            {
              documentId: '0',
              layer: 'system:x',
              mentions: [
                { id: 'T1', fragments: [{ start: 0, end: 3 }, { start: 5, end: 16 }], start: 0, end: 16, text: 'ИБС стенокардия', code: 'I20.8' },
                { id: 'T2', fragments: [{ start: 35, end: 63 }], start: 35, end: 63, text: 'Постинфарктный кардиосклероз', code: 'I25.1' },
              ],
              codes: ['I10'],
            },
            { documentId: '99', layer: 'system:x', mentions: [], codes: [] },
          ]);
          expect((await store.getLayer('ruccod', 'gold', ['2']))[0]!.mentions).toEqual([
            { id: 'T1', fragments: [{ start: 0, end: 36 }], start: 0, end: 36, text: 'Острый слизисто-гнойный конъюнктивит', code: 'H10.0' },
          ]);
        });

        it('reads code-only assignments', async () => {
          expect(await store.getLayer('ruccod', 'system:x', ['3', '4'])).toEqual([
            { documentId: '3', layer: 'system:x', mentions: [], codes: ['K29.3'] },
            { documentId: '4', layer: 'system:x', mentions: [], codes: [] },
          ]);
        });
      });

      describe('mentions of codes', () => {
        it('finds mentions of a code, or of everything below it, in document order', async () => {
          expect(await store.mentionsOfCode('I25', { layer: 'gold', first: 10 })).toEqual({ items: [], totalCount: 0, endCursor: null, hasNextPage: false });
          const page = await store.mentionsOfCode('I25', { layer: 'gold', first: 10, includeDescendants: true });
          expect({ ...page, endCursor: null }).toEqual({
            items: [
              { corpus: 'ruccod', documentId: '0', layer: 'gold', mention: { id: 'T2', fragments: [{ start: 35, end: 63 }], start: 35, end: 63, text: 'Постинфарктный кардиосклероз', code: 'I25.2' } },
              { corpus: 'ruccod', documentId: '5', layer: 'gold', mention: { id: 'T2', fragments: [{ start: 22, end: 25 }], start: 22, end: 25, text: 'ИБС', code: 'I25.9' } },
              { corpus: 'ruccod', documentId: '5', layer: 'gold', mention: { id: 'T3', fragments: [{ start: 27, end: 60 }], start: 27, end: 60, text: 'Атеросклеротический кардиосклероз', code: 'I25.1' } },
            ],
            totalCount: 3,
            endCursor: null,
            hasNextPage: false,
          });
        });

        it('pages through the mentions of a chapter', async () => {
          const key = (p: Awaited<ReturnType<GraphStore['mentionsOfCode']>>) => p.items.map((h) => `${h.documentId}/${h.mention.id}/${h.mention.code}`);
          const p1 = await store.mentionsOfCode('I00-I99', { layer: 'gold', first: 4, includeDescendants: true });
          expect(key(p1)).toEqual(['0/T1/I20.8', '0/T2/I25.2', '0/T3/I11.9', '4/T1/I67.9']);
          expect([p1.totalCount, p1.hasNextPage]).toEqual([8, true]);
          const p2 = await store.mentionsOfCode('I00-I99', { layer: 'gold', first: 4, includeDescendants: true, after: p1.endCursor });
          expect(key(p2)).toEqual(['4/T2/I67.2', '4/T3/I11.9', '5/T2/I25.9', '5/T3/I25.1']);
          expect([p2.totalCount, p2.hasNextPage]).toEqual([8, false]);
        });

        it('restricts to a corpus and a layer', async () => {
          expect((await store.mentionsOfCode('I25.2', { layer: 'gold', first: 5, corpus: 'ehr' })).totalCount).toBe(0);
          expect((await store.mentionsOfCode('I25.2', { layer: 'gold', first: 5, corpus: 'ruccod' })).totalCount).toBe(1);
          expect((await store.mentionsOfCode('I25.1', { layer: 'system:x', first: 5 })).items.map((h) => h.documentId)).toEqual(['0']);
          expect((await store.mentionsOfCode('nope', { layer: 'gold', first: 5, includeDescendants: true })).totalCount).toBe(0);
        });
      });

      describe('frequencies and counts', () => {
        it('counts documents of a layer carrying each code, mentions and assignments alike', async () => {
          expect(await store.codeFrequencies(['I25.9', 'E66.9', 'I10', 'nope'], 'gold')).toEqual([1, 1, 0, 0]);
          expect(await store.codeFrequencies(['K29.3', 'I10', 'I25.1', 'I20.8', 'I25.9'], 'system:x')).toEqual([1, 1, 1, 1, 0]);
        });

        it('counts over all corpora or one', async () => {
          expect(await store.codeFrequencies(['I25.2', 'I11.9'], 'original')).toEqual([1, 1]);
          expect(await store.codeFrequencies(['I25.2', 'I11.9'], 'original', 'ruccod')).toEqual([0, 0]);
          expect(await store.codeFrequencies(['I25.2', 'I11.9'], 'gold', null)).toEqual([1, 2]);
        });

        it('counts codes, names, corpora, documents and mentions', async () => {
          // 79 codes; 79 titles + 2 dictionary, 4 abbreviation, 3 UMLS and 13 corpus names; 16 gold + 4 system:x mentions.
          expect(await store.counts()).toEqual({ codes: 79, names: 101, corpora: 2, documents: 8, mentions: 20 });
        });

        it('reports the data version', async () => {
          const info = await store.info();
          expect([info.kind, info.available, info.dataVersion]).toEqual([store.kind, true, dataVersion]);
        });
      });
    });

    describe('writes', () => {
      let store: GraphStore;
      beforeEach(async () => {
        store = await makeStore(await contractData());
      });
      afterEach(async () => {
        await store?.close();
      });

      it('adds documents, creating the corpus when needed', async () => {
        await store.putDocuments('ruccod', [{ corpus: 'ruccod', id: '10', split: 'dev', text: 'Гастрит.', patient: null, date: null }]);
        await store.putDocuments('new', [{ corpus: 'new', id: 'x', split: 'test', text: 'Текст.', patient: 'p9', date: '2020-01-31', fields: { age: 61 } }]);
        expect(await store.listDocumentIds('ruccod', 'dev')).toEqual(['5', '10']);
        expect(await store.getDocuments('new', ['x'])).toEqual([{ corpus: 'new', id: 'x', split: 'test', text: 'Текст.', patient: 'p9', date: '2020-01-31', fields: { age: 61 } }]);
        expect((await store.listCorpora()).map((c) => [c.name, c.documentCount, c.layers])).toEqual([
          ['ehr', 2, ['original']],
          ['new', 1, []],
          ['ruccod', 7, ['gold', 'system:x']],
        ]);
      });

      it("lists a patient's new documents once written: undated last, same dates by id", async () => {
        await store.putDocuments('ehr', [
          { corpus: 'ehr', id: '11', split: 'test', text: 'Контрольный визит.', patient: 'p1', date: null },
          { corpus: 'ehr', id: '8', split: 'test', text: 'Первичный визит.', patient: 'p1', date: '2021-03-04' },
        ]);
        expect((await store.listPatientDocuments('ehr', 'p1')).map((d) => d.id)).toEqual(['8', '9', '10', '11']);
      });

      it('keeps a replaced document\'s annotations when its text is the same, drops them when it changed', async () => {
        const [doc3] = await store.getDocuments('ruccod', ['3']);
        await store.putDocuments('ruccod', [{ ...doc3!, split: 'dev' }]);
        expect((await store.getLayer('ruccod', 'gold', ['3']))[0]!.mentions.length).toBe(4);
        expect(await store.listDocumentIds('ruccod', 'dev')).toEqual(['3', '5']);
        await store.putDocuments('ruccod', [{ corpus: 'ruccod', id: '0', split: 'train', text: 'Другой текст.', patient: null, date: null }]);
        expect(await store.getLayer('ruccod', 'gold', ['0'])).toEqual([{ documentId: '0', layer: 'gold', mentions: [], codes: [] }]);
        expect(await store.getLayer('ruccod', 'system:x', ['0'])).toEqual([{ documentId: '0', layer: 'system:x', mentions: [], codes: [] }]);
        expect(await store.codeFrequencies(['I20.8', 'I25.2'], 'gold')).toEqual([0, 0]);
      });

      it('writes a new layer, sorting mentions and deduplicating codes', async () => {
        await store.putLayer('ruccod', 'system:y', [
          {
            documentId: '1',
            layer: 'system:y',
            mentions: [
              { id: 'b', fragments: [{ start: 37, end: 45 }], start: 37, end: 45, text: 'Ожирение', code: 'E66' },
              { id: 'a', fragments: [{ start: 0, end: 15 }], start: 0, end: 15, text: 'Сахарный диабет', code: 'E11' },
            ],
            codes: ['I20', 'E11', 'I20'],
          },
        ]);
        expect(await store.listLayers('ruccod')).toEqual(['gold', 'system:x', 'system:y']);
        expect(await store.getLayer('ruccod', 'system:y', ['1'])).toEqual([
          {
            documentId: '1',
            layer: 'system:y',
            mentions: [
              { id: 'a', fragments: [{ start: 0, end: 15 }], start: 0, end: 15, text: 'Сахарный диабет', code: 'E11' },
              { id: 'b', fragments: [{ start: 37, end: 45 }], start: 37, end: 45, text: 'Ожирение', code: 'E66' },
            ],
            codes: ['E11', 'I20'],
          },
        ]);
        expect(await store.codeFrequencies(['E66', 'E11', 'I20', 'I25'], 'system:y')).toEqual([1, 1, 1, 0]);
        expect((await store.counts()).mentions).toBe(22);
      });

      it('replaces a layer\'s annotations of the given documents only', async () => {
        await store.putLayer('ruccod', 'gold', [
          { documentId: '5', layer: 'gold', mentions: [{ id: 'T9', fragments: [{ start: 22, end: 25 }], start: 22, end: 25, text: 'ИБС', code: 'I25.1' }], codes: [] },
        ]);
        expect((await store.getLayer('ruccod', 'gold', ['5']))[0]!.mentions.map((m) => [m.id, m.code])).toEqual([['T9', 'I25.1']]);
        expect((await store.getLayer('ruccod', 'gold', ['4']))[0]!.mentions.map((m) => m.code)).toEqual(['I67.9', 'I67.2', 'I11.9']);
        expect(await store.codeFrequencies(['I25.9', 'J44.9', 'I25.1', 'I11.9'], 'gold')).toEqual([0, 0, 1, 2]);
        const hits = await store.mentionsOfCode('I25', { layer: 'gold', first: 10, includeDescendants: true });
        expect(hits.items.map((h) => `${h.documentId}/${h.mention.id}`)).toEqual(['0/T2', '5/T9']);
      });

      it('removes a layer when its last annotations are emptied', async () => {
        await store.putLayer('ruccod', 'system:x', [
          { documentId: '0', layer: 'system:x', mentions: [], codes: [] },
          { documentId: '2', layer: 'system:x', mentions: [], codes: [] },
          { documentId: '3', layer: 'system:x', mentions: [], codes: [] },
        ]);
        expect(await store.listLayers('ruccod')).toEqual(['gold']);
        expect(await store.codeFrequencies(['I10'], 'system:x')).toEqual([0]);
      });

      it('deletes a corpus with its documents and layers; an unknown corpus is BAD_USER_INPUT and changes nothing', async () => {
        const mentionsBefore = (await store.counts()).mentions;
        const ruccod = (await store.counts()).documents - (await store.listDocumentIds('ehr', null)).length;
        await store.deleteCorpus('ehr');
        expect((await store.listCorpora()).map((c) => c.name)).toEqual(['ruccod']);
        expect(await store.getDocuments('ehr', ['a1'])).toEqual([null]);
        expect((await store.counts()).documents).toBe(ruccod);
        expect((await store.counts()).mentions).toBe(mentionsBefore);
        const before = await snapshot(store);
        await expect(store.deleteCorpus('ehr')).rejects.toThrow('corpus "ehr" does not exist');
        expect(await snapshot(store)).toEqual(before);
        // The name can be used again.
        await store.putDocuments('ehr', [{ corpus: 'ehr', id: 'n1', split: 'train', text: 'Новый.', patient: null, date: null }]);
        expect(await store.listDocumentIds('ehr', null)).toEqual(['n1']);
        expect(await store.listLayers('ehr')).toEqual([]);
      });

      it('deletes a layer; deleting a missing layer changes nothing', async () => {
        await store.deleteLayer('ruccod', 'system:x');
        expect(await store.listLayers('ruccod')).toEqual(['gold']);
        expect(await store.getLayer('ruccod', 'system:x', ['0'])).toEqual([{ documentId: '0', layer: 'system:x', mentions: [], codes: [] }]);
        expect(await store.codeFrequencies(['I25.1'], 'system:x')).toEqual([0]);
        const before = await snapshot(store);
        await store.deleteLayer('ruccod', 'system:zzz');
        expect(await snapshot(store)).toEqual(before);
      });

      it('applies several writes as one: a new corpus with its layer, then a replacement of it', async () => {
        const doc = (id: string, text: string): Document => ({ corpus: 'imp', id, split: 'train', text, patient: 'p1', date: '2021-03-04' });
        await store.applyWrites([
          { type: 'putDocuments', corpus: 'imp', documents: [doc('1', 'Гипертония.'), doc('2', 'ИБС.')] },
          { type: 'putLayer', corpus: 'imp', layer: 'original', annotations: [{ documentId: '1', layer: 'original', mentions: [], codes: ['I10'] }, { documentId: '2', layer: 'original', mentions: [], codes: ['I25.2'] }] },
        ]);
        expect(await store.listDocumentIds('imp', null)).toEqual(['1', '2']);
        expect(await store.codeFrequencies(['I10', 'I25.2'], 'original', 'imp')).toEqual([1, 1]);
        // --replace: the old corpus deleted and the new one written, with a layer on a document of the same id.
        await store.applyWrites([
          { type: 'deleteCorpus', corpus: 'imp' },
          { type: 'putDocuments', corpus: 'imp', documents: [doc('2', 'Другой текст.')] },
          { type: 'putLayer', corpus: 'imp', layer: 'linked', annotations: [{ documentId: '2', layer: 'linked', mentions: [], codes: ['I11.9'] }] },
        ]);
        expect(await store.getDocuments('imp', ['1', '2'])).toEqual([null, doc('2', 'Другой текст.')]);
        expect(await store.listLayers('imp')).toEqual(['linked']);
        await store.applyWrites([]);
        expect(await store.listDocumentIds('imp', null)).toEqual(['2']);
      });

      it('applies none of several writes when one is bad, naming its index', async () => {
        const before = await snapshot(store);
        const docs: Document[] = [{ corpus: 'imp', id: '1', split: 'train', text: 'Гипертония.', patient: null, date: null }];
        await expectBadInput(
          store.applyWrites([
            { type: 'deleteCorpus', corpus: 'ehr' },
            { type: 'putDocuments', corpus: 'imp', documents: docs },
            { type: 'putLayer', corpus: 'imp', layer: 'original', annotations: [{ documentId: '1', layer: 'original', mentions: [], codes: ['I10'] }] },
            { type: 'putLayer', corpus: 'imp', layer: 'linked', annotations: [{ documentId: '1', layer: 'linked', mentions: [], codes: ['X99.9'] }] },
          ]),
          'writes[3]',
          '"X99.9"',
        );
        expect(await snapshot(store)).toEqual(before);
        // A layer on a document that an earlier write of the batch deleted.
        await expectBadInput(
          store.applyWrites([
            { type: 'deleteCorpus', corpus: 'ehr' },
            { type: 'putDocuments', corpus: 'ehr', documents: [{ ...docs[0]!, corpus: 'ehr', id: 'n1' }] },
            { type: 'putLayer', corpus: 'ehr', layer: 'original', annotations: [{ documentId: '9', layer: 'original', mentions: [], codes: ['I10'] }] },
          ]),
          'writes[2]',
          '"9"',
        );
        expect(await snapshot(store)).toEqual(before);
      });

      describe('bad input changes nothing', () => {
        const ok: LayerAnnotations = { documentId: '1', layer: 'system:z', mentions: [], codes: ['I10'] };
        const cases: [string, (s: GraphStore) => Promise<unknown>, string[]][] = [
          ['an unknown document', (s) => s.putLayer('ruccod', 'system:z', [ok, { documentId: '99', layer: 'system:z', mentions: [], codes: [] }]), ['"99"', 'annotations[1]']],
          ['an unknown mention code', (s) => s.putLayer('ruccod', 'gold', [{ ...ok, layer: 'gold' }, { documentId: '0', layer: 'gold', mentions: [{ id: 'T1', fragments: [{ start: 0, end: 3 }], start: 0, end: 3, text: 'ИБС', code: 'X99.9' }], codes: [] }]), ['"X99.9"', 'annotations[1].mentions[0].code']],
          ['an unknown assigned code', (s) => s.putLayer('ruccod', 'system:x', [{ documentId: '2', layer: 'system:x', mentions: [], codes: ['I10', 'Q00'] }]), ['"Q00"', 'annotations[0].codes[1]']],
          ['offsets outside the text', (s) => s.putLayer('ruccod', 'gold', [{ documentId: '2', layer: 'gold', mentions: [{ id: 'T1', fragments: [{ start: 20, end: 60 }], start: 20, end: 60, text: 'x', code: 'H10' }], codes: [] }]), ['annotations[0].mentions[0].fragments[0]', '60']],
          ['an empty range', (s) => s.putLayer('ruccod', 'gold', [{ documentId: '2', layer: 'gold', mentions: [{ id: 'T1', fragments: [{ start: 5, end: 5 }], start: 5, end: 5, text: '', code: 'H10' }], codes: [] }]), ['fragments[0]']],
          ['an unknown corpus', (s) => s.putLayer('nope', 'gold', [ok]), ['"nope"']],
          ['a document without a split', (s) => s.putDocuments('ruccod', [{ corpus: 'ruccod', id: '6', split: 'dev', text: 'а', patient: null, date: null }, { corpus: 'ruccod', id: '7', text: 'б', patient: null, date: null } as unknown as Document]), ['documents[1].split']],
          ['a malformed date', (s) => s.putDocuments('ehr', [{ corpus: 'ehr', id: 'a3', split: 'test', text: 'в', patient: 'p2', date: '2021-13-40' }]), ['"2021-13-40"', 'documents[0].date']],
          ['deleting from an unknown corpus', (s) => s.deleteLayer('nope', 'gold'), ['"nope"']],
        ];
        for (const [what, call, fragments] of cases) {
          it(`rejects ${what} with BAD_USER_INPUT`, async () => {
            const before = await snapshot(store);
            await expectBadInput(call(store), ...fragments);
            expect(await snapshot(store)).toEqual(before);
          });
        }
      });
    });
  });
}
