import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { evaluateTopK } from './evaluateTopK.js';
import type { TopKScores } from './evaluateTopK.js';
import { LABEL_KNOWLEDGE_FILES, loadLabelKnowledge } from '../linear/labelKnowledge.js';
import type { LabelKnowledge } from '../linear/labelKnowledge.js';
import { LinearPredictor } from '../linear/LinearPredictor.js';
import { sha256 } from '../linear/linearModelFiles.js';
import type { DataFileRef, LinearManifestExtras } from '../linear/linearModelFiles.js';
import { defaultPredictConfig } from '../linear/predictConfig.js';
import type { PredictConfig } from '../linear/predictConfig.js';
import { readVisits } from '../../../ingest/rumedtop3.js';
import type { Visit } from '../../../ingest/rumedtop3.js';

/** The outcome of training on RuMedTop3: the predictor, its dev scores and manifest extras. */
export interface RumedTop3Build {
  predictor: LinearPredictor;
  /** Dev scores (k = 3), or null when the data folder has no dev split. */
  dev: TopKScores | null;
  trainSeconds: number;
  extras: LinearManifestExtras;
}

/** Ranks every visit's codes (top `k`), for evaluation and `dp predict`. */
export function rankVisits(predictor: LinearPredictor, visits: readonly Visit[], k: number): string[][] {
  return visits.map((v) => predictor.predict({ complaints: v.symptoms }, k).map((p) => p.code));
}

function fileRef(dataDir: string, rel: string, examples: number): DataFileRef {
  return { path: rel, sha256: sha256(readFileSync(path.join(dataDir, rel))), examples };
}

/**
 * The label knowledge a config asks for, from the data folder: null when the config uses none or
 * the folder has no ICD-10 dictionary (`ruccod/mkb2descr.yaml`).
 */
export function rumedTop3Knowledge(dataDir: string, labels: readonly string[], config: PredictConfig): LabelKnowledge | null {
  if (!config.knowledge || !existsSync(path.join(dataDir, LABEL_KNOWLEDGE_FILES.dictionary))) return null;
  return loadLabelKnowledge(dataDir, labels);
}

/**
 * Trains the baseline on `DATA_DIR/rumedtop3/train.jsonl` (plus, when the config asks for it
 * and the folder has them, the ICD-10 dictionary and RuCCoD training mentions as label
 * knowledge) and, when `dev.jsonl` is there, scores it on dev (reporting only: nothing is
 * fitted on dev).
 *
 * @example const { predictor, dev } = buildRumedTop3('../shared/data'); // dev.accuracy ~ 0.5
 */
export function buildRumedTop3(dataDir: string, config: PredictConfig = defaultPredictConfig, name = 'rumedtop3-linear'): RumedTop3Build {
  const trainRel = path.join('rumedtop3', 'train.jsonl');
  const devRel = path.join('rumedtop3', 'dev.jsonl');
  const train = readVisits(path.join(dataDir, trainRel), { requireCode: true });
  const t0 = performance.now();
  const knowledge = rumedTop3Knowledge(dataDir, [...new Set(train.map((v) => v.code!))].sort(), config);
  const predictor = LinearPredictor.train(
    name,
    train.map((v) => ({ history: { complaints: v.symptoms }, codes: [v.code!] })),
    config,
    knowledge ?? undefined,
  );
  const trainSeconds = (performance.now() - t0) / 1000;
  const files = [fileRef(dataDir, trainRel, train.length), ...(knowledge?.sources ?? [])];
  const evaluationFiles: DataFileRef[] = [];
  let dev: TopKScores | null = null;
  const metrics: LinearManifestExtras['metrics'] = {};
  let devVisits: Visit[] | null = null;
  try {
    devVisits = readVisits(path.join(dataDir, devRel), { requireCode: true });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  if (devVisits) {
    dev = evaluateTopK(rankVisits(predictor, devVisits, 3), devVisits.map((v) => v.code!), 3);
    evaluationFiles.push(fileRef(dataDir, devRel, devVisits.length));
    metrics.dev = { accuracy: dev.accuracy, hitAt3: dev.hitAtK, examples: dev.n };
  }
  return { predictor, dev, trainSeconds, extras: { training: { files, seconds: trainSeconds }, evaluation: { files: evaluationFiles }, metrics } };
}
