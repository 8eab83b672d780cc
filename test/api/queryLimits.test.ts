import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { ApolloServer } from '@apollo/server';
import { buildSchema, parse, validate } from 'graphql';
import type { OperationDefinitionNode } from 'graphql';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apolloDefaults } from '../../src/http/apolloDefaults.js';
import { createHttpServer } from '../../src/http/createHttpServer.js';
import { depthLimit } from '../../src/http/depthLimit.js';
import { redactValues } from '../../src/http/errorMasking.js';
import { aliasAndDirectiveLimit, operationCost } from '../../src/http/queryCost.js';
import { measureTreeBounds } from '../../src/resolvers/queryCost.js';
import { fixtureStore, startTestServer, testConfig } from './testServer.js';
import type { TestServer } from './testServer.js';

/** 30 fragments, each spreading the previous one twice (about 1.3 KB; 2^30 expansions if walked naively). */
function doublingFragments(n = 30, field = 'code'): string {
  const defs = [`fragment F0 on Code { code title }`];
  for (let i = 1; i < n; i++) defs.push(`fragment F${i} on Code { ...F${i - 1} ...F${i - 1} }`);
  return `{ ${field}(code: "I25") { ...F${n - 1} } } ${defs.join(' ')}`;
}

/** `n` aliases of the whole-tree query of the issue. */
function aliasBomb(n: number): string {
  return `{ ${Array.from({ length: n }, (_, i) => `a${i}: chapters { descendants(maxDepth: 10) { code title } }`).join(' ')} }`;
}

