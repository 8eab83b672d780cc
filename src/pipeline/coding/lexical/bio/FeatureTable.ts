import { A, TA } from './features.js';
import { TAGS } from './tags.js';

/**
 * An open-addressing table from feature keys to weight rows: look-ups hash three integers and
 * compare one double, with no allocation (the tagger's inner loop).
 */
export class FeatureTable {
  private readonly keys: Float64Array;
  private readonly rows: Int32Array;
  private readonly mask: number;
  readonly weights: Float32Array;
  readonly size: number;

  /** @param keys feature keys; @param weights their weights, {@link TAGS} per key in the same order. */
  constructor(keys: ArrayLike<number>, weights: ArrayLike<number>) {
    let cap = 16;
    while (cap < keys.length * 2) cap *= 2;
    this.mask = cap - 1;
    this.keys = new Float64Array(cap).fill(-1);
    this.rows = new Int32Array(cap);
    this.weights = Float32Array.from(weights);
    this.size = keys.length;
    for (let r = 0; r < keys.length; r++) {
      const key = keys[r]!;
      const t = Math.floor(key / TA);
      const rest = key - t * TA;
      const a = Math.floor(rest / A);
      const b = rest - a * A;
      let h = FeatureTable.hash(t, a, b) & this.mask;
      while (this.keys[h] !== -1) h = (h + 1) & this.mask;
      this.keys[h] = key;
      this.rows[h] = r;
    }
  }

  /** A table of the entries of a map. */
  static of(entries: ReadonlyMap<number, Float32Array>): FeatureTable {
    const keys = new Float64Array(entries.size);
    const weights = new Float32Array(entries.size * TAGS);
    let r = 0;
    for (const [key, w] of entries) {
      keys[r] = key;
      weights.set(w, r * TAGS);
      r++;
    }
    return new FeatureTable(keys, weights);
  }

  static hash(t: number, a: number, b: number): number {
    let h = Math.imul(t + 1, 0x9e3779b1) ^ Math.imul(a + 0x7f4a7c15, 0x85ebca77) ^ Math.imul(b + 0x165667b1, 0xc2b2ae3d);
    h ^= h >>> 15;
    h = Math.imul(h, 0x2c1b3c6d);
    return h ^ (h >>> 13);
  }

  /** Row of (t, a, b), or -1. */
  row(t: number, a: number, b: number): number {
    const key = t * TA + a * A + b;
    let h = FeatureTable.hash(t, a, b) & this.mask;
    for (;;) {
      const k = this.keys[h]!;
      if (k === key) return this.rows[h]!;
      if (k === -1) return -1;
      h = (h + 1) & this.mask;
    }
  }

  *entries(): Generator<[number, Float32Array]> {
    for (let h = 0; h <= this.mask; h++) {
      const k = this.keys[h]!;
      if (k !== -1) yield [k, this.weights.subarray(this.rows[h]! * TAGS, this.rows[h]! * TAGS + TAGS)];
    }
  }
}

