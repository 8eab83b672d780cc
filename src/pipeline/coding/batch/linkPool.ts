import { Worker } from 'node:worker_threads';

/** A pool of coder worker threads; `run` sends a batch to the least busy one. */
export interface LinkPool {
  run(texts: string[]): Promise<string[][]>;
  /** Batches sent and not yet answered. */
  inFlight(): number;
  close(): Promise<void>;
}

/**
 * Starts `workers` threads of `linkWorker`, each loading the coder from `modelDir` once.
 * Under tsx (sources) the worker registers tsx's loader before importing the TypeScript module,
 * as `icdkg code` does; built, it runs the `.js` directly.
 *
 * @example const pool = await startLinkPool('models/ruccod-lexical', 2); await pool.run(['ИБС.']);
 */
export async function startLinkPool(modelDir: string, workers: number): Promise<LinkPool> {
  const here = import.meta.url;
  const file = new URL(`./linkWorker.${here.endsWith('.ts') ? 'ts' : 'js'}`, here);
  const pool = await Promise.all(
    Array.from({ length: workers }, () =>
      new Promise<{ w: Worker; pending: Map<number, { resolve: (c: string[][]) => void; reject: (e: Error) => void }> }>((resolve, reject) => {
        const w = file.pathname.endsWith('.ts')
          ? new Worker(`import('tsx/esm/api').then((m) => { m.register(); return import(${JSON.stringify(file.href)}); });`, { eval: true, workerData: { modelDir } })
          : new Worker(file, { workerData: { modelDir } });
        const pending = new Map<number, { resolve: (c: string[][]) => void; reject: (e: Error) => void }>();
        let ready = false;
        w.on('error', (err) => {
          if (!ready) reject(err);
          for (const p of pending.values()) p.reject(err);
          pending.clear();
        });
        w.on('message', (msg: { ready?: boolean; seq?: number; codes?: string[][] }) => {
          if (msg.ready) {
            ready = true;
            resolve({ w, pending });
          } else if (msg.seq !== undefined) {
            pending.get(msg.seq)?.resolve(msg.codes!);
            pending.delete(msg.seq);
          }
        });
      }),
    ),
  );
  let seq = 0;
  return {
    run(texts) {
      const slot = pool.reduce((a, b) => (b.pending.size < a.pending.size ? b : a));
      const id = seq++;
      return new Promise((resolve, reject) => {
        slot.pending.set(id, { resolve, reject });
        slot.w.postMessage({ seq: id, texts });
      });
    },
    inFlight: () => pool.reduce((s, p) => s + p.pending.size, 0),
    async close() {
      await Promise.all(pool.map((p) => p.w.terminate()));
    },
  };
}
