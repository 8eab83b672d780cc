import { chromium } from 'playwright-core';
const b = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
const p = await b.newPage({ viewport: { width: 1280, height: 900 } });
const errors = [];
p.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
p.on('pageerror', (e) => errors.push(String(e)));
for (const h of process.argv.slice(2)) {
  const t = Date.now();
  await p.goto('http://localhost:4556/' + h);
  await p.waitForTimeout(4000);
  console.log(h, await p.locator('main').innerText().then(s => s.slice(0, 300).replace(/\n+/g, ' | ')));
  await p.screenshot({ path: `/tmp/full-${h.replace(/[^a-z0-9]/gi, '')}.png`, fullPage: false });
}
console.log('errors', errors);
await b.close();
