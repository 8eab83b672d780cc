import { Worker } from 'node:worker_threads';

/**
 * Starts a worker thread running the module `name` beside `callerUrl` (pass `import.meta.url`).
 * Built, the sources are `.js` and the worker runs the module directly; under tsx or vitest they
 * are `.ts`, and the worker registers tsx's loader itself before importing the module.
 *
 * @example const w = startWorker(import.meta.url, './codeWorker', { modelDir });
 */
export function startWorker(callerUrl: string, name: string, workerData: unknown): Worker {
  const file = new URL(`${name}.${callerUrl.endsWith('.ts') ? 'ts' : 'js'}`, callerUrl);
  return file.pathname.endsWith('.ts')
    ? new Worker(`import('tsx/esm/api').then((m) => { m.register(); return import(${JSON.stringify(file.href)}); });`, { eval: true, workerData })
    : new Worker(file, { workerData });
}
