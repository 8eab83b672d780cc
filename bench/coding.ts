/**
 * `npm run bench:coding`: builds the lexical coder on the RuCCoD training documents minus the dev
 * ids, codes the dev texts, evaluates them with the reference metrics (the coder's spans in plain
 * `.txt` offsets, as `icdkg code` writes them by default; gold as the brat loader reads it, with
 * the training files' line-break offset quirk repaired; CATEGORY through the same ICD tree),
 * prints the bars PASS/FAIL, and measures single-thread throughput of a freshly loaded model in
 * documents per CPU-second (the machine is shared: wall time is printed but not judged).
 * The default coder (with the learned re-ranker) is judged against the issue's bars; the lexical
 * coder alone (the same model without its re-ranker: rule-based granularity) is printed beside it
 * with its own throughput bar. Needs ICDKG_DATA_DIR (default ../shared/data).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { toMentions } from '../src/pipeline/coding/batch/toMentions.js';
import { loadIcdTree } from '../src/ingest/loadIcdTree.js';
import { evaluateCoding } from '../src/evaluation/evaluateCoding.js';
import { liftFromParents } from '../src/evaluation/liftFromParents.js';
import { loadCoderModel, saveCoderModel } from '../src/pipeline/coding/training/coderModelDir.js';
import { loadCoderTrainingData, readIdsFile } from '../src/pipeline/coding/training/loadCoderTrainingData.js';
import { DEFAULT_HYPER_PARAMETERS, lexicalCoderFromModel, trainLexicalCoder } from '../src/pipeline/coding/training/trainLexicalCoder.js';
import type { Coder } from '../src/pipeline/coding/types.js';

const dataDir = resolve(process.env.ICDKG_DATA_DIR ?? '../shared/data');
const devIds = await readIdsFile(join(dataDir, 'ruccod', 'dev-ids.txt'));
const loaded = await loadCoderTrainingData(dataDir, devIds);
let t0 = performance.now();
const { model } = trainLexicalCoder(loaded.data, DEFAULT_HYPER_PARAMETERS);
const buildMs = performance.now() - t0;

const dir = await mkdtemp(join(tmpdir(), 'icdkg-bench-coder-'));
const manifest = await saveCoderModel(dir, model, {
  task: 'icd-coder', kind: 'lexical', version: '1', created: new Date().toISOString(),
  training: { dataFiles: loaded.files, documents: loaded.data.documents.length, mentions: 0, excludedIdsSha256: loaded.excludedIdsSha256, excludedDocuments: devIds.size },
  hyperParameters: { ...DEFAULT_HYPER_PARAMETERS },
});
t0 = performance.now();
const { coder } = await loadCoderModel(dir);
const loadMs = performance.now() - t0;
await rm(dir, { recursive: true });

const texts = loaded.heldOut.documents.map((d) => d.text);
// Gold with the offset quirk repaired (plain `.txt` offsets), mentions without a code dropped.
const gold = loaded.heldOut.gold.map((layer) => ({
  documentId: layer.documentId,
  mentions: layer.mentions.filter((m) => m.code !== null && m.start >= 0).map((m) => ({ start: m.start, end: m.end, code: m.code })),
}));
const lift = liftFromParents((await loadIcdTree(dataDir)).codes, 'CATEGORY');
const fmt = (m: { precision: number; recall: number; f1: number }): string => `P ${m.precision.toFixed(4)}  R ${m.recall.toFixed(4)}  F1 ${m.f1.toFixed(4)}`;
const bar = (name: string, value: number, min: number): string => `${value >= min ? 'PASS' : 'FAIL'}  ${name} ${value.toFixed(4)} (bar >= ${min})`;

/** Scores a coder on dev and times it: cold pass (fresh model, empty caches), one text per call as a server would; CPU time too (wall time overstates the cost on a busy machine). */
function measure(name: string, coder: Coder): { strict: number; category: number; ner: number; coldCpu: number } {
  const s = performance.now();
  const cpu = process.cpuUsage();
  for (const t of texts) coder.code([t]);
  const used = process.cpuUsage(cpu);
  const coldMs = performance.now() - s;
  const coldCpuMs = (used.user + used.system) / 1000;
  const results = coder.code(texts);
  const predicted = loaded.heldOut.documents.map((d, i) => ({
    documentId: d.id,
    mentions: toMentions(results[i]!, d.text).map((m) => ({ start: m.start, end: m.end, code: m.code! })),
  }));
  const strict = evaluateCoding(gold, predicted);
  const category = evaluateCoding(gold, predicted, { lift });
  const coldCpu = (texts.length / coldCpuMs) * 1000;
  console.log(`${name}:`);
  console.log(`  code assignment (strict):   ${fmt(strict.codeAssignment)}  acc ${strict.codeAssignment.accuracy.toFixed(4)}`);
  console.log(`  code assignment (CATEGORY): ${fmt(category.codeAssignment)}`);
  console.log(`  NER (start|end exact):      ${fmt(strict.ner)}`);
  console.log(`  NER + linking:              ${fmt(strict.nerLinking)}`);
  console.log(`  throughput (1 thread, one text per call, cold): ${((texts.length / coldMs) * 1000).toFixed(0)} docs/s wall, ${coldCpu.toFixed(0)} docs per CPU-second`);
  return { strict: strict.codeAssignment.f1, category: category.codeAssignment.f1, ner: strict.ner.f1, coldCpu };
}

console.log(`coder: trained on ${loaded.data.documents.length} documents in ${(buildMs / 1000).toFixed(1)} s (tagger, linker, out-of-fold re-ranker), model ${(manifest.files[0]!.bytes / 1048576).toFixed(2)} MiB gz, loaded in ${loadMs.toFixed(0)} ms`);
console.log(`dev split: ${texts.length} documents (ruccod/dev-ids.txt), plain offsets against gold with the offset quirk repaired; load average ${loadavg()[0]!.toFixed(1)} on ${availableParallelism()} cores`);
const lexical = measure('lexical coder alone (no re-ranker: rule-based granularity)', lexicalCoderFromModel({ ...model, rerankers: undefined }));
const best = measure('default coder (lexical + learned re-ranker)', coder);
console.log(bar('code F1 strict', best.strict, 0.555));
console.log(bar('code F1 CATEGORY', best.category, 0.77));
console.log(bar('NER F1', best.ner, 0.75));
console.log(`${best.coldCpu >= 500 ? 'PASS' : 'FAIL'}  default coder ${best.coldCpu.toFixed(0)} docs per CPU-second, cold (bar >= 500 on one core)`);
console.log(`${lexical.coldCpu >= 1000 ? 'PASS' : 'FAIL'}  lexical coder alone ${lexical.coldCpu.toFixed(0)} docs per CPU-second, cold (bar >= 1000 on one core)`);
