import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { LinearPredictor } from './LinearPredictor.js';
import type { PredictConfig } from './predictConfig.js';
import { TfidfVectorizer } from './TfidfVectorizer.js';
import type { TfidfVocabulary } from './TfidfVectorizer.js';
import type { MlpWeights } from './trainMlp.js';

/** The task name in every diagnosis-prediction manifest (DESIGN §5). */
export const DIAGNOSIS_PREDICTION_TASK = 'diagnosis-prediction';
/** Version of this on-disk format; a loader refuses others. Format 2 adds the optional network
 * member (`files.mlp`); a model without one is still written as format 1. */
export const LINEAR_MODEL_FORMAT = 2;
/** The formats `loadLinearPredictor` reads. */
const READABLE_FORMATS: readonly number[] = [1, 2];

/** A training or evaluation file, identified by content. */
export interface DataFileRef {
  /** Path relative to the data folder (e.g. `rumedtop3/train.jsonl`). */
  path: string;
  sha256: string;
  examples: number;
}

/** `MODEL_DIR/manifest.json` of a linear baseline. */
export interface LinearManifest {
  task: typeof DIAGNOSIS_PREDICTION_TASK;
  kind: 'linear-tfidf';
  name: string;
  format: 1 | 2;
  createdAt: string;
  labels: string[];
  config: PredictConfig;
  files: {
    /** JSON `TfidfVocabulary`: the terms of each feature block, in feature order. */
    vocabulary: string;
    /** Little-endian float32: idf[features], then weights[features * classes] feature-major, then bias[classes]. */
    weights: string;
    /** Format 2, only with a network member: little-endian float32 w1[features * hidden]
     * (feature-major), b1[hidden], w2[hidden * classes], b2[classes]. */
    mlp?: string;
  };
  features: number;
  classes: number;
  /** sha256 of the weights file, checked on load. */
  weightsSha256: string;
  /** The network member's size and the sha256 of its file (format 2 with `files.mlp`). */
  mlp?: { hidden: number; sha256: string };
  /** The data the model was fitted on, and how long fitting took (one thread). */
  training: { files: DataFileRef[]; seconds: number };
  /** Held-out data that was only scored (never fitted on). */
  evaluation: { files: DataFileRef[] };
  /** Scores on held-out data, by split name (e.g. `dev`). */
  metrics: Record<string, Record<string, number>>;
}

/** What a caller adds to the manifest besides the model itself. */
export interface LinearManifestExtras {
  training: { files: DataFileRef[]; seconds: number };
  evaluation: { files: DataFileRef[] };
  metrics: Record<string, Record<string, number>>;
}

/** sha256 (hex) of a buffer. */
export function sha256(data: Uint8Array | string): string {
  return createHash('sha256').update(data).digest('hex');
}

/**
 * Writes a trained predictor to `dir` (created if needed): `manifest.json`, `vocabulary.json`,
 * `weights.f32`. The vocabulary holds n-grams of the training text, so a folder built from
 * licensed data stays out of version control (`models/.gitignore`-style entries).
 *
 * @example saveLinearPredictor('models/rumedtop3-linear', predictor, { training, metrics })
 */
