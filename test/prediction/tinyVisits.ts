import path from 'node:path';
import { readVisits } from '../../src/ingest/rumedtop3.js';
import type { PredictConfig } from '../../src/pipeline/prediction/linear/predictConfig.js';

/** The prediction fixtures folder (`test/fixtures/predict`). */
export const fixtures = path.join(import.meta.dirname, '..', 'fixtures', 'predict');

/** The 12 hand-written RuMedTop3-format training visits. */
export const train = readVisits(path.join(fixtures, 'rumedtop3', 'train.jsonl'), { requireCode: true });

/** The training visits as predictor examples (complaints only). */
export const examples = train.map((v) => ({ history: { complaints: v.symptoms }, codes: [v.code!] }));

/**
 * A config for the 12 hand-written visits: every term counts (min df 1); word and char blocks,
 * plus history and code blocks when `withHistory`.
 *
 * @example LinearPredictor.train('tiny', examples, tinyConfig('softmax'));
 */
export function tinyConfig(loss: 'softmax' | 'sigmoid', withHistory = false): PredictConfig {
  const blocks: PredictConfig['features']['blocks'] = [
    { name: 'word', minDf: 1, weight: 1 },
    { name: 'char', minDf: 1, weight: 1 },
  ];
  if (withHistory) blocks.push({ name: 'history', minDf: 1, weight: 0.5 }, { name: 'code', minDf: 1, weight: 0.5 });
  return {
    features: { wordNgrams: [1, 2], charNgrams: [3, 5], stem: true, blocks },
    linear: { loss, epochs: 30, learningRate: 0.5, l2: 1e-4, seed: 7 },
    naiveBayes: null,
  };
}
