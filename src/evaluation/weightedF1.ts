import { prf } from './prf.js';
import type { Metrics } from './types.js';

/** Per-code scores of a multi-label prediction, with the code's weight. */
export interface WeightedCodeMetrics extends Metrics {
  code: string;
  /** Test appointments carrying the code. */
  support: number;
  weight: number;
}

/** The result of {@link weightedF1}. */
export interface WeightedF1 {
  /** Σ weight·F1 / Σ weight over the scored codes; 0 when no scored code has weight. */
  weightedF1: number;
  /** Every code of gold or prediction, by weight desc, then code. */
  perCode: WeightedCodeMetrics[];
}

/**
 * Weighted F1 of diagnosis prediction (DESIGN §3): per-code F1 over appointments (multi-label;
 * code sets, duplicates collapse), averaged with each code's weight. Scored codes are those in
 * the gold or predicted sets; a code without weight (never seen in training) scores but weighs 0.
 * `gold[i]` and `predicted[i]` are the same appointment.
 *
 * @example weightedF1([['I10']], [['I10']], new Map([['I10', 0.3]])).weightedF1 === 1
 */
export function weightedF1(
  gold: readonly (readonly string[])[],
  predicted: readonly (readonly string[])[],
  weights: ReadonlyMap<string, number>,
): WeightedF1 {
  if (gold.length !== predicted.length) {
    throw new RangeError(`weightedF1: gold has ${gold.length} appointments but predicted has ${predicted.length}`);
  }
  const counts = new Map<string, { tp: number; fp: number; fn: number }>();
  const entry = (c: string) => {
    let e = counts.get(c);
    if (!e) counts.set(c, (e = { tp: 0, fp: 0, fn: 0 }));
    return e;
  };
  gold.forEach((g, i) => {
    const gs = new Set(g);
    const ps = new Set(predicted[i]);
    for (const c of gs) entry(c)[ps.has(c) ? 'tp' : 'fn']++;
    for (const c of ps) if (!gs.has(c)) entry(c).fp++;
  });
  let num = 0;
  let den = 0;
  const perCode: WeightedCodeMetrics[] = [];
  for (const [code, e] of counts) {
    const weight = weights.get(code) ?? 0;
    const m = prf(e.tp, e.fp, e.fn);
    num += weight * m.f1;
    den += weight;
    perCode.push({ code, support: e.tp + e.fn, weight, ...m });
  }
  perCode.sort((a, b) => b.weight - a.weight || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
  return { weightedF1: den === 0 ? 0 : num / den, perCode };
}
