import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { DeviceChoice } from '../../../config.js';
import { EnsemblePredictor } from './EnsemblePredictor.js';
import type { LinearPredictor } from '../linear/LinearPredictor.js';
import { loadLinearPredictor } from '../linear/linearModelFiles.js';
import { loadNeuralMember, readEnsembleFile } from './neuralMember.js';
import type { Prediction, PatientHistory } from '../Predictor.js';

/** A loaded `dp build` folder: the linear model alone, or combined with its neural member. */
export interface DpModel {
  readonly linear: LinearPredictor;
  readonly ensemble: EnsemblePredictor | null;
  /** The `k` best codes of each history (the ensemble's when there is one). */
  predictMany(histories: readonly PatientHistory[], k: number): Promise<Prediction[][]>;
  close(): Promise<void>;
}

/**
 * Loads a folder written by `icdkg dp build`: the linear model and, when `ensemble.json` is there,
 * the neural member it names (ONNX, checked against the recorded sha256).
 *
 * @example const m = await loadDpModel('models/rumedtop3-linear'); (await m.predictMany([{ complaints: 'кашель' }], 3))[0]
 */
export async function loadDpModel(dir: string, device: DeviceChoice = 'auto'): Promise<DpModel> {
  const { predictor: linear } = loadLinearPredictor(dir);
  const settings = readEnsembleFile(dir);
  if (!settings) {
    return { linear, ensemble: null, predictMany: (hs, k) => Promise.resolve(hs.map((h) => linear.predict(h, k))), close: () => Promise.resolve() };
  }
  const memberDir = path.join(dir, settings.member);
  const manifest = JSON.parse(readFileSync(path.join(memberDir, 'manifest.json'), 'utf8')) as { files: { model: string } };
  const sha = createHash('sha256').update(readFileSync(path.join(memberDir, manifest.files.model))).digest('hex');
  if (sha !== settings.memberSha256) throw new Error(`${path.join(memberDir, manifest.files.model)}: checksum mismatch with ensemble.json`);
  const member = await loadNeuralMember(memberDir, device);
  const ensemble = new EnsemblePredictor(path.basename(path.resolve(dir)), linear, member, settings.weight, settings.mode);
  return { linear, ensemble, predictMany: (hs, k) => ensemble.predictMany(hs, k), close: () => member.close() };
}
