import { prf } from './prf.js';
import type { CodeMetrics, Metrics } from './types.js';

/** Options of {@link frequencyBuckets}. */
export interface FrequencyBucketOptions {
  /** Share of codes in each bucket (DESIGN §3: 10 %). */
  share?: number;
  /** The bottom bucket is drawn only from codes with at least this many gold occurrences (15). */
  minCount?: number;
}

/** One frequency bucket: its codes and their pooled (micro) and averaged (macro) scores. */
export interface FrequencyBucket extends Metrics {
  name: 'top' | 'bottom';
  /** The bucket's codes, most frequent first. */
  codes: string[];
  /** Sum of the codes' gold supports. */
  support: number;
  /** Unweighted mean of the codes' F1 (0 for an empty bucket). */
  macroF1: number;
}

export const DEFAULT_BUCKET_SHARE = 0.1;
export const DEFAULT_BUCKET_MIN_COUNT = 15;

function bucket(name: 'top' | 'bottom', codes: readonly CodeMetrics[]): FrequencyBucket {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  let support = 0;
  let f1Sum = 0;
  for (const c of codes) {
    tp += c.tp;
    fp += c.fp;
    fn += c.fn;
    support += c.support;
    f1Sum += c.f1;
  }
  return {
    name,
    codes: codes.map((c) => c.code),
    support,
    macroF1: codes.length === 0 ? 0 : f1Sum / codes.length,
    ...prf(tp, fp, fn),
  };
}

/** How many codes make `share` of `n`: rounded, at least one when there is any code. */
function bucketSize(n: number, share: number): number {
  return n === 0 ? 0 : Math.min(n, Math.max(1, Math.round(n * share)));
}

/**
 * The most and least frequent codes of the gold (test) set and how well they are predicted
 * (DESIGN §3). Frequency is a code's gold support; codes only ever predicted are not ranked.
 * The top bucket is the `share` most frequent of all gold codes; the bottom bucket is the `share`
 * least frequent among codes with at least `minCount` gold occurrences. A bucket's size is
 * `round(share × candidates)`, at least 1; ties are broken by code so buckets are deterministic.
 *
 * @example frequencyBuckets(evaluation.perCode, { minCount: 15 }).top.f1
 */
export function frequencyBuckets(
  perCode: readonly CodeMetrics[],
  options: FrequencyBucketOptions = {},
): { top: FrequencyBucket; bottom: FrequencyBucket } {
  const share = options.share ?? DEFAULT_BUCKET_SHARE;
  const minCount = options.minCount ?? DEFAULT_BUCKET_MIN_COUNT;
  if (!(share > 0 && share <= 1)) throw new RangeError(`bucket share must be in (0, 1], got ${share}`);
  if (!Number.isInteger(minCount) || minCount < 0) throw new RangeError(`minCount must be a non-negative integer, got ${minCount}`);
  const byCode = (a: CodeMetrics, b: CodeMetrics): number => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0);
  const ranked = perCode.filter((c) => c.support > 0).sort((a, b) => b.support - a.support || byCode(a, b));
  const top = ranked.slice(0, bucketSize(ranked.length, share));
  const eligible = ranked.filter((c) => c.support >= Math.max(1, minCount));
  const bottom = eligible.slice(eligible.length - bucketSize(eligible.length, share));
  return { top: bucket('top', top), bottom: bucket('bottom', bottom) };
}
