import { existsSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { chromium } from 'playwright-core';
import type { Browser, Page } from 'playwright-core';

/**
 * Debian's Chromium (`apt-get install chromium`, as `.ci/run` does) or `CHROMIUM_PATH`; never a
 * browser download. Null when neither is there (the end-to-end suites then say they skip).
 */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p)) ?? null;

/** Starts headless Chromium. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH!, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
}

/** A page that records console errors, page errors and every request to another host (refused). */
export interface CheckedPage {
  page: Page;
  consoleErrors: string[];
  foreignRequests: string[];
}

/**
 * Opens a page whose requests to any origin but `origin` are refused and recorded, and whose
 * console errors and uncaught exceptions are recorded, so that a test can assert there were none.
 */
export async function checkedPage(browser: Browser, origin: string): Promise<CheckedPage> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const consoleErrors: string[] = [];
  const foreignRequests: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(m.text());
  });
  page.on('pageerror', (e) => consoleErrors.push(String(e)));
  await page.route('**/*', async (route) => {
    const url = route.request().url();
    if (url.startsWith('data:') || new URL(url).origin === origin) return route.continue();
    foreignRequests.push(url);
    return route.abort();
  });
  return { page, consoleErrors, foreignRequests };
}

const require = createRequire(import.meta.url);
const AXE = require.resolve('axe-core/axe.min.js');

/** The serious and critical axe-core violations on the page as it is now (`id: n nodes`). */
export async function seriousViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ path: AXE });
  // A string, evaluated in the page: the test's TypeScript has no DOM types.
  return page.evaluate(`axe.run(document, { resultTypes: ['violations'] }).then((r) => r.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => v.id + ': ' + v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')))`) as Promise<string[]>;
}

/**
 * Saves a full-page screenshot as `<dir>/<name>.png` and returns its path. Whatever the explorer
 * marks `data-corpus-text` (document texts, mention sentences, corpus mention strings) is masked:
 * the screenshots go into the README, and the corpora's texts never leave the data folder.
 */
export async function screenshot(page: Page, dir: string, name: string): Promise<string> {
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true, mask: [page.locator('[data-corpus-text]')], maskColor: '#c9ced6' });
  return file;
}