describe('operationCost (unit)', () => {
  const schema = buildSchema(`
    type Query { item(id: ID!): Item items(first: Int! = 10): [Item!]! }
    type Item { id: ID! name: String! tags: [String!]! children(first: Int! = 3): [Item!]! }
  `);
  const estimate = ({ fieldName, args, isList }: { fieldName: string; args: Record<string, unknown>; isList: boolean }) =>
    typeof args.first === 'number' ? { multiplier: args.first } : { multiplier: isList ? (fieldName === 'tags' ? 4 : 20) : 1 };
  const cost = (query: string, variables?: Record<string, unknown>) => {
    const document = parse(query);
    const operation = document.definitions.find((d) => d.kind === 'OperationDefinition') as OperationDefinitionNode;
    return operationCost(schema, document, operation, variables, estimate);
  };

  it('charges 1 per field and multiplies list fields by their bound', () => {
    expect(cost('{ item(id: 1) { id name } }')).toBe(3);
    // items: 10 × (1 + id 1 + tags 4 × 1) = 60
    expect(cost('{ items { id tags } }')).toBe(60);
    // items(first: 2): 2 × (1 + children(first: 3): 3 × (1 + 1)) = 14
    expect(cost('{ items(first: 2) { children { id } } }')).toBe(14);
  });

  it('reads variables and defaults', () => {
    expect(cost('query($n: Int!) { items(first: $n) { id } }', { n: 7 })).toBe(14);
    expect(cost('query($n: Int! = 5) { items(first: $n) { id } }')).toBe(10);
  });

  it('counts each spread of a fragment, computing the fragment once (30 doubling fragments)', () => {
    const defs = ['fragment F0 on Item { id name }'];
    for (let i = 1; i < 30; i++) defs.push(`fragment F${i} on Item { ...F${i - 1} ...F${i - 1} }`);
    const started = performance.now();
    expect(cost(`{ item(id: 1) { ...F29 } } ${defs.join(' ')}`)).toBe(1 + 2 ** 29 * 2);
    // Linear, not exponential: a naive walk would take minutes.
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('counts aliases and directives through fragments without re-walking them', () => {
    const defs = ['fragment F0 on Item { a: id b: name @include(if: true) }'];
    for (let i = 1; i < 30; i++) defs.push(`fragment F${i} on Item { ...F${i - 1} ...F${i - 1} }`);
    const document = parse(`{ item(id: 1) { ...F29 } } ${defs.join(' ')}`);
    const errors = validate(schema, document, [aliasAndDirectiveLimit({ maxAliases: 100, maxDirectives: 50 })]);
    expect(errors.map((e) => [e.extensions.limitName, e.extensions.aliases ?? e.extensions.directives, e.extensions.limit])).toEqual([
      ['aliases', 2 ** 30, 100],
      ['directives', 2 ** 29, 50],
    ]);
    const depth = validate(schema, document, [depthLimit(3)]);
    expect(depth).toEqual([]);
  });
});

describe('measureTreeBounds', () => {
  it('measures chapters, height, the largest subtree per depth and names per code on the fixture tree', async () => {
    const store = await fixtureStore();
    const bounds = await measureTreeBounds(store);
    const chapters = await store.chapters();
    expect(bounds.chapters).toBe(chapters.length);
    // The largest subtree within any depth is some chapter's (chapters are the roots).
    const whole = await Promise.all(chapters.map((c) => store.getDescendants(c.code, 99)));
    expect(bounds.subtree[bounds.height]).toBe(Math.max(...whole.map((d) => d.length)));
    const children = await store.getChildren(whole.flat().map((c) => c.code).concat(chapters.map((c) => c.code)));
    expect(bounds.subtree[1]).toBe(Math.max(...children.map((c) => c.length)));
    expect(bounds.height).toBe(Math.max(...whole.flat().map((c) => c.depth)));
  });
});

describe('query limits over HTTP', () => {
  let server: TestServer;
  let whole: number;
  beforeAll(async () => {
    const base = testConfig().limits;
    // maxCost: the measured cost of one whole-tree query passes, two do not (the default's rule).
    const store = await fixtureStore();
    const b = await measureTreeBounds(store);
    whole = b.chapters * (1 + b.subtree[b.height]! * 3);
    server = await startTestServer({ store, config: { limits: { ...base, maxCost: whole + 1, maxResponseBytes: 1_000_000 } } });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('answers one whole-tree query (its cost is under the limit)', async () => {
    const { status, body } = await server.query(aliasBomb(1));
    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
  });

  it('refuses two whole-tree queries by their cost, naming the cost and the limit', async () => {
    const { status, body } = await server.query(aliasBomb(2));
    expect(status).toBe(400);
    expect(body.errors).toEqual([
      {
        message: `The operation's estimated cost ${2 * whole} exceeds the limit of ${whole + 1}`,
        extensions: { code: 'QUERY_TOO_COMPLEX', limitName: 'cost', cost: 2 * whole, limit: whole + 1 },
      },
    ]);
  });

  it('costs with the variables given', async () => {
    const query = 'query($n: Int!) { searchCodes(text: "болезнь", first: $n) { code concept { title } } }';
    expect((await server.query(query, { n: 5 })).body.errors).toBeUndefined();
    const small = await startTestServer({ config: { limits: { ...testConfig().limits, maxCost: 100 } } });
    try {
      expect((await small.query(query, { n: 2 })).body.errors).toBeUndefined();
      const { body } = await small.query(query, { n: 10 });
      // searchCodes: 10 × (10 + code 1 + concept (1 + title 1)) = 130
      expect(body.errors?.map((e) => [e.extensions?.code, e.extensions?.cost, e.extensions?.limit])).toEqual([['QUERY_TOO_COMPLEX', 130, 100]]);
    } finally {
      await small.close();
    }
  });

  it('refuses an alias bomb of 250 by its aliases', async () => {
    const { status, body } = await server.query(aliasBomb(250));
    expect(status).toBe(400);
    expect(body.errors?.map((e) => [e.extensions?.code, e.extensions?.limitName, e.extensions?.aliases, e.extensions?.limit])).toEqual([['QUERY_TOO_COMPLEX', 'aliases', 250, 100]]);
  });

  it('refuses a short document over the alias limit inside Apollo alike (validation rule)', async () => {
    const query = `{ ${Array.from({ length: 101 }, (_, i) => `a${i}: code`).join(' ')} }`;
    expect(query.length).toBeLessThan(2000);
    const { status, body } = await server.query(`{ code(code: "I25") ${query} }`);
    expect(status).toBe(400);
    expect(body.errors?.map((e) => [e.extensions?.code, e.extensions?.limitName, e.extensions?.aliases, e.extensions?.limit])).toEqual([['QUERY_TOO_COMPLEX', 'aliases', 101, 100]]);
  });

  it('refuses an alias bomb of 5,000 by its tokens, before validating it', async () => {
    const { status, body } = await server.query(aliasBomb(5000));
    expect(status).toBe(400);
    expect(body.errors?.map((e) => [e.extensions?.code, e.extensions?.limitName, e.extensions?.limit])).toEqual([['QUERY_TOO_COMPLEX', 'tokens', 5000]]);
  });

  it('refuses 30 doubling fragments by their cost (fragments computed once)', async () => {
    const { status, body } = await server.query(doublingFragments());
    expect(status).toBe(400);
    // code(code:) 1 + 2^29 × (code + title)
    expect(body.errors?.map((e) => [e.extensions?.code, e.extensions?.limitName, e.extensions?.cost])).toEqual([['QUERY_TOO_COMPLEX', 'cost', 1 + 2 ** 30]]);
  });

  it('refuses too many directives', async () => {
    const fields = Array.from({ length: 51 }, () => 'code @include(if: true)').join(' ');
    const { body } = await server.query(`{ code(code: "I25") { ${fields} } }`);
    expect(body.errors?.map((e) => [e.extensions?.code, e.extensions?.limitName, e.extensions?.directives])).toEqual([['QUERY_TOO_COMPLEX', 'directives', 51]]);
  });

  it('answers five concurrent alias bombs with refusals', async () => {
    const answers = await Promise.all(Array.from({ length: 5 }, () => server.query(aliasBomb(250))));
    expect(answers.map((a) => a.body.errors?.[0]?.extensions?.code)).toEqual(Array(5).fill('QUERY_TOO_COMPLEX'));
  });
});

describe('response size cap', () => {
  it('replaces an answer over the cap by RESPONSE_TOO_LARGE with the limit', async () => {
    const server = await startTestServer({ config: { limits: { ...testConfig().limits, maxResponseBytes: 200 } } });
    try {
      expect((await server.query('{ code(code: "I25") { code } }')).body).toEqual({ data: { code: { code: 'I25' } } });
      const { body, headers } = await server.query('{ chapters { code title descendants(maxDepth: 5) { code title } } }');
      expect(body).toEqual({
        errors: [
          {
            message: 'The response exceeds the limit of 200 bytes: ask for fewer fields or smaller pages',
            extensions: { code: 'RESPONSE_TOO_LARGE', limit: 200, requestId: headers.get('x-request-id') },
          },
        ],
      });
    } finally {
      await server.close();
    }
  });
});

describe('exposure', () => {
  it('sends no CORS headers by default, to preflights neither', async () => {
    const server = await startTestServer();
    try {
      const res = await fetch(server.url, { method: 'POST', headers: { 'content-type': 'application/json', origin: 'https://evil.example' }, body: JSON.stringify({ query: '{ chapters { code } }' }) });
      expect(res.headers.get('access-control-allow-origin')).toBeNull();
      const pre = await fetch(server.url, { method: 'OPTIONS', headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'x-anything' } });
      expect(pre.headers.get('access-control-allow-origin')).toBeNull();
      expect(pre.headers.get('access-control-allow-headers')).toBeNull();
    } finally {
      await server.close();
    }
  });

  it('allows the origins of ICDKG_CORS_ORIGINS only, with a fixed list of headers', async () => {
    const server = await startTestServer({ config: { corsOrigins: testConfig({}, { ICDKG_CORS_ORIGINS: 'https://app.example, http://localhost:3000' }).corsOrigins } });
    try {
      const ask = (origin: string) => fetch(server.url, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'x-anything' } });
      const ok = await ask('https://app.example');
      expect(ok.headers.get('access-control-allow-origin')).toBe('https://app.example');
      expect(ok.headers.get('access-control-allow-headers')).not.toContain('x-anything');
      expect((await ask('https://evil.example')).headers.get('access-control-allow-origin')).toBeNull();
    } finally {
      await server.close();
    }
  });

  it('never echoes a long variable value; names the variable and the length', async () => {
    const server = await startTestServer();
    try {
      const text = 'секрет '.repeat(70_000);
      const { body } = await server.query('query($n: Int!) { searchCodes(text: "x", first: $n) { code } }', { n: text });
      expect(body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      expect(body.errors?.[0]?.message).toBe(`Variable "$n" got invalid value <${text.length} characters>; Int cannot represent non-integer value: <${text.length} characters>`);
      const notFound = await server.query('{ corpus(name: "x") { name } documents(corpus: "secret-name") { totalCount } }');
      expect(JSON.stringify(notFound.body)).not.toContain('secret-name');
    } finally {
      await server.close();
    }
  });

  it('answers a persisted query with a wrong hash as a client error (BAD_REQUEST, 400), not an internal one', async () => {
    const server = await startTestServer();
    try {
      const res = await fetch(server.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ chapters { code } }', extensions: { persistedQuery: { version: 1, sha256Hash: 'abc' } } }),
      });
      expect(res.status).toBe(400);
      expect(await res.json()).toEqual({ errors: [{ message: 'provided sha does not match query', extensions: { code: 'BAD_REQUEST' } }] });
    } finally {
      await server.close();
    }
  });

  it('shows the coder model folder by name only in production', async () => {
    const status = { kind: 'lexical', state: 'FAILED', source: '/srv/secret/models/ruccod-lexical', executionProvider: null, loadMs: null, error: 'ENOENT: /srv/secret/models/x' };
    const coder = { status, start: async () => undefined } as never;
    const { startServer } = await import('../../src/server.js');
    const s = await startServer(testConfig({ production: true }), { store: await fixtureStore(), coder });
    try {
      const res = await fetch(s.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ system { coder { source error } } }' }) });
      const text = await res.text();
      expect(JSON.parse(text)).toEqual({ data: { system: { coder: { source: 'ruccod-lexical', error: 'see the server log' } } } });
      expect(text).not.toContain('/srv');
    } finally {
      await s.close();
    }
  });
});

