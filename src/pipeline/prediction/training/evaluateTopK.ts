/** Accuracy (top-1) and hit@k of ranked predictions against one gold code per example. */
export interface TopKScores {
  accuracy: number;
  hitAtK: number;
  k: number;
  n: number;
}

/**
 * Scores ranked predictions as RuMedBench does: accuracy = share whose first prediction is the
 * gold code; hit@k = share whose gold code is among the first k.
 *
 * @example evaluateTopK([['A', 'B']], ['B'], 2) -> { accuracy: 0, hitAtK: 1, k: 2, n: 1 }
 */
export function evaluateTopK(ranked: readonly (readonly string[])[], gold: readonly string[], k: number): TopKScores {
  if (ranked.length !== gold.length) throw new Error(`${ranked.length} predictions but ${gold.length} gold codes`);
  let top1 = 0;
  let hit = 0;
  ranked.forEach((r, i) => {
    if (r[0] === gold[i]) top1++;
    if (r.slice(0, k).includes(gold[i]!)) hit++;
  });
  const n = gold.length;
  return { accuracy: n ? top1 / n : 0, hitAtK: n ? hit / n : 0, k, n };
}
