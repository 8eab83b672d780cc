import type { LinearTrainOptions } from './trainLinear.js';
import type { TermBlockOptions } from './TfidfVectorizer.js';
import type { MlpTrainOptions } from './trainMlp.js';
import type { NaiveBayesOptions } from './trainNaiveBayes.js';

/**
 * Term blocks from `name: [minDf, weight]` pairs, in the order given (the order is the feature
 * layout, so it is part of a model).
 *
 * @example termBlocks({ word: [2, 1], char: [2, 1] }) // [{ name: 'word', minDf: 2, weight: 1 }, { name: 'char', minDf: 2, weight: 1 }]
 */
export function termBlocks(spec: Record<string, [minDf: number, weight: number]>): TermBlockOptions[] {
  return Object.entries(spec).map(([name, [minDf, weight]]) => ({ name, minDf, weight }));
}

/** Everything that defines the baseline diagnosis predictor; persisted in its manifest. */
export interface PredictConfig {
  features: {
    /** Word n-gram orders over stemmed words of the current complaints, inclusive. */
    wordNgrams: [number, number];
    /** Character n-gram orders within word boundaries of the current complaints, inclusive. */
    charNgrams: [number, number];
    /** Stem words (Snowball Russian) before word n-grams. */
    stem: boolean;
    /** Character n-grams across word boundaries (whole text) instead of within words. */
    charAcrossWords?: boolean;
    /** Per block: minimum document frequency and weight. Blocks: `word`, `char` (current
     * complaints), `history` (stemmed words of earlier complaints and conclusions), `code`
     * (earlier visits' codes). */
    blocks: TermBlockOptions[];
  };
  /** The linear model's trainer. */
  linear: LinearTrainOptions;
  /** A naive Bayes model added to the linear model's scores with `weight` (null: none). */
  naiveBayes: (NaiveBayesOptions & { weight: number }) | null;
  /**
   * How label knowledge (`LabelKnowledge`: ICD-10 titles, RuCCoD mentions, the hierarchy) is
   * used when `LinearPredictor.train` is given it (absent or null: not used; without knowledge
   * these settings do nothing). `pseudoWeight`: weight of each knowledge text as a training
   * example of its label (0: none); `block`, `chapter`: weight of the block- and chapter-level
   * models folded into the label scores (0: none).
   */
  knowledge?: { pseudoWeight: number; block: number; chapter: number } | null;
  /**
   * A one-hidden-layer network over the same features whose logits, times `weight`, are added
   * to the linear scores (absent or null: none). Trained only for the `softmax` loss (single-label
   * data such as RuMedTop3); a `sigmoid` model ignores it.
   */
  mlp?: (MlpTrainOptions & { weight: number }) | null;
}

/**
 * The RuMedTop3 baseline (linear softmax over word, char, history, code and style blocks, label
 * knowledge, a hierarchy fold and a small network member). Every value was chosen by 5-fold
 * cross-validation on train with dev only scored; what was tried, with figures, is in
 * docs/experiments/rumedtop3.md.
 */
export const defaultPredictConfig: PredictConfig = {
  features: {
    wordNgrams: [1, 2],
    charNgrams: [3, 5],
    stem: true,
    blocks: termBlocks({ word: [2, 1], char: [2, 1], history: [2, 0.5], code: [1, 0.5], style: [2, 0.3] }),
  },
  linear: { loss: 'softmax', epochs: 10, learningRate: 2, l2: 3e-5, seed: 1 },
  naiveBayes: null,
  knowledge: { pseudoWeight: 0.3, block: 0.2, chapter: 0.1 },
  mlp: { hidden: 128, epochs: 8, learningRate: 0.2, dropout: 0.3, seed: 1, weight: 0.4 },
};
