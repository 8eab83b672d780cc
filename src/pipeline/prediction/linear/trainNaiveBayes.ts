import type { SparseVector } from './SparseVector.js';
import type { LinearWeights } from './trainLinear.js';

/** Hyper-parameters of the naive Bayes component; see `PredictConfig.naiveBayes`. */
export interface NaiveBayesOptions {
  /** `complement` (Rennie et al. 2003, weight-normalised) or plain `multinomial`. */
  kind: 'complement' | 'multinomial';
  /** Additive (Laplace/Lidstone) smoothing of the feature counts. */
  alpha: number;
}

/**
 * Trains naive Bayes on (TF-IDF) feature vectors and returns it as a linear model whose scores
 * are higher for likelier classes: complement NB scores `-sum_j x_j w_cj` with `w_cj` the
 * L1-normalised log of the smoothed complement-class feature shares; multinomial NB scores
 * `log prior_c + sum_j x_j log theta_cj`. As a linear model it can be added to the logistic
 * regression's weights, so the ensemble costs nothing at prediction time.
 *
 * @example trainNaiveBayes([x0, x1], [[0], [1]], features, 2, { kind: 'complement', alpha: 0.3 })
 */
export function trainNaiveBayes(
  examples: readonly SparseVector[],
  labels: readonly (readonly number[])[],
  features: number,
  classes: number,
  options: NaiveBayesOptions,
): LinearWeights {
  const C = classes;
  const F = features;
  const counts = new Float64Array(F * C);
  const total = new Float64Array(F);
  const prior = new Float64Array(C);
  examples.forEach((x, i) => {
    for (const y of labels[i]!) {
      prior[y] += 1;
      for (let k = 0; k < x.indices.length; k++) counts[x.indices[k]! * C + y] += x.values[k]!;
    }
    for (let k = 0; k < x.indices.length; k++) total[x.indices[k]!] += x.values[k]!;
  });
  const weights = new Float32Array(F * C);
  const bias = new Float32Array(C);
  const grand = total.reduce((a, b) => a + b, 0);
  for (let c = 0; c < C; c++) {
    let classSum = 0;
    for (let f = 0; f < F; f++) classSum += counts[f * C + c]!;
    if (options.kind === 'complement') {
      const denom = options.alpha * F + (grand - classSum);
      let l1 = 0;
      const logs = new Float64Array(F);
      for (let f = 0; f < F; f++) {
        logs[f] = Math.log((options.alpha + total[f]! - counts[f * C + c]!) / denom);
        l1 += Math.abs(logs[f]!);
      }
      for (let f = 0; f < F; f++) weights[f * C + c] = -logs[f]! / l1;
    } else {
      const denom = options.alpha * F + classSum;
      for (let f = 0; f < F; f++) weights[f * C + c] = Math.log((options.alpha + counts[f * C + c]!) / denom);
      bias[c] = Math.log((prior[c]! + 1) / (examples.length + C));
    }
  }
  return { features: F, classes: C, weights, bias };
}
