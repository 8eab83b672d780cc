/**
 * Scales a vector in place to unit Euclidean length (a zero vector stays zero) and returns it,
 * so that cosine similarity becomes a dot product.
 *
 * @example l2Normalize(Float32Array.from([3, 4])) // [0.6, 0.8]
 */
export function l2Normalize<T extends Float32Array | number[]>(v: T): T {
  let sum = 0;
  for (let i = 0; i < v.length; i++) sum += v[i]! * v[i]!;
  if (sum === 0) return v;
  const inv = 1 / Math.sqrt(sum);
  for (let i = 0; i < v.length; i++) v[i] = v[i]! * inv;
  return v;
}
