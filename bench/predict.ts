/**
 * `npm run bench:predict`: latency of the `predictDiagnoses` query against the real server (a
 * child process, `icdkg serve --port 0`), driven by autocannon with 10 concurrent connections.
 * Bar (issue 6): p99 <= 50 ms. Each request sends a history of the visit's complaints and three
 * earlier visits (complaints, conclusion, codes), rotating over several histories.
 *
 *   ICDKG_DATA_DIR=../shared/data npm run bench:predict [-- --model dp-demo-linked --duration 10]
 *
 * The model is looked up in ICDKG_MODELS_DIR (./models): by default `dp-demo-linked` (written by
 * `npm run experiment:dp`) when present, else `rumedtop3-linear` (`icdkg dp build`).
 */
import type { ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { startChild } from './startChild.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({ options: { model: { type: 'string' }, duration: { type: 'string', default: '10' }, connections: { type: 'string', default: '10' } } });
const modelsDir = path.resolve(process.env.ICDKG_MODELS_DIR ?? path.join(root, 'models'));
const model = values.model ?? ['dp-demo-linked', 'rumedtop3-linear'].find((m) => existsSync(path.join(modelsDir, m, 'manifest.json')));
if (!model) {
  process.stderr.write(`bench:predict: no prediction model in ${modelsDir}; run \`npm run experiment:dp\` or \`icdkg dp build --out models/rumedtop3-linear\`\n`);
  process.exit(2);
}
const BAR_P99_MS = 50;
const connections = Number(values.connections);
const duration = Number(values.duration);

// Histories written for the bench (not patient data).
const COMPLAINTS = [
  'Жалобы на давящие боли за грудиной при ходьбе, одышку при подъёме на 2 этаж.',
  'Жалобы на головную боль в затылочной области, повышение АД до 170/100.',
  'Жалобы на сухость во рту, жажду, учащённое мочеиспускание.',
  'Боли в поясничном отделе позвоночника при наклонах, иррадиация в левую ногу.',
  'Кашель с мокротой, температура 37,8, слабость в течение 3 дней.',
];
const EARLIER = [
  { date: '2021-01-10', complaints: 'Головокружение, шум в ушах.', conclusion: 'Гипертоническая болезнь II стадии. Церебральный атеросклероз.', codes: ['I11.9', 'I67.2'] },
  { date: '2021-04-02', complaints: 'Давящие боли в груди при нагрузке.', conclusion: 'ИБС: стенокардия напряжения ФК II.', codes: ['I20.8'] },
  { date: '2021-09-15', complaints: 'Контроль давления.', conclusion: 'Гипертоническая болезнь III стадии, риск 4.', codes: ['I11.9'] },
];
const QUERY = 'query($h: PatientHistoryInput!, $m: String!) { predictDiagnoses(history: $h, model: $m, first: 5) { code probability concept { title } } }';
const bodies = COMPLAINTS.map((complaints) => JSON.stringify({ query: QUERY, variables: { h: { complaints, earlier: EARLIER }, m: model } }));

function startServer(): Promise<{ child: ChildProcess; url: string }> {
  return startChild(['src/cli/main.ts', 'serve', '--port', '0'], { ICDKG_MODELS_DIR: modelsDir, ICDKG_LOG_LEVEL: 'warn' });
}

const { child, url } = await startServer();
try {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: bodies[0] });
  const body = (await res.json()) as { errors?: unknown[]; data?: { predictDiagnoses: { code: string }[] } };
  if (res.status !== 200 || body.errors) throw new Error(`predictDiagnoses answered ${res.status}: ${JSON.stringify(body).slice(0, 500)}`);
  // Warm-up (JIT, model load), then the measured run.
  await autocannon({ url, connections, duration: 2, requests: bodies.map((b) => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body: b })) });
  const result = await autocannon({ url, connections, duration, requests: bodies.map((b) => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body: b })) });
  const bad = result.non2xx + result.errors + result.timeouts;
  const load = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  process.stdout.write(
    `bench:predict model ${model}, ${connections} connections, ${duration} s: ${(result.requests.total / duration).toFixed(0)} req/s, ` +
      `latency p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms, max ${result.latency.max} ms, failed ${bad}\n` +
      `bar p99 <= ${BAR_P99_MS} ms: ${result.latency.p99 <= BAR_P99_MS && bad === 0 ? 'PASS' : 'FAIL'} (load average ${load}; the machine is shared)\n`,
  );
} finally {
  child.kill('SIGTERM');
}
