/**
 * `npm run bench:fhir`: the FHIR terminology endpoints and the SKOS export on the full data
 * (issue 16's bars). The API runs in a child process (`icdkg serve`, on ICDKG_DATA_DIR, default
 * ../shared/data), so autocannon's CPU is not charged to it. Measured:
 *   (a) GET /fhir/CodeSystem/$lookup?code=I25.2 against the equivalent GraphQL lookup (title, kind,
 *       parent, children, names), interleaved rounds at 50 connections; bar: FHIR >= 0.6 x GraphQL req/s
 *   (b) GET /fhir/ValueSet/$expand of a whole chapter (isa/<chapter>, every code below it, no paging) at 10
 *       connections, for the largest chapter and for I00-I99, with accept-encoding: gzip as FHIR
 *       clients send it (the largest also without, reported); bar: p99 <= 50 ms
 *   (c) `icdkg export --format skos` of the full tree to a file: the built bin (dist/cli/main.js,
 *       `tsc` run first) as a child process, wall time with the store load, and the export alone as
 *       the command reports it; bar: <= 5 s
 *
 * Env: BENCH_SECONDS (10), BENCH_WARMUP_SECONDS (3), BENCH_ROUNDS (2).
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import http from 'node:http';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { startChild } from './startChild.js';
import { root, dataDir, seconds, warmup, rounds } from './settings.js';
import { cpuSeconds, printBars } from './report.js';

const SYSTEM = 'urn:oid:1.2.643.5.1.13.13.11.1005';

const GRAPHQL_LOOKUP = '{ code(code: "I25.2") { title kind parent { code } children { code } names { text source lang } } }';

interface Target {
  name: string;
  url: string;
  method: 'GET' | 'POST';
  body?: string;
  headers?: Record<string, string>;
}

async function load(t: Target, connections: number, duration: number): Promise<autocannon.Result> {
  const result = await autocannon({
    url: t.url,
    connections,
    duration,
    method: t.method,
    headers: { ...(t.body ? { 'content-type': 'application/json' } : {}), ...t.headers },
    ...(t.body ? { body: t.body } : {}),
  });
  const bad = result.non2xx + result.errors + result.timeouts;
  if (bad > 0) throw new Error(`${t.name}: ${bad} failed requests`);
  return result;
}

async function check(t: Target): Promise<number> {
  const res = await fetch(t.url, { method: t.method, ...(t.body ? { headers: { 'content-type': 'application/json' }, body: t.body } : {}) });
  const text = await res.text();
  if (t.headers?.['accept-encoding']) {
    // fetch inflates what it receives: count the bytes as sent with node:http.
    return new Promise<number>((resolve, reject) => {
      http.get(t.url, { headers: t.headers }, (r) => {
        let n = 0;
        r.on('data', (c: Buffer) => (n += c.length));
        r.on('end', () => resolve(n));
      }).on('error', reject);
    });
  }
  if (res.status !== 200 || text.includes('"errors"') || text.includes('OperationOutcome')) throw new Error(`${t.name} answered ${res.status}: ${text.slice(0, 300)}`);
  return Buffer.byteLength(text);
}

/** Server CPU microseconds per request over a run: unlike latency, barely moved by other load on the machine. */
async function loadWithCpu(t: Target, connections: number, duration: number, pid: number): Promise<{ result: autocannon.Result; cpuUs: number | null }> {
  const before = cpuSeconds(pid);
  const result = await load(t, connections, duration);
  const after = cpuSeconds(pid);
  return { result, cpuUs: before === null || after === null ? null : ((after - before) * 1e6) / result.requests.total };
}

const load3 = () => loadavg().map((l) => l.toFixed(1)).join(' ');

function runCommand(args: string[], env: NodeJS.ProcessEnv): Promise<{ ms: number; stderr: string }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, args, { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.once('exit', (code) => (code === 0 ? resolve({ ms: performance.now() - started, stderr }) : reject(new Error(`${args.join(' ')} exited with ${code}: ${stderr.slice(-500)}`))));
  });
}