export function saveLinearPredictor(dir: string, predictor: LinearPredictor, extras: LinearManifestExtras): LinearManifest {
  mkdirSync(dir, { recursive: true });
  const { vectorizer, model } = predictor;
  const floats = new Float32Array(vectorizer.size + model.weights.length + model.bias.length);
  floats.set(vectorizer.idf, 0);
  floats.set(model.weights, vectorizer.size);
  floats.set(model.bias, vectorizer.size + model.weights.length);
  const bytes = new Uint8Array(floats.buffer, floats.byteOffset, floats.byteLength);
  if (new Uint8Array(new Uint16Array([1]).buffer)[0] !== 1) throw new Error('big-endian hosts are not supported');
  let mlpBytes: Uint8Array | null = null;
  if (predictor.mlp) {
    const { w1, b1, w2, b2 } = predictor.mlp;
    const m = new Float32Array(w1.length + b1.length + w2.length + b2.length);
    m.set(w1, 0);
    m.set(b1, w1.length);
    m.set(w2, w1.length + b1.length);
    m.set(b2, w1.length + b1.length + w2.length);
    mlpBytes = new Uint8Array(m.buffer, m.byteOffset, m.byteLength);
  }
  const manifest: LinearManifest = {
    task: DIAGNOSIS_PREDICTION_TASK,
    kind: 'linear-tfidf',
    name: predictor.name,
    format: mlpBytes ? LINEAR_MODEL_FORMAT : 1,
    createdAt: new Date().toISOString(),
    labels: [...predictor.labels],
    config: predictor.config,
    files: { vocabulary: 'vocabulary.json', weights: 'weights.f32', ...(mlpBytes ? { mlp: 'mlp.f32' } : {}) },
    features: vectorizer.size,
    classes: model.classes,
    weightsSha256: sha256(bytes),
    ...(mlpBytes && predictor.mlp ? { mlp: { hidden: predictor.mlp.hidden, sha256: sha256(mlpBytes) } } : {}),
    training: extras.training,
    evaluation: extras.evaluation,
    metrics: extras.metrics,
  };
  writeFileSync(path.join(dir, manifest.files.vocabulary), JSON.stringify(vectorizer.vocabulary()));
  writeFileSync(path.join(dir, manifest.files.weights), bytes);
  if (mlpBytes && manifest.files.mlp) writeFileSync(path.join(dir, manifest.files.mlp), mlpBytes);
  writeFileSync(path.join(dir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}

/**
 * Loads a predictor written by `saveLinearPredictor`, checking the task, format, sizes and the
 * weights' checksum; errors name the folder and what is wrong.
 */
export function loadLinearPredictor(dir: string): { predictor: LinearPredictor; manifest: LinearManifest } {
  const manifestPath = path.join(dir, 'manifest.json');
  let manifest: LinearManifest;
  try {
    manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as LinearManifest;
  } catch (err) {
    throw new Error(`${manifestPath}: cannot read the manifest (${(err as NodeJS.ErrnoException).code ?? 'invalid JSON'})`);
  }
  if (manifest.task !== DIAGNOSIS_PREDICTION_TASK || manifest.kind !== 'linear-tfidf') {
    throw new Error(`${manifestPath}: not a linear diagnosis-prediction model (task ${String(manifest.task)}, kind ${String(manifest.kind)})`);
  }
  if (!READABLE_FORMATS.includes(manifest.format)) {
    throw new Error(`${manifestPath}: format ${String(manifest.format)} is not supported (expected ${READABLE_FORMATS.join(' or ')})`);
  }
  const buf = readFileSync(path.join(dir, manifest.files.weights));
  if (sha256(buf) !== manifest.weightsSha256) throw new Error(`${path.join(dir, manifest.files.weights)}: checksum mismatch`);
  const F = manifest.features;
  const C = manifest.classes;
  if (buf.byteLength !== 4 * (F + F * C + C)) {
    throw new Error(`${path.join(dir, manifest.files.weights)}: ${buf.byteLength} bytes, expected ${4 * (F + F * C + C)}`);
  }
  // Copy into an aligned buffer (a Node Buffer may sit at any offset of a shared pool).
  const floats = new Float32Array(buf.byteLength / 4);
  new Uint8Array(floats.buffer).set(buf);
  const vocabulary = JSON.parse(readFileSync(path.join(dir, manifest.files.vocabulary), 'utf8')) as TfidfVocabulary;
  const vectorizer = TfidfVectorizer.restore(vocabulary, floats.slice(0, F));
  const model = { features: F, classes: C, weights: floats.slice(F, F + F * C), bias: floats.slice(F + F * C) };
  let mlp: MlpWeights | null = null;
  if (manifest.files.mlp) {
    const file = path.join(dir, manifest.files.mlp);
    const mbuf = readFileSync(file);
    if (!manifest.mlp || sha256(mbuf) !== manifest.mlp.sha256) throw new Error(`${file}: checksum mismatch`);
    const H = manifest.mlp.hidden;
    const expected = 4 * (F * H + H + H * C + C);
    if (mbuf.byteLength !== expected) throw new Error(`${file}: ${mbuf.byteLength} bytes, expected ${expected}`);
    const m = new Float32Array(mbuf.byteLength / 4);
    new Uint8Array(m.buffer).set(mbuf);
    mlp = {
      features: F,
      hidden: H,
      classes: C,
      w1: m.slice(0, F * H),
      b1: m.slice(F * H, F * H + H),
      w2: m.slice(F * H + H, F * H + H + H * C),
      b2: m.slice(F * H + H + H * C),
    };
  }
  return { predictor: new LinearPredictor(manifest.name, manifest.labels, manifest.config, vectorizer, model, mlp), manifest };
}
