import type { Worker } from 'node:worker_threads';
import { startWorker } from '../../../util/startWorker.js';
import type { CodingResult } from '../types.js';
import type { CoderWorkerReply, CoderWorkerRequest } from './codeWorker.js';

/** A pool of coder worker threads; `code` sends a batch of texts to the least busy one. */
export interface CoderPool {
  /** Codes `texts`; with `codesOnly`, each result carries its distinct codes and no entities. */
  code(texts: string[], options: { topK: number; codesOnly?: boolean }): Promise<CodingResult[]>;
  /** Batches sent and not yet answered. */
  inFlight(): number;
  close(): Promise<void>;
}

interface Pending {
  resolve: (r: CodingResult[]) => void;
  reject: (e: Error) => void;
}

/**
 * Starts `workers` threads of `codeWorker`, each loading the coder from `modelDir` once. Used by
 * `icdkg code --workers N` and `icdkg cohort link`. A worker that fails rejects its pending batches.
 *
 * @example const pool = await startCoderPool('models/ruccod-lexical', 2); await pool.code(['ИБС.'], { topK: 1 });
 */
export async function startCoderPool(modelDir: string, workers: number): Promise<CoderPool> {
  const pool = await Promise.all(
    Array.from(
      { length: workers },
      () =>
        new Promise<{ w: Worker; pending: Map<number, Pending> }>((resolve, reject) => {
          const w = startWorker(import.meta.url, './codeWorker', { modelDir });
          const pending = new Map<number, Pending>();
          let ready = false;
          w.on('error', (err) => {
            if (!ready) reject(err);
            for (const p of pending.values()) p.reject(err);
            pending.clear();
          });
          w.on('message', (msg: CoderWorkerReply) => {
            if ('ready' in msg) {
              ready = true;
              resolve({ w, pending });
            } else {
              pending.get(msg.seq)?.resolve(msg.results);
              pending.delete(msg.seq);
            }
          });
        }),
    ),
  );
  let seq = 0;
  return {
    code(texts, options) {
      const slot = pool.reduce((a, b) => (b.pending.size < a.pending.size ? b : a));
      const id = seq++;
      return new Promise((resolve, reject) => {
        slot.pending.set(id, { resolve, reject });
        const request: CoderWorkerRequest = { seq: id, texts, topK: options.topK, codesOnly: options.codesOnly === true };
        slot.w.postMessage(request);
      });
    },
    inFlight: () => pool.reduce((s, p) => s + p.pending.size, 0),
    async close() {
      await Promise.all(pool.map((p) => p.w.terminate()));
    },
  };
}
