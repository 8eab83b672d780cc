/**
 * A multi-class averaged perceptron over integer feature keys (Collins 2002), the learner of the
 * lexical recogniser's BIO tagger. Features are numbers (the tagger packs a template and its
 * values into one exact double), so training never builds or hashes strings. Training keeps
 * running sums so that the averaged weights cost O(features) at the end.
 */
export class AveragedPerceptron {
  readonly classes: number;
  /** Feature key -> row (weights of row r are `[r * classes, (r + 1) * classes)`). */
  private readonly rows = new Map<number, number>();
  private weights: Float64Array;
  private totals: Float64Array;
  private stamps: Float64Array;
  private count = 0;
  /** Training steps seen (one per sequence in structured training): the averaging clock. */
  private instances = 0;

  constructor(classes: number) {
    this.classes = classes;
    this.weights = new Float64Array(classes * 1024);
    this.totals = new Float64Array(classes * 1024);
    this.stamps = new Float64Array(classes * 1024);
  }

  /** Row of a feature, or -1 when it has never been updated (its weights are all zero). */
  row(key: number): number {
    return this.rows.get(key) ?? -1;
  }

  /** Adds the current weights of `row` to `out[offset .. offset + classes)`. */
  addTo(row: number, out: Float64Array, offset = 0): void {
    const base = row * this.classes;
    for (let c = 0; c < this.classes; c++) out[offset + c]! += this.weights[base + c]!;
  }

  /** Current weight of one feature row for one class. */
  weight(row: number, c: number): number {
    return this.weights[row * this.classes + c]!;
  }

  /** Advances the averaging clock by one training step. */
  tick(): void {
    this.instances++;
  }

  /** Moves the weight of feature `key` for class `c` by `delta`. */
  bump(key: number, c: number, delta: number): void {
    let r = this.rows.get(key);
    if (r === undefined) {
      r = this.count++;
      this.rows.set(key, r);
      if (this.count * this.classes > this.weights.length) this.grow();
    }
    const i = r * this.classes + c;
    this.totals[i]! += (this.instances - this.stamps[i]!) * this.weights[i]!;
    this.stamps[i] = this.instances;
    this.weights[i]! += delta;
  }

  private grow(): void {
    const n = this.weights.length * 2;
    const copy = (a: Float64Array): Float64Array => {
      const b = new Float64Array(n);
      b.set(a);
      return b;
    };
    this.weights = copy(this.weights);
    this.totals = copy(this.totals);
    this.stamps = copy(this.stamps);
  }

  /**
   * The averaged weights, rounded to `digits` decimals, without features whose weights all
   * round to zero (they cannot change a decision and only cost memory).
   */
  averaged(digits = 3): Map<number, Float32Array> {
    const scale = 10 ** digits;
    const out = new Map<number, Float32Array>();
    const n = Math.max(1, this.instances);
    for (const [key, r] of this.rows) {
      const avg = new Float32Array(this.classes);
      let any = false;
      for (let c = 0; c < this.classes; c++) {
        const i = r * this.classes + c;
        const total = this.totals[i]! + (this.instances - this.stamps[i]!) * this.weights[i]!;
        const v = Math.round((total / n) * scale) / scale;
        avg[c] = v;
        if (v !== 0) any = true;
      }
      if (any) out.set(key, avg);
    }
    return out;
  }
}
