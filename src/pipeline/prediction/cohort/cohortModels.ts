import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { LinearPredictor } from '../linear/LinearPredictor.js';
import { saveLinearPredictor } from '../linear/linearModelFiles.js';
import type { ModelEvaluation } from './cohortPrediction.js';

/** The file beside a cohort model's manifest holding its evaluation on the manual-test subset. */
export const COHORT_EVALUATION_FILE = 'cohort-evaluation.json';

/** `dp-<cohort>-<layer>`: where the prediction model trained on a cohort's layer lives under the models folder. */
export function cohortModelName(cohort: string, layer: string): string {
  return `dp-${cohort}-${layer}`;
}

/** What `cohort-evaluation.json` holds. */
export interface CohortEvaluationFile extends ModelEvaluation {
  cohort: string;
  model: string;
  testLayer: 'manual';
  synthetic: boolean;
}

/**
 * Saves a cohort's prediction model (the predictor engineer's linear format) and its evaluation
 * as `<modelsDir>/dp-<cohort>-<layer>/`.
 *
 * @example saveCohortModel('models', 'demo', predictor, evaluation, true)
 */
export function saveCohortModel(modelsDir: string, cohort: string, predictor: LinearPredictor, evaluation: ModelEvaluation, synthetic: boolean): string {
  const name = cohortModelName(cohort, evaluation.trainLayer);
  const dir = path.join(modelsDir, name);
  saveLinearPredictor(dir, predictor, {
    training: { files: [{ path: `cohort:${cohort}#${evaluation.trainLayer}`, sha256: '', examples: evaluation.trainAppointments }], seconds: evaluation.trainSeconds },
    evaluation: { files: [{ path: `cohort:${cohort}#manual`, sha256: '', examples: evaluation.testAppointments }] },
    metrics: { manual: { weightedF1: evaluation.weightedF1, appointments: evaluation.testAppointments } },
  });
  const file: CohortEvaluationFile = { cohort, model: name, testLayer: 'manual', synthetic, ...evaluation };
  writeFileSync(path.join(dir, COHORT_EVALUATION_FILE), `${JSON.stringify(file)}\n`);
  return dir;
}

/** The evaluation of a cohort model, or null when it was never trained. */
export function readCohortEvaluation(modelsDir: string, model: string): CohortEvaluationFile | null {
  const file = path.join(modelsDir, model, COHORT_EVALUATION_FILE);
  if (!existsSync(file)) return null;
  return JSON.parse(readFileSync(file, 'utf8')) as CohortEvaluationFile;
}
