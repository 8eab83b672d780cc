import { BadUserInputError } from '../errors.js';
import { relateTransitions } from '../evaluation/layerEvaluation.js';
import type { LayerComparison, LayerEvaluation } from '../evaluation/layerEvaluation.js';
import { DEFAULT_BUCKET_MIN_COUNT, DEFAULT_BUCKET_SHARE, frequencyBuckets } from '../evaluation/frequencyBuckets.js';
import type { CodeMetrics } from '../evaluation/types.js';
import type { LiftLevel } from '../graph/model.js';
import type { ApiContext } from './ApiContext.js';
import { pageSize } from './pageSize.js';

type Selection = { corpus: string; split?: string | null; documentIds?: string[] | null; level?: LiftLevel | null };
type Order = 'SUPPORT_DESC' | 'F1_DESC' | 'F1_ASC' | 'CODE';

const byCode = (a: CodeMetrics, b: CodeMetrics): number => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0);
const ORDERS: Record<Order, (a: CodeMetrics, b: CodeMetrics) => number> = {
  SUPPORT_DESC: (a, b) => b.support - a.support || byCode(a, b),
  F1_DESC: (a, b) => b.f1 - a.f1 || b.support - a.support || byCode(a, b),
  F1_ASC: (a, b) => a.f1 - b.f1 || b.support - a.support || byCode(a, b),
  CODE: byCode,
};

/** Resolvers of layer evaluation and comparison (schema/evaluation.graphql); the work is in `src/evaluation/`. */
export const evaluationResolvers = {
  Query: {
    evaluateCoding: (_: unknown, args: Selection & { gold: string; predicted: string }, context: ApiContext) =>
      context.services.evaluation.evaluateLayers(args),
    compareLayers: (_: unknown, args: Selection & { a: string; b: string }, context: ApiContext) =>
      context.services.evaluation.compareLayers(args),
  },

  CodingEvaluation: {
    perCode: (e: LayerEvaluation, { first, orderBy }: { first: number; orderBy?: Order | null }, context: ApiContext) => {
      const n = pageSize(first, context.services.config);
      return [...e.perCode].sort(ORDERS[orderBy ?? 'SUPPORT_DESC']).slice(0, n);
    },
    buckets: (e: LayerEvaluation, args: { share?: number | null; minCount?: number | null }) => {
      const share = args.share ?? DEFAULT_BUCKET_SHARE;
      const minCount = args.minCount ?? DEFAULT_BUCKET_MIN_COUNT;
      if (!(share > 0 && share <= 1)) throw new BadUserInputError(`share must be in (0, 1], got ${share}`, { argumentName: 'share' });
      if (!Number.isInteger(minCount) || minCount < 0) {
        throw new BadUserInputError(`minCount must be a non-negative integer, got ${minCount}`, { argumentName: 'minCount' });
      }
      return { share, minCount, ...frequencyBuckets(e.perCode, { share, minCount }) };
    },
  },

  CodeEvaluation: {
    concept: (c: CodeMetrics, _: unknown, context: ApiContext) => context.loaders.code.load(c.code),
  },

  LayerComparison: {
    transitionCount: (c: LayerComparison) => c.transitions.length,
    transitions: (c: LayerComparison, { first }: { first: number }, context: ApiContext) =>
      relateTransitions(context.services.store, c.transitions.slice(0, pageSize(first, context.services.config))),
  },

  FrequencyBucket: {
    name: (b: { name: string }) => b.name.toUpperCase(),
  },

  CodeRelation: {
    lowestCommonAncestorCode: (r: { lowestCommonAncestor: string | null }) => r.lowestCommonAncestor,
    lowestCommonAncestorConcept: (r: { lowestCommonAncestor: string | null }, _: unknown, context: ApiContext) =>
      r.lowestCommonAncestor === null ? null : context.loaders.code.load(r.lowestCommonAncestor),
  },

  CodeTransition: {
    fromCode: (t: { from: string }) => t.from,
    toCode: (t: { to: string }) => t.to,
    fromConcept: (t: { from: string }, _: unknown, context: ApiContext) => context.loaders.code.load(t.from),
    toConcept: (t: { to: string }, _: unknown, context: ApiContext) => context.loaders.code.load(t.to),
  },
};
