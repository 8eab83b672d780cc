/**
 * `npm run demo`: gives every explorer view something to show. From the data folder
 * (ICDKG_DATA_DIR, default ../shared/data) it
 *
 * 1. builds a lexical coder on the RuCCoD training split minus `dev-ids.txt` (kept under
 *    `.icdkg/demo/`, reused on the next run);
 * 2. writes a SYNTHETIC demonstration cohort (`icdkg cohort synth`: no real patient), links its
 *    conclusions with that coder and trains a prediction model on each of its layers (`original`,
 *    `linked`) into the models folder (`dp-demo-original`, `dp-demo-linked`);
 * 3. imports the cohort as corpus `demo` (replacing an earlier one) into the configured store
 *    (the embedded store's journal, or Neo4j when NEO4J_URI is set);
 * 4. codes the RuCCoD dev documents with the coder and stores the result as layer
 *    `system:lexical` of corpus `ruccod`, for the evaluation workbench.
 *
 * Then `npm start` serves the explorer over all of it at http://127.0.0.1:4000/.
 *
 *   npm run demo [-- --appointments 5000 --seed 42]
 */
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/config.js';
import { createStore } from '../src/createStore.js';
import { COHORT_LAYERS } from '../src/ingest/cohort/cohortFormat.js';
import { readLinked } from '../src/ingest/cohort/linkedFile.js';
import { readCohort } from '../src/ingest/cohort/loadCohort.js';
import { startCoderPool } from '../src/pipeline/coding/batch/coderPool.js';
import { linkCohort } from '../src/pipeline/coding/batch/linkCohort.js';
import { toMentions } from '../src/pipeline/coding/batch/toMentions.js';
import { buildCoder } from '../src/pipeline/coding/training/buildCoder.js';
import { saveCohortModel } from '../src/pipeline/prediction/cohort/cohortModels.js';
import { trainAndEvaluate } from '../src/pipeline/prediction/cohort/cohortPrediction.js';
import type { PredictionAppointment } from '../src/pipeline/prediction/cohort/cohortPrediction.js';
import { loadSynthSources } from '../src/synth/synthSources.js';
import { PAPER_VISITS_MEAN, synthesizeCohort } from '../src/synth/synthesizeCohort.js';
import { importCohort } from '../src/usecases/importCohort.js';
import { importAnnotations } from '../src/usecases/layers.js';

const { values } = parseArgs({
  options: {
    appointments: { type: 'string', default: '5000' },
    seed: { type: 'string', default: '42' },
    work: { type: 'string', default: '.icdkg/demo' },
  },
});
const COHORT = 'demo';
const SYSTEM_LAYER = 'system:lexical';
const config = loadConfig();
if (process.env.ICDKG_DATA_DIR === undefined) config.dataDir = path.resolve('../shared/data');
config.sample = 'error';
const dataDir = config.dataDir;
if (!existsSync(path.join(dataDir, 'ruccod', 'dev-ids.txt')) || !existsSync(path.join(dataDir, 'rumedtop3'))) {
  process.stderr.write(`npm run demo needs the data folder (ICDKG_DATA_DIR, now ${dataDir}) with ruccod/ and rumedtop3/: see \`icdkg data fetch\`\n`);
  process.exit(1);
}
const work = path.resolve(values.work);
mkdirSync(work, { recursive: true });
const t0 = performance.now();
const say = (s: string): void => void process.stderr.write(`[${((performance.now() - t0) / 1000).toFixed(1)} s] ${s}\n`);

// 1. A coder that has not seen the dev documents.
const coderDir = path.join(work, 'coder');
if (!existsSync(path.join(coderDir, 'manifest.json'))) {
  say('building a lexical coder on the RuCCoD training split minus dev-ids.txt ...');
  await buildCoder({ dataDir, outDir: coderDir, excludeIdsPath: path.join(dataDir, 'ruccod', 'dev-ids.txt') });
}
say(`coder: ${path.relative(process.cwd(), coderDir)}`);

// 2. The SYNTHETIC cohort, its linked layer and a model per layer.
const appointmentsWanted = Number(values.appointments);
const seed = Number(values.seed);
const cohortFile = path.join(work, `${COHORT}.jsonl`);
const synth = await synthesizeCohort(await loadSynthSources(dataDir), cohortFile, {
  patients: Math.round(appointmentsWanted / PAPER_VISITS_MEAN),
  appointments: appointmentsWanted,
  seed,
  command: `npm run demo -- --appointments ${appointmentsWanted} --seed ${seed}`,
});
say(`SYNTHETIC cohort: ${synth.appointments} appointments of ${synth.patients} patients`);
const link = await linkCohort({ cohort: cohortFile, modelDir: coderDir, restart: true });
say(`linked ${link.linked} conclusions`);
const linked = (await readLinked(link.out!)).codes;
const appointments: PredictionAppointment[] = [];
await readCohort(cohortFile, (r) => {
  const layers: Record<string, readonly string[]> = { [COHORT_LAYERS.original]: r.codes, [COHORT_LAYERS.linked]: linked.get(r.appointmentId) ?? [] };
  if (r.split === 'test' && r.trueCodes) layers[COHORT_LAYERS.manual] = r.trueCodes;
  appointments.push({ id: r.appointmentId, patientId: r.patientId, date: r.date, split: r.split ?? 'train', complaints: r.complaints, conclusion: r.conclusion, layers });
});
for (const layer of ['original', 'linked'] as const) {
  const { predictor, evaluation } = trainAndEvaluate(appointments, layer, `dp-${COHORT}-${layer}`);
  const dir = saveCohortModel(config.modelsDir, COHORT, predictor, evaluation, true);
  say(`prediction model trained on ${layer}: ${path.relative(process.cwd(), dir)} (weighted F1 on the manual-test subset ${evaluation.weightedF1.toFixed(4)})`);
}

// 3. and 4. Into the store.
const store = await createStore(config);
try {
  const imported = await importCohort(store, cohortFile, COHORT, link.out!, { mode: 'replace' });
  say(`imported cohort ${COHORT}: ${imported.appointments} appointments, layers ${imported.layers.join(', ')}`);
  const ids = await store.listDocumentIds('ruccod', 'dev');
  const docs = (await store.getDocuments('ruccod', ids)).filter((d) => d !== null);
  const pool = await startCoderPool(coderDir, 1);
  try {
    const results = await pool.code(docs.map((d) => d.text), { topK: 1 });
    const annotations = docs.map((d, i) => ({
      documentId: d.id,
      mentions: toMentions(results[i]!, d.text, 'text').map((m) => ({ label: m.id, fragments: m.fragments, code: m.code })),
    }));
    const summary = await importAnnotations(store, { corpus: 'ruccod', layer: SYSTEM_LAYER, annotations });
    say(`layer ${SYSTEM_LAYER} of ruccod: ${summary.mentions} mentions over ${summary.documents} dev documents`);
  } finally {
    await pool.close();
  }
} finally {
  await store.close();
}
say('done: `npm start`, then open http://127.0.0.1:4000/ (the cohort views say SYNTHETIC)');
