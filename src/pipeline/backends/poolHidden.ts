/** How token states become one sentence vector. */
export type Pooling = 'mean' | 'cls';

/**
 * Pools a `[B, T, H]` hidden-state tensor (flat, row-major) into B vectors of H: `mean` averages
 * the tokens whose attention mask is 1 (padding never counts), `cls` takes the first token.
 *
 * @example poolHidden(Float32Array.from([1, 0, 3, 2]), [1, 2, 2], [1, 1], 'mean')[0] // [2, 1]
 */
export function poolHidden(hidden: ArrayLike<number>, dims: readonly number[], mask: ArrayLike<number | bigint>, pooling: Pooling): Float32Array[] {
  const [B, T, H] = dims as [number, number, number];
  if (dims.length !== 3 || hidden.length !== B * T * H) {
    throw new Error(`poolHidden expects a [batch, tokens, hidden] tensor, got dims [${dims.join(', ')}] with ${hidden.length} values`);
  }
  const out: Float32Array[] = [];
  for (let b = 0; b < B; b++) {
    const v = new Float32Array(H);
    if (pooling === 'cls') {
      for (let h = 0; h < H; h++) v[h] = hidden[b * T * H + h]!;
    } else {
      let n = 0;
      for (let t = 0; t < T; t++) {
        if (Number(mask[b * T + t]) === 0) continue;
        n++;
        const base = (b * T + t) * H;
        for (let h = 0; h < H; h++) v[h] = v[h]! + hidden[base + h]!;
      }
      if (n > 0) for (let h = 0; h < H; h++) v[h] = v[h]! / n;
    }
    out.push(v);
  }
  return out;
}
