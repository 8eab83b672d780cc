/**
 * `npm run bench:neo4j`: the production store's figures on the full data (ICDKG_DATA_DIR, default
 * ../shared/data) and a live Neo4j: NEO4J_URI if set, otherwise the local one of
 * `npm run neo4j:start` (started here if it is not running, and stopped again at the end).
 * THE DATABASE IS EMPTIED FIRST.
 *
 *   1. `icdkg seed` (the CLI, in a child process) into the empty database, timed (bar <= 180 s),
 *      then again: counts and a checksum of all nodes and relationships must be identical;
 *   2. the API (`icdkg serve`, child processes) on Neo4j and, beside it, on the memory store:
 *      (a) code(code:"I25.2"){title parent{code} ancestors{code}}: p99 at 10 connections
 *          (bar <= 30 ms) and req/s at 50 connections (bar >= 1000);
 *      (b) searchCodes(text:"ишемическая болезнь", first:10){code}: req/s at 50 connections
 *          (bar >= 300);
 *   3. evaluateCoding of a 3,000-document layer (gold with every 7th mention dropped, written
 *      through the store's putLayer) against gold, through the API: median of 3 (bar <= 3 s).
 *
 * Env: BENCH_SECONDS (10 per figure), BENCH_WARMUP_SECONDS (3).
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { loadConfig } from '../src/config.js';
import { createNeo4jStore } from '../src/graph/neo4j/createNeo4jStore.js';
import { graphSummary } from '../test/neo4j/graphChecksum.js';
import { boltUri, localNeo4jOptions, runningPid, startLocalNeo4j, stopLocalNeo4j, DEV_PASSWORD } from '../tools/neo4j/localNeo4j.js';
import { startChild } from './startChild.js';
import { cpuSeconds } from './report.js';
import { emptyDatabase } from '../tools/neo4j/emptyDatabase.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dataDir = path.resolve(root, process.env.ICDKG_DATA_DIR ?? '../shared/data');
const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const warmup = Number(process.env.BENCH_WARMUP_SECONDS ?? 3);

const QUERY_A = '{ code(code: "I25.2") { title parent { code } ancestors { code } } }';
const QUERY_B = '{ searchCodes(text: "ишемическая болезнь", first: 10) { code } }';
const LAYER = 'system:bench-neo4j';
const QUERY_EVAL = `{ evaluateCoding(corpus: "ruccod", gold: "gold", predicted: "${LAYER}") { documents codeAssignment { f1 } nerLinking { f1 } } }`;

const local = localNeo4jOptions();
let startedHere = false;
if (!process.env.NEO4J_URI) {
  const r = await startLocalNeo4j(local);
  startedHere = !r.alreadyRunning;
  process.env.NEO4J_URI = r.uri;
  process.env.NEO4J_PASSWORD ||= DEV_PASSWORD;
} else if (process.env.NEO4J_URI === boltUri(local) && runningPid(local) === null) {
  throw new Error(`NEO4J_URI is ${boltUri(local)} but the local Neo4j is not running: npm run neo4j:start`);
}
const neoEnv = { NEO4J_URI: process.env.NEO4J_URI, NEO4J_USERNAME: process.env.NEO4J_USERNAME ?? 'neo4j', NEO4J_PASSWORD: process.env.NEO4J_PASSWORD ?? '' };
const config = loadConfig();

function seed(): Promise<number> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'seed', '--data-dir', dataDir, '--batch-size', '2000'], {
      cwd: root,
      env: { ...process.env, ...neoEnv, ICDKG_LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let err = '';
    child.stdout!.resume();
    child.stderr!.on('data', (c: Buffer) => (err = (err + c.toString()).slice(-4000)));
    child.once('exit', (code) => (code === 0 ? resolve((performance.now() - t0) / 1000) : reject(new Error(`icdkg seed exited with ${code}: ${err}`))));
  });
}

async function load(url: string, query: string, connections: number, duration: number): Promise<autocannon.Result> {
  const result = await autocannon({ url, connections, duration, method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) });
  const bad = result.non2xx + result.errors + result.timeouts;
  if (bad > 0) throw new Error(`${query}: ${bad} failed requests`);
  return result;
}

/** CPU time per request of each process (µs), over one `load` run: machine load does not inflate it much, unlike latency. */
async function loadWithCpu(url: string, query: string, connections: number, duration: number, pids: (number | null)[]): Promise<{ result: autocannon.Result; cpuUs: (number | null)[] }> {
  const before = pids.map((pid) => (pid === null ? null : cpuSeconds(pid)));
  const result = await load(url, query, connections, duration);
  const cpuUs = pids.map((pid, i) => {
    const after = pid === null ? null : cpuSeconds(pid);
    const b = before[i];
    return after === null || b === null || b === undefined ? null : ((after - b) * 1e6) / Math.max(1, result.requests.total);
  });
  return { result, cpuUs };
}

