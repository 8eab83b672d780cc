import type { PatientHistory, Prediction, Predictor } from './Predictor.js';
import type { PredictConfig } from './predictConfig.js';
import { historyTerms } from './historyTerms.js';
import { TfidfVectorizer } from './TfidfVectorizer.js';
import { linearScores, toProbabilities, trainLinear } from './trainLinear.js';
import { trainNaiveBayes } from './trainNaiveBayes.js';
import type { LinearWeights } from './trainLinear.js';

/** One training example: a history and the codes of its visit. */
export interface LabelledHistory {
  history: PatientHistory;
  codes: readonly string[];
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
  ) {
    if (model.classes !== labels.length) throw new Error(`model has ${model.classes} classes but ${labels.length} labels`);
    if (model.features !== vectorizer.size) {
      throw new Error(`model has ${model.features} features but the vocabulary has ${vectorizer.size}`);
    }
  }

  /**
   * Fits the vectorizer and the linear model. Labels are the distinct codes of the examples,
   * sorted; deterministic for a config (its seed).
   *
   * @example LinearPredictor.train('toy', [{ history: { complaints: 'кашель' }, codes: ['J20'] }, ...], defaultPredictConfig)
   */
  static train(name: string, examples: readonly LabelledHistory[], config: PredictConfig): LinearPredictor {
    const labels = [...new Set(examples.flatMap((e) => e.codes))].sort();
    const labelIndex = new Map(labels.map((l, i) => [l, i]));
    const docs = examples.map((e) => historyTerms(e.history, config.features));
    const vectorizer = TfidfVectorizer.fit(docs, config.features.blocks);
    const xs = docs.map((d) => vectorizer.transform(d));
    const ys = examples.map((e) => [...new Set(e.codes)].map((c) => labelIndex.get(c)!));
    const model = trainLinear(xs, ys, vectorizer.size, labels.length, config.linear);
    if (config.naiveBayes && config.naiveBayes.weight !== 0) {
      // NB is linear in the same features: fold it into the weights (no cost at prediction).
      const nb = trainNaiveBayes(xs, ys, vectorizer.size, labels.length, config.naiveBayes);
      const beta = config.naiveBayes.weight;
      for (let j = 0; j < model.weights.length; j++) model.weights[j] += beta * nb.weights[j]!;
      for (let c = 0; c < model.bias.length; c++) model.bias[c] += beta * nb.bias[c]!;
    }
    return new LinearPredictor(name, labels, config, vectorizer, model);
  }

  /** The probability of every label, in `labels` order. */
  probabilities(history: PatientHistory): Float64Array {
    const x = this.vectorizer.transform(historyTerms(history, this.config.features));
    const out = new Float64Array(this.labels.length);
    linearScores(this.model, x, out);
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
