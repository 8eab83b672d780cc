/**
 * `npm run bench:api`: throughput and latency of the GraphQL API on the full data, against a
 * bare Apollo server with the same HTTP wiring (issue 2's bars).
 *
 * Both servers run in child processes (the API through `icdkg serve`, on ICDKG_DATA_DIR,
 * default ../shared/data), so autocannon's own CPU use is not charged to them. Measured:
 *   (a) code(code:"I25.2"){title parent{code} ancestors{code}}
 *   (b) searchCodes(text:"ишемическая болезнь", first:10){code}
 *   bare {__typename} on the bare server
 * at 50 connections for throughput, and (a) at 10 connections for its p99 latency.
 * Bars: (a) >= 0.6 x bare req/s; (a) p99 <= 10 ms at 10 connections; (b) >= 1,500 req/s.
 *
 * Env: BENCH_SECONDS (10), BENCH_WARMUP_SECONDS (3), BENCH_ROUNDS (2).
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { startChild } from './startChild.js';
import { dataDir, seconds, warmup, rounds } from './settings.js';
import { cpuSeconds, printBars } from './report.js';


const QUERY_A = '{ code(code: "I25.2") { title parent { code } ancestors { code } } }';
const QUERY_B = '{ searchCodes(text: "ишемическая болезнь", first: 10) { code } }';
const QUERY_BARE = '{ __typename }';


async function load(url: string, query: string, connections: number, duration: number): Promise<autocannon.Result> {
  return autocannon({
    url,
    connections,
    duration,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query }),
  });
}

/** Checks the query answers without errors before measuring it. */
async function check(url: string, query: string): Promise<void> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) });
  const body = (await res.json()) as { errors?: unknown[] };
  if (res.status !== 200 || body.errors) throw new Error(`${query} answered ${res.status}: ${JSON.stringify(body).slice(0, 500)}`);
}

interface Measured {
  name: string;
  connections: number;
  requests: number;
  seconds: number;
  /** Of the last run (latency percentiles are not merged across runs). */
  p50: number;
  p99: number;
  /** Server CPU microseconds per request: unlike req/s, barely moved by other load on the machine. */
  cpuPerRequestUs: number | null;
}

/** Runs `rounds` load runs of `duration` seconds (interleaved by the caller) and sums them. */
async function run(name: string, url: string, child: ChildProcess, query: string, connections: number, duration: number, into?: Measured): Promise<Measured> {
  const cpuBefore = cpuSeconds(child.pid!);
  const result = await load(url, query, connections, duration);
  const cpuAfter = cpuSeconds(child.pid!);
  const bad = result.non2xx + result.errors + result.timeouts;
  if (bad > 0) throw new Error(`${name}: ${bad} failed requests`);
  const m = into ?? { name, connections, requests: 0, seconds: 0, p50: 0, p99: 0, cpuPerRequestUs: 0 };
  const cpuUs = cpuBefore === null || cpuAfter === null ? null : (cpuAfter - cpuBefore) * 1e6;
  const cpuSoFar = m.cpuPerRequestUs === null ? null : m.cpuPerRequestUs * m.requests;
  m.requests += result.requests.total;
  m.seconds += duration;
  m.p50 = result.latency.p50;
  m.p99 = result.latency.p99;
  m.cpuPerRequestUs = cpuUs === null || cpuSoFar === null ? null : (cpuSoFar + cpuUs) / m.requests;
  return m;
}

function report(m: Measured): number {
  const rps = m.requests / m.seconds;
  process.stdout.write(
    `${m.name.padEnd(38)} ${String(m.connections).padStart(2)} conn: ${rps.toFixed(0).padStart(6)} req/s, ` +
      `latency p50 ${m.p50} ms, p99 ${m.p99} ms` +
      `${m.cpuPerRequestUs === null ? '' : `, server CPU ${m.cpuPerRequestUs.toFixed(0)} µs/req`}\n`,
  );
  return rps;
}

const load3 = () => loadavg().map((l) => l.toFixed(1)).join(' ');

const journalDir = mkdtempSync(path.join(tmpdir(), 'icdkg-bench-'));
const children: ChildProcess[] = [];
try {
  process.stdout.write(`bench:api on ${dataDir}: ${seconds} s per figure (bare and (a) interleaved in ${rounds} rounds), after ${warmup} s of warm-up per query\n`);
  const started = performance.now();
  const api = await startChild(['src/cli/main.ts', 'serve', '--port', '0', '--data-dir', dataDir], {
    NODE_ENV: 'production',
    ICDKG_JOURNAL_DIR: journalDir,
    ICDKG_LOG_LEVEL: 'warn',
  });
  children.push(api.child);
  process.stdout.write(`API server up in ${((performance.now() - started) / 1000).toFixed(1)} s at ${api.url}\n`);
  const bare = await startChild(['bench/bareServer.ts'], { NODE_ENV: 'production', ICDKG_LOG_LEVEL: 'warn' });
  children.push(bare.child);

  for (const [url, query] of [[api.url, QUERY_A], [api.url, QUERY_B], [bare.url, QUERY_BARE]] as const) await check(url, query);
  // Warm up every target (JIT, the garbage of start-up, lazily built indexes) before measuring.
  for (const [url, query] of [[api.url, QUERY_A], [api.url, QUERY_B], [bare.url, QUERY_BARE]] as const) {
    if (warmup > 0) await load(url, query, 50, warmup);
  }
  process.stdout.write(`load average before: ${load3()} (${availableParallelism()} cores)\n`);
  // The ratio compares two servers: interleave their runs so that drifting load on a shared
  // machine hits both alike.
  let bareRun: Measured | undefined;
  let aRun: Measured | undefined;
  for (let round = 0; round < rounds; round++) {
    bareRun = await run('bare {__typename}', bare.url, bare.child, QUERY_BARE, 50, seconds / rounds, bareRun);
    aRun = await run('(a) code I25.2 + parent + ancestors', api.url, api.child, QUERY_A, 50, seconds / rounds, aRun);
  }
  const bareRps = report(bareRun!);
  const aRps = report(aRun!);
  const bRps = report(await run('(b) searchCodes "ишемическая болезнь"', api.url, api.child, QUERY_B, 50, seconds));
  const a10 = await run('(a) at 10 connections', api.url, api.child, QUERY_A, 10, seconds);
  report(a10);
  process.stdout.write(`load average after: ${load3()}\n`);

  const ratio = aRps / bareRps;
  if (aRun!.cpuPerRequestUs !== null && bareRun!.cpuPerRequestUs !== null) {
    process.stdout.write(`server CPU per request, bare / (a) = ${(bareRun!.cpuPerRequestUs / aRun!.cpuPerRequestUs).toFixed(2)} (the req/s ratio a machine without other load would show)\n`);
  }
  const bars = [
    [`(a) / bare req/s at 50 connections = ${ratio.toFixed(2)} (bar >= 0.60)`, ratio >= 0.6],
    [`(a) p99 at 10 connections = ${a10.p99} ms (bar <= 10 ms)`, a10.p99 <= 10],
    [`(b) = ${bRps.toFixed(0)} req/s (bar >= 1500)`, bRps >= 1500],
  ] as const;
  printBars(bars);
} finally {
  for (const child of children) child.kill('SIGTERM');
  rmSync(journalDir, { recursive: true, force: true });
}