const us = (v: number | null | undefined) => (v === null || v === undefined ? 'n/a' : `${v.toFixed(0)} µs`);

async function ask(url: string, query: string): Promise<Record<string, unknown>> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) });
  const body = (await res.json()) as { data?: Record<string, unknown>; errors?: unknown[] };
  if (res.status !== 200 || body.errors) throw new Error(`${query.slice(0, 60)} answered ${res.status}: ${JSON.stringify(body.errors ?? body).slice(0, 500)}`);
  return body.data!;
}

const out = (line: string) => process.stdout.write(`${line}\n`);
const children: ChildProcess[] = [];
const journalDir = mkdtempSync(path.join(tmpdir(), 'icdkg-bench-neo4j-'));
const bars: [string, boolean][] = [];
try {
  out(`bench:neo4j on ${dataDir} against ${config.neo4j.uri}; ${seconds} s per figure after ${warmup} s of warm-up`);

  // 1. Seed, twice.
  await emptyDatabase(config);
  const seedSeconds = await seed();
  const first = await graphSummary(config);
  out(`seed into an empty Neo4j: ${seedSeconds.toFixed(1)} s (${Object.entries(first.counts).map(([k, v]) => `${k} ${v}`).join(', ')})`);
  const reseedSeconds = await seed();
  const second = await graphSummary(config);
  const same = JSON.stringify(second) === JSON.stringify(first);
  out(`second seed: ${reseedSeconds.toFixed(1)} s; counts and checksum ${same ? 'identical' : 'DIFFERENT'} (sha256 ${first.checksum.slice(0, 16)}…${same ? '' : ` vs ${second.checksum.slice(0, 16)}…`})`);
  bars.push([`full seed into an empty Neo4j = ${seedSeconds.toFixed(1)} s (bar <= 180 s)`, seedSeconds <= 180]);
  bars.push([`second seed changes nothing (counts + checksum)`, same]);

  // The 3,000-document predicted layer, written through the store.
  const store = await createNeo4jStore(config);
  try {
    const ids = await store.listDocumentIds('ruccod', null);
    const gold = await store.getLayer('ruccod', 'gold', ids);
    let k = 0;
    // The store keys mentions by id; RuCCoD reuses T ids (a T with two codes gives two mentions).
    const uniqueIds = <T extends { id: string }>(mentions: T[]): T[] => {
      const seen = new Map<string, number>();
      return mentions.map((m) => {
        const n = (seen.get(m.id) ?? 0) + 1;
        seen.set(m.id, n);
        return n === 1 ? m : { ...m, id: `${m.id}#${n}` };
      });
    };
    await store.putLayer('ruccod', LAYER, gold.map((d) => ({ ...d, layer: LAYER, mentions: uniqueIds(d.mentions.filter(() => ++k % 7 !== 0)) })));
    out(`wrote layer ${LAYER}: ${gold.length} documents`);
  } finally {
    await store.close();
  }

  // 2. The API on Neo4j and on the memory store.
  const onNeo4j = await startChild(['src/cli/main.ts', 'serve', '--port', '0'], { ...neoEnv, NODE_ENV: 'production', ICDKG_LOG_LEVEL: 'warn' });
  children.push(onNeo4j.child);
  const onMemory = await startChild(['src/cli/main.ts', 'serve', '--port', '0', '--data-dir', dataDir], { NEO4J_URI: '', NODE_ENV: 'production', ICDKG_LOG_LEVEL: 'warn', ICDKG_JOURNAL_DIR: journalDir });
  children.push(onMemory.child);
  for (const url of [onNeo4j.url, onMemory.url]) {
    await ask(url, QUERY_A);
    await ask(url, QUERY_B);
    if (warmup > 0) {
      await load(url, QUERY_A, 50, warmup);
      await load(url, QUERY_B, 50, warmup);
    }
  }
  out(`load average before: ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  const a10 = await load(onNeo4j.url, QUERY_A, 10, seconds);
  const a10mem = await load(onMemory.url, QUERY_A, 10, seconds);
  out(`(a) code I25.2 + parent + ancestors, 10 conn: neo4j p99 ${a10.latency.p99} ms (p50 ${a10.latency.p50} ms); memory p99 ${a10mem.latency.p99} ms`);
  // The JVM's pid when the database is the local Neo4j of this machine (its CPU per lookup shows the round trips).
  const jvm = config.neo4j.uri === boltUri(local) ? runningPid(local) : null;
  const a50run = await loadWithCpu(onNeo4j.url, QUERY_A, 50, seconds, [onNeo4j.child.pid ?? null, jvm]);
  const a50memRun = await loadWithCpu(onMemory.url, QUERY_A, 50, seconds, [onMemory.child.pid ?? null]);
  const a50 = a50run.result;
  const a50mem = a50memRun.result;
  out(`(a) code I25.2 + parent + ancestors, 50 conn: neo4j ${a50.requests.average.toFixed(0)} req/s; memory ${a50mem.requests.average.toFixed(0)} req/s`);
  out(`    CPU per request: API on neo4j ${us(a50run.cpuUs[0])} + Neo4j JVM ${us(a50run.cpuUs[1])}; API on memory ${us(a50memRun.cpuUs[0])}`);
  const b50 = await load(onNeo4j.url, QUERY_B, 50, seconds);
  const b50mem = await load(onMemory.url, QUERY_B, 50, seconds);
  out(`(b) searchCodes "ишемическая болезнь", 50 conn: neo4j ${b50.requests.average.toFixed(0)} req/s (p99 ${b50.latency.p99} ms); memory ${b50mem.requests.average.toFixed(0)} req/s`);
  bars.push([`(a) p99 at 10 connections on Neo4j = ${a10.latency.p99} ms (bar <= 30 ms)`, a10.latency.p99 <= 30]);
  bars.push([`(a) at 50 connections on Neo4j = ${a50.requests.average.toFixed(0)} req/s (bar >= 1000; memory ${a50mem.requests.average.toFixed(0)})`, a50.requests.average >= 1000]);
  bars.push([`(b) searchCodes at 50 connections on Neo4j = ${b50.requests.average.toFixed(0)} req/s (bar >= 300)`, b50.requests.average >= 300]);

  // 3. evaluateCoding of the 3,000-document layer against gold.
  const times: number[] = [];
  let documents = 0;
  for (let i = 0; i < 3; i++) {
    const t0 = performance.now();
    const data = (await ask(onNeo4j.url, QUERY_EVAL)) as { evaluateCoding: { documents: number } };
    times.push((performance.now() - t0) / 1000);
    documents = data.evaluateCoding.documents;
  }
  times.sort((x, y) => x - y);
  out(`evaluateCoding ${LAYER} vs gold on Neo4j: ${documents} documents, median ${times[1]!.toFixed(2)} s (runs ${times.map((t) => t.toFixed(2)).join(', ')})`);
  bars.push([`evaluateCoding of a ${documents}-document layer on Neo4j = ${times[1]!.toFixed(2)} s (bar <= 3 s)`, times[1]! <= 3]);
  out(`load average after: ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);

  out('');
  for (const [line, ok] of bars) out(`${ok ? 'PASS' : 'FAIL'}  ${line}`);
  if (bars.some(([, ok]) => !ok)) process.exitCode = 1;
} finally {
  for (const child of children) child.kill('SIGTERM');
  rmSync(journalDir, { recursive: true, force: true });
  if (startedHere) await stopLocalNeo4j(local);
}
