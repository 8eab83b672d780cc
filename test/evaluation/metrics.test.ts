import { describe, expect, it } from 'vitest';
import { codeRelation } from '../../src/evaluation/codeRelation.js';
import { codeTransitions } from '../../src/evaluation/codeTransitions.js';
import { documentSets } from '../../src/evaluation/documentSets.js';
import { evaluateCoding } from '../../src/evaluation/evaluateCoding.js';
import { frequencyBuckets } from '../../src/evaluation/frequencyBuckets.js';
import { liftFromParents } from '../../src/evaluation/liftFromParents.js';
import { liftFromStore } from '../../src/evaluation/liftFromStore.js';
import { linkingAccuracyAtK } from '../../src/evaluation/linkingAccuracyAtK.js';
import { prf } from '../../src/evaluation/prf.js';
import { referenceMentions } from '../../src/ingest/referenceMentions.js';
import { trainingCodeWeights } from '../../src/evaluation/trainingCodeWeights.js';
import type { CodeMetrics, EvalDocument, EvalMention } from '../../src/evaluation/types.js';
import { weightedF1 } from '../../src/evaluation/weightedF1.js';
import { pathIn, sampleCodes } from '../fixtures/sample.js';

/** The sample's ICD-10 tree. */
const tree = await sampleCodes();
const pathOf = (code: string) => pathIn(tree, code);

const m = (start: number, end: number, code: string | null): EvalMention => ({ start, end, code });
const doc = (documentId: string, mentions: EvalMention[], codes?: string[]): EvalDocument => ({ documentId, mentions, codes });
const round = (x: number): number => Math.round(x * 1e6) / 1e6;
const rounded = <T extends object>(o: T): T =>
  Object.fromEntries(Object.entries(o).map(([k, v]) => [k, typeof v === 'number' ? round(v) : v])) as T;

describe('prf()', () => {
  it.each([
    // tp, fp, fn -> precision, recall, f1, accuracy
    [0, 0, 0, 0, 0, 0, 0],
    [3, 2, 1, 0.6, 0.75, 0.666667, 0.5],
    [2, 3, 2, 0.4, 0.5, 0.444444, 0.285714],
    [0, 4, 0, 0, 0, 0, 0],
    [0, 0, 5, 0, 0, 0, 0],
    [5, 0, 0, 1, 1, 1, 1],
    [1, 0, 1, 1, 0.5, 0.666667, 0.5],
  ])('tp=%i fp=%i fn=%i gives P %f R %f F1 %f acc %f', (tp, fp, fn, p, r, f1, acc) => {
    expect(rounded(prf(tp, fp, fn))).toEqual({ precision: p, recall: r, f1, accuracy: acc, tp, fp, fn });
  });
});

describe('documentSets()', () => {
  it('drops mentions without a code from every set, NER included', () => {
    const s = documentSets(doc('1', [m(0, 4, 'J00'), m(6, 9, null), m(10, 12, '')]));
    expect(s).toEqual({ spans: new Set(['0|4']), codes: new Set(['J00']), spanCodes: new Set(['0|4|J00']) });
  });
  it('collapses duplicate mentions', () => {
    const s = documentSets(doc('1', [m(0, 4, 'J00'), m(0, 4, 'J00'), m(5, 7, 'J00')]));
    expect(s).toEqual({ spans: new Set(['0|4', '5|7']), codes: new Set(['J00']), spanCodes: new Set(['0|4|J00', '5|7|J00']) });
  });
  it('keeps two codes of one span apart in span-codes but once in spans', () => {
    const s = documentSets(doc('1', [m(0, 4, 'B97.7'), m(0, 4, 'D23.9')]));
    expect(s.spans).toEqual(new Set(['0|4']));
    expect(s.spanCodes).toEqual(new Set(['0|4|B97.7', '0|4|D23.9']));
  });
  it('counts code-only assignments for code assignment only', () => {
    const s = documentSets(doc('1', [m(0, 4, 'J00')], ['I10', 'J00']));
    expect(s).toEqual({ spans: new Set(['0|4']), codes: new Set(['J00', 'I10']), spanCodes: new Set(['0|4|J00']) });
  });
  it('lifts codes before building the sets (duplicates collapse)', () => {
    const lift = liftFromParents(tree, 'CATEGORY');
    const s = documentSets(doc('1', [m(0, 4, 'I25.2'), m(5, 9, 'I25.1')]), lift);
    expect(s).toEqual({ spans: new Set(['0|4', '5|9']), codes: new Set(['I25']), spanCodes: new Set(['0|4|I25', '5|9|I25']) });
  });
  it('keys a discontinuous mention by its outer span (first start, last end)', () => {
    // brat `5 6;8 9`: the Mention carries start 5 (first fragment) and end 9 (last fragment).
    const discontinuous = { start: 5, end: 9, code: 'E11.9', fragments: [{ start: 5, end: 6 }, { start: 8, end: 9 }] };
    expect(documentSets(doc('1', [discontinuous])).spanCodes).toEqual(new Set(['5|9|E11.9']));
  });
});

