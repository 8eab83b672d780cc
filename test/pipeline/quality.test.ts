import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toMentions } from '../../src/pipeline/coding/batch/toMentions.js';
import { loadIcdTree } from '../../src/ingest/loadIcdTree.js';
import { evaluateCoding } from '../../src/evaluation/evaluateCoding.js';
import type { CodingEvaluation } from '../../src/evaluation/evaluateCoding.js';
import { liftFromParents } from '../../src/evaluation/liftFromParents.js';
import { buildCoder } from '../../src/pipeline/coding/training/buildCoder.js';
import type { CoderManifest } from '../../src/pipeline/coding/training/coderModelDir.js';
import { loadCoderModel } from '../../src/pipeline/coding/training/coderModelDir.js';
import { loadCoderTrainingData, readIdsFile } from '../../src/pipeline/coding/training/loadCoderTrainingData.js';

const dataDir = process.env.ICDKG_DATA_DIR;
if (!dataDir) console.warn('skipped: ICDKG_DATA_DIR not set (lexical coder quality on the RuCCoD dev split)');

/**
 * The dev split scored with the reference metrics: the coder's spans in plain `.txt` offsets (as
 * `icdkg code` writes them by default), gold as the brat loader reads it (the training files'
 * line-break offset quirk repaired), CATEGORY lifted through the same ICD tree.
 */
describe.skipIf(!dataDir)('lexical coder on the RuCCoD dev split (built on the other 2,500 documents)', () => {
  let out: string;
  let manifest: CoderManifest;
  let strict: CodingEvaluation;
  let category: CodingEvaluation;
  beforeAll(async () => {
    out = await mkdtemp(join(tmpdir(), 'icdkg-quality-'));
    const devIdsPath = join(dataDir!, 'ruccod', 'dev-ids.txt');
    ({ manifest } = await buildCoder({ dataDir: dataDir!, excludeIdsPath: devIdsPath, outDir: out }));
    const { coder } = await loadCoderModel(out);
    const ids = await readIdsFile(devIdsPath);
    const { heldOut } = await loadCoderTrainingData(dataDir!, ids);
    const gold = heldOut.gold.map((layer) => ({
      documentId: layer.documentId,
      mentions: layer.mentions.filter((m) => m.code !== null && m.start >= 0).map((m) => ({ start: m.start, end: m.end, code: m.code })),
    }));
    const predicted = heldOut.documents.map((d) => {
      const [result] = coder.code([d.text]);
      return { documentId: d.id, mentions: toMentions(result!, d.text).map((m) => ({ start: m.start, end: m.end, code: m.code! })) };
    });
    strict = evaluateCoding(gold, predicted);
    category = evaluateCoding(gold, predicted, { lift: liftFromParents((await loadIcdTree(dataDir!)).codes, 'CATEGORY') });
  }, 1_500_000);
  afterAll(async () => {
    await rm(out, { recursive: true, force: true });
  });

  it('is trained on the 2,500 documents outside the dev ids', () => {
    expect(manifest.training).toMatchObject({ documents: 2500, excludedDocuments: 500 });
  });

  it('reaches NER F1 0.725 and code-assignment F1 0.745 at CATEGORY (plain offsets, repaired gold; measured 0.7322 / 0.7503)', () => {
    expect(strict.ner.f1).toBeGreaterThanOrEqual(0.725);
    expect(category.codeAssignment.f1).toBeGreaterThanOrEqual(0.745);
  });

  // The default coder's learned steps (boundary choice, re-ranker, document-level decider) were
  // chosen by cross-validation on the training folds (docs/experiments/ruccod-coder.md); dev is
  // only scored here: 0.5374 strict (the decider alone, before the NER choices: 0.5485; the NER
  // choices gained on the training folds and lost on dev, within the noise of 500 documents). The
  // floor guards regressions beyond that noise.
  it('reaches strict code-assignment F1 0.53 (measured 0.5374)', () => {
    expect(strict.codeAssignment.f1).toBeGreaterThanOrEqual(0.53);
  });
});
