import type { Config } from './config.js';
import { EvaluationService } from './evaluation/EvaluationService.js';
import type { GraphStore } from './graph/GraphStore.js';
import type { Logger } from './logger.js';
import { cohortModelName } from './pipeline/prediction/cohort/cohortModels.js';
import { PredictorRegistry } from './pipeline/prediction/PredictorRegistry.js';
import { createCoderService } from './pipeline/coding/service/createCoderService.js';
import type { CoderService } from './pipeline/coding/service/CoderService.js';

/**
 * The long-lived services, built once by the composition root (`server.ts`, the CLI's `serve`)
 * and shared by every request: nothing below keeps a module-level cache.
 */
export interface Services {
  store: GraphStore;
  config: Config;
  /** The ICD coder (lexical or ONNX), loaded once, in the background or on first use. */
  coder: CoderService;
  /** Diagnosis-prediction models of the models folder, loaded once each, runner picked by manifest task. */
  predictors: PredictorRegistry;
  /** Layer evaluation, comparison and transition analytics over the store. */
  evaluation: EvaluationService;
}

/** What every resolver receives. Loaders are built per request (DataLoader). */
export interface RequestContext<Loaders = unknown> {
  services: Services;
  loaders: Loaders;
  requestId: string;
}

/** Services a caller (a test) supplies instead of the defaults. */
export interface ServiceOverrides {
  coder?: CoderService;
}

/**
 * Builds the services over an opened store.
 *
 * @example const services = createServices(loadConfig(), store, logger);
 */
export function createServices(config: Config, store: GraphStore, logger: Logger, overrides: ServiceOverrides = {}): Services {
  const predictors = new PredictorRegistry(config.modelsDir, config.device);
  return {
    store,
    config,
    coder: overrides.coder ?? createCoderService(config, store, logger),
    predictors,
    evaluation: new EvaluationService(store, { perCodeF1: (cohort, layer) => predictors.perCodeF1(cohort, layer), modelName: cohortModelName }),
  };
}
