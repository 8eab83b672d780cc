/**
 * `npm run bench:abuse`: how the API server answers abusive queries on the full data (issue 13's
 * bars). The server runs in a child process (`icdkg serve`, production mode, on ICDKG_DATA_DIR,
 * default ../shared/data); this process sends:
 *   - an alias bomb of 250 and of 5,000 aliases of `chapters { descendants(maxDepth: 10) { code title } }`,
 *   - 30 fragments each spreading the previous one twice,
 *   - five alias bombs at once,
 * each timed from send to refusal (bar: each refused with a typed error in < 100 ms); then a flood
 * of those shapes from FLOOD_CLIENTS clients for BENCH_SECONDS while one client sends
 * `code(code:"I25.2"){title}` in a loop (bar: its p99 < 50 ms), sampling the server's resident
 * memory (bar: peak within 300 MiB of its idle figure).
 *
 * Env: BENCH_SECONDS (10), FLOOD_CLIENTS (5), BENCH_REPEAT (20: timings of each shape, median and max printed).
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { startChild } from './startChild.js';
import { dataDir, seconds } from './settings.js';
import { printBars } from './report.js';

const floodClients = Number(process.env.FLOOD_CLIENTS ?? 5);
const repeat = Number(process.env.BENCH_REPEAT ?? 20);

const WHOLE_TREE = 'chapters { descendants(maxDepth: 10) { code title } }';
const aliasBomb = (n: number) => `{ ${Array.from({ length: n }, (_, i) => `a${i}: ${WHOLE_TREE}`).join(' ')} }`;
function doublingFragments(n: number): string {
  const defs = ['fragment F0 on Code { code title }'];
  for (let i = 1; i < n; i++) defs.push(`fragment F${i} on Code { ...F${i - 1} ...F${i - 1} }`);
  return `{ chapters { ...F${n - 1} } } ${defs.join(' ')}`;
}
const PROBE = '{ code(code: "I25.2") { title } }';

const SHAPES: [string, string][] = [
  ['alias bomb x250', aliasBomb(250)],
  ['alias bomb x5000', aliasBomb(5000)],
  ['30 doubling fragments', doublingFragments(30)],
];

interface Answer {
  ms: number;
  status: number;
  code: string | undefined;
  bytes: number;
}

/** Request bodies, serialised once: the bench's own CPU should go to sending, not to JSON. */
const bodies = new Map<string, string>();

async function send(url: string, query: string): Promise<Answer> {
  let body = bodies.get(query);
  if (body === undefined) bodies.set(query, (body = JSON.stringify({ query })));
  const started = performance.now();
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  const text = await res.text();
  const ms = performance.now() - started;
  let code: string | undefined;
  try {
    code = (JSON.parse(text) as { errors?: { extensions?: { code?: string } }[] }).errors?.[0]?.extensions?.code;
  } catch {
    code = 'NOT_JSON';
  }
  return { ms, status: res.status, code, bytes: text.length };
}

/** Resident set size of a process in bytes, from /proc (Linux); null elsewhere. */
function rss(pid: number): number | null {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : null;
  } catch {
    return null;
  }
}

const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
const fmt = (ms: number) => ms.toFixed(1);
const MiB = 1024 * 1024;

