/**
 * Hyper-parameter search for the RuMedTop3 baseline: trains on train, scores on dev, prints one
 * table row per setting. Usage: `ICDKG_DATA_DIR=../shared/data npx tsx scripts/tune-dp.ts [quick]`.
 * Mode `cv ['<config overrides JSON>']` scores the production trainer (label knowledge, network
 * member and all) in a 5-fold cross-validation on train and on dev: prefer what helps both.
 * The chosen setting is fixed in `src/pipeline/prediction/linear/predictConfig.ts`.
 */
import path from 'node:path';
import { defaultPredictConfig } from '../src/pipeline/prediction/linear/predictConfig.js';
import type { PredictConfig } from '../src/pipeline/prediction/linear/predictConfig.js';
import { readVisits } from '../src/ingest/rumedtop3.js';
import { historyTerms } from '../src/pipeline/prediction/linear/historyTerms.js';
import { TfidfVectorizer } from '../src/pipeline/prediction/linear/TfidfVectorizer.js';
import { linearScores, toProbabilities, trainLinear } from '../src/pipeline/prediction/linear/trainLinear.js';
import { evaluateTopK } from '../src/pipeline/prediction/training/evaluateTopK.js';
import { trainNaiveBayes } from '../src/pipeline/prediction/linear/trainNaiveBayes.js';
import type { LinearWeights } from '../src/pipeline/prediction/linear/trainLinear.js';
import type { SparseVector } from '../src/pipeline/prediction/linear/SparseVector.js';
import { LinearPredictor } from '../src/pipeline/prediction/linear/LinearPredictor.js';
import { rumedTop3Knowledge } from '../src/pipeline/prediction/training/buildRumedTop3.js';
import { mulberry32 } from '../src/util/mulberry32.js';
import { shuffleInPlace } from '../src/util/shuffleInPlace.js';

const dataDir = process.env.ICDKG_DATA_DIR;
if (!dataDir) {
  process.stderr.write('set ICDKG_DATA_DIR (e.g. ../shared/data)\n');
  process.exit(2);
}
const train = readVisits(path.join(dataDir, 'rumedtop3', 'train.jsonl'), { requireCode: true });
const dev = readVisits(path.join(dataDir, 'rumedtop3', 'dev.jsonl'), { requireCode: true });
const labels = [...new Set(train.map((v) => v.code!))].sort();
const labelIndex = new Map(labels.map((l, i) => [l, i]));

type Features = PredictConfig['features'];
type Linear = PredictConfig['linear'];

function featureKey(f: Features): string {
  return `w${f.wordNgrams.join('-')} c${f.charNgrams.join('-')} s${f.stem ? 1 : 0} ${f.blocks
    .filter((b) => b.name === 'word' || b.name === 'char')
    .map((b) => `${b.name}:df${b.minDf}x${b.weight}`)
    .join(' ')}`;
}

function score(models: { model: LinearWeights; beta: number }[], dx: SparseVector[]): { accuracy: number; hitAtK: number } {
  const out = new Float64Array(labels.length);
  const sum = new Float64Array(labels.length);
  const ranked = dx.map((x) => {
    sum.fill(0);
    for (const { model, beta } of models) {
      linearScores(model, x, out);
      for (let c = 0; c < sum.length; c++) sum[c] += beta * out[c]!;
    }
    return Array.from(sum.keys()).sort((a, b) => sum[b]! - sum[a]!).slice(0, 3).map((i) => labels[i]!);
  });
  return evaluateTopK(ranked, dev.map((v) => v.code!), 3);
}

