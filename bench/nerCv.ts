/**
 * `npm run bench:ner-cv`: cross-validation of the recogniser (NER) on the RuCCoD training
 * documents minus the dev ids (dev is never read). Per fold (`--folds 0,1`, of 5), the coder is built
 * on the other folds (`docs.filter((_, d) => d % 5 !== fold)`) without its re-ranker (spans do not
 * depend on it) and scored on the fold as bench:coding scores dev: NER (spans), strict and CATEGORY
 * code assignment. `HYPER='{"bags":5}'` overrides hyper-parameters. Needs ICDKG_DATA_DIR.
 */
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { loadCoderTrainingData, readIdsFile } from '../src/pipeline/coding/training/loadCoderTrainingData.js';
import { DEFAULT_HYPER_PARAMETERS, lexicalCoderFromModel, trainLexicalCoder } from '../src/pipeline/coding/training/trainLexicalCoder.js';
import type { CoderHyperParameters, LexicalCoderModel } from '../src/pipeline/coding/training/trainLexicalCoder.js';
import { evaluateCoding } from '../src/evaluation/evaluateCoding.js';
import { liftFromParents } from '../src/evaluation/liftFromParents.js';

const dataDir = resolve(process.env.ICDKG_DATA_DIR ?? '../shared/data');
const devIds = await readIdsFile(join(dataDir, 'ruccod', 'dev-ids.txt'));
const loaded = await loadCoderTrainingData(dataDir, devIds);
const docs = loaded.data.documents;
const lift = liftFromParents(loaded.codes, 'CATEGORY');
const foldArg = process.argv.indexOf('--folds');
const folds = foldArg >= 0 ? process.argv[foldArg + 1]!.split(',').map(Number) : process.argv.includes('--groups') ? [] : [0, 1];
const overrides = process.env.HYPER ? (JSON.parse(process.env.HYPER) as Partial<CoderHyperParameters>) : {};
const hyper: CoderHyperParameters = { ...DEFAULT_HYPER_PARAMETERS, ...overrides, rerankFolds: 0 };
const sum = { ner: 0, strict: 0, category: 0, n: 0 };
for (const fold of folds) {
  const train = { ...loaded.data, documents: docs.filter((_, d) => d % 5 !== fold) };
  const test = docs.filter((_, d) => d % 5 === fold);
  const gold = test.map((d) => ({ documentId: d.id, mentions: d.mentions.filter((m) => m.code !== null && m.start >= 0).map((m) => ({ start: m.start, end: m.end, code: m.code })) }));
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  // Read back from the serialised model, as a saved model codes (weights rounded as saved).
  const coder = lexicalCoderFromModel(JSON.parse(JSON.stringify(trainLexicalCoder(train, hyper).model)) as LexicalCoderModel);
  const cpu = process.cpuUsage(cpu0);
  const results = coder.code(test.map((d) => d.text));
  const predicted = test.map((d, i) => ({ documentId: d.id, mentions: results[i]!.entities.map((e) => ({ start: e.start, end: e.end, code: e.code })) }));
  const e = evaluateCoding(gold, predicted);
  const c = evaluateCoding(gold, predicted, { lift });
  sum.ner += e.ner.f1;
  sum.strict += e.codeAssignment.f1;
  sum.category += c.codeAssignment.f1;
  sum.n++;
  console.log(`fold ${fold}: NER P ${e.ner.precision.toFixed(4)} R ${e.ner.recall.toFixed(4)} F1 ${e.ner.f1.toFixed(4)}, strict ${e.codeAssignment.f1.toFixed(4)}, CATEGORY ${c.codeAssignment.f1.toFixed(4)} (build ${((performance.now() - t0) / 1000).toFixed(0)} s wall, ${((cpu.user + cpu.system) / 1e6).toFixed(0)} s CPU)`);
}
console.log(`mean over folds ${folds.join(',')} ${JSON.stringify(overrides)}: NER ${(sum.ner / sum.n).toFixed(4)}, strict ${(sum.strict / sum.n).toFixed(4)}, CATEGORY ${(sum.category / sum.n).toFixed(4)}; load average ${loadavg()[0]!.toFixed(1)}`);

