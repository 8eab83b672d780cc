/**
 * `npm run bench:ui`: the explorer's budgets.
 *
 * - JavaScript: the gzipped size of what the first page loads (entry chunk and its static
 *   imports; bar: at most 300 KB) and of each lazily loaded view chunk with what it adds (bar: at
 *   most 150 KB each), from esbuild's metafile of `npm run build:web`.
 * - On the full data (ICDKG_DATA_DIR, default ../shared/data) with `npm run demo` loaded into a
 *   throw-away journal: each view interactive (its data drawn) within 1.5 s of navigation, in a
 *   fresh browser context each time (no cache), Debian's Chromium; and the playground's
 *   highlights within 300 ms of the last keystroke.
 *
 *   npm run bench:ui        (BENCH_UI_RUNS=5 navigations per view)
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { CHROMIUM_PATH, launchChromium } from '../test/e2e/browser.js';
import { printBars } from './report.js';
import type { Bar } from './report.js';
import { dataDir, root } from './settings.js';
import { startChild } from './startChild.js';

const RUNS = Number(process.env.BENCH_UI_RUNS ?? 5);
const bars: Bar[] = [];
const kb = (n: number): string => `${(n / 1024).toFixed(1)} KB`;

// 1. Sizes.
execFileSync(process.execPath, ['scripts/build-web.mjs'], { cwd: root, stdio: 'ignore' });
const out = path.join(root, 'dist', 'web');
interface Output { imports: { path: string; kind: string }[]; entryPoint?: string }
const meta = JSON.parse(readFileSync(path.join(out, 'meta.json'), 'utf8')) as { outputs: Record<string, Output> };
const name = (p: string): string => path.basename(p);
const outputs = new Map(Object.entries(meta.outputs).filter(([p]) => p.endsWith('.js')).map(([p, o]) => [name(p), o]));
const gz = (file: string): number => gzipSync(readFileSync(path.join(out, file)), { level: 9 }).length;
function staticClosure(start: string, seen = new Set<string>()): Set<string> {
  if (seen.has(start)) return seen;
  seen.add(start);
  for (const i of outputs.get(start)?.imports ?? []) if (i.kind === 'import-statement') staticClosure(name(i.path), seen);
  return seen;
}
const entry = [...outputs].find(([, o]) => o.entryPoint)![0];
const initial = staticClosure(entry);
const initialBytes = [...initial].reduce((n, f) => n + gz(f), 0);
console.log(`explorer JavaScript (gzip -9), dist/web/:`);
console.log(`  first page: ${[...initial].join(', ')} = ${kb(initialBytes)}`);
bars.push([`first-page JavaScript ${kb(initialBytes)} gzipped (bar <= 300 KB)`, initialBytes <= 300 * 1024]);
const lazy = [...initial].flatMap((f) => (outputs.get(f)?.imports ?? []).filter((i) => i.kind === 'dynamic-import').map((i) => name(i.path)));
let largestLazy = 0;
for (const chunk of lazy) {
  const added = [...staticClosure(chunk)].filter((f) => !initial.has(f));
  const bytes = added.reduce((n, f) => n + gz(f), 0);
  largestLazy = Math.max(largestLazy, bytes);
  console.log(`  lazy ${chunk}: ${added.length} files, ${kb(bytes)}`);
}
bars.push([`largest lazily loaded view ${kb(largestLazy)} gzipped (bar <= 150 KB each)`, largestLazy <= 150 * 1024]);
const total = [...outputs.keys()].reduce((n, f) => n + gz(f), 0);
console.log(`  all chunks together: ${kb(total)}`);

// 2. Timings on the full data.
if (!CHROMIUM_PATH || !existsSync(path.join(dataDir, 'ruccod', 'dev-ids.txt'))) {
  console.log(`\nskipped the timings: ${CHROMIUM_PATH ? `no full data at ${dataDir} (ICDKG_DATA_DIR)` : 'no Chromium (apt-get install chromium, or CHROMIUM_PATH)'}`);
  printBars(bars);
} else {
  const tmp = mkdtempSync(path.join(tmpdir(), 'icdkg-bench-ui-'));
  const env = { ICDKG_DATA_DIR: dataDir, ICDKG_JOURNAL_DIR: path.join(tmp, 'journal'), ICDKG_MODELS_DIR: path.join(tmp, 'models'), ICDKG_LOG_LEVEL: 'warn' };
  console.log('\nloading the demo (npm run demo) into a throw-away journal ...');
  execFileSync(process.execPath, ['--import', 'tsx', 'scripts/demo.ts'], { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'inherit'] });
  const { child, url } = await startChild(['src/cli/main.ts', 'serve', '--port', '0'], { ...env, ICDKG_CODER_MODEL: path.join(root, '.icdkg', 'demo', 'coder') });
  const origin = new URL(url).origin;
  const browser = await launchChromium();
  try {
    // Wait until the coder is loaded (the first codeText would otherwise wait for it).
    for (let i = 0; i < 120; i++) {
      const r = (await (await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{ system { coder { state } } }"}' })).json()) as { data: { system: { coder: { state: string } | null } } };
      if (r.data.system.coder?.state === 'READY') break;
      await new Promise((res) => setTimeout(res, 500));
    }
    const views: [string, string, string][] = [
      ['code browser (I25.2 with mentions)', '#/codes/I25.2', '[data-testid="mentions"]'],
      ['coding playground (example text)', '#/playground', '[data-testid="coded-text"] .ent'],
      ['evaluation workbench (ruccod dev)', '#/evaluate?corpus=ruccod&gold=gold&systems=system:lexical&split=dev&level=STRICT', '[data-testid="percode-scatter"]'],
      ['transitions (demo, I25.2)', '#/transitions?cohort=demo', '[data-testid="transition-graph"]'],
      ['patient view (demo)', '#/patients?cohort=demo', '[data-testid="predictions-dp-demo-linked"] tbody tr'],
    ];
    console.log(`\ntime to interactive (navigation to the view's data drawn), fresh context each, ${RUNS} runs:`);
    let worst = 0;
    for (const [label, hash, ready] of views) {
      const ms: number[] = [];
      for (let r = 0; r < RUNS; r++) {
        const context = await browser.newContext();
        const page = await context.newPage();
        const t0 = performance.now();
        await page.goto(`${origin}/${hash}`);
        await page.locator(ready).first().waitFor({ timeout: 15_000 });
        ms.push(performance.now() - t0);
        await context.close();
      }
      ms.sort((a, b) => a - b);
      worst = Math.max(worst, ms[ms.length - 1]!);
      console.log(`  ${label.padEnd(38)} median ${ms[Math.floor(ms.length / 2)]!.toFixed(0)} ms, max ${ms[ms.length - 1]!.toFixed(0)} ms`);
    }
    bars.push([`slowest view interactive in ${worst.toFixed(0)} ms of navigation, worst of ${RUNS} cold runs (bar <= 1500 ms)`, worst <= 1500]);

    // Playground: from the last keystroke to the new text's highlights.
    const page = await browser.newPage();
    await page.goto(`${origin}/#/playground`);
    await page.locator('[data-testid="coded-text"] .ent').first().waitFor();
    const texts = ['ИБС. Стенокардия напряжения ФК II.', 'Гипертоническая болезнь сердца, риск 4.', 'ХОБЛ, обострение. Сахарный диабет 2 типа.', 'Постинфарктный кардиосклероз. ХСН IIА.', 'Хронический гастрит, ремиссия.'];
    const lags: number[] = [];
    // The page notes the time of each input event; the lag is from the last one to the render
    // of the highlights for the whole text (the coded text carries the length it was coded for).
    await page.evaluate(`document.addEventListener('input', () => { window.__lastInput = performance.now(); }, true)`);
    for (const text of texts) {
      const box = page.getByLabel(/diagnosis conclusion/);
      await box.fill('');
      await box.pressSequentially(text, { delay: 30 });
      const lag = await page.evaluate(`new Promise((resolve) => {
        const done = () => { const el = document.querySelector('[data-testid="coded-text"]'); return el && el.getAttribute('data-length') === String(${text.length}); };
        if (done()) return resolve(performance.now() - window.__lastInput);
        const obs = new MutationObserver(() => { if (done()) { obs.disconnect(); resolve(performance.now() - window.__lastInput); } });
        obs.observe(document.body, { subtree: true, childList: true, attributes: true });
      })`);
      lags.push(lag as number);
    }
    const worstLag = Math.max(...lags);
    console.log(`\nplayground: highlights after the last keystroke: ${lags.map((l) => `${l.toFixed(0)} ms`).join(', ')}`);
    bars.push([`playground highlights within ${worstLag.toFixed(0)} ms of the last keystroke, worst of ${texts.length} (bar <= 300 ms)`, worstLag <= 300]);
  } finally {
    await browser.close();
    child.kill();
    rmSync(tmp, { recursive: true, force: true });
  }
  printBars(bars);
}
