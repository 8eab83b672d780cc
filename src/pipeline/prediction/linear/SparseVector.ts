/** A sparse feature vector: strictly increasing feature indices and their values. */
export interface SparseVector {
  readonly indices: Int32Array;
  readonly values: Float32Array;
}

/**
 * Builds a sparse vector from an index -> value map (indices sorted, zeros dropped).
 *
 * @example sparseFromMap(new Map([[3, 1], [1, 2]])) -> { indices: [1, 3], values: [2, 1] }
 */
export function sparseFromMap(map: Map<number, number>): SparseVector {
  const entries = [...map].filter(([, v]) => v !== 0).sort((a, b) => a[0] - b[0]);
  return {
    indices: Int32Array.from(entries, (e) => e[0]),
    values: Float32Array.from(entries, (e) => e[1]),
  };
}