describe('evaluateCoding(): strict', () => {
  // Hand-computed below, per document (P = pred, G = gold):
  //  d1 spans G{0|4,10|20} P{0|4,10|20,50|60}: tp2 fp1 fn0; span-codes & codes G{J00,I25.2} P{J06.9,I25.2,I10}: tp1 fp2 fn1
  //  d2 discontinuous, equal: tp1 everywhere; d3 no gold entity, one prediction: fp1 everywhere
  //  d4 no prediction document: fn1 everywhere
  const gold = [
    doc('d1', [m(0, 4, 'J00'), m(10, 20, 'I25.2'), m(10, 20, 'I25.2'), m(30, 40, null)]),
    doc('d2', [{ start: 5, end: 9, code: 'E11.9' }]),
    doc('d3', []),
    doc('d4', [m(0, 3, 'I10')]),
  ];
  const pred = [
    doc('d1', [m(0, 4, 'J06.9'), m(10, 20, 'I25.2'), m(50, 60, 'I10')]),
    doc('d2', [m(5, 9, 'E11.9')]),
    doc('d3', [m(0, 3, 'I10')]),
    doc('x9', [m(0, 3, 'I10')]), // not in gold: ignored
  ];
  const r = evaluateCoding(gold, pred);

  it('sums TP/FP/FN over documents and derives P, R, F1, accuracy', () => {
    expect(rounded(r.ner)).toEqual({ tp: 3, fp: 2, fn: 1, precision: 0.6, recall: 0.75, f1: 0.666667, accuracy: 0.5 });
    expect(rounded(r.nerLinking)).toEqual({ tp: 2, fp: 3, fn: 2, precision: 0.4, recall: 0.5, f1: 0.444444, accuracy: 0.285714 });
    expect(rounded(r.codeAssignment)).toEqual({ tp: 2, fp: 3, fn: 2, precision: 0.4, recall: 0.5, f1: 0.444444, accuracy: 0.285714 });
  });
  it('counts every gold document and reports those without a prediction', () => {
    expect(r.documents).toBe(4);
    expect(r.missingPredictions).toEqual(['d4']);
  });
  it('document accuracy: gold codes wholly predicted (d2, and d3 whose gold set is empty)', () => {
    expect(r.documentAccuracy).toBe(0.5);
    expect(r.nerDocumentAccuracy).toBe(0.75); // d1 (both spans found), d2, d3
  });
  it('per-code table: support, tp, fp, fn for every gold or predicted code', () => {
    const byCode = Object.fromEntries(r.perCode.map((c) => [c.code, [c.support, c.tp, c.fp, c.fn]]));
    expect(byCode).toEqual({
      'J00': [1, 0, 0, 1],
      'I25.2': [1, 1, 0, 0],
      'E11.9': [1, 1, 0, 0],
      'I10': [1, 0, 2, 1],
      'J06.9': [0, 0, 1, 0],
    });
    expect(r.perCode.map((c) => c.code)).toEqual(['E11.9', 'I10', 'I25.2', 'J00', 'J06.9']);
  });
  it('empty predictions give zero everywhere and list every gold document', () => {
    const e = evaluateCoding(gold, []);
    expect(e.codeAssignment).toEqual({ tp: 0, fp: 0, fn: 4, precision: 0, recall: 0, f1: 0, accuracy: 0 });
    expect(e.ner).toEqual({ tp: 0, fp: 0, fn: 4, precision: 0, recall: 0, f1: 0, accuracy: 0 });
    expect(e.missingPredictions).toEqual(['d1', 'd2', 'd3', 'd4']);
    expect(e.documentAccuracy).toBe(0.25); // only d3, whose gold set is empty
  });
  it('no gold documents at all gives zeros, not NaN', () => {
    const e = evaluateCoding([], pred);
    expect([e.documents, e.documentAccuracy, e.codeAssignment.f1, e.ner.accuracy]).toEqual([0, 0, 0, 0]);
  });
  it('accepts predictions as a Map by document id', () => {
    expect(evaluateCoding(gold, new Map(pred.map((d) => [d.documentId, d]))).codeAssignment).toEqual(r.codeAssignment);
  });
  it('rejects a gold document listed twice', () => {
    expect(() => evaluateCoding([doc('a', []), doc('a', [])], [])).toThrow(/"a" appears twice/);
  });
});

