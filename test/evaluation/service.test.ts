import { describe, expect, it } from 'vitest';
import { compareLayers, evaluateLayers, relateTransitions } from '../../src/evaluation/layerEvaluation.js';
import { MemoryStore } from '../../src/graph/memory/MemoryStore.js';
import { sampleData } from '../fixtures/sample.js';

const store = MemoryStore.open(await sampleData('demo'), { journalDir: null });
const counts = (m: { tp: number; fp: number; fn: number }) => [m.tp, m.fp, m.fn];

describe('evaluateLayers(): a layer against gold in the store', () => {
  it('evaluates the whole corpus (d3 has no system annotation: it predicts nothing)', async () => {
    const r = await evaluateLayers(store, { corpus: 'demo', gold: 'gold', predicted: 'system:x' });
    expect(r.documents).toBe(3);
    expect(r.level).toBeNull();
    // spans: d1 tp2 fp1, d2 tp1, d3 fn1; codes: d1 tp1 fp2 fn1, d2 tp1, d3 fn1
    expect(counts(r.ner)).toEqual([3, 1, 1]);
    expect(counts(r.nerLinking)).toEqual([2, 2, 2]);
    expect(counts(r.codeAssignment)).toEqual([2, 2, 2]);
    expect(r.documentAccuracy).toBeCloseTo(1 / 3, 12);
  });
  it('restricts to a split or to listed documents', async () => {
    const train = await evaluateLayers(store, { corpus: 'demo', gold: 'gold', predicted: 'system:x', split: 'train' });
    expect([train.documents, ...counts(train.codeAssignment)]).toEqual([2, 2, 2, 1]);
    const d3 = await evaluateLayers(store, { corpus: 'demo', gold: 'gold', predicted: 'system:x', documentIds: ['d3'] });
    expect([d3.documents, ...counts(d3.codeAssignment)]).toEqual([1, 0, 0, 1]);
  });
  it('relaxes through the store tree at BLOCK', async () => {
    const r = await evaluateLayers(store, { corpus: 'demo', gold: 'gold', predicted: 'system:x', level: 'BLOCK' });
    // d1 G{J00-J06,I20-I25} P{J00-J06,I20-I25,I10-I15}; d2 E10-E14 both; d3 G{I10-I15}
    expect(counts(r.codeAssignment)).toEqual([3, 1, 1]);
    expect(r.level).toBe('BLOCK');
  });
  it.each([
    [{ corpus: 'nope', gold: 'gold', predicted: 'system:x' }, 'NOT_FOUND', /No corpus "nope"/],
    [{ corpus: 'demo', gold: 'gold', predicted: 'system:y' }, 'NOT_FOUND', /No layer "system:y" in corpus "demo" \(argument predicted\)/],
    [{ corpus: 'demo', gold: 'gld', predicted: 'system:x' }, 'NOT_FOUND', /No layer "gld".*argument gold/],
    [{ corpus: 'demo', gold: 'gold', predicted: 'system:x', split: 'test' }, 'NOT_FOUND', /No split "test"/],
    [{ corpus: 'demo', gold: 'gold', predicted: 'system:x', documentIds: ['d1', 'zz'] }, 'NOT_FOUND', /No document "zz"/],
    [{ corpus: 'demo', gold: 'gold', predicted: 'system:x', split: 'dev', documentIds: ['d1'] }, 'BAD_USER_INPUT', /either split or documentIds/],
  ])('rejects %o with %s', async (args, code, message) => {
    const error = await evaluateLayers(store, args).catch((e: unknown) => e);
    expect(error).toMatchObject({ extensions: { code } });
    expect((error as Error).message).toMatch(message);
  });
});

describe('compareLayers(): agreement and transitions', () => {
  it('original vs linked: agreement and I25.2 -> I11.9 as the top transition', async () => {
    const c = await compareLayers(store, { corpus: 'demo', a: 'original', b: 'linked' });
    // d1 A{I25.2,I10} B{I11.9,I10}: tp1 fp1 fn1; d2 A{I25.2} B{I11.9,E11.9}: fp2 fn1; d3 empty
    expect(counts(c.agreement)).toEqual([1, 3, 2]);
    expect(c.transitions).toEqual([
      { from: 'I25.2', to: 'I11.9', count: 2, share: 2 / 3 },
      { from: 'I25.2', to: 'E11.9', count: 1, share: 1 / 3 },
    ]);
    const related = await relateTransitions(store, c.transitions);
    expect(related.map((t) => t.relation)).toEqual([
      { lowestCommonAncestor: 'I00-I99', hopDistance: 6, sameCategory: false, sameBlock: false, sameChapter: true },
      { lowestCommonAncestor: null, hopDistance: 8, sameCategory: false, sameBlock: false, sameChapter: false },
    ]);
  });
  it('at CHAPTER level I25.2 and I11.9 agree; only the E-chapter code remains a disagreement', async () => {
    const c = await compareLayers(store, { corpus: 'demo', a: 'original', b: 'linked', level: 'CHAPTER' });
    expect(c.transitions).toEqual([]); // d2: A{I00-I99} B{I00-I99,E00-E90}: nothing in A\B
    expect(counts(c.agreement)).toEqual([2, 1, 0]);
  });
});
