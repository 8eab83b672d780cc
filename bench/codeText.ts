/**
 * `npm run bench:codetext`: latency and throughput of `codeText` on the real server with the full
 * data and the default coder (issue 5's bars: p99 <= 20 ms at 10 connections; server RSS <= 1 GiB).
 *
 * The server runs in a child process (`icdkg serve` on ICDKG_DATA_DIR, default ../shared/data), so
 * autocannon's CPU is not charged to it. The coder is the built `models/ruccod-lexical` when
 * present, else trained by the server at start; the bench waits until `system.coder.state` is
 * READY. The conclusions below were written for this bench (none is taken from the data).
 *
 * Env: BENCH_SECONDS (10), BENCH_WARMUP_SECONDS (3), BENCH_CONNECTIONS (10).
 */
import type { ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { startChild } from './startChild.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dataDir = path.resolve(root, process.env.ICDKG_DATA_DIR ?? '../shared/data');
const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const warmup = Number(process.env.BENCH_WARMUP_SECONDS ?? 3);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 10);

const CONCLUSIONS = [
  'ИБС: стенокардия напряжения ФК II. Гипертоническая болезнь II стадии, риск 3.',
  'Хронический гастрит, обострение. Дискинезия ЖВП по гипомоторному типу.',
  'Остеохондроз поясничного отдела позвоночника с корешковым синдромом.',
  'Сахарный диабет 2 типа, субкомпенсация. Диабетическая полинейропатия нижних конечностей.',
  'ОРВИ, острый ринофарингит. Острый трахеит.',
  'Хроническая обструктивная болезнь легких, средней степени тяжести, вне обострения.',
  'Артериальная гипертензия 2 степени. Ожирение 1 степени.',
  'Цереброваскулярная болезнь. Дисциркуляторная энцефалопатия 1 стадии.',
  'Аллергический конъюнктивит обоих глаз.',
  'Железодефицитная анемия легкой степени. Хронический эндометрит.',
  'Бронхиальная астма, смешанная форма, легкое персистирующее течение.',
  'ЖКБ. Хронический калькулезный холецистит вне обострения.',
  'Постинфарктный кардиосклероз. Фибрилляция предсердий, постоянная форма. ХСН IIА.',
  'Острый цистит. Хронический пиелонефрит, латентное течение.',
  'Варикозная болезнь вен нижних конечностей. Хроническая венозная недостаточность.',
  'Аутоиммунный тиреоидит, гипотиреоз, медикаментозная компенсация.',
  'Деформирующий остеоартроз коленных суставов II стадии.',
  'Атопический дерматит, обострение.',
  'Миопия средней степени обоих глаз.',
  'Гастроэзофагеальная рефлюксная болезнь без эзофагита. Язвенная болезнь двенадцатиперстной кишки в стадии ремиссии.',
];
const QUERY = 'query($text: String!) { codeText(text: $text, topK: 3) { codes entities { start end code concept { code } score } } }';

function startServer(journal: string): Promise<{ child: ChildProcess; url: string }> {
  return startChild(['src/cli/main.ts', 'serve', '--port', '0'], { ICDKG_DATA_DIR: dataDir, ICDKG_JOURNAL_DIR: journal, ICDKG_LOG_LEVEL: 'warn' });
}

async function gql(url: string, query: string, variables: Record<string, unknown> = {}): Promise<{ data?: Record<string, unknown>; errors?: unknown[] }> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) });
  return (await res.json()) as { data?: Record<string, unknown>; errors?: unknown[] };
}

function vmRssBytes(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) * 1024 : NaN;
}

// A fixed state folder: the coder the server trains on the first run (when models/ruccod-lexical is
// not built) is kept there per data version and loaded by later runs.
const journal = process.env.ICDKG_JOURNAL_DIR ?? path.join(tmpdir(), 'icdkg-bench-codetext');
mkdirSync(journal, { recursive: true });
const started = performance.now();
const { child, url } = await startServer(journal);
try {
  const listening = (performance.now() - started) / 1000;
  let coder: { kind: string; state: string; source: string | null; loadMs: number | null; error: string | null } | undefined;
  const deadline = Date.now() + 1_200_000;
  // Waiting on codeText itself would also work; polling the status shows how the coder was obtained.
  for (;;) {
    coder = ((await gql(url, '{ system { coder { kind state source loadMs error } } }')).data?.system as { coder: typeof coder }).coder;
    if (coder?.state === 'READY' || coder?.state === 'FAILED' || Date.now() > deadline) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  if (coder?.state !== 'READY') throw new Error(`the coder is not ready: ${JSON.stringify(coder)}`);
  process.stdout.write(`server listening after ${listening.toFixed(1)} s; coder ${coder.kind} ready in ${coder.loadMs} ms (${coder.source})\n`);
  for (const text of CONCLUSIONS) {
    const r = await gql(url, QUERY, { text });
    if (r.errors) throw new Error(`codeText failed: ${JSON.stringify(r.errors)}`);
  }
  const requests = CONCLUSIONS.map((text) => ({ method: 'POST' as const, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: QUERY, variables: { text } }) }));
  const run = (duration: number) => autocannon({ url, connections, duration, requests });
  await run(warmup);
  const result = await run(seconds);
  // The same server answering `{ __typename }`: what the HTTP + GraphQL stack alone costs on this
  // machine right now (a loaded shared machine shows in both p99s).
  const bare = await autocannon({ url, connections, duration: Math.max(3, Math.round(seconds / 2)), method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ __typename }' }) });
  const bad = result.errors + result.timeouts + result.non2xx;
  if (bad > 0) throw new Error(`${bad} failed requests`);
  const system = (await gql(url, '{ system { residentMemoryBytes } }')).data?.system as { residentMemoryBytes: number };
  const rss = vmRssBytes(child.pid!);
  const p99 = result.latency.p99;
  const rps = result.requests.total / result.duration;
  const mib = (b: number) => (b / 1048576).toFixed(0);
  process.stdout.write(
    `codeText at ${connections} connections, ${seconds} s, ${CONCLUSIONS.length} conclusions in rotation: ` +
      `${rps.toFixed(0)} req/s, latency p50 ${result.latency.p50} ms, p99 ${p99} ms\n` +
      `baseline { __typename } on the same server: ${(bare.requests.total / bare.duration).toFixed(0)} req/s, p50 ${bare.latency.p50} ms, p99 ${bare.latency.p99} ms (machine load average ${loadavg()[0]!.toFixed(1)} on ${availableParallelism()} cores)\n` +
      `server RSS after load: ${mib(rss)} MiB (/proc VmRSS), ${mib(system.residentMemoryBytes)} MiB (system.residentMemoryBytes)\n`,
  );
  const bars: [string, boolean][] = [
    [`codeText p99 = ${p99} ms (bar <= 20 ms)`, p99 <= 20],
    [`server RSS = ${mib(rss)} MiB (bar <= 1024 MiB)`, rss <= 1024 ** 3],
  ];
  for (const [line, ok] of bars) process.stdout.write(`${ok ? 'PASS' : 'FAIL'}  ${line}\n`);
} finally {
  child.kill('SIGTERM');
}
