import { parentPort, workerData } from 'node:worker_threads';
import { buildCoder } from '../training/buildCoder.js';

/**
 * Worker thread of {@link buildCoderInWorker}: trains the lexical coder on `dataDir` and writes it
 * to `outDir`, off the server's event loop.
 */
const { dataDir, outDir } = workerData as { dataDir: string; outDir: string };
const { buildMs } = await buildCoder({ dataDir, outDir });
parentPort!.postMessage({ buildMs });
