/**
 * Dumps the production RuMedTop3 linear model's probabilities for ensembling experiments:
 * out-of-fold on train (the 5 seeded folds of `scripts/tune-dp.ts cv`) and on dev (trained on all
 * of train). Writes JSON `{ labels, folds, oof: number[][], dev: number[][], knowledge, knowledgeSources }` to OUT
 * (`knowledge`: label -> its knowledge texts, as the linear model's pseudo-examples use them).
 * Usage: `ICDKG_DATA_DIR=../shared/data npx tsx scripts/train/dump-linear-probs.ts OUT.json`
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { defaultPredictConfig } from '../../src/pipeline/prediction/linear/predictConfig.js';
import { readVisits } from '../../src/ingest/rumedtop3.js';
import { LinearPredictor } from '../../src/pipeline/prediction/linear/LinearPredictor.js';
import { rumedTop3Knowledge } from '../../src/pipeline/prediction/training/buildRumedTop3.js';
import { mulberry32 } from '../../src/util/mulberry32.js';
import { shuffleInPlace } from '../../src/util/shuffleInPlace.js';

const dataDir = process.env.ICDKG_DATA_DIR;
const out = process.argv[2];
if (!dataDir || !out) {
  process.stderr.write('usage: ICDKG_DATA_DIR=DIR tsx scripts/train/dump-linear-probs.ts OUT.json\n');
  process.exit(2);
}
const train = readVisits(path.join(dataDir, 'rumedtop3', 'train.jsonl'), { requireCode: true });
const dev = readVisits(path.join(dataDir, 'rumedtop3', 'dev.jsonl'), { requireCode: true });
const labels = [...new Set(train.map((v) => v.code!))].sort();
const config = defaultPredictConfig;
const knowledge = rumedTop3Knowledge(dataDir, labels, config) ?? undefined;
// The folds of `scripts/tune-dp.ts cv`: the same seeded permutation.
const perm = shuffleInPlace(Array.from(train.keys()), mulberry32(12345));
const folds = new Array<number>(train.length);
perm.forEach((i, r) => (folds[i] = r % 5));
const round = (p: Float64Array): number[] => Array.from(p, (x) => Math.round(x * 1e6) / 1e6);
const oof: number[][] = new Array<number[]>(train.length);
for (let k = 0; k < 5; k++) {
  const p = LinearPredictor.train('cv', train.filter((_, i) => folds[i] !== k).map((v) => ({ history: { complaints: v.symptoms }, codes: [v.code!] })), config, knowledge);
  if (p.labels.join() !== labels.join()) throw new Error(`fold ${k} lacks labels`);
  train.forEach((v, i) => {
    if (folds[i] === k) oof[i] = round(p.probabilities({ complaints: v.symptoms }));
  });
  process.stderr.write(`fold ${k} done\n`);
}
const p = LinearPredictor.train('dev', train.map((v) => ({ history: { complaints: v.symptoms }, codes: [v.code!] })), config, knowledge);
// The label knowledge texts (ICD-10 titles, RuCCoD mentions) and their source files, for
// `train_rumedtop3_navec.py --knowledge-weight` (the same texts the linear model's pseudo-examples use).
writeFileSync(
  out,
  JSON.stringify({
    labels,
    folds,
    oof,
    dev: dev.map((v) => round(p.probabilities({ complaints: v.symptoms }))),
    knowledge: knowledge ? Object.fromEntries(knowledge.texts) : {},
    knowledgeSources: knowledge?.sources ?? [],
  }),
);
