import { BadUserInputError, NotFoundError } from '../errors.js';
import { compareLayers, relateTransitions } from './layerEvaluation.js';
import type { RelatedTransition } from './layerEvaluation.js';
import type { GraphStore } from '../graph/GraphStore.js';

/**
 * Per-code F1 of the prediction models trained on a cohort's layers (the prediction registry
 * reads them); null for a layer without a model. Evaluation takes them as data and reads no files.
 */
export type PerCodeF1 = (layer: string) => Map<string, number> | null;

/** The names of the cohort models per training layer, for codeShift's report. */
export type CohortModelName = (layer: string) => string;

/** A transition with the F1 changes of its codes (null unless both layers' models exist). */
export interface CohortTransition extends RelatedTransition {
  toF1Change: number | null;
  fromF1Change: number | null;
}

/** Arguments of {@link cohortTransitions}. */
export interface TransitionArgs {
  cohort: string;
  from?: string | null;
  to?: string | null;
  fromLayer: string;
  toLayer: string;
  minCount: number;
  first: number;
}


/**
 * Transition analysis (DESIGN §4) over a cohort in the store: the layer comparison of the
 * evaluation module (`compareLayers`, `relateTransitions`), filtered and ranked by count, with
 * the per-code F1 change between the models trained on the two layers when both exist.
 *
 * @example await cohortTransitions(store, (layer) => registry.perCodeF1('demo', layer), { cohort: 'demo', from: 'I25.2', fromLayer: 'original', toLayer: 'linked', minCount: 1, first: 5 })
 */
export async function cohortTransitions(store: GraphStore, perCodeF1: PerCodeF1, args: TransitionArgs): Promise<CohortTransition[]> {
  if (!Number.isInteger(args.minCount) || args.minCount < 1) throw new BadUserInputError(`minCount must be a positive integer, got ${args.minCount}`, { argumentName: 'minCount' });
  const comparison = await compareLayers(store, { corpus: args.cohort, a: args.fromLayer, b: args.toLayer });
  const picked = comparison.transitions
    .filter((t) => (args.from == null || t.from === args.from) && (args.to == null || t.to === args.to) && t.count >= args.minCount)
    .slice(0, args.first);
  const related = await relateTransitions(store, picked);
  const before = perCodeF1(args.fromLayer);
  const after = perCodeF1(args.toLayer);
  const change = (code: string): number | null => {
    if (!before || !after) return null;
    const a = after.get(code);
    const b = before.get(code);
    // A code neither model scored (no support, never predicted) has no F1 to compare.
    if (a === undefined && b === undefined) return null;
    return (a ?? 0) - (b ?? 0);
  };
  return related.map((t) => ({ ...t, toF1Change: change(t.to), fromF1Change: change(t.from) }));
}

/** One row of {@link codeShift}. */
export interface CodeShiftRow {
  code: string;
  counts: { layer: string; count: number }[];
  originalCount: number;
  linkedCount: number;
  change: number;
  f1: { model: string; trainLayer: string; f1: number }[];
  f1Original: number | null;
  f1Linked: number | null;
}

/**
 * Per code of a cohort: appointments carrying it in each layer, and its F1 under each cohort
 * model (the paper's Figure 6 data). Reads every layer of the corpus once.
 *
 * @example (await codeShift(store, 'demo', (layer) => registry.perCodeF1('demo', layer), (layer) => `dp-demo-${layer}`))[0]
 */
export async function codeShift(store: GraphStore, cohort: string, perCodeF1: PerCodeF1, modelName: CohortModelName): Promise<CodeShiftRow[]> {
  const info = (await store.listCorpora()).find((c) => c.name === cohort);
  if (!info) throw new NotFoundError(`No corpus ${JSON.stringify(cohort)}`, { argumentName: 'cohort', value: cohort });
  const ids = await store.listDocumentIds(cohort, null);
  const counts = new Map<string, Map<string, number>>();
  for (const layer of info.layers) {
    const annotations = await store.getLayer(cohort, layer, ids);
    for (const a of annotations) {
      const codes = new Set([...a.codes, ...a.mentions.map((m) => m.code).filter((c): c is string => c !== null)]);
      for (const c of codes) {
        let row = counts.get(c);
        if (!row) counts.set(c, (row = new Map()));
        row.set(layer, (row.get(layer) ?? 0) + 1);
      }
    }
  }
  const models = ['original', 'linked']
    .map((layer) => ({ layer, model: modelName(layer), f1: perCodeF1(layer) }))
    .filter((m): m is { layer: string; model: string; f1: Map<string, number> } => m.f1 !== null);
  return [...counts].map(([code, row]) => {
    const originalCount = row.get('original') ?? 0;
    const linkedCount = row.get('linked') ?? 0;
    const f1 = models.filter((m) => m.f1.has(code)).map((m) => ({ model: m.model, trainLayer: m.layer, f1: m.f1.get(code)! }));
    const of = (layer: string): number | null => {
      const m = models.find((x) => x.layer === layer);
      return m ? (m.f1.get(code) ?? null) : null;
    };
    return {
      code,
      counts: info.layers.map((layer) => ({ layer, count: row.get(layer) ?? 0 })),
      originalCount,
      linkedCount,
      change: linkedCount - originalCount,
      f1,
      f1Original: of('original'),
      f1Linked: of('linked'),
    };
  });
}
