import { softmax } from '../../backends/softmax.js';
/** One mention's candidates: feature rows and which of them are right (gold codes). */
export interface RankerGroup {
  rows: readonly Float64Array[];
  positive: readonly boolean[];
}

/** The serialised ranker: feature names (checked on load) and one weight per feature. */
export interface SoftmaxRankerJSON {
  features: string[];
  weights: number[];
}

/** Training options of {@link SoftmaxRanker.train}. */
export interface SoftmaxRankerTraining {
  /** L2 penalty on the standardised weights, per training group. */
  l2: number;
  /** Full-batch Adam steps. */
  iterations: number;
  learningRate: number;
}

export const DEFAULT_RANKER_TRAINING: SoftmaxRankerTraining = { l2: 1e-3, iterations: 300, learningRate: 0.05 };

/**
 * A conditional-logit (softmax over one mention's candidates) linear ranker: P(candidate) =
 * exp(w·x) / Σ exp(w·x'). Hand-written (about 80 lines) because the maintained npm learners
 * (`ml-logistic-regression`, `ml-xgboost`) fit independent rows, not a choice among a variable
 * set of candidates, which is what linking is; a listwise loss lets the features compare
 * candidates of the same mention (granularity, priors) instead of judging each alone.
 *
 * @example const r = SoftmaxRanker.train(groups, FEATURE_NAMES); r.probabilities(rows) // [0.7, 0.2, 0.1]
 */
export class SoftmaxRanker {
  readonly weights: Float64Array;
  readonly featureNames: readonly string[];

  constructor(weights: Float64Array, featureNames: readonly string[]) {
    this.weights = weights;
    this.featureNames = featureNames;
  }

  /** Softmax probabilities of the rows (one mention's candidates), in row order. */
  probabilities(rows: readonly Float64Array[]): number[] {
    const w = this.weights;
    const logits = rows.map((x) => {
      let s = 0;
      for (let j = 0; j < w.length; j++) s += w[j]! * x[j]!;
      return s;
    });
    return softmax(logits);
  }

  toJSON(): SoftmaxRankerJSON {
    return { features: [...this.featureNames], weights: [...this.weights].map((v) => Math.round(v * 1e6) / 1e6) };
  }

  /** Reads a ranker, refusing one made for other features. */
  static fromJSON(json: SoftmaxRankerJSON, featureNames: readonly string[]): SoftmaxRanker {
    if (json.features.length !== featureNames.length || json.features.some((f, i) => f !== featureNames[i])) {
      throw new Error(`re-ranker features [${json.features.join(', ')}] do not match this version's [${featureNames.join(', ')}]; rebuild the coder`);
    }
    return new SoftmaxRanker(Float64Array.from(json.weights), featureNames);
  }

  /**
   * Fits the weights by maximum likelihood of the gold candidates (several gold codes of one span
   * share the probability mass), L2-penalised, on standardised features (folded back into the
   * weights). Groups without a gold candidate teach nothing and are skipped. Deterministic.
   */
  static train(groups: readonly RankerGroup[], featureNames: readonly string[], options: SoftmaxRankerTraining = DEFAULT_RANKER_TRAINING): SoftmaxRanker {
    const d = featureNames.length;
    const used = groups.filter((g) => g.positive.some((p) => p) && g.rows.length > 1);
    const mean = new Float64Array(d);
    const sd = new Float64Array(d);
    let n = 0;
    for (const g of used) for (const x of g.rows) { n++; for (let j = 0; j < d; j++) mean[j]! += x[j]!; }
    for (let j = 0; j < d; j++) mean[j]! /= Math.max(1, n);
    for (const g of used) for (const x of g.rows) for (let j = 0; j < d; j++) sd[j]! += (x[j]! - mean[j]!) ** 2;
    for (let j = 0; j < d; j++) sd[j] = Math.sqrt(sd[j]! / Math.max(1, n)) || 1;
    const z = used.map((g) => g.rows.map((x) => Float64Array.from(x, (v, j) => (v - mean[j]!) / sd[j]!)));
    const w = new Float64Array(d);
    const m1 = new Float64Array(d);
    const m2 = new Float64Array(d);
    const grad = new Float64Array(d);
    const beta1 = 0.9;
    const beta2 = 0.999;
    for (let it = 1; it <= options.iterations; it++) {
      grad.fill(0);
      used.forEach((g, gi) => {
        const rows = z[gi]!;
        const p = softmax(rows.map((x) => { let s = 0; for (let j = 0; j < d; j++) s += w[j]! * x[j]!; return s; }));
        let pos = 0;
        for (let c = 0; c < rows.length; c++) if (g.positive[c]) pos += p[c]!;
        // d(-log Σ_pos p)/dw = Σ_c (p_c - q_c) x_c, q = p restricted to the gold candidates.
        for (let c = 0; c < rows.length; c++) {
          const coef = p[c]! - (g.positive[c] ? p[c]! / pos : 0);
          if (coef === 0) continue;
          const x = rows[c]!;
          for (let j = 0; j < d; j++) grad[j]! += coef * x[j]!;
        }
      });
      for (let j = 0; j < d; j++) {
        const gj = grad[j]! / used.length + options.l2 * w[j]!;
        m1[j] = beta1 * m1[j]! + (1 - beta1) * gj;
        m2[j] = beta2 * m2[j]! + (1 - beta2) * gj * gj;
        const mh = m1[j]! / (1 - beta1 ** it);
        const vh = m2[j]! / (1 - beta2 ** it);
        w[j]! -= (options.learningRate * mh) / (Math.sqrt(vh) + 1e-8);
      }
    }
    // w·((x - mean)/sd) = (w/sd)·x + constant, and a constant shared by a mention's candidates cancels in the softmax.
    return new SoftmaxRanker(Float64Array.from(w, (v, j) => v / sd[j]!), featureNames);
  }
}
