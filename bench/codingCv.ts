/**
 * `npm run bench:coding-cv`: cross-validation of the learned linker step on the RuCCoD training
 * documents minus the dev ids (dev is never read for this figure). Gold spans of each fold are
 * linked by a linker built from the other folds; the re-ranker is trained on the other folds'
 * out-of-fold groups and scored on this fold's: share of gold spans whose best candidate is a gold
 * code, for the linker's own order and for the re-ranker. `--coder 0,1`: whole coders per fold
 * (rules vs re-rankers); `--decider 0,1`: the default coder per fold with and without its
 * document-level decider. Needs ICDKG_DATA_DIR (default ../shared/data).
 */
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { loadCoderTrainingData, readIdsFile } from '../src/pipeline/coding/training/loadCoderTrainingData.js';
import { DEFAULT_HYPER_PARAMETERS, rerankerGroups } from '../src/pipeline/coding/training/trainLexicalCoder.js';
import { crossValidateRanker } from '../src/pipeline/coding/rerank/trainReranker.js';
import { DEFAULT_RANKER_TRAINING, SoftmaxRanker } from '../src/pipeline/coding/rerank/SoftmaxRanker.js';
import { DEFAULT_GBDT_TRAINING, GbdtRanker } from '../src/pipeline/coding/rerank/GbdtRanker.js';
import { FEATURE_NAMES } from '../src/pipeline/coding/rerank/candidateFeatures.js';
import { evaluateCoding } from '../src/evaluation/evaluateCoding.js';
import { liftFromParents } from '../src/evaluation/liftFromParents.js';

const dataDir = resolve(process.env.ICDKG_DATA_DIR ?? '../shared/data');
const devIds = await readIdsFile(join(dataDir, 'ruccod', 'dev-ids.txt'));
const loaded = await loadCoderTrainingData(dataDir, devIds);
const t0 = performance.now();
const hyper = DEFAULT_HYPER_PARAMETERS;
const oof = rerankerGroups(loaded.data, hyper);
const t1 = performance.now();
const options = process.env.RANKER ? (JSON.parse(process.env.RANKER) as object) : {};
const kind = process.env.RANKER_KIND ?? 'gbdt';
const cv = crossValidateRanker(oof, Math.max(2, hyper.rerankFolds), (g) =>
  kind === 'linear' ? SoftmaxRanker.train(g, FEATURE_NAMES, { ...DEFAULT_RANKER_TRAINING, ...options }) : GbdtRanker.train(g, FEATURE_NAMES, { ...DEFAULT_GBDT_TRAINING, ...options }),
);
const t2 = performance.now();
console.log(`training documents: ${loaded.data.documents.length} (dev ids left out); ${cv.groups} gold spans; ${hyper.rerankFolds} folds`);
console.log(`out-of-fold linking ${((t1 - t0) / 1000).toFixed(1)} s, nested CV of the re-ranker ${((t2 - t1) / 1000).toFixed(1)} s; load average ${loadavg()[0]!.toFixed(1)}`);
console.log(`${kind} ranker ${JSON.stringify(options)}: acc@1 on gold spans: linker ${cv.linkerAccuracy.toFixed(4)}, re-ranked ${cv.rerankedAccuracy.toFixed(4)} (gold among candidates: ${cv.oracle.toFixed(4)})`);

const categoryLift = liftFromParents(loaded.codes, 'CATEGORY');

/** A held-out fold scored as bench:coding scores dev: strict and CATEGORY code F1, NER F1. */
function scoreFold(test: typeof loaded.data.documents, results: readonly { entities: readonly { start: number; end: number; code: string }[] }[]): [number, number, number] {
  const gold = test.map((d) => ({ documentId: d.id, mentions: d.mentions.flatMap((m) => (m.code !== null && m.start >= 0 ? [{ start: m.start, end: m.end, code: m.code }] : [])) }));
  const predicted = test.map((d, i) => ({ documentId: d.id, mentions: results[i]!.entities.map((e) => ({ start: e.start, end: e.end, code: e.code })) }));
  const e = evaluateCoding(gold, predicted);
  return [e.codeAssignment.f1, evaluateCoding(gold, predicted, { lift: categoryLift }).codeAssignment.f1, e.ner.f1];
}

