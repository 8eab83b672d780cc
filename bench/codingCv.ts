/**
 * `npm run bench:coding-cv`: cross-validation of the learned linker step on the RuCCoD training
 * documents minus the dev ids (dev is never read for this figure). Gold spans of each fold are
 * linked by a linker built from the other folds; the re-ranker is trained on the other folds'
 * out-of-fold groups and scored on this fold's: share of gold spans whose best candidate is a gold
 * code, for the linker's own order and for the re-ranker. Needs ICDKG_DATA_DIR (default ../shared/data).
 */
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { loadCoderTrainingData, readIdsFile } from '../src/pipeline/coding/training/loadCoderTrainingData.js';
import { DEFAULT_HYPER_PARAMETERS, rerankerGroups } from '../src/pipeline/coding/training/trainLexicalCoder.js';
import { crossValidateRanker } from '../src/pipeline/coding/rerank/trainReranker.js';
import { DEFAULT_RANKER_TRAINING, SoftmaxRanker } from '../src/pipeline/coding/rerank/SoftmaxRanker.js';
import { DEFAULT_GBDT_TRAINING, GbdtRanker } from '../src/pipeline/coding/rerank/GbdtRanker.js';
import { FEATURE_NAMES } from '../src/pipeline/coding/rerank/candidateFeatures.js';

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

// Coder-level check on one held-out fold of the training documents (dev still unread): the coder
// built on the other folds with and without the re-ranker, scored as bench:coding scores dev.
if (process.argv.includes('--coder')) {
  const { trainLexicalCoder } = await import('../src/pipeline/coding/training/trainLexicalCoder.js');
  const { evaluateCoding } = await import('../src/evaluation/evaluateCoding.js');
  const { liftFromParents } = await import('../src/evaluation/liftFromParents.js');
  const docs = loaded.data.documents;
  const heldFold = (d: number): boolean => d % 5 === 0;
  const train = { ...loaded.data, documents: docs.filter((_, d) => !heldFold(d)) };
  const test = docs.filter((_, d) => heldFold(d));
  const gold = test.map((d) => ({ documentId: d.id, mentions: d.mentions.filter((m) => m.code !== null && m.start >= 0).map((m) => ({ start: m.start, end: m.end, code: m.code })) }));
  const lift = liftFromParents(loaded.codes, 'CATEGORY');
  const variants = process.argv.includes('--only-rerank') ? [5] : [0, 5];
  for (const folds of variants) {
    const { coder } = trainLexicalCoder(train, { ...hyper, rerankFolds: folds });
    const results = coder.code(test.map((d) => d.text));
    const predicted = test.map((d, i) => ({ documentId: d.id, mentions: results[i]!.entities.map((e) => ({ start: e.start, end: e.end, code: e.code })) }));
    const s = evaluateCoding(gold, predicted);
    const c = evaluateCoding(gold, predicted, { lift });
    console.log(`fold 0 of 5 (${test.length} training documents held out), re-ranker ${folds > 1 ? 'on' : 'off'}: strict ${s.codeAssignment.f1.toFixed(4)}, CATEGORY ${c.codeAssignment.f1.toFixed(4)}, NER ${s.ner.f1.toFixed(4)}`);
  }
}