describe('evaluateCoding(): relaxed by graph hops', () => {
  const gold = [doc('d1', [m(0, 4, 'J00'), m(10, 20, 'I25.2')])];
  const pred = [doc('d1', [m(0, 4, 'J06.9'), m(10, 20, 'I25.1'), m(50, 60, 'I10')])];
  it.each([
    // level, code tp/fp/fn, span-code tp/fp/fn
    ['CATEGORY', [1, 2, 1], [1, 2, 1]], // G{J00,I25} P{J06,I25,I10}
    ['BLOCK', [2, 1, 0], [2, 1, 0]], // G{J00-J06,I20-I25} P{J00-J06,I20-I25,I10-I15}
    ['CHAPTER', [2, 0, 0], [2, 1, 0]], // G{J00-J99,I00-I99} P{J00-J99,I00-I99}: I25 and I10 collapse
  ] as const)('at %s', (level, code, spanCode) => {
    const r = evaluateCoding(gold, pred, { lift: liftFromParents(tree, level) });
    expect([r.codeAssignment.tp, r.codeAssignment.fp, r.codeAssignment.fn]).toEqual(code);
    expect([r.nerLinking.tp, r.nerLinking.fp, r.nerLinking.fn]).toEqual(spanCode);
    expect([r.ner.tp, r.ner.fp, r.ner.fn]).toEqual([2, 1, 0]); // spans never change
  });
  it('a code absent from the dictionary is kept as-is and counts as a miss', () => {
    const lift = liftFromParents(tree, 'CATEGORY');
    const r = evaluateCoding([doc('d', [m(0, 4, 'I25.2')])], [doc('d', [m(0, 4, 'I25.X9')])], { lift });
    expect([r.codeAssignment.tp, r.codeAssignment.fp, r.codeAssignment.fn]).toEqual([0, 1, 1]);
    expect(r.perCode.map((c) => c.code)).toEqual(['I25', 'I25.X9']);
    // ...and matches only the very same unknown string.
    const same = evaluateCoding([doc('d', [m(0, 4, 'I25.X9')])], [doc('d', [m(0, 4, 'I25.X9')])], { lift });
    expect(same.codeAssignment.f1).toBe(1);
  });
});

