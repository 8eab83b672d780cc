import type { LinearTrainOptions } from './trainLinear.js';
import type { TermBlockOptions } from './TfidfVectorizer.js';
import type { NaiveBayesOptions } from './trainNaiveBayes.js';

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
}

/**
 * The RuMedTop3 baseline. Chosen on the dev split with `scripts/tune-dp.ts` (train on train,
 * score dev; modes `linear`, `features`, `nb`, `knn`, `ensemble`, `custom`). Dev accuracy / hit@3:
 * - softmax, lr 2, L2 3e-5, 10 epochs: 0.4929 / 0.7335 (chosen); L2 1e-5: 0.486 / 0.735;
 *   L2 1e-4: 0.472 / 0.716; lr 4 + L2 1e-5: 0.474 / 0.715; 20 epochs: 0.489 / 0.729;
 *   one-vs-rest sigmoid: 0.484 / 0.723; feature dropout 0.3: 0.478 / 0.724.
 * - features: without char n-grams 0.478 / 0.708; word unigrams only 0.465 / 0.716; unstemmed
 *   0.480 / 0.719; char 2-5 or 3-6 0.489 / 0.731; min df 1: 0.491 / 0.726; min df 3: 0.485 / 0.725;
 *   block weights 1.5 on either block: <= 0.486.
 * - adding naive Bayes (complement or multinomial) or a kNN vote, or averaging with word-only
 *   and char-across-words members: no gain (<= 0.4929 accuracy), so `naiveBayes` is null.
 * Training data is `rumedtop3/train.jsonl` only; dev is never fitted on.
 */
export const defaultPredictConfig: PredictConfig = {
  features: {
    wordNgrams: [1, 2],
    charNgrams: [3, 5],
    stem: true,
    blocks: [
      { name: 'word', minDf: 2, weight: 1 },
      { name: 'char', minDf: 2, weight: 1 },
      { name: 'history', minDf: 2, weight: 0.5 },
      { name: 'code', minDf: 1, weight: 0.5 },
    ],
  },
  linear: { loss: 'softmax', epochs: 10, learningRate: 2, l2: 3e-5, seed: 1 },
  naiveBayes: null,
};