describe('redactValues', () => {
  it('keeps identifiers and paths, replaces values by their length', () => {
    expect(redactValues('Variable "$c" got invalid value "hello" at "c[1]"; bad', false)).toBe('Variable "$c" got invalid value <5 characters> at "c[1]"; bad');
    expect(redactValues('Cannot query field "nosuch" on type "Query".', false)).toBe('Cannot query field "nosuch" on type "Query".');
    expect(redactValues('No corpus "ruccod"', true)).toBe('No corpus <6 characters>');
    expect(redactValues('x "a\\"b"', false)).toBe('x <3 characters>');
  });
});

describe('5xx outside the request pipeline', () => {
  it('is logged with its request id and names it in the answer', async () => {
    const lines: string[] = [];
    const logger = pino({ level: 'info' }, new Writable({ write: (chunk, _enc, done) => (lines.push(String(chunk)), done()) }));
    const apollo = new ApolloServer<{ requestId: string }>({ typeDefs: 'type Query { x: Int }', ...apolloDefaults<{ requestId: string }>(testConfig(), logger) });
    await apollo.start();
    const server = createHttpServer({
      apollo,
      context: () => {
        throw new Error('context failed');
      },
      maxBodyBytes: 10_000,
      health: async () => ({ available: true }),
      logger,
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const res = await fetch(`http://127.0.0.1:${port}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-request-id': 'req-500' }, body: '{"query":"{ x }"}' });
      expect(res.status).toBe(500);
      expect(await res.json()).toEqual({ errors: [{ message: 'Internal error (request id req-500)', extensions: { code: 'INTERNAL_SERVER_ERROR', requestId: 'req-500' } }] });
      const logged = lines.map((l) => JSON.parse(l) as { requestId?: string; status?: number; level: number });
      expect(logged.some((l) => l.requestId === 'req-500' && l.status === 500 && l.level >= 50)).toBe(true);
    } finally {
      await new Promise((resolve) => server.close(resolve));
      await apollo.stop();
    }
  });
});
