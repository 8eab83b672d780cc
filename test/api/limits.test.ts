import { Writable } from 'node:stream';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import type { GraphStore } from '../../src/graph/GraphStore.js';
import { startServer } from '../../src/server.js';
import { sampleData } from '../fixtures/sample.js';
import { TEST_STORE, fixtureStore, startTestServer, testConfig, useTestServer } from './testServer.js';

describe('limits', () => {
  const api = useTestServer({ config: { limits: { ...testConfig().limits, maxDepth: 4, maxFirst: 50, maxBodyBytes: 2000 } } });

  it('answers a query at the depth limit', async () => {
    // code > parent > parent > code: 4 levels.
    const { status, body } = await api.server.query('{ code(code: "I25.2") { parent { parent { code } } } }');
    expect(status).toBe(200);
    expect(body).toEqual({ data: { code: { parent: { parent: { code: 'I20-I25' } } } } });
  });

  it('refuses a query one level deeper, fragments included, before running it', async () => {
    const { status, body } = await api.server.query(
      'query Deep { code(code: "I25.2") { ...P } } fragment P on Code { parent { parent { parent { code } } } }',
    );
    expect(status).toBe(400);
    expect(body.errors?.map((e) => [e.extensions?.code, e.message])).toEqual([
      ['QUERY_TOO_COMPLEX', 'Operation "Deep" is nested deeper than the limit of 4 levels'],
    ]);
  });

  it('does not count introspection against the depth limit', async () => {
    const { status } = await api.server.query('{ __schema { types { fields { type { ofType { ofType { name } } } } } } }');
    expect(status).toBe(200);
  });

  it('caps every first', async () => {
    const { body } = await api.server.query('{ documents(corpus: "fixture", first: 51) { totalCount } code(code: "I25") { mentions(first: 50) { totalCount } } }');
    expect(body.errors?.map((e) => [e.extensions?.code, e.message, e.path])).toEqual([['BAD_USER_INPUT', 'first must be between 0 and 50, got 51', ['documents']]]);
    const negative = await api.server.query('{ searchCodes(text: "ИБС", first: -1) { code } }');
    expect(negative.body.errors?.map((e) => e.message)).toEqual(['first must be between 0 and 50, got -1']);
  });

  it('caps the number of keys of codes()', async () => {
    const keys = Array.from({ length: 51 }, (_, i) => `A${String(i).padStart(2, '0')}`);
    const { body } = await api.server.query('query($k: [IcdCode!]!) { codes(codes: $k) { code } }', { k: keys });
    expect(body.errors?.map((e) => e.message)).toEqual(['codes (number of keys) must be between 0 and 50, got 51']);
  });

  it('refuses a body over the size limit with 413', async () => {
    const query = `{ chapters { code } } # ${'x'.repeat(2000)}`;
    const res = await fetch(api.server.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) });
    expect(res.status).toBe(413);
    expect(await res.json()).toEqual({
      errors: [{ message: 'Request body exceeds 2000 bytes', extensions: { code: 'PAYLOAD_TOO_LARGE', requestId: res.headers.get('x-request-id') } }],
    });
  });

  it('refuses an oversized chunked body (no content-length) with 413', async () => {
    const big = JSON.stringify({ query: `{ chapters { code } } # ${'x'.repeat(5000)}` });
    const stream = new ReadableStream({
      start(controller) {
        controller.enqueue(new TextEncoder().encode(big));
        controller.close();
      },
    });
    const res = await fetch(api.server.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: stream, duplex: 'half' } as RequestInit);
    expect(res.status).toBe(413);
  });

  it('answers a malformed JSON body with 400', async () => {
    const res = await fetch(api.server.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query": ' });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { errors: { message: string }[] }).errors[0]!.message).toBe('The request body is not valid JSON');
  });
});

describe('CSRF prevention', () => {
  const api = useTestServer();

  const get = (headers: Record<string, string> = {}) => fetch(`${api.server.url}?query=${encodeURIComponent('{ chapters { code } }')}`, { headers });

  it('refuses a GET without a preflight header', async () => {
    const res = await get();
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('CSRF');
  });

  it('answers a GET with apollo-require-preflight', async () => {
    const res = await get({ 'apollo-require-preflight': 'true' });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ data: { chapters: ['E00-E90', 'F00-F99', 'H00-H59', 'I00-I99', 'J00-J99', 'K00-K93'].map((code) => ({ code })) } });
  });

  it('refuses a POST with a simple content type (text/plain, form) without the header', async () => {
    for (const type of ['text/plain', 'application/x-www-form-urlencoded']) {
      const res = await fetch(api.server.url, { method: 'POST', headers: { 'content-type': type }, body: JSON.stringify({ query: '{ chapters { code } }' }) });
      expect(res.status, type).toBe(400);
      expect(await res.text(), type).toContain('CSRF');
    }
  });
});

