/**
 * Softmax over `length` logits starting at `offset` of a flat array (one row of a [.., L] tensor),
 * shifted by the row's maximum so large logits do not overflow.
 *
 * @example softmax([0.5, 2, 0]) // [0.1643, 0.7361, 0.0996] (rounded)
 */
export function softmax(logits: ArrayLike<number>, offset = 0, length = logits.length - offset): number[] {
  let max = -Infinity;
  for (let i = 0; i < length; i++) max = Math.max(max, logits[offset + i]!);
  const out = new Array<number>(length);
  let sum = 0;
  for (let i = 0; i < length; i++) {
    out[i] = Math.exp(logits[offset + i]! - max);
    sum += out[i]!;
  }
  for (let i = 0; i < length; i++) out[i] = out[i]! / sum;
  return out;
}
