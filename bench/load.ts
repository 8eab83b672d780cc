/**
 * `npm run bench:load`: start-up of the embedded store on the full data (issue 2's bar: at most
 * 3 s, resident memory printed).
 *
 * Each run is a fresh process (`node --import tsx bench/load.ts --once`), so no run profits from
 * a warm JIT, warm module cache or a heap left by the one before. A run measures, from just
 * before reading the files to a store ready to answer:
 *   load   `loadDataDir(ICDKG_DATA_DIR)`: ICD dictionary + МКБ-10 reference + abbreviations +
 *          the 3,000-document corpus, parsed and validated;
 *   build  `MemoryStore.open`: every index (tree, names, name search with its trigram index for
 *          typos) and an (empty) journal;
 * and reports wall and CPU time of both, the first typo-tolerant search after start (the first
 * request a server answers), resident memory and the heap. CPU time is printed beside wall time
 * because this machine is shared: wall time includes waiting for a core.
 *
 * The measured window starts after the modules are loaded, so tsx's transpiling is not in it.
 * `npm start` runs the tsc build (`dist/`); to measure that code instead of the tsx-transpiled
 * sources, build it (`npm run build`) and set BENCH_DIST=dist.
 *
 * Env: ICDKG_DATA_DIR (default ../shared/data), BENCH_RUNS (5), BENCH_DIST (a tsc build folder).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { pathToFileURL } from 'node:url';
import type { loadDataDir as LoadDataDir } from '../src/ingest/loadDataDir.js';
import type { MemoryStore as MemoryStoreClass } from '../src/graph/memory/MemoryStore.js';

const BAR_MS = 3000;
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dataDir = path.resolve(root, process.env.ICDKG_DATA_DIR ?? '../shared/data');
const distDir = process.env.BENCH_DIST ? path.resolve(root, process.env.BENCH_DIST) : null;

/** The code under test: the sources (through tsx) or a tsc build. */
async function importCode(): Promise<{ loadDataDir: typeof LoadDataDir; MemoryStore: typeof MemoryStoreClass }> {
  const at = (src: string, dist: string): string => (distDir ? pathToFileURL(path.join(distDir, dist)).href : src);
  const ingest = (await import(at('../src/ingest/loadDataDir.js', 'ingest/loadDataDir.js'))) as { loadDataDir: typeof LoadDataDir };
  const memory = (await import(at('../src/graph/memory/MemoryStore.js', 'graph/memory/MemoryStore.js'))) as { MemoryStore: typeof MemoryStoreClass };
  return { loadDataDir: ingest.loadDataDir, MemoryStore: memory.MemoryStore };
}

interface RunResult {
  loadMs: number;
  buildMs: number;
  totalMs: number;
  cpuMs: number;
  cpuLoadMs: number;
  cpuBuildMs: number;
  firstSearchMs: number;
  rssMB: number;
  heapUsedMB: number;
  sample: boolean;
  counts: { codes: number; names: number; corpora: number; documents: number; mentions: number };
}

/** One measured start-up in this process; prints one JSON line. */
async function once(): Promise<void> {
  const { loadDataDir, MemoryStore } = await importCode();
  const journalDir = mkdtempSync(path.join(os.tmpdir(), 'icdkg-bench-load-'));
  try {
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const data = await loadDataDir(dataDir);
    const t1 = performance.now();
    const cpu1 = process.cpuUsage(cpu0);
    const store = MemoryStore.open(data, { journalDir, sample: data.sample });
    const t2 = performance.now();
    const cpu = process.cpuUsage(cpu0);
    await store.searchNames('ишемичская болезнь', { first: 10 });
    const t3 = performance.now();
    const memory = process.memoryUsage();
    const result: RunResult = {
      loadMs: t1 - t0,
      buildMs: t2 - t1,
      totalMs: t2 - t0,
      cpuMs: (cpu.user + cpu.system) / 1000,
      cpuLoadMs: (cpu1.user + cpu1.system) / 1000,
      cpuBuildMs: (cpu.user + cpu.system - cpu1.user - cpu1.system) / 1000,
      firstSearchMs: t3 - t2,
      rssMB: memory.rss / 2 ** 20,
      heapUsedMB: memory.heapUsed / 2 ** 20,
      sample: data.sample,
      counts: await store.counts(),
    };
    await store.close();
    process.stdout.write(`${JSON.stringify(result)}\n`);
  } finally {
    rmSync(journalDir, { recursive: true, force: true });
  }
}

function runChild(): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--once'], {
      cwd: root,
      env: { ...process.env, ICDKG_DATA_DIR: dataDir, ICDKG_LOG_LEVEL: 'silent' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) => {
      const line = out.trim().split('\n').pop() ?? '';
      if (code !== 0 || !line.startsWith('{')) reject(new Error(`bench:load child exited with ${code}`));
      else resolve(JSON.parse(line) as RunResult);
    });
  });
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};
const ms = (x: number) => `${x.toFixed(0)} ms`;

async function main(): Promise<void> {
  const runs = Number(process.env.BENCH_RUNS ?? 5);
  console.log(`bench:load: embedded store start-up on ${dataDir}, ${runs} fresh processes, ${os.cpus().length} CPUs, load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  console.log(`  code: ${distDir ? `tsc build ${distDir}` : 'src/ through tsx'}`);
  const results: RunResult[] = [];
  for (let i = 0; i < runs; i++) {
    const r = await runChild();
    results.push(r);
    console.log(
      `  run ${i + 1}: total ${ms(r.totalMs)} (load ${ms(r.loadMs)} + build ${ms(r.buildMs)}), cpu ${ms(r.cpuMs)} (load ${ms(r.cpuLoadMs)} + build ${ms(r.cpuBuildMs)}), first fuzzy search ${ms(r.firstSearchMs)}, rss ${r.rssMB.toFixed(0)} MiB, heap ${r.heapUsedMB.toFixed(0)} MiB`,
    );
  }
  const first = results[0]!;
  if (first.sample) console.log('  WARNING: the data dir holds no ICD dictionary; this measured the small sample, not the full data');
  console.log(`  data: ${first.counts.codes} codes, ${first.counts.names} names, ${first.counts.documents} documents, ${first.counts.mentions} mentions`);
  const pick = (f: (r: RunResult) => number) => results.map(f);
  const total = pick((r) => r.totalMs);
  console.log(`  start-up (load + build): median ${ms(median(total))}, max ${ms(Math.max(...total))}`);
  console.log(`  load: median ${ms(median(pick((r) => r.loadMs)))}; build: median ${ms(median(pick((r) => r.buildMs)))}; cpu: median ${ms(median(pick((r) => r.cpuMs)))} (build ${ms(median(pick((r) => r.cpuBuildMs)))})`);
  console.log(`  resident memory: median ${median(pick((r) => r.rssMB)).toFixed(0)} MiB, max ${Math.max(...pick((r) => r.rssMB)).toFixed(0)} MiB`);
  console.log(`  bar: max start-up <= ${BAR_MS} ms: ${Math.max(...total) <= BAR_MS ? 'PASS' : 'FAIL'}`);
}

if (process.argv.includes('--once')) await once();
else await main();
