import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GRAPHIQL_DIR } from '../../src/http/landingPage.js';
import { startTestServer } from './testServer.js';
import type { TestServer } from './testServer.js';

beforeAll(() => {
  // `npm install` and `npm run build` build it; a fresh checkout without them builds it here.
  if (!existsSync(new URL('graphiql.js', GRAPHIQL_DIR))) execFileSync(process.execPath, ['scripts/build-graphiql.mjs'], { stdio: 'inherit' });
}, 120_000);

describe('GraphiQL, self-hosted', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server?.close();
  });

  it('serves the GraphiQL page to a browser at GET /graphql, and its assets, with no CDN', async () => {
    const page = await fetch(server.url, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('<div id="graphiql">');
    const sources = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);
    expect(sources.sort()).toEqual(['/graphiql/graphiql.css', '/graphiql/graphiql.js']);
    const origin = new URL(server.url).origin;
    const js = await fetch(`${origin}/graphiql/graphiql.js`);
    expect(js.headers.get('content-type')).toMatch(/javascript/);
    const code = await js.text();
    expect(code.length).toBeGreaterThan(200_000);
    expect(code).toContain('graphiql'); // the real GraphiQL bundle, not a stub
    const css = await fetch(`${origin}/graphiql/graphiql.css`);
    expect(css.headers.get('content-type')).toMatch(/css/);
    expect((await css.text())).toContain('.graphiql-container');
    // Nothing is loaded from elsewhere: no remote stylesheet, font or script URL in the assets.
    for (const text of [html, readFileSync(new URL('graphiql.css', GRAPHIQL_DIR), 'utf8')]) expect(text).not.toMatch(/url\(\s*["']?https?:|<script[^>]+src="https?:/);
    expect((await fetch(`${origin}/graphiql/other.js`)).status).toBe(404);
  });
});

describe('GraphiQL in production', () => {
  it('is off (no page, no assets)', async () => {
    const server = await startTestServer({ config: { production: true } });
    try {
      const page = await fetch(server.url, { headers: { accept: 'text/html' } });
      expect(await page.text()).not.toContain('id="graphiql"');
      expect((await fetch(`${new URL(server.url).origin}/graphiql/graphiql.js`)).status).toBe(404);
    } finally {
      await server.close();
    }
  });
});
