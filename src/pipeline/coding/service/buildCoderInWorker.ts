import { Worker } from 'node:worker_threads';

/**
 * Trains the lexical coder (`buildCoder`) in a worker thread, so a server that has no built model
 * keeps answering other queries while it trains (tens of seconds on the full data).
 *
 * @example await buildCoderInWorker('../shared/data', '.icdkg/coders/lexical-1.0.0-abc')
 */
export function buildCoderInWorker(dataDir: string, outDir: string): Promise<{ buildMs: number }> {
  const here = import.meta.url;
  // Under tsx (or vitest) the sources are .ts and the worker registers tsx itself; built, .js.
  const file = new URL(`./buildCoderWorker.${here.endsWith('.ts') ? 'ts' : 'js'}`, here);
  const workerData = { dataDir, outDir };
  const worker = file.pathname.endsWith('.ts')
    ? new Worker(`import('tsx/esm/api').then((m) => { m.register(); return import(${JSON.stringify(file.href)}); });`, { eval: true, workerData })
    : new Worker(file, { workerData });
  return new Promise((resolve, reject) => {
    let result: { buildMs: number } | null = null;
    worker.once('message', (msg: { buildMs: number }) => (result = msg));
    worker.once('error', reject);
    worker.once('exit', (code) => (result !== null ? resolve(result) : reject(new Error(`the coder build worker exited with code ${code} before finishing`))));
  });
}
