import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryStore } from '../../src/graph/memory/MemoryStore.js';
import { startTestServer } from '../api/testServer.js';
import type { TestServer } from '../api/testServer.js';
import { sampleData } from '../fixtures/sample.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ store: MemoryStore.open(await sampleData('demo'), { journalDir: null }) });
});
afterAll(async () => {
  await server?.close();
});

const M = 'precision recall f1 accuracy tp fp fn';

describe('Query.evaluateCoding', () => {
  it('answers every task, document accuracy, the per-code table and buckets', async () => {
    const { body } = await server.query(`{
      evaluateCoding(corpus: "demo", predicted: "system:x", split: "train") {
        corpus gold predicted level documents documentAccuracy
        ner { ${M} } nerLinking { ${M} } codeAssignment { ${M} }
        perCode(first: 2, orderBy: F1_ASC) { code concept { code kind } support predicted f1 tp fp fn }
        buckets(minCount: 1) { share minCount top { name codes support tp fp fn } bottom { codes } }
      }
    }`);
    expect(body.errors).toBeUndefined();
    const e = body.data!.evaluateCoding as Record<string, unknown>;
    expect(e).toMatchObject({ corpus: 'demo', gold: 'gold', predicted: 'system:x', level: null, documents: 2, documentAccuracy: 0.5 });
    // d1 spans tp2 fp1; d2 tp1 -> P 3/4 R 1
    expect(e.ner).toEqual({ precision: 0.75, recall: 1, f1: 6 / 7, accuracy: 0.75, tp: 3, fp: 1, fn: 0 });
    expect(e.codeAssignment).toMatchObject({ precision: 0.5, recall: 2 / 3, accuracy: 0.4, tp: 2, fp: 2, fn: 1 });
    expect((e.codeAssignment as { f1: number }).f1).toBeCloseTo(4 / 7, 12);
    // F1 ascending, then support desc, then code: J00 (support 1, f1 0) before I10 and J06.9 (support 0)
    expect(e.perCode).toEqual([
      { code: 'J00', concept: { code: 'J00', kind: 'CATEGORY' }, support: 1, predicted: 0, f1: 0, tp: 0, fp: 0, fn: 1 },
      { code: 'I10', concept: { code: 'I10', kind: 'CATEGORY' }, support: 0, predicted: 1, f1: 0, tp: 0, fp: 1, fn: 0 },
    ]);
    // 3 gold codes, all support 1: round(0.3) -> 1 code each, ties broken by code
    expect(e.buckets).toEqual({
      share: 0.1,
      minCount: 1,
      top: { name: 'TOP', codes: ['E11.9'], support: 1, tp: 1, fp: 0, fn: 0 },
      bottom: { codes: ['J00'] },
    });
  });

  it('relaxed at CATEGORY', async () => {
    const { body } = await server.query(`{ evaluateCoding(corpus: "demo", predicted: "system:x", level: CATEGORY) { level codeAssignment { tp fp fn } } }`);
    // d1 G{J00,I25} P{J06,I25,I10}; d2 E11 both; d3 G{I10}
    expect(body.data!.evaluateCoding).toEqual({ level: 'CATEGORY', codeAssignment: { tp: 2, fp: 2, fn: 2 } });
  });

  it('NOT_FOUND names the argument and the length of the unknown corpus or layer, not its name', async () => {
    const a = await server.query(`{ evaluateCoding(corpus: "nope", predicted: "system:x") { documents } }`);
    expect(a.body.errors![0]).toMatchObject({ message: 'No corpus <4 characters>', extensions: { code: 'NOT_FOUND' } });
    const b = await server.query(`{ evaluateCoding(corpus: "demo", predicted: "system:bert") { documents } }`);
    expect(b.body.errors![0]!.message).toMatch(/^No layer <11 characters> in corpus <4 characters> \(argument predicted\); its layers: /);
    expect(b.body.errors![0]!.extensions).toMatchObject({ code: 'NOT_FOUND', argumentName: 'predicted' });
  });

  it('BAD_USER_INPUT for a bucket share outside (0, 1]', async () => {
    const { body } = await server.query(`{ evaluateCoding(corpus: "demo", predicted: "system:x") { buckets(share: 2) { share } } }`);
    expect(body.errors![0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' } });
  });
});

describe('Query.compareLayers', () => {
  it('answers the agreement and the top disagreements with their hierarchy relation', async () => {
    const { body } = await server.query(`{
      compareLayers(corpus: "demo", a: "original", b: "linked") {
        a b level documents agreement { tp fp fn } transitionCount
        transitions(first: 1) { fromCode toCode count share fromConcept { kind } toConcept { code }
          relation { lowestCommonAncestorCode hopDistance sameCategory sameBlock sameChapter } }
      }
    }`);
    expect(body.errors).toBeUndefined();
    expect(body.data!.compareLayers).toEqual({
      a: 'original',
      b: 'linked',
      level: null,
      documents: 3,
      agreement: { tp: 1, fp: 3, fn: 2 },
      transitionCount: 2,
      transitions: [
        {
          fromCode: 'I25.2',
          toCode: 'I11.9',
          count: 2,
          share: 2 / 3,
          fromConcept: { kind: 'SUBCATEGORY' },
          toConcept: { code: 'I11.9' },
          relation: { lowestCommonAncestorCode: 'I00-I99', hopDistance: 6, sameCategory: false, sameBlock: false, sameChapter: true },
        },
      ],
    });
  });
});
