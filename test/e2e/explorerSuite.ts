import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { EXPLORER_DIR } from '../../src/http/explorer.js';
import type { TestServer } from '../api/testServer.js';
import { checkedPage, CHROMIUM_PATH, launchChromium, screenshot, seriousViolations } from './browser.js';
import type { CheckedPage } from './browser.js';

/** What a suite runs the explorer against. */
export interface ExplorerSetup {
  server: TestServer;
  /** A corpus with gold and a system layer, that system layer, and a split (`all`: every document). */
  evaluation: { corpus: string; system: string; split: string };
  /** A cohort (a corpus with layers original and linked). */
  cohort: string;
  /** A cohort whose documents name their patients. */
  patients: string;
  /** Whether prediction models exist for the cohort's layers (`dp-<cohort>-<layer>`). */
  models: boolean;
  /** Cleans up after the suite. */
  close(): Promise<void>;
}

/**
 * The explorer's end-to-end tests in real Chromium against a real server: for each view its key
 * interaction, a screenshot under `test-output/explorer/<label>/`, no console error, no request
 * to any other host, and no serious or critical axe-core violation.
 */
export function describeExplorer(label: string, skip: string | null, setup: () => Promise<ExplorerSetup>, setupTimeout = 120_000): void {
  const why = CHROMIUM_PATH === null ? 'no Chromium (apt-get install chromium, or set CHROMIUM_PATH)' : skip;
  if (why) console.warn(`skipped: the explorer's end-to-end tests on ${label}: ${why}`);
  describe.skipIf(why !== null)(`the explorer in Chromium, on ${label}`, () => {
    let browser: Browser;
    let env: ExplorerSetup;
    let origin: string;
    let current: CheckedPage | undefined;
    const shots = `test-output/explorer/${label}`;

    beforeAll(async () => {
      // `npm install` and `npm run build` build it; a checkout without them builds it here.
      if (!existsSync(new URL('index.html', EXPLORER_DIR))) execFileSync(process.execPath, ['scripts/build-web.mjs'], { stdio: 'inherit' });
      // Set-up first: it may build a coder synchronously for minutes, and a browser launched
      // alongside would time out waiting for an event loop that cannot answer it.
      env = await setup();
      browser = await launchChromium();
      origin = new URL(env.server.url).origin;
    }, setupTimeout);
    afterAll(async () => {
      await browser?.close();
      await env?.close();
    });
    afterEach(() => {
      // Every view: nothing failed in the console and nothing was asked of another host.
      if (current) {
        expect(current.consoleErrors).toEqual([]);
        expect(current.foreignRequests).toEqual([]);
      }
      void current?.page.close();
      current = undefined;
    });

    async function open(hash: string): Promise<CheckedPage> {
      current = await checkedPage(browser, origin);
      await current.page.goto(`${origin}/${hash}`);
      return current;
    }
    async function data<T>(query: string, variables?: Record<string, unknown>): Promise<T> {
      const { body } = await env.server.query(query, variables);
      expect(body.errors).toBeUndefined();
      return body.data as T;
    }

    it('code browser: live search, lazy tree, a code page with its mentions', async () => {
      const { page } = await open('#/codes');
      await page.getByLabel('Search codes').fill('ибс');
      const first = page.getByTestId('search-results').locator('li').first();
      await expect.poll(() => first.textContent()).toMatch(/^I2[0-5]/);
      const hits = await data<{ searchCodes: { code: string }[] }>('{ searchCodes(text: "ибс", first: 12) { code } }');
      expect((await page.getByTestId('search-results').locator('li .code').allTextContents())).toEqual(hits.searchCodes.map((h) => h.code));
      // Expand the tree down to I25.2, then open it.
      for (const code of ['I00-I99', 'I20-I25', 'I25']) await page.getByRole('button', { name: `Expand ${code}`, exact: true }).click();
      await page.getByRole('tree').getByRole('link', { name: /^I25\.2 / }).click();
      await expect.poll(() => page.locator('h1').textContent()).toContain('I25.2');
      const code = await data<{ code: { title: string; ancestors: { code: string }[] } }>('{ code(code: "I25.2") { title ancestors { code } } }');
      expect(await page.locator('h1').textContent()).toBe(`I25.2 ${code.code.title}`);
      const crumbs = await page.getByRole('navigation', { name: 'Breadcrumb' }).getByRole('link').allTextContents();
      expect(crumbs).toEqual(code.code.ancestors.map((a) => a.code).reverse());
      await page.getByTestId('mentions').or(page.getByText(/No mention of I25\.2/)).first().waitFor();
      expect(await seriousViolations(page)).toEqual([]);
      await screenshot(page, shots, 'code-browser');
    });

    it('coding playground: highlights with codes, candidates on focus, a click opens the code', async () => {
      const text = 'ИБС. Гипертоническая болезнь сердца. Сахарный диабет 2 типа.';
      const { page } = await open('#/playground');
      await page.getByLabel(/diagnosis conclusion/).fill(text);
      const coded = await data<{ codeText: { entities: { code: string; start: number; end: number; candidates: { code: string }[] }[] } }>(
        'query($t: String!) { codeText(text: $t, topK: 5) { entities { code start end candidates { code } } } }',
        { t: text },
      );
      expect(coded.codeText.entities.length).toBeGreaterThan(0);
      const ents = page.getByTestId('coded-text').locator('.ent');
      await expect.poll(async () => (await ents.evaluateAll((els) => els.map((e) => e.getAttribute('data-code')))).join(' ')).toBe(coded.codeText.entities.map((e) => e.code).join(' '));
      // The highlighted text is exactly the mention's span.
      expect(await ents.first().evaluate((e) => e.lastChild?.textContent ?? '')).toBe(text.slice(coded.codeText.entities[0]!.start, coded.codeText.entities[0]!.end));
      await ents.first().focus();
      const tip = page.getByRole('tooltip');
      const candidates = await tip.locator('td.code').allTextContents();
      expect(candidates).toEqual(coded.codeText.entities[0]!.candidates.map((c) => c.code));
      expect(await seriousViolations(page)).toEqual([]);
      await screenshot(page, shots, 'playground');
      await ents.first().press('Enter');
      await expect.poll(() => page.locator('h1').textContent()).toContain(coded.codeText.entities[0]!.code);
    });

    it('evaluation workbench: picked layers give the metrics evaluateCoding gives', async () => {
      const { corpus, system, split } = env.evaluation;
      const { page } = await open('#/evaluate');
      await page.getByLabel('Corpus').selectOption(corpus);
      await page.getByLabel('Gold layer').selectOption('gold');
      await page.getByLabel('Split').selectOption(split);
      const box = page.getByRole('checkbox', { name: system });
      if (!(await box.isChecked())) await box.check();
      // The table says which selection it shows: wait for this one (not the default split's).
      const row = page.locator(`[data-testid="metrics"][data-corpus="${corpus}"][data-split="${split}"][data-level="STRICT"] tr[data-system="${system}"]`);
      await row.waitFor();
      const e = await data<{ evaluateCoding: { ner: { f1: number }; nerLinking: { f1: number }; codeAssignment: { f1: number }; documentAccuracy: number } }>(
        'query($c: String!, $s: String!, $split: String) { evaluateCoding(corpus: $c, gold: "gold", predicted: $s, split: $split) { ner { f1 } nerLinking { f1 } codeAssignment { f1 } documentAccuracy } }',
        { c: corpus, s: system, split: split === 'all' ? null : split },
      );
      const cell = (metric: string) => row.locator(`[data-metric="${metric}"]`).textContent();
      expect(await cell('ner')).toBe(e.evaluateCoding.ner.f1.toFixed(4));
      expect(await cell('nerLinking')).toBe(e.evaluateCoding.nerLinking.f1.toFixed(4));
      expect(await cell('codeAssignment')).toBe(e.evaluateCoding.codeAssignment.f1.toFixed(4));
      expect(await cell('documentAccuracy')).toBe(e.evaluateCoding.documentAccuracy.toFixed(4));
      await page.getByTestId('percode-scatter').waitFor();
      await page.getByTestId('frequency-histogram').waitFor();
      // Level CATEGORY re-asks; a code's errors open below.
      await page.getByLabel('Level').selectOption('CATEGORY');
      await page.locator('[data-testid="metrics"][data-level="CATEGORY"]').waitFor();
      await page.getByRole('button', { name: /^Show the errors on / }).first().click();
      await page.getByTestId('code-errors').or(page.getByText(/has .* in one layer only|No document among/)).first().waitFor();
      expect(await seriousViolations(page)).toEqual([]);
      await screenshot(page, shots, 'workbench');
    });

    it('transitions: the graph from a code has the nodes and counts of the transitions query', async () => {
      const top = await data<{ transitions: { fromCode: string }[] }>('query($c: String!) { transitions(cohort: $c, first: 300) { fromCode } }', { c: env.cohort });
      expect(top.transitions.length).toBeGreaterThan(0);
      const from = top.transitions.some((t) => t.fromCode === 'I25.2') ? 'I25.2' : top.transitions[0]!.fromCode;
      const { page } = await open(`#/transitions?cohort=${encodeURIComponent(env.cohort)}`);
      const graph = page.getByTestId('transition-graph');
      await graph.waitFor();
      const expected = await data<{ transitions: { toCode: string; count: number }[] }>('query($c: String!, $f: IcdCode!) { transitions(cohort: $c, fromCode: $f, first: 12) { toCode count } }', { c: env.cohort, f: from });
      const drawn = await graph.locator('g[data-to]').evaluateAll((gs) => gs.map((g) => ({ toCode: g.getAttribute('data-to')!, count: Number(g.querySelector('.edge-count')!.textContent) })));
      expect(drawn).toEqual(expected.transitions);
      expect(await page.getByTestId('transition-table').locator('tbody tr').count()).toBeGreaterThan(0);
      if (env.models) await page.getByTestId('shift-scatter').waitFor();
      expect(await seriousViolations(page)).toEqual([]);
      await screenshot(page, shots, 'transitions');
    });

    it("patients: a patient's visits with both layers' codes, and the predictions", async () => {
      const docs = await data<{ documents: { nodes: { patient: string | null }[] } }>('query($c: String!) { documents(corpus: $c, first: 50) { nodes { patient } } }', { c: env.patients });
      const patientId = docs.documents.nodes.find((d) => d.patient)!.patient!;
      const p = await data<{ patient: { appointments: { original: { codes: string[] } }[] } }>('query($c: String!, $p: String!) { patient(cohort: $c, patientId: $p) { appointments { original: layer(name: "original") { codes } } } }', { c: env.patients, p: patientId });
      const { page } = await open(`#/patients?cohort=${encodeURIComponent(env.patients)}&patient=${encodeURIComponent(patientId)}`);
      await page.getByTestId('timeline').waitFor();
      const shown = await page.getByTestId('timeline').locator('.visit').evaluateAll((vs) => vs.map((v) => [...v.querySelectorAll('[aria-label="original codes"] a')].map((a) => a.textContent)));
      expect(shown).toEqual(p.patient.appointments.map((a) => a.original.codes));
      if (env.models) {
        const rows = page.getByTestId(`predictions-dp-${env.patients}-linked`).locator('tbody tr');
        await rows.first().waitFor();
        expect(await rows.count()).toBeGreaterThan(0);
      } else {
        // No model: the view says so in words, with the request id.
        await page.getByRole('alert').first().waitFor();
        expect(await page.getByRole('alert').first().textContent()).toMatch(/request id/);
      }
      expect(await seriousViolations(page)).toEqual([]);
      await screenshot(page, shots, 'patients');
    });
  });
}