describe('request ids and health', () => {
  const api = useTestServer();

  it('echoes a client x-request-id, generates one otherwise, and replaces an unsafe one', async () => {
    expect((await api.server.query('{ chapters { code } }', undefined, { 'x-request-id': 'abc-123' })).headers.get('x-request-id')).toBe('abc-123');
    expect((await api.server.query('{ chapters { code } }')).headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect((await api.server.query('{ chapters { code } }', undefined, { 'x-request-id': 'a b\tc' })).headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('reports health with the store status', async () => {
    const res = await fetch(api.server.url.replace('/graphql', '/health'));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok', available: true, store: TEST_STORE, sample: false, dataVersion: (await sampleData()).dataVersion });
  });

  it('answers 503 when the store is unavailable', async () => {
    const store = await fixtureStore();
    const down = new Proxy(store, {
      get(target, prop, receiver) {
        if (prop === 'info') return async () => ({ ...(await target.info()), available: false });
        return Reflect.get(target, prop, receiver);
      },
    });
    const s = await startTestServer({ store: down });
    try {
      const res = await fetch(s.url.replace('/graphql', '/health'));
      expect(res.status).toBe(503);
      expect(((await res.json()) as { status: string }).status).toBe('unavailable');
      expect((await s.query('{ system { available counts { codes } } }')).body).toEqual({ data: { system: { available: false, counts: null } } });
    } finally {
      await s.close();
    }
  });

  it('answers 404 elsewhere', async () => {
    expect((await fetch(api.server.url.replace('/graphql', '/nope'))).status).toBe(404);
  });
});

describe('masking internal errors', () => {
  it('answers INTERNAL_SERVER_ERROR with the request id, and logs the details with it', async () => {
    const lines: string[] = [];
    const logger = pino({ level: 'info' }, new Writable({ write: (chunk, _enc, done) => (lines.push(String(chunk)), done()) }));
    const store = await fixtureStore();
    const broken = new Proxy(store, {
      get(target, prop, receiver) {
        if (prop === 'getChildren') return async () => { throw new Error('disk on fire at /var/secret'); };
        return Reflect.get(target, prop, receiver);
      },
    }) as GraphStore;
    const running = await startServer(testConfig(), { store: broken, logger });
    try {
      const res = await fetch(running.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-request-id': 'req-42' },
        body: JSON.stringify({ query: '{ code(code: "I25") { code children { code } } }' }),
      });
      const text = await res.text();
      expect(text).not.toContain('disk on fire');
      expect(JSON.parse(text)).toEqual({
        data: { code: null },
        errors: [
          {
            message: 'Internal error (request id req-42)',
            locations: [{ line: 1, column: 28 }],
            path: ['code', 'children'],
            extensions: { code: 'INTERNAL_SERVER_ERROR', requestId: 'req-42' },
          },
        ],
      });
      const logged = lines.map((l) => JSON.parse(l) as { msg: string; requestId?: string; err?: { message: string } }).find((l) => l.msg === 'internal error');
      expect(logged).toMatchObject({ requestId: 'req-42', err: { message: 'disk on fire at /var/secret' } });
    } finally {
      await running.close();
    }
  });
});

describe('production mode', () => {
  const api = useTestServer({ env: { NODE_ENV: 'production' } });

  it('refuses introspection', async () => {
    const { status, body } = await api.server.query('{ __schema { queryType { name } } }');
    expect(status).toBe(400);
    expect(body.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(body.errors?.[0]?.message).toContain('introspection is not allowed');
  });

  it('serves no landing page', async () => {
    const res = await fetch(api.server.url, { headers: { accept: 'text/html' } });
    expect(await res.text()).not.toContain('<html');
  });

  it('still answers queries', async () => {
    expect((await api.server.query('{ code(code: "I25") { title } }')).body).toEqual({ data: { code: { title: 'Хроническая ишемическая болезнь сердца' } } });
  });

  it('outside production, introspection works and the landing page is the offline one', async () => {
    const dev = await startTestServer();
    try {
      expect((await dev.query('{ __schema { queryType { name } } }')).body).toEqual({ data: { __schema: { queryType: { name: 'Query' } } } });
      const html = await (await fetch(dev.url, { headers: { accept: 'text/html' } })).text();
      expect(html).toContain('ICD-KG GraphQL');
      expect(html).not.toMatch(/https?:\/\//);
    } finally {
      await dev.close();
    }
  });
});
