/** Three rows reused by `editDistanceAtMost` (no allocation per comparison). */
let rowA = new Int32Array(64);
let rowB = new Int32Array(64);
let rowC = new Int32Array(64);

/**
 * Optimal string alignment distance (edits and adjacent transpositions), or `max + 1` when it is
 * larger. Only the diagonal band `|i - j| <= max` is computed: cells outside it exceed `max` anyway.
 * Not reentrant-safe across threads, but JavaScript has none here: the rows are module scratch.
 *
 * @example editDistanceAtMost('гострит', 'гастрит', 2) // 1
 */
export function editDistanceAtMost(a: string, b: string, max: number): number {
  const la = a.length;
  const lb = b.length;
  if (Math.abs(la - lb) > max) return max + 1;
  const big = max + 1;
  const cols = lb + 1;
  if (rowA.length < cols + 1) {
    rowA = new Int32Array(cols * 2);
    rowB = new Int32Array(cols * 2);
    rowC = new Int32Array(cols * 2);
  }
  // prev2 = row i-2, prev = row i-1, cur = row i.
  let prev2 = rowA;
  let prev = rowB;
  let cur = rowC;
  for (let j = 0; j <= cols; j++) prev[j] = j <= max ? j : big;
  for (let i = 1; i <= la; i++) {
    const lo = Math.max(1, i - max);
    const hi = Math.min(lb, i + max);
    cur[0] = i <= max ? i : big;
    cur[lo - 1] = lo === 1 ? cur[0]! : big;
    let rowMin = lo === 1 ? cur[0]! : big;
    const ai = a.charCodeAt(i - 1);
    for (let j = lo; j <= hi; j++) {
      const bj = b.charCodeAt(j - 1);
      let v = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (ai === bj ? 0 : 1));
      if (i > 1 && j > 1 && ai === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === bj) v = Math.min(v, prev2[j - 2]! + 1);
      if (v > big) v = big;
      cur[j] = v;
      if (v < rowMin) rowMin = v;
    }
    // The next row reads one cell past this band.
    cur[hi + 1] = big;
    if (rowMin > max) return big;
    const t = prev2;
    prev2 = prev;
    prev = cur;
    cur = t;
  }
  return prev[lb]!;
}

