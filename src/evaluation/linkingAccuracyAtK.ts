import type { LiftFn } from './types.js';

/** One gold mention as the linker saw it: its gold code and the linker's ranked candidates. */
export interface LinkingItem {
  gold: string;
  /** Candidate codes, best first. */
  candidates: readonly string[];
}

/** The result of {@link linkingAccuracyAtK}. */
export interface LinkingAccuracy {
  k: number;
  /** Gold mentions evaluated. */
  total: number;
  /** Mentions whose gold code (or its lift) is among the top-k candidates (or their lifts). */
  hits: number;
  /** hits / total, 0 when there is no mention. */
  accuracy: number;
}

/**
 * Linking acc@k on gold mentions (DESIGN §3): the share of mentions whose gold code is among the
 * linker's first `k` candidates. With `lift`, both the gold code and the first `k` candidates are
 * lifted first (the top k is taken before lifting, so lifted duplicates do not pull in more
 * candidates).
 *
 * @example linkingAccuracyAtK([{ gold: 'I10', candidates: ['I11.9', 'I10'] }], 1).accuracy === 0
 */
export function linkingAccuracyAtK(items: readonly LinkingItem[], k: number, lift?: LiftFn): LinkingAccuracy {
  if (!Number.isInteger(k) || k < 1) throw new RangeError(`k must be a positive integer, got ${k}`);
  const l = lift ?? ((c: string) => c);
  let hits = 0;
  for (const item of items) {
    const gold = l(item.gold);
    const n = Math.min(k, item.candidates.length);
    for (let i = 0; i < n; i++) {
      if (l(item.candidates[i]!) === gold) {
        hits++;
        break;
      }
    }
  }
  return { k, total: items.length, hits, accuracy: items.length === 0 ? 0 : hits / items.length };
}
