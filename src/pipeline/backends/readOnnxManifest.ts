import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { onnxTask } from './onnxTasks.js';
import type { OnnxTask } from './onnxTasks.js';
import type { Pooling } from './poolHidden.js';
import { readManifestJson } from './readManifestJson.js';

/** `models/<name>/manifest.json` of an ONNX model (format and example: models/README.md). */
export interface OnnxManifest {
  name: string;
  task: OnnxTask;
  version: string;
  files: {
    /** The ONNX graph, relative to the model folder. */
    model: string;
    /** `tokenizer.json` (Hugging Face tokenizers format). */
    tokenizer: string;
    /** `tokenizer_config.json`. */
    tokenizerConfig?: string;
  };
  /** One label per logit (token-classification: BIO labels; multi-label: codes). */
  labels?: string[];
  /** Maximum tokens per sequence, special tokens included (longer texts are windowed or cut). */
  maxLength: number;
  /** Output to read; the task's default when absent. */
  output?: string;
  /** Sentence-embedding pooling of a `[batch, tokens, hidden]` output. */
  pooling?: Pooling;
  /** Sentence-embedding: L2-normalise vectors (cosine = dot product); true by default. */
  normalize?: boolean;
  /** Minimum probability of a kept entity / label. */
  threshold?: number;
  /** Largest batch fed to the session in one run. */
  batchSize?: number;
  training?: Record<string, unknown>;
  metrics?: Record<string, unknown>;
  createdBy?: string;
}

/** A manifest with its folder and resolved file paths. */
export interface LoadedManifest extends OnnxManifest {
  dir: string;
  modelPath: string;
  manifestPath: string;
}

/**
 * Reads and checks an ONNX model manifest: a known task (else the list of valid tasks), labels
 * where the task needs them, a positive max length, files that exist.
 *
 * @example const m = await readOnnxManifest('models/tiny-ner'); m.task // 'token-classification'
 */
export async function readOnnxManifest(dir: string, expectedTask?: OnnxTask): Promise<LoadedManifest> {
  const { folder, manifestPath, raw } = await readManifestJson<OnnxManifest>(dir, 'model');
  const task = onnxTask(raw.task, manifestPath);
  if (expectedTask !== undefined && task.name !== expectedTask) {
    throw new Error(`${manifestPath}: task is ${JSON.stringify(task.name)}, expected ${JSON.stringify(expectedTask)}`);
  }
  const fail = (what: string): never => {
    throw new Error(`${manifestPath}: ${what}`);
  };
  if (typeof raw.version !== 'string' || raw.version === '') fail('"version" must be a non-empty string');
  if (!raw.files || typeof raw.files.model !== 'string' || typeof raw.files.tokenizer !== 'string') {
    fail('"files" must name "model" (the .onnx file) and "tokenizer" (tokenizer.json)');
  }
  if (!Number.isInteger(raw.maxLength) || raw.maxLength! < 3) fail(`"maxLength" must be an integer >= 3, got ${JSON.stringify(raw.maxLength)}`);
  if (task.needsLabels && (!Array.isArray(raw.labels) || raw.labels.length === 0 || !raw.labels.every((l) => typeof l === 'string'))) {
    fail(`task ${task.name} needs "labels": one string per logit`);
  }
  if (raw.pooling !== undefined && raw.pooling !== 'mean' && raw.pooling !== 'cls') fail(`"pooling" must be "mean" or "cls", got ${JSON.stringify(raw.pooling)}`);
  if (raw.threshold !== undefined && !(raw.threshold >= 0 && raw.threshold <= 1)) fail(`"threshold" must be in [0, 1], got ${JSON.stringify(raw.threshold)}`);
  const files = raw.files!;
  for (const f of [files.model, files.tokenizer, files.tokenizerConfig]) {
    if (f !== undefined && !existsSync(join(folder, f))) fail(`file ${JSON.stringify(f)} is listed but missing from ${folder}`);
  }
  return {
    ...(raw as OnnxManifest),
    name: typeof raw.name === 'string' ? raw.name : folder.split(/[\\/]/).pop()!,
    task: task.name,
    dir: folder,
    modelPath: join(folder, files.model),
    manifestPath,
  };
}
