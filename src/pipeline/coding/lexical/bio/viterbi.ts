import { O, TAGS } from './tags.js';

/**
 * Best tag path under first-order scores: `emit[i * 3 + c]` for tag c at token i, and
 * `trans[(i * 3 + p) * 3 + c]` for tag c after tag p (the first token follows an `O`).
 */
export function viterbi(n: number, emit: Float64Array, trans: Float64Array, out: Uint8Array): void {
  if (n === 0) return;
  const delta = new Float64Array(n * TAGS);
  const back = new Uint8Array(n * TAGS);
  for (let c = 0; c < TAGS; c++) delta[c] = emit[c]! + trans[O * TAGS + c]!;
  for (let i = 1; i < n; i++) {
    for (let c = 0; c < TAGS; c++) {
      let best = -Infinity;
      let arg = 0;
      for (let p = 0; p < TAGS; p++) {
        const v = delta[(i - 1) * TAGS + p]! + trans[(i * TAGS + p) * TAGS + c]!;
        if (v > best) {
          best = v;
          arg = p;
        }
      }
      delta[i * TAGS + c] = best + emit[i * TAGS + c]!;
      back[i * TAGS + c] = arg;
    }
  }
  let c = 0;
  for (let k = 1; k < TAGS; k++) if (delta[(n - 1) * TAGS + k]! > delta[(n - 1) * TAGS + c]!) c = k;
  for (let i = n - 1; i >= 0; i--) {
    out[i] = c;
    c = back[i * TAGS + c]!;
  }
}

