import type { PatientHistory, Prediction, Predictor } from '../Predictor.js';
import type { PredictConfig } from './predictConfig.js';
import { historyTerms } from './historyTerms.js';
import type { LabelKnowledge } from './labelKnowledge.js';
import type { SparseVector } from './SparseVector.js';
import { TfidfVectorizer } from './TfidfVectorizer.js';
import { linearScores, toProbabilities, trainLinear } from './trainLinear.js';
import { mlpScores, trainMlp } from './trainMlp.js';
import type { MlpWeights } from './trainMlp.js';
import { trainNaiveBayes } from './trainNaiveBayes.js';
import type { LinearTrainOptions, LinearWeights } from './trainLinear.js';

/** One training example: a history and the codes of its visit. */
export interface LabelledHistory {
  history: PatientHistory;
  codes: readonly string[];
}

/**
 * Trains a model over label groups (a label's block or chapter; a label outside every group is
 * its own) on the same features, and adds `weight` times its group scores to every member
 * label's scores. Under softmax this is exactly a product of the label model and the group
 * model (the group model's normaliser is the same for every label and cancels), so it costs
 * nothing at prediction time.
 */
function foldGroupModel(
  model: LinearWeights,
  xs: readonly SparseVector[],
  ys: readonly (readonly number[])[],
  labels: readonly string[],
  groupOf: ReadonlyMap<string, string>,
  weight: number,
  linear: LinearTrainOptions,
  exampleWeights: readonly number[] | undefined,
): void {
  const groupNames = labels.map((l) => groupOf.get(l) ?? l);
  const groups = [...new Set(groupNames)].sort();
  const groupIndex = new Map(groups.map((g, i) => [g, i]));
  const g = groupNames.map((n) => groupIndex.get(n)!);
  const gys = ys.map((list) => [...new Set(list.map((y) => g[y]!))]);
  const gm = trainLinear(xs, gys, model.features, groups.length, linear, exampleWeights);
  const C = model.classes;
  const G = groups.length;
  for (let f = 0; f < model.features; f++) {
    for (let c = 0; c < C; c++) model.weights[f * C + c] += weight * gm.weights[f * G + g[c]!]!;
  }
  for (let c = 0; c < C; c++) model.bias[c] += weight * gm.bias[g[c]!]!;
}

/**
 * The baseline predictor: TF-IDF features of the history (`historyTerms`) and a linear model
 * (softmax for single-label data such as RuMedTop3, one-vs-rest sigmoid for multi-label
 * cohorts), optionally summed with a naive Bayes model over the same features, trained
 * in-process by `LinearPredictor.train`.
 */
export class LinearPredictor implements Predictor {
  constructor(
    readonly name: string,
    readonly labels: readonly string[],
    readonly config: PredictConfig,
    readonly vectorizer: TfidfVectorizer,
    readonly model: LinearWeights,
    /** The optional network member (`PredictConfig.mlp`): its logits, times `config.mlp.weight`,
     * are added to the linear scores before the softmax. */
    readonly mlp: MlpWeights | null = null,
  ) {
    if (model.classes !== labels.length) throw new Error(`model has ${model.classes} classes but ${labels.length} labels`);
    if (model.features !== vectorizer.size) {
      throw new Error(`model has ${model.features} features but the vocabulary has ${vectorizer.size}`);
    }
    if (mlp && (mlp.classes !== labels.length || mlp.features !== vectorizer.size)) {
      throw new Error(`network has ${mlp.features} features x ${mlp.classes} classes, expected ${vectorizer.size} x ${labels.length}`);
    }
    if (mlp && !config.mlp) throw new Error('a network member without `mlp` in the config');
  }

