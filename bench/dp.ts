/**
 * RuMedTop3 benchmark of the diagnosis-prediction baseline: trains on train, scores dev, prints
 * accuracy and hit@3 against the bars of issue 6, the model's members and knowledge sources, the
 * training time (knowledge loading included), and single-threaded
 * prediction latency per visit (median and p99 over dev).
 *
 * Usage: `ICDKG_DATA_DIR=../shared/data npm run bench:dp`
 */
import path from 'node:path';
import { buildRumedTop3 } from '../src/pipeline/prediction/training/buildRumedTop3.js';
import { readVisits } from '../src/ingest/rumedtop3.js';

const BARS = { accuracy: 0.52, hitAt3: 0.75 };
const dataDir = path.resolve(process.env.ICDKG_DATA_DIR ?? '../shared/data');

const build = buildRumedTop3(dataDir);
if (!build.dev) {
  process.stderr.write(`bench:dp: ${path.join(dataDir, 'rumedtop3', 'dev.jsonl')} not found\n`);
  process.exit(2);
}
const dev = readVisits(path.join(dataDir, 'rumedtop3', 'dev.jsonl'), { requireCode: true });

// Latency: warm up, then time each visit's full predict (tokenise, features, scores, top 3).
for (const v of dev.slice(0, 50)) build.predictor.predict({ complaints: v.symptoms }, 3);
const times: number[] = [];
for (const v of dev) {
  const t0 = process.hrtime.bigint();
  build.predictor.predict({ complaints: v.symptoms }, 3);
  times.push(Number(process.hrtime.bigint() - t0) / 1e6);
}
times.sort((a, b) => a - b);
const quantile = (q: number): number => times[Math.min(times.length - 1, Math.ceil(q * times.length) - 1)]!;

const verdict = (value: number, bar: number): string => (value >= bar ? 'PASS' : 'FAIL');
const { accuracy, hitAtK } = build.dev;
const lines = [
  `RuMedTop3 dev (${build.dev.n} visits), model trained on ${build.extras.training.files[0]!.examples} train visits`,
  `  labels ${build.predictor.labels.length}, features ${build.predictor.vectorizer.size}, network member ${build.predictor.mlp ? `${build.predictor.mlp.hidden} hidden units` : 'none'}`,
  `  label knowledge: ${build.extras.training.files.slice(1).map((f) => `${f.path} (${f.examples})`).join(', ') || 'none'}`,
  `  accuracy ${accuracy.toFixed(4)}  bar >= ${BARS.accuracy}  ${verdict(accuracy, BARS.accuracy)}`,
  `  hit@3    ${hitAtK.toFixed(4)}  bar >= ${BARS.hitAt3}  ${verdict(hitAtK, BARS.hitAt3)}`,
  `  training time ${build.trainSeconds.toFixed(1)} s (one thread)`,
  `  prediction latency per visit: median ${quantile(0.5).toFixed(3)} ms, p99 ${quantile(0.99).toFixed(3)} ms`,
];
process.stdout.write(`${lines.join('\n')}\n`);
process.exitCode = accuracy >= BARS.accuracy && hitAtK >= BARS.hitAt3 ? 0 : 1;