describe('liftFromParents()', () => {
  // What is lifted -> [code, level, the code it lifts to].
  const lifts: Record<string, [code: string, level: 'CATEGORY' | 'BLOCK' | 'CHAPTER', expected: string]> = {
    'H10.0 style subcategory to category': ['I25.2', 'CATEGORY', 'I25'],
    'a national extension three hops up': ['F13.201Н', 'CATEGORY', 'F13'],
    'a category to itself': ['I25', 'CATEGORY', 'I25'],
    'a subcategory to its block': ['F13.201Н', 'BLOCK', 'F10-F19'],
    'a subcategory to its chapter': ['J06.9', 'CHAPTER', 'J00-J99'],
    'a block at CATEGORY to itself (nothing below to lift to)': ['I20-I25', 'CATEGORY', 'I20-I25'],
    'a chapter at BLOCK to itself': ['I00-I99', 'BLOCK', 'I00-I99'],
    'an unknown code to itself': ['Z99.XX', 'CHAPTER', 'Z99.XX'],
  };
  it.each(Object.entries(lifts))('lifts %s', (_what, [code, level, expected]) => {
    expect(liftFromParents(tree, level)(code)).toBe(expected);
  });
  it('walks the tree, never truncates: a code whose parent is unusual lifts through the parent', () => {
    // "X1234" would truncate to "X12"; the tree says its category is "ABC".
    const tree = [
      { code: 'CH', kind: 'CHAPTER' as const, parent: null },
      { code: 'ABC', kind: 'CATEGORY' as const, parent: 'CH' },
      { code: 'X1234', kind: 'SUBCATEGORY' as const, parent: 'ABC' },
    ];
    expect(liftFromParents(tree, 'CATEGORY')('X1234')).toBe('ABC');
  });
  it('does not hang on a cyclic tree', () => {
    const tree = [
      { code: 'A.1', kind: 'SUBCATEGORY' as const, parent: 'A.2' },
      { code: 'A.2', kind: 'SUBCATEGORY' as const, parent: 'A.1' },
    ];
    expect(liftFromParents(tree, 'CATEGORY')('A.1')).toBe('A.1');
  });
});

describe('liftFromStore()', () => {
  it('asks the store once for the distinct codes and keeps unliftable codes as they are', async () => {
    const calls: [string[], string][] = [];
    const store = {
      async lift(codes: readonly string[], level: 'CATEGORY' | 'BLOCK' | 'CHAPTER') {
        calls.push([[...codes], level]);
        const l = liftFromParents(tree, level);
        return codes.map((c) => (tree.some((n) => n.code === c) ? l(c) : null));
      },
    };
    const lift = await liftFromStore(store, ['I25.2', 'I25.2', 'NOPE', 'J06.9'], 'CATEGORY');
    expect(calls).toEqual([[['I25.2', 'NOPE', 'J06.9'], 'CATEGORY']]);
    expect(['I25.2', 'NOPE', 'J06.9', 'never-asked'].map(lift)).toEqual(['I25', 'NOPE', 'J06', 'never-asked']);
  });
});

describe('frequencyBuckets()', () => {
  // 20 gold codes with supports 20, 19, ..., 1 (code C01 has 20); one predicted-only code.
  const perCode: CodeMetrics[] = Array.from({ length: 20 }, (_, i) => {
    const support = 20 - i;
    const tp = Math.floor(support / 2);
    return { code: `C${String(i + 1).padStart(2, '0')}`, support, predicted: tp + 1, ...prf(tp, 1, support - tp) };
  });
  perCode.push({ code: 'P00', support: 0, predicted: 3, ...prf(0, 3, 0) });

  it('top: the 10 % most frequent gold codes; bottom: the 10 % least frequent with >= minCount', () => {
    const { top, bottom } = frequencyBuckets(perCode, { minCount: 15 });
    expect(top.codes).toEqual(['C01', 'C02']); // round(0.1 × 20) = 2
    // eligible: supports 20..15 (6 codes), round(0.6) = 1 -> the least frequent, C06 (support 15)
    expect(bottom.codes).toEqual(['C06']);
    // top: C01 tp10 fp1 fn10, C02 tp9 fp1 fn10 -> tp19 fp2 fn20
    expect(rounded(top)).toMatchObject({ tp: 19, fp: 2, fn: 20, support: 39, precision: 0.904762, recall: 0.487179 });
    expect(round(top.macroF1)).toBe(round((perCode[0]!.f1 + perCode[1]!.f1) / 2));
    expect(bottom).toMatchObject({ tp: 7, fp: 1, fn: 8, support: 15 });
  });
  it('minCount is configurable (0 or 1: every gold code is eligible)', () => {
    expect(frequencyBuckets(perCode, { minCount: 1 }).bottom.codes).toEqual(['C19', 'C20']);
    expect(frequencyBuckets(perCode, { minCount: 0 }).bottom.codes).toEqual(['C19', 'C20']);
  });
  it('empty inputs give empty buckets with zero scores', () => {
    const { top, bottom } = frequencyBuckets([], {});
    expect([top.codes, top.f1, bottom.codes, bottom.macroF1]).toEqual([[], 0, [], 0]);
    expect(frequencyBuckets(perCode, { minCount: 100 }).bottom.codes).toEqual([]);
  });
  it('rejects a share outside (0, 1]', () => {
    expect(() => frequencyBuckets(perCode, { share: 0 })).toThrow(/share/);
  });
});

