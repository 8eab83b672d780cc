/**
 * RuMedTop3 benchmark of diagnosis prediction: trains the linear TF-IDF model on train, combines it
 * with the committed neural member (`models/navec-rumedtop3`, navec embeddings + a small network
 * on ONNX, trained by `scripts/train/train_rumedtop3_navec.py`), scores dev, and prints accuracy and
 * hit@3 with bootstrap 95 % intervals against the bars of issue 17, a paired test of the default
 * (ensemble) against the plain TF-IDF baseline (word + character n-grams, softmax; round 1 of
 * `predictConfig.ts`) and against the linear model alone, the training time, and single-threaded
 * prediction latency per visit (median and p99 over dev).
 *
 * Usage: `ICDKG_DATA_DIR=../shared/data npm run bench:dp`
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { pairedBootstrap } from '../src/evaluation/pairedBootstrap.js';
import type { PairedComparison } from '../src/evaluation/pairedBootstrap.js';
import { buildRumedTop3 } from '../src/pipeline/prediction/training/buildRumedTop3.js';
import { EnsemblePredictor } from '../src/pipeline/prediction/ensemble/EnsemblePredictor.js';
import { LinearPredictor } from '../src/pipeline/prediction/linear/LinearPredictor.js';
import { loadNeuralMember, memberEnsembleSettings } from '../src/pipeline/prediction/ensemble/neuralMember.js';
import { defaultPredictConfig } from '../src/pipeline/prediction/linear/predictConfig.js';
import type { PredictConfig } from '../src/pipeline/prediction/linear/predictConfig.js';
import { readVisits } from '../src/ingest/rumedtop3.js';

const BARS = { accuracy: 0.51, hitAt3: 0.77 };
const dataDir = path.resolve(process.env.ICDKG_DATA_DIR ?? '../shared/data');
const memberDir = fileURLToPath(new URL('../models/navec-rumedtop3', import.meta.url));

const build = buildRumedTop3(dataDir);
if (!build.dev) {
  process.stderr.write(`bench:dp: ${path.join(dataDir, 'rumedtop3', 'dev.jsonl')} not found\n`);
  process.exit(2);
}
const train = readVisits(path.join(dataDir, 'rumedtop3', 'train.jsonl'), { requireCode: true });
const dev = readVisits(path.join(dataDir, 'rumedtop3', 'dev.jsonl'), { requireCode: true });
const gold = dev.map((v) => v.code!);
const histories = dev.map((v) => ({ complaints: v.symptoms }));

/** Per-visit 0/1: top-1 right, gold in top 3. */
function perVisit(ranked: readonly (readonly string[])[]): { top1: number[]; top3: number[] } {
  return { top1: ranked.map((r, i) => (r[0] === gold[i] ? 1 : 0)), top3: ranked.map((r, i) => (r.slice(0, 3).includes(gold[i]!) ? 1 : 0)) };
}

// The plain TF-IDF baseline: word 1-2 + char 3-5 n-grams, softmax; no style, knowledge or network.
const tfidfConfig: PredictConfig = {
  ...defaultPredictConfig,
  features: { ...defaultPredictConfig.features, blocks: defaultPredictConfig.features.blocks.filter((b) => b.name !== 'style') },
  knowledge: null,
  mlp: null,
};
const tfidf = LinearPredictor.train('tfidf', train.map((v) => ({ history: { complaints: v.symptoms }, codes: [v.code!] })), tfidfConfig);
const tfidfRuns = perVisit(histories.map((h) => tfidf.predict(h, 3).map((p) => p.code)));
const linearRuns = perVisit(histories.map((h) => build.predictor.predict(h, 3).map((p) => p.code)));

let ensemble: EnsemblePredictor | null = null;
let close: () => Promise<void> = () => Promise.resolve();
if (existsSync(path.join(memberDir, 'manifest.json'))) {
  const settings = await memberEnsembleSettings(memberDir);
  const member = await loadNeuralMember(memberDir, 'cpu', 1);
  close = member.close;
  if (settings) ensemble = new EnsemblePredictor('rumedtop3', build.predictor, member, settings.weight, settings.mode);
}
const defaultRuns = ensemble ? perVisit((await ensemble.predictMany(histories, 3)).map((r) => r.map((p) => p.code))) : linearRuns;

