import type { Metrics } from './types.js';

/**
 * Precision, recall, F1 and accuracy from micro counts, exactly as the RuCCoD reference
 * evaluator computes them: each ratio is 0 where its denominator is 0.
 *
 * @example prf(2, 1, 1) // { precision: 0.667, recall: 0.667, f1: 0.667, accuracy: 0.5, tp: 2, fp: 1, fn: 1 }
 */
export function prf(tp: number, fp: number, fn: number): Metrics {
  const precision = tp + fp === 0 ? 0 : tp / (tp + fp);
  const recall = tp + fn === 0 ? 0 : tp / (tp + fn);
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  const accuracy = tp + fp + fn === 0 ? 0 : tp / (tp + fp + fn);
  return { precision, recall, f1, accuracy, tp, fp, fn };
}