const journalDir = mkdtempSync(path.join(tmpdir(), 'icdkg-bench-fhir-'));
const children: ChildProcess[] = [];
try {
  process.stdout.write(`bench:fhir on ${dataDir}: ${seconds} s per figure, after ${warmup} s of warm-up per target\n`);
  const api = await startChild(['src/cli/main.ts', 'serve', '--port', '0', '--data-dir', dataDir], { NODE_ENV: 'production', ICDKG_JOURNAL_DIR: journalDir, ICDKG_LOG_LEVEL: 'warn' });
  children.push(api.child);
  const base = api.url.replace(/\/graphql$/, '');

  // The largest chapter, by the expansion's total.
  const chapters = ((await (await fetch(api.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ chapters { code } }' }) })).json()) as { data: { chapters: { code: string }[] } }).data.chapters.map((c) => c.code);
  const sizes = await Promise.all(
    chapters.map(async (c) => {
      const r = (await (await fetch(`${base}/fhir/ValueSet/$expand?url=${encodeURIComponent(`${SYSTEM}?fhir_vs=isa/${c}`)}&count=0`)).json()) as { expansion: { total: number } };
      return [c, r.expansion.total] as const;
    }),
  );
  const [largest, largestSize] = [...sizes].sort((a, b) => b[1] - a[1])[0]!;
  const cardio = sizes.find(([c]) => c === 'I00-I99');

  const fhirLookup: Target = { name: 'FHIR CodeSystem/$lookup I25.2', url: `${base}/fhir/CodeSystem/$lookup?system=${encodeURIComponent(SYSTEM)}&code=I25.2`, method: 'GET' };
  const gqlLookup: Target = { name: 'GraphQL code(I25.2) equivalent', url: api.url, method: 'POST', body: JSON.stringify({ query: GRAPHQL_LOOKUP }) };
  // As FHIR clients (and browsers) do, the expansions are asked for with accept-encoding: gzip;
  // the largest chapter is also measured uncompressed (reported, not the bar).
  const expandUrl = (c: string) => `${base}/fhir/ValueSet/$expand?url=${encodeURIComponent(`${SYSTEM}?fhir_vs=isa/${c}`)}`;
  const expandTargets: Target[] = [[largest, largestSize] as const, ...(cardio && cardio[0] !== largest ? [cardio] : [])].map(([c, n]) => ({
    name: `FHIR ValueSet/$expand isa/${c} (${n} codes, gzip)`,
    url: expandUrl(c),
    method: 'GET' as const,
    headers: { 'accept-encoding': 'gzip' },
  }));
  const expandIdentity: Target = { name: `FHIR ValueSet/$expand isa/${largest} (identity)`, url: expandUrl(largest), method: 'GET' };
  for (const t of [fhirLookup, gqlLookup, ...expandTargets, expandIdentity]) {
    const bytes = await check(t);
    process.stdout.write(`  ${t.name}: ${bytes} bytes per answer\n`);
    if (warmup > 0) await load(t, 10, warmup);
  }
  process.stdout.write(`load average before: ${load3()} (${availableParallelism()} cores)\n`);

  const pid = api.child.pid!;
  const cpu = (us: number | null) => (us === null ? '' : `, server CPU ${us.toFixed(0)} µs/req`);
  let fhirRequests = 0;
  let gqlRequests = 0;
  let fhirLast: { result: autocannon.Result; cpuUs: number | null } | undefined;
  let gqlLast: { result: autocannon.Result; cpuUs: number | null } | undefined;
  for (let round = 0; round < rounds; round++) {
    gqlLast = await loadWithCpu(gqlLookup, 50, seconds / rounds, pid);
    gqlRequests += gqlLast.result.requests.total;
    fhirLast = await loadWithCpu(fhirLookup, 50, seconds / rounds, pid);
    fhirRequests += fhirLast.result.requests.total;
  }
  const fhirRps = fhirRequests / seconds;
  const gqlRps = gqlRequests / seconds;
  process.stdout.write(`${gqlLookup.name.padEnd(44)} 50 conn: ${gqlRps.toFixed(0).padStart(6)} req/s, p50 ${gqlLast!.result.latency.p50} ms, p99 ${gqlLast!.result.latency.p99} ms${cpu(gqlLast!.cpuUs)} (last round)\n`);
  process.stdout.write(`${fhirLookup.name.padEnd(44)} 50 conn: ${fhirRps.toFixed(0).padStart(6)} req/s, p50 ${fhirLast!.result.latency.p50} ms, p99 ${fhirLast!.result.latency.p99} ms${cpu(fhirLast!.cpuUs)} (last round)\n`);

  const expandResults: [string, autocannon.Result][] = [];
  for (const t of [...expandTargets, expandIdentity]) {
    const { result: r, cpuUs } = await loadWithCpu(t, 10, seconds, pid);
    if (t !== expandIdentity) expandResults.push([t.name, r]);
    process.stdout.write(`${t.name.padEnd(44)} 10 conn: ${(r.requests.total / seconds).toFixed(0).padStart(6)} req/s, p50 ${r.latency.p50} ms, p99 ${r.latency.p99} ms${cpu(cpuUs)}\n`);
  }
  process.stdout.write(`load average after: ${load3()}\n`);
  for (const c of children) c.kill('SIGTERM');
  children.length = 0;

  // The command as users run it: the `icdkg` bin (dist/cli/main.js), built from the sources first.
  await runCommand([path.join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'], {});
  const out = path.join(journalDir, 'icd10.ttl');
  const exportRun = await runCommand(['dist/cli/main.js', 'export', '--format', 'skos', '--out', out, '--data-dir', dataDir], { ICDKG_JOURNAL_DIR: journalDir, ICDKG_LOG_LEVEL: 'warn' });
  const own = /in (\d+) ms/.exec(exportRun.stderr);
  process.stdout.write(`icdkg export --format skos: ${(exportRun.ms / 1000).toFixed(2)} s wall (store load included), export alone ${own ? `${own[1]} ms` : 'n/a'}, ${(statSync(out).size / 1e6).toFixed(1)} MB\n`);

  const ratio = fhirRps / gqlRps;
  const worstP99 = Math.max(...expandResults.map(([, r]) => r.latency.p99));
  const bars = [
    [`$lookup / GraphQL lookup req/s at 50 connections = ${ratio.toFixed(2)} (bar >= 0.60)`, ratio >= 0.6],
    [`$expand of a whole chapter p99 at 10 connections = ${worstP99} ms (bar <= 50 ms)`, worstP99 <= 50],
    [`icdkg export --format skos of the full tree = ${(exportRun.ms / 1000).toFixed(2)} s (bar <= 5 s)`, exportRun.ms <= 5000],
  ] as const;
  printBars(bars);
} finally {
  for (const child of children) child.kill('SIGTERM');
  rmSync(journalDir, { recursive: true, force: true });
}