// Latency: warm up, then time each visit's full predict (one visit per call, one thread).
const one = async (complaints: string): Promise<void> => {
  if (ensemble) await ensemble.predictMany([{ complaints }], 3);
  else build.predictor.predict({ complaints }, 3);
};
for (const v of dev.slice(0, 50)) await one(v.symptoms);
const times: number[] = [];
for (const v of dev) {
  const t0 = process.hrtime.bigint();
  await one(v.symptoms);
  times.push(Number(process.hrtime.bigint() - t0) / 1e6);
}
times.sort((a, b) => a - b);
const quantile = (q: number): number => times[Math.min(times.length - 1, Math.ceil(q * times.length) - 1)]!;
await close();

const verdict = (value: number, bar: number): string => (value >= bar ? 'PASS' : 'FAIL');
const pct = (x: number): string => x.toFixed(4);
const ci = (c: PairedComparison['a']): string => `${pct(c.mean)} [${pct(c.ci.low)}, ${pct(c.ci.high)}]`;
const acc = pairedBootstrap(defaultRuns.top1, tfidfRuns.top1, { seed: 1 });
const hit = pairedBootstrap(defaultRuns.top3, tfidfRuns.top3, { seed: 1 });
const accLin = pairedBootstrap(defaultRuns.top1, linearRuns.top1, { seed: 1 });
const hitLin = pairedBootstrap(defaultRuns.top3, linearRuns.top3, { seed: 1 });
const diff = (c: PairedComparison): string =>
  `${c.difference.mean >= 0 ? '+' : ''}${pct(c.difference.mean)} [${pct(c.difference.ci.low)}, ${pct(c.difference.ci.high)}], bootstrap p ${c.pBootstrap.toFixed(4)}, McNemar ${c.mcnemar.aOnly}/${c.mcnemar.bOnly} p ${c.mcnemar.p.toFixed(4)}`;
const lines = [
  `RuMedTop3 dev (${build.dev.n} visits), models trained on ${train.length} train visits; 95 % intervals: 2,000 bootstrap resamples of dev`,
  `  default model: ${ensemble ? `linear + neural member ${path.basename(memberDir)} (${ensemble.mode}, weight ${ensemble.weight})` : 'linear alone (no neural member found)'}`,
  `  linear: labels ${build.predictor.labels.length}, features ${build.predictor.vectorizer.size}, network member ${build.predictor.mlp ? `${build.predictor.mlp.hidden} hidden units` : 'none'}`,
  `  label knowledge: ${build.extras.training.files.slice(1).map((f) => `${f.path} (${f.examples})`).join(', ') || 'none'}`,
  `  TF-IDF baseline        accuracy ${ci(acc.b)}  hit@3 ${ci(hit.b)}`,
  `  linear alone           accuracy ${ci(accLin.b)}  hit@3 ${ci(hitLin.b)}`,
  `  default                accuracy ${ci(acc.a)}  hit@3 ${ci(hit.a)}`,
  `  accuracy ${pct(acc.a.mean)}  bar >= ${BARS.accuracy}  ${verdict(acc.a.mean, BARS.accuracy)}`,
  `  hit@3    ${pct(hit.a.mean)}  bar >= ${BARS.hitAt3}  ${verdict(hit.a.mean, BARS.hitAt3)}`,
  `  default - TF-IDF: accuracy ${diff(acc)}`,
  `                    hit@3    ${diff(hit)}`,
  `  default - linear: accuracy ${diff(accLin)}`,
  `                    hit@3    ${diff(hitLin)}`,
  `  training time ${build.trainSeconds.toFixed(1)} s (linear, one thread; the neural member is committed)`,
  `  prediction latency per visit: median ${quantile(0.5).toFixed(3)} ms, p99 ${quantile(0.99).toFixed(3)} ms`,
];
process.stdout.write(`${lines.join('\n')}\n`);
process.exitCode = acc.a.mean >= BARS.accuracy && hit.a.mean >= BARS.hitAt3 ? 0 : 1;
