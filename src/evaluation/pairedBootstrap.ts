import { mulberry32 } from '../util/mulberry32.js';
/** A 95 % interval (2.5th and 97.5th percentiles of the bootstrap distribution). */
export interface Interval {
  low: number;
  high: number;
}

/** Result of {@link pairedBootstrap}: both systems' means with intervals, and the paired tests. */
export interface PairedComparison {
  n: number;
  a: { mean: number; ci: Interval };
  b: { mean: number; ci: Interval };
  /** mean(a) - mean(b) with its interval. */
  difference: { mean: number; ci: Interval };
  /** One-sided bootstrap p-value of "a is not better than b": share of resamples with diff <= 0. */
  pBootstrap: number;
  /** Discordant pairs (a right / b wrong, a wrong / b right) and the exact two-sided McNemar p. */
  mcnemar: { aOnly: number; bOnly: number; p: number };
}

function percentile(sorted: Float64Array, q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.round(q * (sorted.length - 1))))]!;
}

/** Exact two-sided binomial test of k successes in n trials at p = 1/2 (McNemar's exact test). */
function binomialTwoSided(k: number, n: number): number {
  if (n === 0) return 1;
  const lo = Math.min(k, n - k);
  // log C(n, i) summed in log space to stay finite for large n.
  let logC = 0;
  let tail = 0;
  for (let i = 0; i <= lo; i++) {
    if (i > 0) logC += Math.log(n - i + 1) - Math.log(i);
    tail += Math.exp(logC - n * Math.LN2);
  }
  return Math.min(1, 2 * tail);
}

/**
 * Paired bootstrap over examples of two systems' per-example scores (1 = right, 0 = wrong, or any
 * per-example metric): percentile 95 % intervals of each mean and of their difference, a
 * one-sided bootstrap p-value that `a` is better, and McNemar's exact test on the discordant
 * pairs (for 0/1 scores). Deterministic for a seed.
 *
 * @example pairedBootstrap([1, 1, 0, 1], [1, 0, 0, 1], { samples: 1000 }).difference.mean // 0.25
 */
export function pairedBootstrap(a: readonly number[], b: readonly number[], options: { samples?: number; seed?: number } = {}): PairedComparison {
  if (a.length !== b.length) throw new Error(`paired scores differ in length: ${a.length} vs ${b.length}`);
  const n = a.length;
  const samples = options.samples ?? 2000;
  const rand = mulberry32(options.seed ?? 1);
  const ma = new Float64Array(samples);
  const mb = new Float64Array(samples);
  const md = new Float64Array(samples);
  let notBetter = 0;
  for (let s = 0; s < samples; s++) {
    let sa = 0;
    let sb = 0;
    for (let i = 0; i < n; i++) {
      const j = Math.floor(rand() * n);
      sa += a[j]!;
      sb += b[j]!;
    }
    ma[s] = n ? sa / n : 0;
    mb[s] = n ? sb / n : 0;
    md[s] = ma[s]! - mb[s]!;
    if (md[s]! <= 0) notBetter++;
  }
  for (const arr of [ma, mb, md]) arr.sort();
  const mean = (xs: readonly number[]): number => (n ? xs.reduce((x, y) => x + y, 0) / n : 0);
  const ci = (arr: Float64Array): Interval => ({ low: percentile(arr, 0.025), high: percentile(arr, 0.975) });
  let aOnly = 0;
  let bOnly = 0;
  for (let i = 0; i < n; i++) {
    if (a[i]! > b[i]!) aOnly++;
    else if (a[i]! < b[i]!) bOnly++;
  }
  return {
    n,
    a: { mean: mean(a), ci: ci(ma) },
    b: { mean: mean(b), ci: ci(mb) },
    difference: { mean: mean(a) - mean(b), ci: ci(md) },
    pBootstrap: samples ? notBetter / samples : 1,
    mcnemar: { aOnly, bOnly, p: binomialTwoSided(aOnly, aOnly + bOnly) },
  };
}
