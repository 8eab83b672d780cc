/**
 * A multi-class averaged perceptron over string features (Collins 2002), the learner of the
 * lexical recogniser's BIO tagger. Training keeps running sums so that the averaged weights
 * cost O(features) at the end; inference uses only the averaged weights.
 */
export class AveragedPerceptron {
  readonly classes: number;
  private readonly weights = new Map<string, Float64Array>();
  private readonly totals = new Map<string, Float64Array>();
  private readonly stamps = new Map<string, Float64Array>();
  private instances = 0;
  private readonly buffer: Float64Array;

  constructor(classes: number) {
    this.classes = classes;
    this.buffer = new Float64Array(classes);
  }

  /** Scores of every class for a bag of features. */
  scores(features: readonly string[], out: Float64Array = new Float64Array(this.classes)): Float64Array {
    out.fill(0);
    for (const f of features) {
      const w = this.weights.get(f);
      if (w === undefined) continue;
      for (let c = 0; c < this.classes; c++) out[c]! += w[c]!;
    }
    return out;
  }

  /** The best class for a bag of features (ties go to the lowest class index). */
  predict(features: readonly string[]): number {
    const s = this.scores(features, this.buffer);
    let best = 0;
    for (let c = 1; c < this.classes; c++) if (s[c]! > s[best]!) best = c;
    return best;
  }

  /** One training step: when `guess` is wrong, move weights towards `truth`. */
  update(features: readonly string[], truth: number, guess: number): void {
    this.instances++;
    if (truth === guess) return;
    for (const f of features) {
      this.bump(f, truth, 1);
      this.bump(f, guess, -1);
    }
  }

  private bump(f: string, c: number, delta: number): void {
    let w = this.weights.get(f);
    if (w === undefined) {
      w = new Float64Array(this.classes);
      this.weights.set(f, w);
      this.totals.set(f, new Float64Array(this.classes));
      this.stamps.set(f, new Float64Array(this.classes));
    }
    const t = this.totals.get(f)!;
    const s = this.stamps.get(f)!;
    t[c]! += (this.instances - s[c]!) * w[c]!;
    s[c] = this.instances;
    w[c]! += delta;
  }

  /**
   * The averaged weights, rounded to `digits` decimals, without features whose weights all
   * round to zero (they cannot change a decision and only cost memory).
   */
  averaged(digits = 3): Map<string, Float32Array> {
    const scale = 10 ** digits;
    const out = new Map<string, Float32Array>();
    for (const [f, w] of this.weights) {
      const t = this.totals.get(f)!;
      const s = this.stamps.get(f)!;
      const avg = new Float32Array(this.classes);
      let any = false;
      for (let c = 0; c < this.classes; c++) {
        const total = t[c]! + (this.instances - s[c]!) * w[c]!;
        const v = Math.round((total / Math.max(1, this.instances)) * scale) / scale;
        avg[c] = v;
        if (v !== 0) any = true;
      }
      if (any) out.set(f, avg);
    }
    return out;
  }
}