const journalDir = mkdtempSync(path.join(tmpdir(), 'icdkg-bench-'));
const children: ChildProcess[] = [];
const bars: [string, boolean][] = [];
try {
  process.stdout.write(`bench:abuse on ${dataDir} (load ${loadavg().map((l) => l.toFixed(1)).join(' ')})\n`);
  const api = await startChild(['src/cli/main.ts', 'serve', '--port', '0', '--data-dir', dataDir], {
    NODE_ENV: 'production',
    // As `npm start` and the Docker image run the server: a 64 MiB young generation, so that the
    // flood's short-lived garbage dies young instead of growing the old generation.
    NODE_OPTIONS: '--max-semi-space-size=64',
    ICDKG_JOURNAL_DIR: journalDir,
    ICDKG_LOG_LEVEL: 'warn',
  });
  children.push(api.child);
  const pid = api.child.pid!;
  const probe = await send(api.url, PROBE);
  if (probe.status !== 200 || probe.code !== undefined) throw new Error(`the probe query answered ${probe.status} ${probe.code}`);
  // Idle means steady state: the server trains its coder in a worker thread after start when
  // the journal folder holds none (a fresh one here), which takes minutes and hundreds of MiB.
  const waitStart = performance.now();
  for (;;) {
    const res = await fetch(api.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ system { coder { state } } }' }) });
    const state = ((await res.json()) as { data?: { system: { coder: { state: string } | null } } }).data?.system.coder?.state;
    if (state === undefined || state === 'READY' || state === 'FAILED' || performance.now() - waitStart > 900_000) break;
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  process.stdout.write(`coder ready after ${((performance.now() - waitStart) / 1000).toFixed(0)} s\n`);
  // Warm up: JIT of the parser, validation and the probe's path.
  for (let i = 0; i < 20; i++) {
    await send(api.url, PROBE);
    for (const [, query] of SHAPES) await send(api.url, query);
  }
  await new Promise((resolve) => setTimeout(resolve, 1000));
  const idle = rss(pid);
  process.stdout.write(`server idle RSS ${idle === null ? 'n/a' : `${(idle / MiB).toFixed(0)} MiB`}\n\n`);

  process.stdout.write(`refusals, ${repeat} sequential requests per shape (ms from send to the whole answer):\n`);
  for (const [name, query] of SHAPES) {
    const answers: Answer[] = [];
    for (let i = 0; i < repeat; i++) answers.push(await send(api.url, query));
    const times = answers.map((a) => a.ms).sort((a, b) => a - b);
    const codes = [...new Set(answers.map((a) => `${a.status} ${a.code}`))].join(', ');
    const max = times[times.length - 1]!;
    process.stdout.write(`  ${name.padEnd(24)} ${(query.length / 1024).toFixed(1).padStart(6)} KB  median ${fmt(quantile(times, 0.5))}  max ${fmt(max)}  answers: ${codes}\n`);
    const typed = answers.every((a) => a.status === 400 && a.code === 'QUERY_TOO_COMPLEX');
    bars.push([`${name}: refused with a typed error (QUERY_TOO_COMPLEX) in < 100 ms (max ${fmt(max)} ms)`, typed && max < 100]);
  }

  const concurrent: Answer[] = [];
  for (let round = 0; round < repeat; round++) concurrent.push(...(await Promise.all(Array.from({ length: 5 }, () => send(api.url, SHAPES[0]![1])))));
  const concurrentTimes = concurrent.map((a) => a.ms).sort((a, b) => a - b);
  const concurrentMax = concurrentTimes[concurrentTimes.length - 1]!;
  process.stdout.write(`  ${'5 concurrent x250 bombs'.padEnd(24)} ${repeat} rounds         median ${fmt(quantile(concurrentTimes, 0.5))}  max ${fmt(concurrentMax)}\n`);
  bars.push([
    `five concurrent alias bombs: each refused with a typed error in < 100 ms (max ${fmt(concurrentMax)} ms)`,
    concurrent.every((a) => a.status === 400 && a.code === 'QUERY_TOO_COMPLEX') && concurrentMax < 100,
  ]);

  // The probe alone first: on a shared machine its p99 without any flood is the floor of the flood's.
  const baseline: number[] = [];
  const baselineUntil = performance.now() + Math.min(5, seconds) * 1000;
  while (performance.now() < baselineUntil) baseline.push((await send(api.url, PROBE)).ms);
  baseline.sort((a, b) => a - b);
  process.stdout.write(`\nprobe alone: ${baseline.length} requests, p50 ${fmt(quantile(baseline, 0.5))} ms, p99 ${fmt(quantile(baseline, 0.99))} ms (load ${loadavg().map((l) => l.toFixed(1)).join(' ')})\n`);

  // The flood: FLOOD_CLIENTS clients cycling through the shapes, one probe client, RSS sampled.
  process.stdout.write(`flood: ${floodClients} clients sending the three shapes for ${seconds} s, one client sending ${PROBE}\n`);
  const until = performance.now() + seconds * 1000;
  let peak = idle ?? 0;
  const sampler = setInterval(() => {
    const now = rss(pid);
    if (now !== null && now > peak) peak = now;
  }, 50);
  let refused = 0;
  let other = 0;
  const flooders = Array.from({ length: floodClients }, async (_, c) => {
    for (let i = c; performance.now() < until; i++) {
      const a = await send(api.url, SHAPES[i % SHAPES.length]![1]);
      if (a.status === 400 && a.code === 'QUERY_TOO_COMPLEX') refused++;
      else other++;
    }
  });
  const probeTimes: number[] = [];
  let probeErrors = 0;
  const prober = (async () => {
    while (performance.now() < until) {
      const a = await send(api.url, PROBE);
      if (a.status !== 200 || a.code !== undefined) probeErrors++;
      probeTimes.push(a.ms);
    }
  })();
  await Promise.all([...flooders, prober]);
  clearInterval(sampler);
  probeTimes.sort((a, b) => a - b);
  const p99 = quantile(probeTimes, 0.99);
  const growth = idle === null ? null : (peak - idle) / MiB;
  process.stdout.write(`  abusive requests refused: ${refused} (${(refused / seconds).toFixed(0)}/s), other answers: ${other}\n`);
  process.stdout.write(`  probe: ${probeTimes.length} requests, ${probeErrors} errors, p50 ${fmt(quantile(probeTimes, 0.5))} ms, p99 ${fmt(p99)} ms, max ${fmt(probeTimes[probeTimes.length - 1]!)} ms\n`);
  process.stdout.write(`  server RSS: idle ${idle === null ? 'n/a' : (idle / MiB).toFixed(0)} MiB, peak ${(peak / MiB).toFixed(0)} MiB, growth ${growth === null ? 'n/a' : growth.toFixed(0)} MiB\n`);
  bars.push([`flood: every abusive request refused (${other} other answers)`, other === 0 && refused > 0]);
  bars.push([`flood: probe p99 < 50 ms (${fmt(p99)} ms, ${probeErrors} errors)`, p99 < 50 && probeErrors === 0]);
  bars.push([`flood: server RSS within 300 MiB of idle (+${growth === null ? 'n/a' : growth.toFixed(0)} MiB)`, growth !== null && growth < 300]);

  printBars(bars);
} finally {
  for (const child of children) child.kill('SIGTERM');
  rmSync(journalDir, { recursive: true, force: true });
}