// `--groups`: the boundary ranker alone, on out-of-fold groups of all training documents (dev
// unread): how often the tagged span is right, how often a candidate is (the ceiling), and the
// nested 5-fold CV accuracy of the ranker's choice.
if (process.argv.includes('--groups')) {
  const { taggerSequences, boundaryTrainingGroups } = await import('../src/pipeline/coding/training/trainLexicalCoder.js');
  const { BOUNDARY_FEATURE_NAMES } = await import('../src/pipeline/coding/boundary/BoundaryChooser.js');
  const { GbdtRanker, DEFAULT_GBDT_TRAINING } = await import('../src/pipeline/coding/rerank/GbdtRanker.js');
  const { SoftmaxRanker } = await import('../src/pipeline/coding/rerank/SoftmaxRanker.js');
  const h = { ...hyper, boundaryFolds: 5 };
  const { sequences } = taggerSequences(docs, h);
  // The out-of-fold taggings are cached (they do not depend on the boundary features being tried).
  const { existsSync, readFileSync, writeFileSync } = await import('node:fs');
  const { outOfFoldTaggings } = await import('../src/pipeline/coding/training/trainLexicalCoder.js');
  const cache = process.env.TAGGINGS_CACHE;
  let taggings: { tags: number[]; marginals: Float64Array }[];
  if (cache && existsSync(cache)) {
    taggings = (JSON.parse(readFileSync(cache, 'utf8')) as { tags: number[]; marginals: number[] }[]).map((t) => ({ tags: t.tags, marginals: Float64Array.from(t.marginals) }));
  } else {
    taggings = outOfFoldTaggings(sequences, h);
    if (cache) writeFileSync(cache, JSON.stringify(taggings.map((t) => ({ tags: t.tags, marginals: [...t.marginals] }))));
  }
  const groups = boundaryTrainingGroups(docs, sequences, h, taggings);
  if (process.env.GROUPS_DUMP) writeFileSync(process.env.GROUPS_DUMP, JSON.stringify(groups.map((g) => ({ rows: g.rows.map((r) => [...r]), positive: g.positive }))));
  const orig = groups.filter((g) => g.positive[0]).length;
  const any = groups.filter((g) => g.positive.some(Boolean)).length;
  console.log(`groups ${groups.length}: tagged span right ${orig}, some candidate right ${any}`);
  for (const kind of (process.env.KINDS ?? 'gbdt,linear,mean').split(',')) {
    let right = 0;
    for (let f = 0; f < 5; f++) {
      const tr = groups.filter((_, i) => i % 5 !== f);
      const gb = kind !== 'linear' ? GbdtRanker.train(tr, BOUNDARY_FEATURE_NAMES, { ...DEFAULT_GBDT_TRAINING, ...(process.env.GBDT ? (JSON.parse(process.env.GBDT) as object) : {}) }) : null;
      const li = kind !== 'gbdt' ? SoftmaxRanker.train(tr, BOUNDARY_FEATURE_NAMES) : null;
      groups.forEach((g, i) => {
        if (i % 5 !== f) return;
        const pa = gb ? gb.probabilities(g.rows) : null;
        const pb = li ? li.probabilities(g.rows) : null;
        const p = g.rows.map((_, k) => (pa ? pa[k]! : 0) + (pb ? pb[k]! : 0));
        let best = 0;
        for (let k = 1; k < p.length; k++) if (p[k]! > p[best]!) best = k;
        if (g.positive[best]) right++;
      });
    }
    console.log(`${kind}: chosen span right ${right} of ${groups.length} (tagged ${orig}, ceiling ${any})`);
  }
}