describe('linkingAccuracyAtK()', () => {
  const items = [
    { gold: 'I10', candidates: ['I10', 'I11.9'] }, // hit at 1
    { gold: 'I25.2', candidates: ['I25.1', 'I25.2', 'I20.9'] }, // hit at 2; CATEGORY hit at 1
    { gold: 'J00', candidates: ['J06.9', 'E11.9', 'J00'] }, // hit at 3; CHAPTER hit at 1
    { gold: 'E11.9', candidates: [] }, // never
  ];
  it.each([
    [1, undefined, 1],
    [2, undefined, 2],
    [3, undefined, 3],
    [10, undefined, 3],
    [1, 'CATEGORY', 2],
    [1, 'CHAPTER', 3],
  ] as const)('acc@%i (lift %s) counts %i of 4 hits', (k, level, hits) => {
    const lift = level ? liftFromParents(tree, level) : undefined;
    expect(linkingAccuracyAtK(items, k, lift)).toEqual({ k, total: 4, hits, accuracy: hits / 4 });
  });
  it('no mentions gives accuracy 0; k must be a positive integer', () => {
    expect(linkingAccuracyAtK([], 5).accuracy).toBe(0);
    expect(() => linkingAccuracyAtK(items, 0)).toThrow(/k must be/);
  });
});

describe('weightedF1() and trainingCodeWeights()', () => {
  it('weights are shares of training appointments in the union of original and linked', () => {
    const w = trainingCodeWeights([
      { original: ['I10', 'I25.2'], linked: ['I10', 'I11.9'] },
      { original: ['I25.2'], linked: [] },
      { original: [], linked: ['E11.9'] },
      { original: [], linked: [] },
    ]);
    expect(Object.fromEntries(w)).toEqual({ 'I10': 0.25, 'I25.2': 0.5, 'I11.9': 0.25, 'E11.9': 0.25 });
  });
  it('per-code F1 over appointments, averaged with the weights', () => {
    const gold = [['I10', 'I25.2'], ['I10'], ['E11.9']];
    const pred = [['I10', 'I25.2'], ['I25.2'], []];
    // I10: tp1 fn1 -> P1 R.5 F1 2/3; I25.2: tp1 fp1 -> P.5 R1 F1 2/3; E11.9: fn1 -> 0
    const weights = new Map([['I10', 0.5], ['I25.2', 0.25], ['E11.9', 0.25], ['Z00', 0.9]]);
    const r = weightedF1(gold, pred, weights);
    expect(round(r.weightedF1)).toBe(round((0.5 * (2 / 3) + 0.25 * (2 / 3) + 0.25 * 0) / 1));
    expect(r.perCode.map((c) => [c.code, c.support, c.tp, c.fp, c.fn, c.weight])).toEqual([
      ['I10', 2, 1, 0, 1, 0.5],
      ['E11.9', 1, 0, 0, 1, 0.25],
      ['I25.2', 1, 1, 1, 0, 0.25],
    ]);
  });
  it('a code never seen in training is scored but weighs nothing', () => {
    const r = weightedF1([['A']], [['A', 'B']], new Map([['A', 1]]));
    expect(r.weightedF1).toBe(1);
    expect(r.perCode.find((c) => c.code === 'B')).toMatchObject({ weight: 0, fp: 1, f1: 0 });
  });
  it('rejects gold and predicted lists of different length', () => {
    expect(() => weightedF1([[]], [], new Map())).toThrow(/1 appointments but predicted has 0/);
  });
});