/** Trains LR once, then naive Bayes variants, and sweeps the weight of NB added to LR. */
function runNb(features: Features, linear: Linear): void {
  const trDocs = train.map((v) => historyTerms({ complaints: v.symptoms }, features));
  const vec = TfidfVectorizer.fit(trDocs, features.blocks);
  const xs = trDocs.map((d) => vec.transform(d));
  const dx = dev.map((v) => vec.transform(historyTerms({ complaints: v.symptoms }, features)));
  const ys = train.map((v) => [labelIndex.get(v.code!)!]);
  const lr = trainLinear(xs, ys, vec.size, labels.length, linear);
  for (const kind of ['complement', 'multinomial'] as const) {
    for (const alpha of kind === 'complement' ? [0.1, 0.3, 1] : [0.01, 0.03, 0.1]) {
      const nb = trainNaiveBayes(xs, ys, vec.size, labels.length, { kind, alpha });
      const betas = kind === 'complement' ? [0, 30, 100, 300, 1000, 1e6] : [0, 0.03, 0.1, 0.3, 1, 1e6];
      for (const beta of betas) {
        const s = score([{ model: lr, beta: beta >= 1e6 ? 0 : 1 }, { model: nb, beta }], dx);
        process.stdout.write(`| ${featureKey(features)} | F=${vec.size} | lr+${beta}*nb(${kind}, a=${alpha}) | ${s.accuracy.toFixed(4)} | ${s.hitAtK.toFixed(4)} | |\n`);
      }
    }
  }
}

/** Cosine similarities of every dev vector to every train vector (both L2-normalised per block). */
function similarities(xs: SparseVector[], dx: SparseVector[], size: number): Float32Array[] {
  const dense = new Float64Array(size);
  return dx.map((x) => {
    for (let k = 0; k < x.indices.length; k++) dense[x.indices[k]!] = x.values[k]!;
    const sims = new Float32Array(xs.length);
    xs.forEach((t, i) => {
      let s = 0;
      for (let k = 0; k < t.indices.length; k++) s += t.values[k]! * dense[t.indices[k]!]!;
      sims[i] = s;
    });
    for (let k = 0; k < x.indices.length; k++) dense[x.indices[k]!] = 0;
    return sims;
  });
}

/** LR probabilities plus gamma times a k-nearest-neighbour vote (weights sim^power). */
function runKnn(features: Features, linear: Linear): void {
  const trDocs = train.map((v) => historyTerms({ complaints: v.symptoms }, features));
  const vec = TfidfVectorizer.fit(trDocs, features.blocks);
  const xs = trDocs.map((d) => vec.transform(d));
  const dx = dev.map((v) => vec.transform(historyTerms({ complaints: v.symptoms }, features)));
  const ys = train.map((v) => labelIndex.get(v.code!)!);
  const lr = trainLinear(xs, ys.map((y) => [y]), vec.size, labels.length, linear);
  const sims = similarities(xs, dx, vec.size);
  const C = labels.length;
  const lrProbs = dx.map((x) => {
    const out = new Float64Array(C);
    linearScores(lr, x, out);
    toProbabilities(out, 'softmax');
    return out;
  });
  for (const k of [5, 10, 20, 40]) {
    for (const power of [1, 3]) {
      const votes = sims.map((sim) => {
        const top = Array.from(sim.keys()).sort((a, b) => sim[b]! - sim[a]!).slice(0, k);
        const v = new Float64Array(C);
        let total = 0;
        for (const i of top) {
          const w = Math.pow(Math.max(0, sim[i]!), power);
          v[ys[i]!] += w;
          total += w;
        }
        if (total > 0) for (let c = 0; c < C; c++) v[c] = v[c]! / total;
        return v;
      });
      for (const gamma of [0, 0.25, 0.5, 1, 2, 1e6]) {
        const ranked = votes.map((v, d) => {
          const s = Array.from(v, (x, c) => (gamma >= 1e6 ? x : lrProbs[d]![c]! + gamma * x));
          return Array.from(s.keys()).sort((a, b) => s[b]! - s[a]!).slice(0, 3).map((i) => labels[i]!);
        });
        const r = evaluateTopK(ranked, dev.map((v) => v.code!), 3);
        process.stdout.write(`| ${featureKey(features)} | F=${vec.size} | lr+${gamma}*knn(k=${k}, p=${power}) | ${r.accuracy.toFixed(4)} | ${r.hitAtK.toFixed(4)} | |\n`);
      }
    }
  }
}

