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


/**
 * Max-marginals of the same scores: `out[i * 3 + c]` is the score of the best whole path that
 * gives token i tag c (so the Viterbi path's tags score the maximum at every token). The
 * difference between tags at one token says how much the tagger would lose by changing it, the
 * boundary chooser's view of the tagger's confidence.
 */
export function maxMarginals(n: number, emit: Float64Array, trans: Float64Array, out: Float64Array): void {
  if (n === 0) return;
  const fwd = new Float64Array(n * TAGS);
  const bwd = new Float64Array(n * TAGS);
  for (let c = 0; c < TAGS; c++) fwd[c] = emit[c]! + trans[O * TAGS + c]!;
  for (let i = 1; i < n; i++) {
    for (let c = 0; c < TAGS; c++) {
      let best = -Infinity;
      for (let p = 0; p < TAGS; p++) best = Math.max(best, fwd[(i - 1) * TAGS + p]! + trans[(i * TAGS + p) * TAGS + c]!);
      fwd[i * TAGS + c] = best + emit[i * TAGS + c]!;
    }
  }
  for (let i = n - 2; i >= 0; i--) {
    for (let c = 0; c < TAGS; c++) {
      let best = -Infinity;
      for (let d = 0; d < TAGS; d++) best = Math.max(best, trans[((i + 1) * TAGS + c) * TAGS + d]! + emit[(i + 1) * TAGS + d]! + bwd[(i + 1) * TAGS + d]!);
      bwd[i * TAGS + c] = best;
    }
  }
  for (let k = 0; k < n * TAGS; k++) out[k] = fwd[k]! + bwd[k]!;
}
