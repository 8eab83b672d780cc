import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { DeviceChoice } from '../../../config.js';
import { OnnxModel } from '../../backends/OnnxModel.js';
import { OnnxMultiLabelClassifier } from '../onnx/OnnxMultiLabelClassifier.js';
import { readOnnxManifest } from '../../backends/readOnnxManifest.js';
import type { BatchProbabilityModel, EnsembleMode } from './EnsemblePredictor.js';

/** `MODEL_DIR/ensemble.json`: a `dp build` folder whose linear model is combined with a neural member. */
export interface EnsembleFile {
  /** Folder of the ONNX member, relative to the model folder (a copy made by `dp build`). */
  member: string;
  weight: number;
  mode: EnsembleMode;
  /** sha256 of the member's model.onnx when it was copied. */
  memberSha256: string;
}

/** The file name `dp build` writes beside the linear model when it adds a neural member. */
export const ENSEMBLE_FILE = 'ensemble.json';

/**
 * An ONNX `multi-label-classification` model (softmax or sigmoid) as a batch probability model:
 * every label's probability for each text, in the manifest's label order.
 *
 * @example const m = await loadNeuralMember('models/navec-rumedtop3', 'cpu'); (await m.probabilities(['кашель']))[0]!.length // 105
 */
export async function loadNeuralMember(dir: string, device: DeviceChoice, intraOpThreads?: number): Promise<BatchProbabilityModel & { close(): Promise<void> }> {
  const model = await OnnxModel.load(dir, { device, ...(intraOpThreads !== undefined ? { intraOpThreads } : {}) }, 'multi-label-classification');
  const classifier = new OnnxMultiLabelClassifier(model);
  const labels = classifier.labels;
  const at = new Map(labels.map((l, i) => [l, i]));
  return {
    labels,
    async probabilities(texts: readonly string[]): Promise<Float64Array[]> {
      const rows = await classifier.classify(texts, { threshold: 0 });
      return rows.map((row) => {
        const p = new Float64Array(labels.length);
        for (const { label, probability } of row) p[at.get(label)!] = probability;
        return p;
      });
    },
    close: () => model.release(),
  };
}

/** The ensemble weight and mode a neural model's manifest recommends (`ensemble`), if any. */
export async function memberEnsembleSettings(dir: string): Promise<{ weight: number; mode: EnsembleMode } | null> {
  const manifest = (await readOnnxManifest(dir, 'multi-label-classification')) as unknown as { ensemble?: { weight?: unknown; mode?: unknown } };
  const e = manifest.ensemble;
  if (!e || typeof e.weight !== 'number' || (e.mode !== 'log' && e.mode !== 'mean')) return null;
  return { weight: e.weight, mode: e.mode };
}

/**
 * Copies a neural member's files into `modelDir/neural/` and writes `modelDir/ensemble.json`, so a
 * `dp build` folder is self-contained.
 *
 * @example attachNeuralMember('models/rumedtop3-linear', 'models/navec-rumedtop3', 0.3, 'log')
 */
export async function attachNeuralMember(modelDir: string, memberDir: string, weight: number, mode: EnsembleMode): Promise<EnsembleFile> {
  const manifest = await readOnnxManifest(memberDir, 'multi-label-classification');
  const target = path.join(modelDir, 'neural');
  mkdirSync(target, { recursive: true });
  const files = [...new Set(['manifest.json', ...Object.values(manifest.files).filter((f): f is string => typeof f === 'string')])];
  for (const f of files) copyFileSync(path.join(manifest.dir, f), path.join(target, f));
  const { createHash } = await import('node:crypto');
  const memberSha256 = createHash('sha256').update(readFileSync(path.join(target, manifest.files.model))).digest('hex');
  const file: EnsembleFile = { member: 'neural', weight, mode, memberSha256 };
  writeFileSync(path.join(modelDir, ENSEMBLE_FILE), `${JSON.stringify(file, null, 2)}\n`);
  return file;
}

/** Reads `modelDir/ensemble.json` (null when the folder has no neural member). */
export function readEnsembleFile(modelDir: string): EnsembleFile | null {
  const file = path.join(modelDir, ENSEMBLE_FILE);
  if (!existsSync(file)) return null;
  const raw = JSON.parse(readFileSync(file, 'utf8')) as Partial<EnsembleFile>;
  if (typeof raw.member !== 'string' || typeof raw.weight !== 'number' || (raw.mode !== 'log' && raw.mode !== 'mean')) {
    throw new Error(`${file}: needs "member" (folder), "weight" (number) and "mode" ("log" or "mean")`);
  }
  return raw as EnsembleFile;
}
