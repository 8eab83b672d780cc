import { BadUserInputError } from '../errors.js';
import type { CodeShiftRow, CohortTransition } from '../evaluation/cohortTransitions.js';
import type { CohortEvaluationFile } from '../pipeline/prediction/cohort/cohortModels.js';
import type { WeightedCodeMetrics } from '../evaluation/weightedF1.js';
import type { PatientHistory } from '../pipeline/prediction/Predictor.js';
import type { ApiContext } from './ApiContext.js';
import { pageSize } from './pageSize.js';
import { globalId } from './globalId.js';
import type { Document } from '../graph/model.js';

type Order = 'SUPPORT_DESC' | 'F1_DESC' | 'F1_ASC' | 'CODE';
type ShiftOrder = 'CHANGE_DESC' | 'ORIGINAL_DESC' | 'LINKED_DESC' | 'CODE';
const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
const ORDERS: Record<Order, (a: WeightedCodeMetrics, b: WeightedCodeMetrics) => number> = {
  SUPPORT_DESC: (a, b) => b.support - a.support || cmp(a.code, b.code),
  F1_DESC: (a, b) => b.f1 - a.f1 || b.support - a.support || cmp(a.code, b.code),
  F1_ASC: (a, b) => a.f1 - b.f1 || b.support - a.support || cmp(a.code, b.code),
  CODE: (a, b) => cmp(a.code, b.code),
};
const SHIFT_ORDERS: Record<ShiftOrder, (a: CodeShiftRow, b: CodeShiftRow) => number> = {
  CHANGE_DESC: (a, b) => Math.abs(b.change) - Math.abs(a.change) || cmp(a.code, b.code),
  ORIGINAL_DESC: (a, b) => b.originalCount - a.originalCount || cmp(a.code, b.code),
  LINKED_DESC: (a, b) => b.linkedCount - a.linkedCount || cmp(a.code, b.code),
  CODE: (a, b) => cmp(a.code, b.code),
};

/** What the `Patient` type resolves from. */
export interface PatientParent {
  patientId: string;
  cohort: string;
  appointmentCount: number;
  appointments: Document[];
}

/** A patient of a cohort with their appointments; null when the cohort has no such patient. */
export async function loadPatient(context: ApiContext, cohort: string, patientId: string): Promise<PatientParent | null> {
  const docs = await context.services.store.listPatientDocuments(cohort, patientId);
  return docs.length === 0 ? null : { patientId, cohort, appointmentCount: docs.length, appointments: docs };
}

/** Checks the free texts of a history against the configured text limit (no text in the error). */
function checkHistory(history: PatientHistory, max: number): void {
  const texts = [history.complaints, ...(history.earlier ?? []).flatMap((v) => [v.complaints ?? '', v.conclusion ?? ''])];
  const long = texts.findIndex((t) => t.length > max);
  if (long >= 0) throw new BadUserInputError(`history texts must be at most ${max} characters (text ${long} has ${texts[long]!.length})`, { argumentName: 'history' });
}

/** Resolvers of diagnosis prediction and cohort transition analysis (schema/prediction.graphql). */
export const predictionResolvers = {
  Query: {
    predictDiagnoses: async (_: unknown, args: { history: PatientHistory; model: string; first: number }, context: ApiContext) => {
      const { config } = context.services;
      const k = pageSize(args.first, config);
      checkHistory(args.history, config.limits.maxTextLength);
      return (await context.services.predictors.get(args.model)).predict(args.history, k);
    },
    patient: (_: unknown, args: { cohort: string; patientId: string }, context: ApiContext) => loadPatient(context, args.cohort, args.patientId),
    predictionEvaluation: (_: unknown, args: { cohort: string; model: string }, context: ApiContext) =>
      context.services.predictors.cohortEvaluation(args.cohort, args.model),
    transitions: (
      _: unknown,
      args: { cohort: string; fromCode?: string | null; toCode?: string | null; fromLayer: string; toLayer: string; minCount: number; first: number },
      context: ApiContext,
    ) => {
      const { fromCode, toCode, ...rest } = args;
      return context.services.evaluation.transitions({ ...rest, from: fromCode, to: toCode, first: pageSize(args.first, context.services.config) });
    },
    codeShift: async (_: unknown, args: { cohort: string; first: number; orderBy?: ShiftOrder | null }, context: ApiContext) => {
      const n = pageSize(args.first, context.services.config);
      const rows = await context.services.evaluation.codeShift(args.cohort);
      return rows.sort(SHIFT_ORDERS[args.orderBy ?? 'CHANGE_DESC']).slice(0, n);
    },
  },

  DiagnosisPrediction: {
    concept: (p: { code: string }, _: unknown, context: ApiContext) => context.loaders.code.load(p.code),
  },

  Patient: {
    id: (p: PatientParent) => globalId('Patient', p.cohort, p.patientId),
  },

  PredictionEvaluation: {
    id: (e: CohortEvaluationFile) => globalId('PredictionEvaluation', e.cohort, e.model),
    top: (e: CohortEvaluationFile) => e.buckets.top,
    bottom: (e: CohortEvaluationFile) => e.buckets.bottom,
    perCode: (e: CohortEvaluationFile, args: { first: number; orderBy?: Order | null }, context: ApiContext) =>
      [...e.perCode].sort(ORDERS[args.orderBy ?? 'SUPPORT_DESC']).slice(0, pageSize(args.first, context.services.config)),
  },

  PredictionCodeScore: {
    concept: (c: { code: string }, _: unknown, context: ApiContext) => context.loaders.code.load(c.code),
  },

  CohortTransition: {
    fromCode: (t: CohortTransition) => t.from,
    toCode: (t: CohortTransition) => t.to,
    fromConcept: (t: CohortTransition, _: unknown, context: ApiContext) => context.loaders.code.load(t.from),
    toConcept: (t: CohortTransition, _: unknown, context: ApiContext) => context.loaders.code.load(t.to),
    lowestCommonAncestorCode: (t: CohortTransition) => t.relation.lowestCommonAncestor,
    lowestCommonAncestorConcept: (t: CohortTransition, _: unknown, context: ApiContext) =>
      t.relation.lowestCommonAncestor === null ? null : context.loaders.code.load(t.relation.lowestCommonAncestor),
    hopDistance: (t: CohortTransition) => t.relation.hopDistance,
    sameCategory: (t: CohortTransition) => t.relation.sameCategory,
    sameBlock: (t: CohortTransition) => t.relation.sameBlock,
    sameChapter: (t: CohortTransition) => t.relation.sameChapter,
  },

  CodeShift: {
    concept: (c: CodeShiftRow, _: unknown, context: ApiContext) => context.loaders.code.load(c.code),
  },
};
