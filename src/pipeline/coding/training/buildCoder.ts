import { evaluateCoding } from '../../../evaluation/evaluateCoding.js';
import { liftFromParents } from '../../../evaluation/liftFromParents.js';
import { saveCoderModel } from './coderModelDir.js';
import type { CoderManifest } from './coderModelDir.js';
import { loadCoderTrainingData, readIdsFile } from './loadCoderTrainingData.js';
import { DEFAULT_HYPER_PARAMETERS, trainLexicalCoder } from './trainLexicalCoder.js';
import type { CoderHyperParameters } from './trainLexicalCoder.js';

/** Arguments of {@link buildCoder}. */
export interface BuildCoderArgs {
  /** Data directory laid out like `../shared/data`. */
  dataDir: string;
  /** File of document ids to leave out of training (and evaluate on). */
  excludeIdsPath?: string;
  outDir: string;
  hyper?: CoderHyperParameters;
}

/** Version of the lexical coder's model layout and training recipe. */
export const LEXICAL_CODER_VERSION = '1.0.0';

/**
 * `icdkg coder build`: trains the lexical coder on a data directory minus the excluded documents,
 * evaluates it on those documents (strict, CATEGORY, NER) when there are any, and writes the model
 * and its manifest to `outDir`.
 *
 * @example await buildCoder({ dataDir: '../shared/data', excludeIdsPath: '../shared/data/ruccod/dev-ids.txt', outDir: '/tmp/m' })
 */
export async function buildCoder(args: BuildCoderArgs): Promise<{ manifest: CoderManifest; buildMs: number }> {
  const hyper = args.hyper ?? DEFAULT_HYPER_PARAMETERS;
  const exclude = args.excludeIdsPath ? await readIdsFile(args.excludeIdsPath) : new Set<string>();
  const loaded = await loadCoderTrainingData(args.dataDir, exclude);
  const started = performance.now();
  const { coder, model } = trainLexicalCoder(loaded.data, hyper);
  const buildMs = performance.now() - started;
  let devMetrics: CoderManifest['devMetrics'];
  if (loaded.heldOut.documents.length > 0) {
    const results = coder.code(loaded.heldOut.documents.map((d) => d.text));
    const predicted = loaded.heldOut.documents.map((d, i) => ({
      documentId: d.id,
      mentions: results[i]!.entities.map((e) => ({ start: e.start, end: e.end, code: e.code })),
    }));
    const strict = evaluateCoding(loaded.heldOut.gold, predicted);
    const category = evaluateCoding(loaded.heldOut.gold, predicted, { lift: liftFromParents(loaded.codes, 'CATEGORY') });
    const pick = (m: { precision: number; recall: number; f1: number; accuracy: number }) => ({
      precision: round(m.precision),
      recall: round(m.recall),
      f1: round(m.f1),
      accuracy: round(m.accuracy),
    });
    devMetrics = {
      documents: loaded.heldOut.documents.length,
      codeAssignment: pick(strict.codeAssignment),
      codeAssignmentCategory: pick(category.codeAssignment),
      ner: pick(strict.ner),
      nerLinking: pick(strict.nerLinking),
    };
  }
  const manifest = await saveCoderModel(args.outDir, model, {
    task: 'icd-coder',
    kind: 'lexical',
    version: LEXICAL_CODER_VERSION,
    created: new Date().toISOString(),
    training: {
      dataFiles: loaded.files,
      documents: loaded.data.documents.length,
      mentions: loaded.data.documents.reduce((s, d) => s + d.mentions.length, 0),
      excludedIdsSha256: loaded.excludedIdsSha256,
      excludedDocuments: loaded.heldOut.documents.length,
    },
    hyperParameters: { ...hyper },
    ...(devMetrics ? { devMetrics } : {}),
  });
  return { manifest, buildMs };
}

function round(x: number): number {
  return Math.round(x * 10000) / 10000;
}
