import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { evaluateCoding } from '../../src/evaluation/evaluateCoding.js';
import { liftFromParents } from '../../src/evaluation/liftFromParents.js';
import { LIFT_LEVELS } from '../../src/graph/model.js';
import type { EvalDocument } from '../../src/evaluation/types.js';
import { sampleCodes } from '../fixtures/sample.js';

/** The sample's ICD-10 tree. */
const tree = await sampleCodes();

// Codes from the sample's tree plus two it does not know, so lifting meets every case.
const codes = [...tree.map((n) => n.code), 'Z99.9', 'Q00.X'];
const mention = fc.record({
  start: fc.integer({ min: 0, max: 30 }),
  len: fc.integer({ min: 1, max: 5 }),
  code: fc.option(fc.constantFrom(...codes), { freq: 6 }),
}).map(({ start, len, code }) => ({ start, end: start + len, code }));
const layerOf = (ids: number) =>
  fc.array(fc.array(mention, { maxLength: 6 }), { minLength: ids, maxLength: ids }).map((docs) =>
    docs.map((mentions, i): EvalDocument => ({ documentId: `d${i}`, mentions })),
  );
const pair = fc.integer({ min: 0, max: 8 }).chain((n) => fc.tuple(layerOf(n), layerOf(n)));
const level = fc.option(fc.constantFrom(...LIFT_LEVELS), { nil: undefined });

describe('evaluateCoding(): properties', () => {
  it('accuracy = F1 / (2 - F1) on micro counts, for every task', () => {
    fc.assert(
      fc.property(pair, level, ([gold, pred], lvl) => {
        const r = evaluateCoding(gold, pred, { lift: lvl ? liftFromParents(tree, lvl) : undefined });
        for (const t of [r.ner, r.nerLinking, r.codeAssignment]) {
          expect(t.accuracy).toBeCloseTo(t.f1 / (2 - t.f1), 12);
        }
      }),
    );
  });

  it('a layer against itself gives 1.0 wherever it has a coded entity', () => {
    fc.assert(
      fc.property(pair, level, ([gold], lvl) => {
        const r = evaluateCoding(gold, gold, { lift: lvl ? liftFromParents(tree, lvl) : undefined });
        const any = gold.some((d) => d.mentions.some((m) => m.code !== null));
        for (const t of [r.ner, r.nerLinking, r.codeAssignment]) {
          expect([t.precision, t.recall, t.f1, t.accuracy]).toEqual(any ? [1, 1, 1, 1] : [0, 0, 0, 0]);
          expect([t.fp, t.fn]).toEqual([0, 0]);
        }
        expect(r.documentAccuracy).toBe(gold.length === 0 ? 0 : 1);
      }),
    );
  });

  it('relaxed lifting is idempotent (lift ∘ lift = lift), and lifting twice evaluates the same', () => {
    fc.assert(
      fc.property(fc.constantFrom(...LIFT_LEVELS), fc.constantFrom(...codes), (lvl, code) => {
        const lift = liftFromParents(tree, lvl);
        expect(lift(lift(code))).toBe(lift(code));
      }),
    );
    fc.assert(
      fc.property(pair, fc.constantFrom(...LIFT_LEVELS), ([gold, pred], lvl) => {
        const lift = liftFromParents(tree, lvl);
        const once = evaluateCoding(gold, pred, { lift });
        const twice = evaluateCoding(gold, pred, { lift: (c) => lift(lift(c)) });
        expect(twice).toEqual(once);
      }),
    );
  });

  it('relaxing never lowers document accuracy: a strict match stays a match after lifting', () => {
    fc.assert(
      fc.property(pair, fc.constantFrom(...LIFT_LEVELS), ([gold, pred], lvl) => {
        const strict = evaluateCoding(gold, pred);
        const relaxed = evaluateCoding(gold, pred, { lift: liftFromParents(tree, lvl) });
        // Every strictly matched document code still matches after lifting both sides.
        expect(relaxed.documentAccuracy).toBeGreaterThanOrEqual(strict.documentAccuracy);
      }),
    );
  });

  it('micro sums are independent of document order, and per-code counts add up to them', () => {
    fc.assert(
      fc.property(pair, fc.integer(), ([gold, pred], seed) => {
        const shuffled = [...gold].sort((a, b) => ((a.documentId.charCodeAt(1) * 31 + seed) % 7) - ((b.documentId.charCodeAt(1) * 31 + seed) % 7));
        const a = evaluateCoding(gold, pred);
        const b = evaluateCoding(shuffled, [...pred].reverse());
        expect(b.ner).toEqual(a.ner);
        expect(b.nerLinking).toEqual(a.nerLinking);
        expect(b.codeAssignment).toEqual(a.codeAssignment);
        expect(b.documentAccuracy).toBe(a.documentAccuracy);
        expect(b.perCode).toEqual(a.perCode);
        const sum = a.perCode.reduce((s, c) => [s[0]! + c.tp, s[1]! + c.fp, s[2]! + c.fn], [0, 0, 0]);
        expect(sum).toEqual([a.codeAssignment.tp, a.codeAssignment.fp, a.codeAssignment.fn]);
      }),
    );
  });

  it('swapping gold and prediction swaps FP and FN and keeps TP and F1', () => {
    fc.assert(
      fc.property(pair, ([gold, pred]) => {
        const a = evaluateCoding(gold, pred);
        const b = evaluateCoding(pred, gold);
        for (const k of ['ner', 'nerLinking', 'codeAssignment'] as const) {
          expect([b[k].tp, b[k].fp, b[k].fn]).toEqual([a[k].tp, a[k].fn, a[k].fp]);
          expect(b[k].f1).toBeCloseTo(a[k].f1, 12);
        }
      }),
    );
  });
});