  /**
   * Fits the vectorizer and the linear model. Labels are the distinct codes of the examples,
   * sorted; deterministic for a config (its seed). With `knowledge` and `config.knowledge`, the
   * labels' texts join training as pseudo-examples of weight `pseudoWeight` (the vocabulary and
   * idf still come from the real examples only), and block- and chapter-level models trained on
   * the same features are folded into the weights (see `PredictConfig.knowledge`).
   *
   * @example LinearPredictor.train('toy', [{ history: { complaints: 'кашель' }, codes: ['J20'] }, ...], defaultPredictConfig)
   */
  static train(name: string, examples: readonly LabelledHistory[], config: PredictConfig, knowledge?: LabelKnowledge): LinearPredictor {
    const labels = [...new Set(examples.flatMap((e) => e.codes))].sort();
    const labelIndex = new Map(labels.map((l, i) => [l, i]));
    const docs = examples.map((e) => historyTerms(e.history, config.features));
    const vectorizer = TfidfVectorizer.fit(docs, config.features.blocks);
    const xs = docs.map((d) => vectorizer.transform(d));
    const ys = examples.map((e) => [...new Set(e.codes)].map((c) => labelIndex.get(c)!));
    const use = knowledge && config.knowledge ? config.knowledge : null;
    let weights: number[] | undefined;
    if (use && use.pseudoWeight > 0) {
      // A title or mention is not a complaint text: no style terms for it.
      const plain = { ...config.features, blocks: config.features.blocks.filter((b) => b.name !== 'style') };
      weights = xs.map(() => 1);
      labels.forEach((label, y) => {
        for (const text of knowledge!.texts.get(label) ?? []) {
          xs.push(vectorizer.transform(historyTerms({ complaints: text }, plain)));
          ys.push([y]);
          weights!.push(use.pseudoWeight);
        }
      });
    }
    const model = trainLinear(xs, ys, vectorizer.size, labels.length, config.linear, weights);
    if (use) {
      for (const [groupOf, weight] of [[knowledge!.block, use.block], [knowledge!.chapter, use.chapter]] as const) {
        if (weight !== 0) foldGroupModel(model, xs, ys, labels, groupOf, weight, config.linear, weights);
      }
    }
    if (config.naiveBayes && config.naiveBayes.weight !== 0) {
      // NB is linear in the same features: fold it into the weights (no cost at prediction).
      const nb = trainNaiveBayes(xs, ys, vectorizer.size, labels.length, config.naiveBayes);
      const beta = config.naiveBayes.weight;
      for (let j = 0; j < model.weights.length; j++) model.weights[j] += beta * nb.weights[j]!;
      for (let c = 0; c < model.bias.length; c++) model.bias[c] += beta * nb.bias[c]!;
    }
    let mlp: MlpWeights | null = null;
    if (config.mlp && config.mlp.weight !== 0 && config.linear.loss === 'softmax') {
      // Single-label only: the network is a softmax model over the first label of each example.
      mlp = trainMlp(xs, ys.map((list) => list[0] ?? 0), vectorizer.size, labels.length, config.mlp, weights);
    }
    return new LinearPredictor(name, labels, config, vectorizer, model, mlp);
  }

  /** The probability of every label, in `labels` order. */
  probabilities(history: PatientHistory): Float64Array {
    const x = this.vectorizer.transform(historyTerms(history, this.config.features));
    const out = new Float64Array(this.labels.length);
    linearScores(this.model, x, out);
    if (this.mlp && this.config.mlp) {
      // Adding logits = multiplying the two models' probabilities (a product of experts).
      const extra = new Float64Array(this.labels.length);
      mlpScores(this.mlp, x, extra);
      const beta = this.config.mlp.weight;
      for (let c = 0; c < out.length; c++) out[c] += beta * extra[c]!;
    }
    toProbabilities(out, this.config.linear.loss);
    return out;
  }

  /** The `k` most probable labels, best first (ties: label order). */
  predict(history: PatientHistory, k: number): Prediction[] {
    const p = this.probabilities(history);
    const order = Array.from(p.keys()).sort((a, b) => p[b]! - p[a]! || a - b);
    return order.slice(0, Math.max(0, k)).map((i) => ({ code: this.labels[i]!, probability: p[i]! }));
  }
}
