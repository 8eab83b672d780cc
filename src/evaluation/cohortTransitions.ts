import { existsSync } from 'node:fs';
import path from 'node:path';
import { BadUserInputError, NotFoundError } from '../errors.js';
import { compareLayers, relateTransitions } from './evaluationService.js';
import type { RelatedTransition } from './evaluationService.js';
import type { GraphStore } from '../graph/GraphStore.js';
import type { Document } from '../graph/model.js';
import type { LinearPredictor } from '../pipeline/prediction/linear/LinearPredictor.js';
import { loadLinearPredictor } from '../pipeline/prediction/linear/linearModelFiles.js';
import { cohortModelName, readCohortEvaluation } from '../pipeline/prediction/cohort/cohortModels.js';
import type { CohortEvaluationFile } from '../pipeline/prediction/cohort/cohortModels.js';

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

const MODEL_NAME = /^[\w.-]+$/;

/** Per-code F1 of a cohort model, or null when the model (or its evaluation) is absent. */
export function perCodeF1(modelsDir: string, cohort: string, layer: string): Map<string, number> | null {
  const e = readCohortEvaluation(modelsDir, cohortModelName(cohort, layer));
  return e ? new Map(e.perCode.map((c) => [c.code, c.f1])) : null;
}

/**
 * Transition analysis (DESIGN §4) over a cohort in the store: the layer comparison of the
 * evaluation module (`compareLayers`, `relateTransitions`), filtered and ranked by count, with
 * the per-code F1 change between the models trained on the two layers when both exist.
 *
 * @example await cohortTransitions(store, 'models', { cohort: 'demo', from: 'I25.2', fromLayer: 'original', toLayer: 'linked', minCount: 1, first: 5 })
 */
export async function cohortTransitions(store: GraphStore, modelsDir: string, args: TransitionArgs): Promise<CohortTransition[]> {
  if (!Number.isInteger(args.minCount) || args.minCount < 1) throw new BadUserInputError(`minCount must be a positive integer, got ${args.minCount}`, { argumentName: 'minCount' });
  const comparison = await compareLayers(store, { corpus: args.cohort, a: args.fromLayer, b: args.toLayer });
  const picked = comparison.transitions
    .filter((t) => (args.from == null || t.from === args.from) && (args.to == null || t.to === args.to) && t.count >= args.minCount)
    .slice(0, args.first);
  const related = await relateTransitions(store, picked);
  const before = perCodeF1(modelsDir, args.cohort, args.fromLayer);
  const after = perCodeF1(modelsDir, args.cohort, args.toLayer);
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
 * @example (await codeShift(store, 'models', 'demo'))[0]
 */
export async function codeShift(store: GraphStore, modelsDir: string, cohort: string): Promise<CodeShiftRow[]> {
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
    .map((layer) => ({ layer, model: cohortModelName(cohort, layer), f1: perCodeF1(modelsDir, cohort, layer) }))
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

/** Where a cohort's model evaluation lives: `model` is a model name or a training layer. */
export function predictionEvaluation(modelsDir: string, cohort: string, model: string): CohortEvaluationFile {
  if (!MODEL_NAME.test(model)) throw new BadUserInputError(`model must be a model folder name, got ${JSON.stringify(model)}`, { argumentName: 'model' });
  const e = readCohortEvaluation(modelsDir, model) ?? readCohortEvaluation(modelsDir, cohortModelName(cohort, model));
  if (!e || e.cohort !== cohort) {
    throw new NotFoundError(`No prediction evaluation of model ${JSON.stringify(model)} for cohort ${JSON.stringify(cohort)}; run \`npm run experiment:dp\``, { argumentName: 'model', value: model });
  }
  return e;
}

const predictors = new Map<string, LinearPredictor>();

/**
 * A prediction model of the models folder, loaded once per process. NOT_FOUND for a missing
 * folder, BAD_USER_INPUT for a name that is not a plain folder name.
 */
export function predictorOf(modelsDir: string, model: string): LinearPredictor {
  if (!MODEL_NAME.test(model) || model.startsWith('.')) throw new BadUserInputError(`model must be a model folder name, got ${JSON.stringify(model)}`, { argumentName: 'model' });
  const dir = path.join(modelsDir, model);
  let p = predictors.get(dir);
  if (!p) {
    if (!existsSync(path.join(dir, 'manifest.json'))) throw new NotFoundError(`No prediction model ${JSON.stringify(model)} in the models folder`, { argumentName: 'model', value: model });
    try {
      p = loadLinearPredictor(dir).predictor;
    } catch (err) {
      throw new BadUserInputError(`model ${JSON.stringify(model)} is not a diagnosis-prediction model: ${(err as Error).message.replace(dir, model)}`, { argumentName: 'model' });
    }
    predictors.set(dir, p);
  }
  return p;
}

interface PatientIndex {
  documents: number;
  byPatient: Map<string, string[]>;
}
const patientIndexes = new WeakMap<GraphStore, Map<string, PatientIndex>>();

/**
 * A patient's appointments (documents of the cohort with that `patient`) in date order, or null.
 * The store port has no by-patient read, so an index of the corpus is built on first use and
 * rebuilt when the corpus's document count changes.
 */
export async function patientAppointments(store: GraphStore, cohort: string, patient: string): Promise<Document[] | null> {
  const info = (await store.listCorpora()).find((c) => c.name === cohort);
  if (!info) return null;
  let perStore = patientIndexes.get(store);
  if (!perStore) patientIndexes.set(store, (perStore = new Map()));
  let index = perStore.get(cohort);
  if (!index || index.documents !== info.documentCount) {
    const byPatient = new Map<string, string[]>();
    let after: string | null = null;
    for (;;) {
      const page = await store.listDocuments(cohort, null, { first: 1000, after });
      for (const d of page.items) {
        if (d.patient === null) continue;
        let list = byPatient.get(d.patient);
        if (!list) byPatient.set(d.patient, (list = []));
        list.push(d.id);
      }
      if (!page.hasNextPage) break;
      after = page.endCursor;
    }
    perStore.set(cohort, (index = { documents: info.documentCount, byPatient }));
  }
  const ids = index.byPatient.get(patient);
  if (!ids) return null;
  const docs = (await store.getDocuments(cohort, ids)).filter((d): d is Document => d !== null);
  return docs.sort((a, b) => ((a.date ?? '') < (b.date ?? '') ? -1 : (a.date ?? '') > (b.date ?? '') ? 1 : 0));
}
