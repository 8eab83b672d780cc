import type { SparseVector } from './SparseVector.js';
import { mulberry32 } from '../../../util/mulberry32.js';
import { sgdSteps } from './sgdSteps.js';

/** How the label scores turn into probabilities (and which loss is minimised). */
export type LinearLoss = 'softmax' | 'sigmoid';

/** Hyper-parameters of the SGD trainer; see `PredictConfig.linear` for the chosen values. */
export interface LinearTrainOptions {
  /** `softmax`: one label per example (multinomial LR); `sigmoid`: one-vs-rest, multi-label. */
  loss: LinearLoss;
  /** Passes over the training set. */
  epochs: number;
  /** Initial step size; it decays linearly to 0 over the whole run (no separate averaging). */
  learningRate: number;
  /** L2 penalty per example (the objective is mean loss + l2/2 |W|^2; biases are not penalised). */
  l2: number;
  /** Seed of the example order (and of feature dropout). */
  seed: number;
  /** Share of an example's features dropped at random in each SGD step (a noise regulariser;
   * the kept ones are scaled by 1 / (1 - dropout)); 0 or absent: none. */
  dropout?: number;
}

/** A trained linear model: feature-major weights (`weights[f * classes + c]`) and biases. */
export interface LinearWeights {
  features: number;
  classes: number;
  weights: Float32Array;
  bias: Float32Array;
}


/**
 * Writes the linear scores `W x + b` of one example into `out` (length `classes`).
 */
export function linearScores(model: LinearWeights, x: SparseVector, out: Float64Array): void {
  const C = model.classes;
  const w = model.weights;
  for (let c = 0; c < C; c++) out[c] = model.bias[c]!;
  for (let k = 0; k < x.indices.length; k++) {
    const base = x.indices[k]! * C;
    const v = x.values[k]!;
    for (let c = 0; c < C; c++) out[c] += v * w[base + c]!;
  }
}

/** Turns scores into probabilities in place: softmax over classes, or a sigmoid per class. */
export function toProbabilities(scores: Float64Array, loss: LinearLoss): void {
  if (loss === 'sigmoid') {
    for (let c = 0; c < scores.length; c++) scores[c] = 1 / (1 + Math.exp(-scores[c]!));
    return;
  }
  let max = -Infinity;
  for (let c = 0; c < scores.length; c++) if (scores[c]! > max) max = scores[c]!;
  let sum = 0;
  for (let c = 0; c < scores.length; c++) {
    const e = Math.exp(scores[c]! - max);
    scores[c] = e;
    sum += e;
  }
  for (let c = 0; c < scores.length; c++) scores[c] = scores[c]! / sum;
}

/** A copy of `x` without a random share `q` of its features, the rest scaled by 1 / (1 - q). */
function dropFeatures(x: SparseVector, q: number, rand: () => number): SparseVector {
  const indices: number[] = [];
  const values: number[] = [];
  for (let k = 0; k < x.indices.length; k++) {
    if (rand() < q) continue;
    indices.push(x.indices[k]!);
    values.push(x.values[k]! / (1 - q));
  }
  return { indices: Int32Array.from(indices), values: Float32Array.from(values) };
}

/**
 * Trains a linear classifier by plain SGD over shuffled examples, with a linearly decaying step
 * and L2 weight decay applied lazily (the weights are `scale * V`, so a step touches only the
 * example's non-zero features). Deterministic for a seed. `labels[i]` are the label indices of
 * example `i` (one for single-label data; softmax then spreads the target evenly over them).
 * `exampleWeights[i]` (default 1) scales example `i`'s loss gradient, e.g. for low-weight
 * pseudo-examples built from label knowledge.
 *
 * @example trainLinear([x0, x1], [[0], [1]], features, 2, { loss: 'softmax', epochs: 20, learningRate: 0.5, l2: 1e-4, seed: 1 })
 */
export function trainLinear(
  examples: readonly SparseVector[],
  labels: readonly (readonly number[])[],
  features: number,
  classes: number,
  options: LinearTrainOptions,
  exampleWeights?: ArrayLike<number>,
): LinearWeights {
  if (examples.length !== labels.length) throw new Error(`${examples.length} examples but ${labels.length} label lists`);
  const C = classes;
  const V = new Float64Array(features * C);
  const bias = new Float64Array(C);
  let scale = 1;
  const rand = mulberry32(options.seed);
  const p = new Float64Array(C);
  const target = new Float64Array(C);
  const dropout = options.dropout ?? 0;
  for (const { i, eta0, eta } of sgdSteps(examples.length, options, rand, exampleWeights)) {
    const x = dropout > 0 ? dropFeatures(examples[i]!, dropout, rand) : examples[i]!;
    const ys = labels[i]!;
    // Scores with the current (scaled) weights.
    for (let c = 0; c < C; c++) p[c] = bias[c]!;
    for (let k = 0; k < x.indices.length; k++) {
      const base = x.indices[k]! * C;
      const v = x.values[k]! * scale;
      for (let c = 0; c < C; c++) p[c] += v * V[base + c]!;
    }
    toProbabilities(p, options.loss);
    target.fill(0);
    const share = options.loss === 'softmax' && ys.length > 0 ? 1 / ys.length : 1;
    for (const y of ys) target[y] = share;
    // Weight decay first (lazy, via the scale), then the loss gradient on the touched rows.
    scale *= 1 - eta0 * options.l2;
    const step = eta / scale;
    for (let k = 0; k < x.indices.length; k++) {
      const base = x.indices[k]! * C;
      const v = x.values[k]! * step;
      for (let c = 0; c < C; c++) V[base + c] -= v * (p[c]! - target[c]!);
    }
    for (let c = 0; c < C; c++) bias[c] -= eta * (p[c]! - target[c]!);
    if (scale < 1e-6) {
      // Fold the scale into V before it underflows.
      for (let j = 0; j < V.length; j++) V[j] = V[j]! * scale;
      scale = 1;
    }
  }
  const weights = new Float32Array(V.length);
  for (let j = 0; j < V.length; j++) weights[j] = V[j]! * scale;
  return { features, classes: C, weights, bias: Float32Array.from(bias) };
}
