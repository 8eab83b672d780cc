/**
 * `npm run experiment:dp`: the RuCCoD diagnosis-prediction experiment on a SYNTHETIC cohort.
 * Synthesises a seeded cohort (>= 20,000 appointments), links every conclusion with the default
 * coder, trains one predictor on the doctor's codes (`original`) and one on the coder's (`linked`),
 * evaluates both on the manual-test subset (layer `manual`) and prints the paper's tables.
 *
 *   ICDKG_DATA_DIR=../shared/data npm run experiment:dp [-- --appointments 20000 --seed 42]
 */
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { saveCohortModel } from '../src/pipeline/prediction/cohort/cohortModels.js';
import { readPredictionAppointments, trainAndEvaluate } from '../src/pipeline/prediction/cohort/cohortPrediction.js';
import type { ModelEvaluation } from '../src/pipeline/prediction/cohort/cohortPrediction.js';
import { linkCohort } from '../src/pipeline/coding/batch/linkCohort.js';
import { loadSynthSources } from '../src/synth/synthSources.js';
import { synthesizeCohort, PAPER_VISITS_MEAN } from '../src/synth/synthesizeCohort.js';
import { buildCoder } from '../src/pipeline/coding/training/buildCoder.js';

const { values } = parseArgs({
  options: {
    appointments: { type: 'string', default: '20000' },
    seed: { type: 'string', default: '42' },
    cohort: { type: 'string', default: 'demo' },
    work: { type: 'string', default: '.icdkg/experiment-dp' },
    models: { type: 'string', default: process.env.ICDKG_MODELS_DIR ?? 'models' },
    coder: { type: 'string' },
  },
});
const dataDir = path.resolve(process.env.ICDKG_DATA_DIR ?? '../shared/data');
if (!existsSync(path.join(dataDir, 'ruccod', 'mkb2descr.yaml'))) {
  process.stderr.write(`experiment:dp needs the data folder (ICDKG_DATA_DIR, now ${dataDir}) with ruccod/ and rumedtop3/\n`);
  process.exit(1);
}
const appointmentsWanted = Number(values.appointments);
const seed = Number(values.seed);
const work = path.resolve(values.work);
mkdirSync(work, { recursive: true });
const t0 = performance.now();
const lap = (): string => `${((performance.now() - t0) / 1000).toFixed(1)} s`;
const say = (s: string): void => void process.stdout.write(`${s}\n`);

say('=== Diagnosis prediction on a SYNTHETIC cohort (no real patient; docs/cohorts.md) ===');

// 1. The default coder (built once from the data folder, reused after).
let coderDir = values.coder ? path.resolve(values.coder) : path.resolve('models', 'ruccod-lexical');
if (!existsSync(path.join(coderDir, 'manifest.json'))) {
  coderDir = path.join(work, 'coder');
  if (!existsSync(path.join(coderDir, 'manifest.json'))) {
    say(`building the default lexical coder into ${coderDir} ...`);
    await buildCoder({ dataDir, outDir: coderDir });
  }
}
say(`[${lap()}] coder: ${coderDir}`);

// 2. The cohort.
const cohortFile = path.join(work, `${values.cohort}.jsonl`);
const patients = Math.round(appointmentsWanted / PAPER_VISITS_MEAN);
const synth = await synthesizeCohort(await loadSynthSources(dataDir), cohortFile, {
  patients,
  appointments: appointmentsWanted,
  seed,
  command: `npm run experiment:dp -- --appointments ${appointmentsWanted} --seed ${seed}`,
});
say(`[${lap()}] SYNTHETIC cohort: ${synth.appointments} appointments of ${synth.patients} patients (${synth.testPatients} manual-test patients), seed ${seed}`);

// 3. Linking.
const link = await linkCohort({ cohort: cohortFile, modelDir: coderDir, restart: true });
say(`[${lap()}] linked ${link.linked} conclusions (${Math.round(link.linked / link.seconds)} appointments/s, ${link.workers} workers)`);

// 4. Train on original and on linked; evaluate both on manual.
const appointments = await readPredictionAppointments(cohortFile, link.out!);
const results: Record<'original' | 'linked', ModelEvaluation> = {} as Record<'original' | 'linked', ModelEvaluation>;
for (const layer of ['original', 'linked'] as const) {
  const { predictor, evaluation } = trainAndEvaluate(appointments, layer, `dp-${values.cohort}-${layer}`);
  const dir = saveCohortModel(path.resolve(values.models), values.cohort, predictor, evaluation, true);
  results[layer] = evaluation;
  say(`[${lap()}] trained on ${layer}: ${evaluation.labels} labels, ${evaluation.trainAppointments} appointments, ${evaluation.trainSeconds.toFixed(1)} s -> ${dir}`);
}

// 5. The paper's tables.
const o = results.original;
const l = results.linked;
const f = (x: number): string => x.toFixed(4);
say('');
say(`Table 1. Weighted F1 on the manual-test subset (${o.testAppointments} appointments; SYNTHETIC cohort)`);
say('| trained on | labels | weighted F1 |');
say('| --- | --- | --- |');
say(`| original (doctor's codes) | ${o.labels} | ${f(o.weightedF1)} |`);
say(`| linked (coder's codes)    | ${l.labels} | ${f(l.weightedF1)} |`);
say('');
say('Table 2. Median per-code F1 by test frequency bucket (10 % most frequent; 10 % least frequent among codes with >= 15 test occurrences)');
say('| bucket | codes | original | linked |');
say('| --- | --- | --- | --- |');
say(`| top    | ${l.buckets.top.codes.length} | ${f(o.buckets.top.medianF1)} | ${f(l.buckets.top.medianF1)} |`);
say(`| bottom | ${l.buckets.bottom.codes.length} | ${f(o.buckets.bottom.medianF1)} | ${f(l.buckets.bottom.medianF1)} |`);
say('');
const of1 = new Map(o.perCode.map((c) => [c.code, c]));
const changes = l.perCode
  .filter((c) => c.support > 0 && of1.has(c.code))
  .map((c) => ({ code: c.code, support: c.support, before: of1.get(c.code)!.f1, after: c.f1, delta: c.f1 - of1.get(c.code)!.f1 }))
  .sort((a, b) => b.delta - a.delta || (a.code < b.code ? -1 : 1));
say('Table 3. Per-code F1 change, linked minus original (codes with test support; top gains and losses)');
say('| code | test support | F1 original | F1 linked | change |');
say('| --- | --- | --- | --- | --- |');
for (const c of [...changes.slice(0, 10), ...changes.slice(-10).reverse()]) {
  say(`| ${c.code} | ${c.support} | ${f(c.before)} | ${f(c.after)} | ${c.delta >= 0 ? '+' : ''}${f(c.delta)} |`);
}
const gains = changes.filter((c) => c.delta > 0).length;
const losses = changes.filter((c) => c.delta < 0).length;
say(`codes improved: ${gains}, worsened: ${losses}, unchanged: ${changes.length - gains - losses}`);
say('');
say(`total ${lap()} (SYNTHETIC cohort, seed ${seed})`);