// Coder-level check on held-out folds of the training documents (dev still unread): per fold, the
// coder built on the other folds, its entities linked by the rules (no re-ranker), the linear and
// the boosted-trees re-ranker, scored as bench:coding scores dev. `--coder 0,1` picks the folds.
const coderArg = process.argv.indexOf('--coder');
if (coderArg >= 0) {
  const { trainLexicalCoder, rerankerGroups: groupsOf } = await import('../src/pipeline/coding/training/trainLexicalCoder.js');
  const { LexicalCoder, DEFAULT_CODER_OPTIONS } = await import('../src/pipeline/coding/lexical/LexicalCoder.js');
  const { LexicalLinker } = await import('../src/pipeline/coding/lexical/LexicalLinker.js');
  const { Reranker } = await import('../src/pipeline/coding/rerank/Reranker.js');
  const { CandidateFeaturizer } = await import('../src/pipeline/coding/rerank/candidateFeatures.js');
  const { Normalizer } = await import('../src/pipeline/coding/lexical/Normalizer.js');
  const { abbreviationMap } = await import('../src/pipeline/coding/training/trainLexicalCoder.js');
  const docs = loaded.data.documents;
  const folds = (process.argv[coderArg + 1] ?? '0').split(',').map(Number);
  const totals = new Map<string, { s: number; c: number; n: number }>();
  for (const fold of folds) {
    const train = { ...loaded.data, documents: docs.filter((_, d) => d % 5 !== fold) };
    const test = docs.filter((_, d) => d % 5 === fold);
    const { coder, model } = trainLexicalCoder(train, { ...hyper, rerankFolds: 0 });
    const normalizer = new Normalizer(abbreviationMap(train.abbreviations));
    const linker = LexicalLinker.fromJSON(model.linker, normalizer);
    const groups = groupsOf(train, hyper, normalizer).groups;
    const linear = SoftmaxRanker.train(groups, FEATURE_NAMES);
    const gbdt = GbdtRanker.train(groups, FEATURE_NAMES);
    const featurizer = new CandidateFeaturizer(linker.codePrior(), train.titles, normalizer);
    const variants: [string, { probabilities(rows: readonly Float64Array[]): number[] } | null][] = [
      ['rules', null],
      ['linear', linear],
      ['gbdt', gbdt],
      ['mean', { probabilities: (rows) => { const a = linear.probabilities(rows); const b = gbdt.probabilities(rows); return a.map((v, i) => (v + b[i]!) / 2); } }],
    ];
    for (const [name, ranker] of variants) {
      const c = ranker === null ? coder : new LexicalCoder(coder.recognizer, linker, train.titles, DEFAULT_CODER_OPTIONS, linker.codePrior(), new Reranker(featurizer, ranker, (m) => linker.evidence(m)));
      const results = c.code(test.map((d) => d.text));
      const [st, ca] = scoreFold(test, results);
      const t = totals.get(name) ?? { s: 0, c: 0, n: 0 };
      totals.set(name, { s: t.s + st, c: t.c + ca, n: t.n + 1 });
      console.log(`fold ${fold} of 5 (${test.length} documents held out), ${name}: strict ${st.toFixed(4)}, CATEGORY ${ca.toFixed(4)}`);
    }
  }
  for (const [name, t] of totals) console.log(`mean over folds ${folds.join(',')}, ${name}: strict ${(t.s / t.n).toFixed(4)}, CATEGORY ${(t.c / t.n).toFixed(4)}`);
}

// Document-level decider check (dev still unread): per fold, the default coder built on the other
// folds (its decider trained out of fold inside that build), scored with and without the decider.
// `--decider 0,1` picks the folds; each fold is a whole default build (several minutes).
const deciderArg = process.argv.indexOf('--decider');
if (deciderArg >= 0) {
  const { trainLexicalCoder, lexicalCoderFromModel } = await import('../src/pipeline/coding/training/trainLexicalCoder.js');
  const docs = loaded.data.documents;
  const sums = new Map<string, number[]>();
  const folds = (process.argv[deciderArg + 1] ?? '0').split(',').map(Number);
  for (const fold of folds) {
    const train = { ...loaded.data, documents: docs.filter((_, d) => d % 5 !== fold) };
    const test = docs.filter((_, d) => d % 5 === fold);
    const t = performance.now();
    const { model } = trainLexicalCoder(train, hyper);
    console.log(`fold ${fold}: default build ${((performance.now() - t) / 1000).toFixed(0)} s (load average ${loadavg()[0]!.toFixed(1)}), decider threshold ${model.decider?.threshold.toFixed(4) ?? 'none'}`);
    for (const [name, m] of [['with decider', model], ['without decider', { ...model, decider: undefined }]] as const) {
      const results = lexicalCoderFromModel(m).code(test.map((d) => d.text));
      const figures = scoreFold(test, results);
      sums.set(name, (sums.get(name) ?? [0, 0, 0]).map((v, i) => v + figures[i]! / folds.length));
      console.log(`fold ${fold}, ${name}: strict ${figures[0]!.toFixed(4)}, CATEGORY ${figures[1]!.toFixed(4)}, NER ${figures[2]!.toFixed(4)}`);
    }
  }
  for (const [name, f] of sums) console.log(`mean over folds ${folds.join(',')}, ${name}: strict ${f[0]!.toFixed(4)}, CATEGORY ${f[1]!.toFixed(4)}, NER ${f[2]!.toFixed(4)}`);
}
