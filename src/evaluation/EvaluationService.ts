import type { GraphStore } from '../graph/GraphStore.js';
import { codeShift, cohortTransitions } from './cohortTransitions.js';
import type { CodeShiftRow, CohortTransition, TransitionArgs } from './cohortTransitions.js';
import { compareLayers, evaluateLayers } from './layerEvaluation.js';
import type { CompareLayersArgs, EvaluateLayersArgs, LayerComparison, LayerEvaluation } from './layerEvaluation.js';

/** Where the per-code F1 of a cohort's prediction models comes from (the prediction registry); null when absent. */
export type CohortF1Source = {
  perCodeF1(cohort: string, layer: string): Map<string, number> | null;
  modelName(cohort: string, layer: string): string;
};

/**
 * Evaluation and transition analysis over one store, built once by the composition root: layer
 * evaluation (gold vs system), layer comparison (original vs linked), cohort transitions with the
 * F1 change of the models trained on both layers, and the per-code shift between layers.
 *
 * @example await services.evaluation.transitions({ cohort: 'demo', from: 'I25.2', fromLayer: 'original', toLayer: 'linked', minCount: 1, first: 5 })
 */
export class EvaluationService {
  constructor(
    private readonly store: GraphStore,
    private readonly f1: CohortF1Source,
  ) {}

  evaluateLayers(args: EvaluateLayersArgs): Promise<LayerEvaluation> {
    return evaluateLayers(this.store, args);
  }

  compareLayers(args: CompareLayersArgs): Promise<LayerComparison> {
    return compareLayers(this.store, args);
  }

  transitions(args: TransitionArgs): Promise<CohortTransition[]> {
    return cohortTransitions(this.store, (layer) => this.f1.perCodeF1(args.cohort, layer), args);
  }

  codeShift(cohort: string): Promise<CodeShiftRow[]> {
    return codeShift(
      this.store,
      cohort,
      (layer) => this.f1.perCodeF1(cohort, layer),
      (layer) => this.f1.modelName(cohort, layer),
    );
  }
}
