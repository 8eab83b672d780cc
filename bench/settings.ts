import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * What every bench reads from the environment: the repository root, the data folder
 * (`ICDKG_DATA_DIR`, default `../shared/data`), and the timing of load runs.
 */
export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const dataDir = path.resolve(root, process.env.ICDKG_DATA_DIR ?? '../shared/data');
/** Seconds of each measured load run (`BENCH_SECONDS`). */
export const seconds = Number(process.env.BENCH_SECONDS ?? 10);
/** Seconds of warm-up before measuring (`BENCH_WARMUP_SECONDS`). */
export const warmup = Number(process.env.BENCH_WARMUP_SECONDS ?? 3);
/** Interleaved rounds of paired runs, their seconds split between the rounds (`BENCH_ROUNDS`). */
export const rounds = Number(process.env.BENCH_ROUNDS ?? 2);
