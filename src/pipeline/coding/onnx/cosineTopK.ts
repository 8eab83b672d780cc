/** One hit of {@link cosineTopK}: the row's index and its cosine with the query. */
export interface CosineHit {
  index: number;
  score: number;
}

/**
 * The `k` best rows of a row-major matrix of unit vectors (`rows × dim`) by dot product with a
 * unit query (= cosine), best first, ties by lower index. With `group`, rows sharing a group
 * (e.g. names of one code) count once, by their best row.
 *
 * @example cosineTopK(Float32Array.from([1, 0, 0, 1]), 2, Float32Array.from([1, 0]), 1) // [{ index: 0, score: 1 }]
 */
export function cosineTopK(matrix: Float32Array, dim: number, query: ArrayLike<number>, k: number, group?: Int32Array): CosineHit[] {
  if (query.length !== dim) throw new Error(`cosineTopK: query has ${query.length} dimensions, the matrix ${dim}`);
  const rows = dim === 0 ? 0 : matrix.length / dim;
  const scores = new Float32Array(rows);
  for (let r = 0; r < rows; r++) {
    let s = 0;
    const base = r * dim;
    for (let d = 0; d < dim; d++) s += matrix[base + d]! * query[d]!;
    scores[r] = s;
  }
  // Best row per group (groups are dense ids 0..G-1, as the linker builds them), or every row;
  // then a bounded insertion into the top k: O(rows + G * k), no per-call maps.
  let pool: Int32Array | null = null;
  if (group) {
    let groups = 0;
    for (let r = 0; r < rows; r++) groups = Math.max(groups, group[r]! + 1);
    const bestRow = new Int32Array(groups).fill(-1);
    for (let r = 0; r < rows; r++) {
      const g = group[r]!;
      const cur = bestRow[g]!;
      if (cur < 0 || scores[r]! > scores[cur]!) bestRow[g] = r;
    }
    pool = bestRow;
  }
  const better = (a: number, b: number): boolean => scores[a]! > scores[b]! || (scores[a] === scores[b] && a < b);
  const top: number[] = [];
  if (k <= 0) return [];
  const n = pool === null ? rows : pool.length;
  for (let p = 0; p < n; p++) {
    const r = pool === null ? p : pool[p]!;
    if (r < 0) continue;
    if (top.length === k && !better(r, top[k - 1]!)) continue;
    let i = top.length === k ? k - 1 : top.length;
    while (i > 0 && better(r, top[i - 1]!)) {
      if (i < k) top[i] = top[i - 1]!;
      i--;
    }
    top[i] = r;
  }
  return top.map((index) => ({ index, score: scores[index]! }));
}