/** Dev probabilities of one LR member. */
function memberProbs(features: Features, linear: Linear): Float64Array[] {
  const t0 = performance.now();
  const trDocs = train.map((v) => historyTerms({ complaints: v.symptoms }, features));
  const vec = TfidfVectorizer.fit(trDocs, features.blocks);
  const xs = trDocs.map((d) => vec.transform(d));
  const dx = dev.map((v) => vec.transform(historyTerms({ complaints: v.symptoms }, features)));
  const lr = trainLinear(xs, train.map((v) => [labelIndex.get(v.code!)!]), vec.size, labels.length, linear);
  const probs = dx.map((x) => {
    const out = new Float64Array(labels.length);
    linearScores(lr, x, out);
    toProbabilities(out, 'softmax');
    return out;
  });
  const r = rank(probs);
  process.stdout.write(`| ${featureKey(features)} across=${features.charAcrossWords ? 1 : 0} | F=${vec.size} | member | ${r.accuracy.toFixed(4)} | ${r.hitAtK.toFixed(4)} | ${((performance.now() - t0) / 1000).toFixed(1)}s |\n`);
  return probs;
}

function rank(probs: Float64Array[]): { accuracy: number; hitAtK: number } {
  const ranked = probs.map((p) => Array.from(p.keys()).sort((a, b) => p[b]! - p[a]!).slice(0, 3).map((i) => labels[i]!));
  return evaluateTopK(ranked, dev.map((v) => v.code!), 3);
}

/** Averages the probabilities of differently-featured LR members. */
function runEnsemble(): void {
  const b = base.features;
  const blocks = (word: number, char: number): Features['blocks'] =>
    b.blocks.map((x) => (x.name === 'word' ? { ...x, weight: word } : x.name === 'char' ? { ...x, weight: char } : x));
  const members: [string, Float64Array[]][] = [
    ['A', memberProbs(b, base.linear)],
    ['B', memberProbs({ ...b, wordNgrams: [1, 3], charNgrams: [0, 0], blocks: blocks(1, 0) }, base.linear)],
    ['C', memberProbs({ ...b, charNgrams: [3, 6], charAcrossWords: true, blocks: blocks(0, 1) }, base.linear)],
  ];
  const combos = [['A', 'B'], ['A', 'C'], ['B', 'C'], ['A', 'B', 'C']];
  for (const combo of combos) {
    for (const geometric of [false, true]) {
      const ms = members.filter(([n]) => combo.includes(n)).map(([, p]) => p);
      const avg = dev.map((_, d) => {
        const out = new Float64Array(labels.length);
        for (const m of ms) for (let c = 0; c < out.length; c++) out[c] += geometric ? Math.log(m[d]![c]! + 1e-12) : m[d]![c]!;
        return out;
      });
      const r = rank(avg);
      process.stdout.write(`| ensemble ${combo.join('+')} | | ${geometric ? 'mean log-prob' : 'mean prob'} | ${r.accuracy.toFixed(4)} | ${r.hitAtK.toFixed(4)} | |\n`);
    }
  }
}

function run(features: Features, linears: Linear[]): void {
  const trDocs = train.map((v) => historyTerms({ complaints: v.symptoms }, features));
  const dvDocs = dev.map((v) => historyTerms({ complaints: v.symptoms }, features));
  const vec = TfidfVectorizer.fit(trDocs, features.blocks);
  const xs = trDocs.map((d) => vec.transform(d));
  const dx = dvDocs.map((d) => vec.transform(d));
  const ys = train.map((v) => [labelIndex.get(v.code!)!]);
  for (const linear of linears) {
    const t0 = performance.now();
    const model = trainLinear(xs, ys, vec.size, labels.length, linear);
    const secs = (performance.now() - t0) / 1000;
    const out = new Float64Array(labels.length);
    const ranked = dx.map((x) => {
      linearScores(model, x, out);
      return Array.from(out.keys()).sort((a, b) => out[b]! - out[a]!).slice(0, 3).map((i) => labels[i]!);
    });
    const s = evaluateTopK(ranked, dev.map((v) => v.code!), 3);
    process.stdout.write(
      `| ${featureKey(features)} | F=${vec.size} | ${linear.loss} lr=${linear.learningRate} l2=${linear.l2} ep=${linear.epochs} drop=${linear.dropout ?? 0} | ${s.accuracy.toFixed(4)} | ${s.hitAtK.toFixed(4)} | ${secs.toFixed(1)}s |\n`,
    );
  }
}

/**
 * The honest check: 5-fold cross-validation on train (seeded folds) and dev, both with the
 * production trainer (`LinearPredictor.train`, label knowledge included when the config uses it).
 */
