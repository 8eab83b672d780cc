import { parentPort, workerData } from 'node:worker_threads';
import { loadCoderModel } from '../training/coderModelDir.js';

/**
 * A worker thread of `icdkg cohort link`: loads the coder once, then codes the conclusions the
 * main thread posts (`{ seq, texts }`) and answers `{ seq, codes }` (each text's distinct codes),
 * only the codes, so that messages stay small over 865,539 appointments.
 */
const { modelDir } = workerData as { modelDir: string };
const { coder } = await loadCoderModel(modelDir);
parentPort!.on('message', (msg: { seq: number; texts: string[] }) => {
  parentPort!.postMessage({ seq: msg.seq, codes: coder.code(msg.texts, { topK: 1 }).map((r) => r.codes) });
});
parentPort!.postMessage({ ready: true });
