import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import type { GraphStore } from '../graph/GraphStore.js';
import { startCoderPool } from '../pipeline/coding/batch/coderPool.js';
import { linkCohort } from '../pipeline/coding/batch/linkCohort.js';
import { toMentions } from '../pipeline/coding/batch/toMentions.js';
import { buildCoder } from '../pipeline/coding/training/buildCoder.js';
import { saveCohortModel } from '../pipeline/prediction/cohort/cohortModels.js';
import { readPredictionAppointments, trainAndEvaluate } from '../pipeline/prediction/cohort/cohortPrediction.js';
import { loadSynthSources } from '../synth/synthSources.js';
import { PAPER_VISITS_MEAN, synthesizeCohort } from '../synth/synthesizeCohort.js';
import { importCohort } from './importCohort.js';
import { importAnnotations } from './layers.js';

/** The demonstration cohort's corpus name and the system layer the demo writes over RuCCoD dev. */
export const DEMO_COHORT = 'demo';
export const DEMO_SYSTEM_LAYER = 'system:lexical';

export interface DemoOptions {
  /** A data folder laid out like `../shared/data` (ruccod/ with dev-ids.txt, rumedtop3/). */
  dataDir: string;
  /** Where the cohort models go (`dp-demo-original`, `dp-demo-linked`). */
  modelsDir: string;
  /** A working folder: the coder (reused when present), the cohort and its linked file. */
  work: string;
  appointments?: number;
  seed?: number;
  /** Progress lines (no clinical text). */
  onProgress?: (line: string) => void;
}

/**
 * `npm run demo`: gives every explorer view something to show.
 *
 * 1. builds a lexical coder on the RuCCoD training split minus `dev-ids.txt` (kept in `work`,
 *    reused on the next run);
 * 2. writes a SYNTHETIC demonstration cohort (`icdkg cohort synth`: no real patient), links its
 *    conclusions with that coder and trains a prediction model on each of its layers (`original`,
 *    `linked`) into `modelsDir` (`dp-demo-original`, `dp-demo-linked`);
 * 3. imports the cohort as corpus `demo` (replacing an earlier one) into `store`;
 * 4. codes the RuCCoD dev documents with the coder and stores them as layer `system:lexical` of
 *    corpus `ruccod`, for the evaluation workbench.
 *
 * @example await loadDemo(store, { dataDir: '../shared/data', modelsDir: 'models', work: '.icdkg/demo' })
 */
export async function loadDemo(store: GraphStore, options: DemoOptions): Promise<{ coderDir: string; appointments: number; systemMentions: number }> {
  const { dataDir, modelsDir } = options;
  const say = options.onProgress ?? (() => undefined);
  const work = path.resolve(options.work);
  mkdirSync(work, { recursive: true });
  const coderDir = path.join(work, 'coder');
  if (!existsSync(path.join(coderDir, 'manifest.json'))) {
    say('building a lexical coder on the RuCCoD training split minus dev-ids.txt ...');
    await buildCoder({ dataDir, outDir: coderDir, excludeIdsPath: path.join(dataDir, 'ruccod', 'dev-ids.txt') });
  }
  const appointmentsWanted = options.appointments ?? 5000;
  const seed = options.seed ?? 42;
  const cohortFile = path.join(work, `${DEMO_COHORT}.jsonl`);
  const synth = await synthesizeCohort(await loadSynthSources(dataDir), cohortFile, {
    patients: Math.round(appointmentsWanted / PAPER_VISITS_MEAN),
    appointments: appointmentsWanted,
    seed,
    command: `npm run demo -- --appointments ${appointmentsWanted} --seed ${seed}`,
  });
  say(`SYNTHETIC cohort: ${synth.appointments} appointments of ${synth.patients} patients`);
  const link = await linkCohort({ cohort: cohortFile, modelDir: coderDir, restart: true });
  say(`linked ${link.linked} conclusions`);
  const appointments = await readPredictionAppointments(cohortFile, link.out!);
  for (const layer of ['original', 'linked'] as const) {
    const { predictor, evaluation } = trainAndEvaluate(appointments, layer, `dp-${DEMO_COHORT}-${layer}`);
    saveCohortModel(modelsDir, DEMO_COHORT, predictor, evaluation, true);
    say(`prediction model trained on ${layer} (weighted F1 on the manual-test subset ${evaluation.weightedF1.toFixed(4)})`);
  }
  const imported = await importCohort(store, cohortFile, DEMO_COHORT, link.out!, { mode: 'replace' });
  say(`imported cohort ${DEMO_COHORT}: ${imported.appointments} appointments, layers ${imported.layers.join(', ')}`);
  const ids = await store.listDocumentIds('ruccod', 'dev');
  const docs = (await store.getDocuments('ruccod', ids)).filter((d) => d !== null);
  const pool = await startCoderPool(coderDir, 1);
  try {
    const results = await pool.code(docs.map((d) => d.text), { topK: 1 });
    const annotations = docs.map((d, i) => ({
      documentId: d.id,
      mentions: toMentions(results[i]!, d.text, 'text').map((m) => ({ label: m.id, fragments: m.fragments, code: m.code })),
    }));
    const summary = await importAnnotations(store, { corpus: 'ruccod', layer: DEMO_SYSTEM_LAYER, annotations });
    say(`layer ${DEMO_SYSTEM_LAYER} of ruccod: ${summary.mentions} mentions over ${summary.documents} dev documents`);
    return { coderDir, appointments: imported.appointments, systemMentions: summary.mentions };
  } finally {
    await pool.close();
  }
}