function runCv(config: PredictConfig, label: string): void {
  const t0 = performance.now();
  const knowledge = rumedTop3Knowledge(dataDir!, labels, config) ?? undefined;
  const perm = shuffleInPlace(Array.from(train.keys()), mulberry32(12345));
  const folds = 5;
  const ranked: string[][] = new Array<string[]>(train.length);
  for (let k = 0; k < folds; k++) {
    const held = new Set(perm.filter((_, r) => r % folds === k));
    const p = LinearPredictor.train('cv', train.filter((_, i) => !held.has(i)).map((v) => ({ history: { complaints: v.symptoms }, codes: [v.code!] })), config, knowledge);
    for (const i of held) ranked[i] = p.predict({ complaints: train[i]!.symptoms }, 3).map((x) => x.code);
  }
  const cv = evaluateTopK(ranked, train.map((v) => v.code!), 3);
  const t1 = performance.now();
  const p = LinearPredictor.train('dev', train.map((v) => ({ history: { complaints: v.symptoms }, codes: [v.code!] })), config, knowledge);
  const trainSecs = (performance.now() - t1) / 1000;
  const d = evaluateTopK(dev.map((v) => p.predict({ complaints: v.symptoms }, 3).map((x) => x.code)), dev.map((v) => v.code!), 3);
  process.stdout.write(
    `| ${label} | cv ${cv.accuracy.toFixed(4)} / ${cv.hitAtK.toFixed(4)} | dev ${d.accuracy.toFixed(4)} / ${d.hitAtK.toFixed(4)} | train ${trainSecs.toFixed(1)}s, all ${((performance.now() - t0) / 1000).toFixed(0)}s |\n`,
  );
}

const base = defaultPredictConfig;
const grid = process.argv[2] ?? 'quick';
process.stdout.write('| features | size | linear | dev acc | dev hit@3 | train time |\n|---|---|---|---|---|---|\n');
if (grid === 'quick') {
  run(base.features, [base.linear]);
} else if (grid === 'linear') {
  const ls: Linear[] = [];
  for (const l2 of [1e-5, 3e-5, 1e-4]) for (const lr of [0.5, 2]) ls.push({ ...base.linear, epochs: 10, l2, learningRate: lr });
  run(base.features, ls);
} else if (grid === 'custom') {
  // custom '<linear overrides JSON array>' ['<features overrides JSON>']
  const linears = (JSON.parse(process.argv[3] ?? '[{}]') as Partial<Linear>[]).map((l) => ({ ...base.linear, ...l }));
  const features = { ...base.features, ...(JSON.parse(process.argv[4] ?? '{}') as Partial<Features>) };
  run(features, linears);
} else if (grid === 'cv') {
  // cv ['<config overrides JSON>'] (shallow merge over the default config)
  const over = JSON.parse(process.argv[3] ?? '{}') as Partial<PredictConfig>;
  runCv({ ...base, ...over }, process.argv[3] ?? 'default');
} else if (grid === 'ensemble') {
  runEnsemble();
} else if (grid === 'knn') {
  runKnn(base.features, base.linear);
} else if (grid === 'nb') {
  runNb(base.features, base.linear);
} else if (grid === 'epochs') {
  run(base.features, [5, 10, 20, 30].map((epochs) => ({ ...base.linear, epochs })));
} else if (grid === 'loss') {
  run(base.features, [{ ...base.linear, loss: 'sigmoid' }, base.linear]);
} else if (grid === 'features') {
  const variants: Features[] = [
    { ...base.features, charNgrams: [0, 0] },
    { ...base.features, wordNgrams: [1, 1] },
    { ...base.features, stem: false },
    { ...base.features, charNgrams: [2, 5] },
    { ...base.features, charNgrams: [3, 6] },
    { ...base.features, blocks: base.features.blocks.map((b) => (b.name === 'char' ? { ...b, weight: 1.5 } : b)) },
    { ...base.features, blocks: base.features.blocks.map((b) => (b.name === 'word' ? { ...b, weight: 1.5 } : b)) },
    { ...base.features, blocks: base.features.blocks.map((b) => ({ ...b, minDf: 1 })) },
    { ...base.features, blocks: base.features.blocks.map((b) => ({ ...b, minDf: 3 })) },
  ];
  for (const f of variants) run(f, [base.linear]);
}
