import { parentPort, workerData } from 'node:worker_threads';
import { loadCoderModel } from '../training/coderModelDir.js';
import type { CodingResult } from '../types.js';

/** A batch the main thread posts to a coder worker. */
export interface CoderWorkerRequest {
  seq: number;
  texts: string[];
  topK: number;
  /** Answer each text's distinct codes only (no entities), so that messages stay small over large cohorts. */
  codesOnly: boolean;
}

/** What a coder worker posts back: once `{ ready }`, then one reply per request, results in text order. */
export type CoderWorkerReply = { ready: true } | { seq: number; results: CodingResult[] };

/**
 * A worker thread of {@link startCoderPool} (`icdkg code --workers N`, `icdkg cohort link`): loads
 * the model once, then codes the batches the main thread posts.
 */
const { modelDir } = workerData as { modelDir: string };
const { coder } = await loadCoderModel(modelDir);
parentPort!.on('message', (msg: CoderWorkerRequest) => {
  const results = coder.code(msg.texts, { topK: msg.topK });
  const reply: CoderWorkerReply = { seq: msg.seq, results: msg.codesOnly ? results.map((r) => ({ entities: [], codes: r.codes })) : results };
  parentPort!.postMessage(reply);
});
const ready: CoderWorkerReply = { ready: true };
parentPort!.postMessage(ready);
