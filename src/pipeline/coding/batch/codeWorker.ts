import { parentPort, workerData } from 'node:worker_threads';
import { loadCoderModel } from '../training/coderModelDir.js';

/**
 * A worker thread of `icdkg code --workers N`: loads the model once, then codes the batches the
 * main thread posts (`{ seq, texts, topK }`) and answers `{ seq, results }` in the same order.
 */
const { modelDir } = workerData as { modelDir: string };
const { coder } = await loadCoderModel(modelDir);
parentPort!.on('message', (msg: { seq: number; texts: string[]; topK: number }) => {
  parentPort!.postMessage({ seq: msg.seq, results: coder.code(msg.texts, { topK: msg.topK }) });
});
parentPort!.postMessage({ ready: true });
