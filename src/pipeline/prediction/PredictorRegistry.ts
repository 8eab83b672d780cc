import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { DeviceChoice } from '../../config.js';
import { BadUserInputError, NotFoundError } from '../../errors.js';
import { OnnxModel } from '../backends/OnnxModel.js';
import { cohortModelName, readCohortEvaluation } from './cohort/cohortModels.js';
import type { CohortEvaluationFile } from './cohort/cohortModels.js';
import { DIAGNOSIS_PREDICTION_TASK, loadLinearPredictor } from './linear/linearModelFiles.js';
import { OnnxMultiLabelClassifier } from './onnx/OnnxMultiLabelClassifier.js';
import type { PatientHistory, Prediction } from './Predictor.js';

/** A loaded prediction model, whatever runs it: the linear predictor, or an ONNX multi-label classifier. */
export interface PredictionModel {
  readonly name: string;
  /** The manifest task it was picked by. */
  readonly task: string;
  readonly labels: readonly string[];
  /** The `k` most probable codes, best first. */
  predict(history: PatientHistory, k: number): Promise<Prediction[]>;
}

const MODEL_NAME = /^[\w-][\w.-]*$/;
const MULTI_LABEL_TASK = 'multi-label-classification';

/** The text an ONNX multi-label model reads: the complaints, then earlier conclusions (newest last). */
function historyText(history: PatientHistory): string {
  const earlier = (history.earlier ?? []).map((v) => v.conclusion ?? v.complaints ?? '').filter((t) => t !== '');
  return [history.complaints, ...earlier].join('\n');
}

/**
 * The prediction models of a models folder, loaded once per registry (the composition root builds
 * one), with the runner picked from each model's manifest task: `diagnosis-prediction` (the
 * project's linear model) or `multi-label-classification` (an ONNX classifier through the ONNX
 * backend). NOT_FOUND for a missing folder, BAD_USER_INPUT for a name that is not a plain folder
 * name or a manifest of another task (the valid tasks are listed).
 *
 * @example const model = await new PredictorRegistry('models', 'auto').get('rumedtop3-linear'); await model.predict({ complaints: 'кашель' }, 3);
 */
export class PredictorRegistry {
  private readonly loaded = new Map<string, Promise<PredictionModel>>();

  constructor(
    readonly modelsDir: string,
    private readonly device: DeviceChoice,
  ) {}

  /** The model in folder `model` of the models folder. */
  get(model: string): Promise<PredictionModel> {
    checkModelName(model);
    let p = this.loaded.get(model);
    if (!p) {
      p = this.load(model);
      this.loaded.set(model, p);
      // A failed load is not cached, so a model dropped in later is found.
      p.catch(() => this.loaded.delete(model));
    }
    return p;
  }

  private async load(model: string): Promise<PredictionModel> {
    const dir = path.join(this.modelsDir, model);
    const manifestPath = path.join(dir, 'manifest.json');
    if (!existsSync(manifestPath)) throw new NotFoundError(`No prediction model ${JSON.stringify(model)} in the models folder`, { argumentName: 'model', value: model });
    let task: unknown;
    try {
      task = (JSON.parse(readFileSync(manifestPath, 'utf8')) as { task?: unknown }).task;
    } catch {
      throw new BadUserInputError(`model ${JSON.stringify(model)} has an unreadable manifest.json`, { argumentName: 'model' });
    }
    if (task === DIAGNOSIS_PREDICTION_TASK) {
      let predictor;
      try {
        predictor = loadLinearPredictor(dir).predictor;
      } catch (err) {
        throw new BadUserInputError(`model ${JSON.stringify(model)} is not a diagnosis-prediction model: ${(err as Error).message.replace(dir, model)}`, { argumentName: 'model' });
      }
      return { name: predictor.name, task, labels: predictor.labels, predict: async (history, k) => predictor.predict(history, k) };
    }
    if (task === MULTI_LABEL_TASK) {
      const classifier = new OnnxMultiLabelClassifier(await OnnxModel.load(dir, { device: this.device }));
      return {
        name: model,
        task,
        labels: classifier.labels,
        predict: async (history, k) =>
          ((await classifier.classify([historyText(history)], { threshold: 0, topK: k }))[0] ?? []).map((p) => ({ code: p.label, probability: p.probability })),
      };
    }
    throw new BadUserInputError(`model ${JSON.stringify(model)} has task ${JSON.stringify(task)}; prediction models have task ${DIAGNOSIS_PREDICTION_TASK} or ${MULTI_LABEL_TASK}`, {
      argumentName: 'model',
    });
  }

  /** The evaluation of a cohort model (`model` is a model folder name or a training layer). */
  cohortEvaluation(cohort: string, model: string): CohortEvaluationFile {
    checkModelName(model);
    const e = readCohortEvaluation(this.modelsDir, model) ?? readCohortEvaluation(this.modelsDir, cohortModelName(cohort, model));
    if (!e || e.cohort !== cohort) {
      throw new NotFoundError(`No prediction evaluation of model ${JSON.stringify(model)} for cohort ${JSON.stringify(cohort)}; run \`npm run experiment:dp\``, {
        argumentName: 'model',
        value: model,
      });
    }
    return e;
  }

  /** Per-code F1 of the cohort model trained on `layer`, or null when it (or its evaluation) is absent. */
  perCodeF1(cohort: string, layer: string): Map<string, number> | null {
    const e = readCohortEvaluation(this.modelsDir, cohortModelName(cohort, layer));
    return e ? new Map(e.perCode.map((c) => [c.code, c.f1])) : null;
  }
}

function checkModelName(model: string): void {
  if (!MODEL_NAME.test(model)) throw new BadUserInputError(`model must be a model folder name (letters, digits, '-', '_', '.'; not starting with '.')`, { argumentName: 'model' });
}
