import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXPLORER_DIR } from '../../src/http/explorer.js';
import { startTestServer } from './testServer.js';
import type { TestServer } from './testServer.js';

beforeAll(() => {
  // `npm install` and `npm run build` build it; a checkout without them builds it here.
  if (!existsSync(new URL('index.html', EXPLORER_DIR))) execFileSync(process.execPath, ['scripts/build-web.mjs'], { stdio: 'inherit' });
}, 120_000);

describe('the explorer, served by the API server', () => {
  let server: TestServer;
  let origin: string;
  beforeAll(async () => {
    server = await startTestServer();
    origin = new URL(server.url).origin;
  });
  afterAll(async () => {
    await server?.close();
  });

  it('serves its page at / to browsers, with only its own files, nothing from elsewhere', async () => {
    const page = await fetch(`${origin}/`, { headers: { accept: 'text/html,application/xhtml+xml' } });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    const html = await page.text();
    expect(html).toContain('<div id="app">');
    const refs = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!).filter((r) => !r.startsWith('data:'));
    expect(refs.length).toBe(2);
    for (const ref of refs) {
      expect(ref.startsWith('/app/')).toBe(true);
      const res = await fetch(`${origin}${ref}`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(ref.endsWith('.css') ? /text\/css/ : /javascript/);
    }
    // No file of the bundle names another host (no CDN script, style or font).
    for (const file of readdirSync(EXPLORER_DIR)) {
      if (/\.(js|css|html)$/.test(file)) expect(readFileSync(new URL(file, EXPLORER_DIR), 'utf8')).not.toMatch(/(?:src|href)=["']https?:|url\(\s*["']?https?:|import\(["']https?:/);
    }
  });

  it('leaves GraphQL where it was: POST / and GET /graphql answer as before; unknown files are 404', async () => {
    const posted = await fetch(`${origin}/`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ code(code: "I25") { code } }' }) });
    expect(await posted.json()).toEqual({ data: { code: { code: 'I25' } } });
    const graphiql = await (await fetch(server.url, { headers: { accept: 'text/html' } })).text();
    expect(graphiql).not.toContain('<div id="app">');
    expect((await fetch(`${origin}/app/nothing.js`)).status).toBe(404);
    expect((await fetch(`${origin}/app/../package.json`)).status).toBe(404);
  });
});
