/**
 * A seeded pseudo-random generator (mulberry32): 32 bits of state, fast, and the same sequence
 * for the same seed on every platform and Node version, so synthetic cohorts, sampled splits and
 * trained models are reproducible from their seed.
 *
 * @example const rand = mulberry32(42); rand() // 0.6011037519201636
 */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
