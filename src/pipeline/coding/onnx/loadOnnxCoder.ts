import { join, resolve } from 'node:path';
import type { DeviceChoice } from '../../../config.js';
import { DEFAULT_ONNX_CODER_OPTIONS, OnnxCoder } from './OnnxCoder.js';
import { OnnxEmbedder } from './OnnxEmbedder.js';
import { OnnxEmbeddingLinker } from './OnnxEmbeddingLinker.js';
import type { CodeName } from './OnnxEmbeddingLinker.js';
import { OnnxModel } from '../../backends/OnnxModel.js';
import { OnnxTokenClassifier } from './OnnxTokenClassifier.js';
import { readManifestJson } from '../../backends/readManifestJson.js';

/** `manifest.json` of an ONNX coder folder: which recogniser and linker models it combines. */
export interface OnnxCoderManifest {
  task: 'icd-coder';
  kind: 'onnx';
  version: string;
  /** Folder of a `token-classification` model, relative to the coder folder. */
  recognizer: string;
  /** Folder of a `sentence-embedding` model, relative to the coder folder. */
  linker: string;
  minScore?: number;
  defaultTopK?: number;
}

/** What {@link loadOnnxCoder} needs besides the folder. */
export interface LoadOnnxCoderOptions {
  device: DeviceChoice;
  /** Names of the codes the linker ranks (store names, or the lexical coder's list). */
  names: readonly CodeName[];
  /** Code -> title, for the entities' `title`. */
  titles: ReadonlyMap<string, string>;
  /** Name-embedding cache folder; `<linker model>/cache` when absent. */
  cacheDir?: string;
  intraOpThreads?: number;
}

/**
 * Loads an ONNX coder (`ICDKG_CODER=onnx:<dir>`): reads the coder manifest, loads both models on
 * the configured execution provider, and embeds (or reads cached) code names.
 *
 * @example const coder = await loadOnnxCoder('models/tiny-onnx-coder', { device: 'auto', names, titles })
 */
export async function loadOnnxCoder(dir: string, options: LoadOnnxCoderOptions): Promise<OnnxCoder> {
  const { folder, manifestPath, raw: m } = await readManifestJson<OnnxCoderManifest>(dir, 'coder');
  if (m.task !== 'icd-coder' || m.kind !== 'onnx' || typeof m.recognizer !== 'string' || typeof m.linker !== 'string') {
    throw new Error(`${manifestPath}: an ONNX coder manifest needs task "icd-coder", kind "onnx", and "recognizer" and "linker" model folders`);
  }
  const modelOptions = { device: options.device, ...(options.intraOpThreads !== undefined ? { intraOpThreads: options.intraOpThreads } : {}) };
  const [nerModel, embedModel] = await Promise.all([
    OnnxModel.load(resolve(folder, m.recognizer), modelOptions, 'token-classification'),
    OnnxModel.load(resolve(folder, m.linker), modelOptions, 'sentence-embedding'),
  ]);
  const linker = await OnnxEmbeddingLinker.build(new OnnxEmbedder(embedModel), options.names, {
    cacheDir: options.cacheDir ?? join(embedModel.manifest.dir, 'cache'),
  });
  return new OnnxCoder(new OnnxTokenClassifier(nerModel), linker, options.titles, {
    minScore: m.minScore ?? DEFAULT_ONNX_CODER_OPTIONS.minScore,
    defaultTopK: m.defaultTopK ?? DEFAULT_ONNX_CODER_OPTIONS.defaultTopK,
  });
}
