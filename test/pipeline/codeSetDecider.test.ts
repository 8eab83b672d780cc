import { describe, expect, it } from 'vitest';
import { CODE_SET_FEATURES, CodeSetDecider, codeSetRows } from '../../src/pipeline/coding/rerank/CodeSetDecider.js';
import type { SpanChoice } from '../../src/pipeline/coding/rerank/CodeSetDecider.js';
import { mulberry32 } from '../../src/util/mulberry32.js';
import type { Candidate } from '../../src/pipeline/coding/types.js';

const cand = (code: string, score: number): Candidate => ({ code, score, source: 'CORPUS', name: '' });
const feature = (row: Float64Array, name: (typeof CODE_SET_FEATURES)[number]): number => row[CODE_SET_FEATURES.indexOf(name)]!;

describe('codeSetRows: one row per code the spans offer', () => {
  const spans: SpanChoice[] = [
    { start: 0, end: 3, top: 0.9, topSource: 'CORPUS', length: 3, ranked: [cand('I25.9', 0.6), cand('I25', 0.3), cand('I20.8', 0.1)] },
    { start: 5, end: 25, top: 0.05, topSource: 'FUZZY', length: 20, ranked: [cand('I20.8', 0.5), cand('I25.9', 0.4)] },
  ];
  const rows = new Map(codeSetRows(spans, new Set(['I25.9']), 0.12).map((r) => [r.code, r]));

  it('describes each code by the spans that offer it', () => {
    expect([...rows.keys()].sort()).toEqual(['I20.8', 'I25', 'I25.9']);
    const i259 = rows.get('I25.9')!;
    expect(i259.span).toBe(0);
    expect(feature(i259.features, 'max_p')).toBeCloseTo(0.6);
    expect(feature(i259.features, 'sum_p')).toBeCloseTo(1.0);
    // The second span is below minScore: it counts half in the noisy-or.
    expect(feature(i259.features, 'noisy_or_p')).toBeCloseTo(1 - 0.4 * 0.8);
    expect(feature(i259.features, 'times_first')).toBe(1);
    expect(feature(i259.features, 'picked')).toBe(1);
    const i208 = rows.get('I20.8')!;
    expect(i208.span).toBe(1);
    expect(feature(i208.features, 'fuzzy_at_max')).toBe(1);
    expect(feature(i208.features, 'picked')).toBe(0);
    expect(feature(i208.features, 'category_picked')).toBe(0);
    expect(feature(rows.get('I25')!.features, 'category_picked')).toBe(1);
    expect(feature(rows.get('I25')!.features, 'category_mass')).toBeCloseTo(0.9);
    for (const r of rows.values()) expect(feature(r.features, 'pair')).toBe(1);
  });

  it('has no rows for a document without spans', () => {
    expect(codeSetRows([], new Set(), 0.12)).toEqual([]);
  });
});

describe('CodeSetDecider', () => {
  // Pairs whose code is gold when offered strongly (max_p) by a span the linker trusts (best_top), with noise.
  function pairs(n: number, seed: number): { features: Float64Array; gold: boolean }[] {
    const r = mulberry32(seed);
    return Array.from({ length: n }, () => {
      const f = new Float64Array(CODE_SET_FEATURES.length);
      f[CODE_SET_FEATURES.indexOf('max_p')] = r();
      f[CODE_SET_FEATURES.indexOf('best_top')] = r();
      f[CODE_SET_FEATURES.indexOf('pair')] = 1;
      const likely = f[0]! > 0.5 && f[CODE_SET_FEATURES.indexOf('best_top')]! > 0.3;
      return { features: f, gold: r() < (likely ? 0.9 : 0.1) };
    });
  }
  const decider = CodeSetDecider.train(pairs(3000, 1), 0.27);

  it('learns calibrated probabilities out of sample', () => {
    const test = pairs(1000, 2);
    const p = test.map((x) => decider.probability(x.features));
    const share = (sel: (i: number) => boolean): number => {
      const picked = test.filter((_, i) => sel(i));
      return picked.filter((x) => x.gold).length / picked.length;
    };
    // Of pairs it thinks likely, about 9 in 10 are gold; of the rest about 1 in 10.
    expect(share((i) => p[i]! > 0.5)).toBeGreaterThan(0.8);
    expect(share((i) => p[i]! <= 0.5)).toBeLessThan(0.2);
    for (const v of p) expect(v > 0 && v < 1).toBe(true);
  });

  it('reads back from JSON with its threshold and the same probabilities', () => {
    const back = CodeSetDecider.fromJSON(JSON.parse(JSON.stringify(decider.toJSON())));
    expect(back.threshold).toBe(0.27);
    for (const x of pairs(50, 3)) expect(back.probability(x.features)).toBeCloseTo(decider.probability(x.features), 5);
  });
});