describe('codeTransitions()', () => {
  it('counts a -> b for every a in A\\B and b in B\\A per document, with shares', () => {
    const a = [
      doc('1', [], ['I25.2', 'I10']),
      doc('2', [], ['I25.2']),
      doc('3', [m(0, 3, 'I25.2')]),
      doc('4', [], ['J00']), // nothing replaced it: no transition
      doc('5', [], ['E11.9']), // no B document
    ];
    const b = [
      doc('1', [], ['I11.9', 'I10']),
      doc('2', [], ['I11.9', 'E11.9']),
      doc('3', [], ['I25.1']),
      doc('4', [], []),
    ];
    expect(codeTransitions(a, b)).toEqual([
      { from: 'I25.2', to: 'I11.9', count: 2, share: 0.5 },
      { from: 'I25.2', to: 'E11.9', count: 1, share: 0.25 },
      { from: 'I25.2', to: 'I25.1', count: 1, share: 0.25 },
    ]);
  });
  it('relaxed: codes lifting to the same category are no disagreement', () => {
    const lift = liftFromParents(tree, 'CATEGORY');
    expect(codeTransitions([doc('1', [], ['I25.2'])], [doc('1', [], ['I25.1'])], lift)).toEqual([]);
  });
});

describe('codeRelation()', () => {
  it.each([
    ['I25.2', 'I11.9', 'I00-I99', 6, false, false, true],
    ['I25.2', 'I25.1', 'I25', 2, true, true, true],
    ['F13.20', 'F13', 'F13', 2, true, true, true],
    ['I25.2', 'I20.9', 'I20-I25', 4, false, true, true],
    ['I25.2', 'I25.2', 'I25.2', 0, true, true, true],
    ['I25.2', 'J06.9', null, 8, false, false, false], // via the virtual root above the chapters
    ['I25.2', 'UNKNOWN', null, null, false, false, false],
  ] as const)('%s vs %s: LCA %s, %s hops', (a, b, lca, hops, cat, block, chapter) => {
    expect(codeRelation(pathOf(a), pathOf(b))).toEqual({
      lowestCommonAncestor: lca,
      hopDistance: hops,
      sameCategory: cat,
      sameBlock: block,
      sameChapter: chapter,
    });
  });
});

describe('referenceMentions(): brat columns as the reference evaluator reads them', () => {
  it('reads T spans and N codes; a T without N is dropped; notes and continuation lines are skipped', () => {
    const ann = [
      'T1\ticd_code 0 7\tКольпит',
      'N1\tReference T1 ICD_codes:8949\tN76',
      'T2\ticd_code 9 20\t', // a text over a line break continues on the next lines
      'вторая строка',
      'N2\tReference T2 ICD_codes:1\tI10',
      'T3\ticd_code 22 30\tбез кода',
      '#1\tAnnotatorNotes T1\tзаметка',
      '',
    ].join('\n');
    expect(referenceMentions(ann)).toEqual([{ start: 0, end: 7, code: 'N76' }, { start: 9, end: 20, code: 'I10' }]);
  });
  it('a reused T id replaces the earlier entity (and the codes linked to it)', () => {
    const ann = 'T1\ticd_code 1 18\ta\nN1\tReference T1 ICD_codes:1\tJ01.4\nT1\ticd_code 1 19\tb\nN2\tReference T1 ICD_codes:2\tJ01.9\n';
    expect(referenceMentions(ann)).toEqual([{ start: 1, end: 19, code: 'J01.9' }]);
  });
  it('several codes for one T give one mention per code; a reference to an undefined T is ignored', () => {
    const ann = 'T5\ticd_code 63 86\tx\nN5\tReference T5 ICD_codes:1\tB97.7\nN6\tReference T5 ICD_codes:2\tD23.9\nN7\tReference T9 ICD_codes:3\tA00\n';
    expect(referenceMentions(ann)).toEqual([{ start: 63, end: 86, code: 'B97.7' }, { start: 63, end: 86, code: 'D23.9' }]);
  });
  it('a discontinuous span keys by first start and last end; offsets are taken as written (CRLF offsets included)', () => {
    const ann = 'T1\ticd_code 0 5;7 10\ta b\nN1\tReference T1 ICD_codes:1\tE11.9\r\n';
    expect(referenceMentions(ann)).toEqual([{ start: 0, end: 10, code: 'E11.9' }]);
  });
  it('drops entities starting at -1 (the reference filter) and empty files give nothing', () => {
    expect(referenceMentions('T1\ticd_code -1 -1\tx\nN1\tReference T1 ICD_codes:1\tI10\n')).toEqual([]);
    expect(referenceMentions('')).toEqual([]);
  });
});
