import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GraphStore } from '../../src/graph/GraphStore.js';
import { MemoryStore } from '../../src/graph/memory/MemoryStore.js';
import type { Code, GraphData } from '../../src/graph/model.js';
import { startTestServer } from './testServer.js';
import type { TestServer } from './testServer.js';

/**
 * A synthetic tree big enough for the batching bar: chapter A00-B99, block A00-A09, categories
 * A00..A09 with five subcategories each (A00.0..A09.4): 62 codes.
 */
function syntheticTree(): GraphData {
  const codes: Code[] = [
    { code: 'A00-B99', title: 'Chapter', kind: 'CHAPTER', depth: 0, parent: null, number: 'I' },
    { code: 'A00-A09', title: 'Block', kind: 'BLOCK', depth: 1, parent: 'A00-B99', number: null },
  ];
  for (let c = 0; c < 10; c++) {
    const category = `A0${c}`;
    codes.push({ code: category, title: `Category ${c}`, kind: 'CATEGORY', depth: 2, parent: 'A00-A09', number: null });
    for (let s = 0; s < 5; s++) codes.push({ code: `${category}.${s}`, title: `Sub ${c}.${s}`, kind: 'SUBCATEGORY', depth: 3, parent: category, number: null });
  }
  return { codes, names: [], corpora: [], sources: [], dataVersion: 'synthetic' };
}

/** Wraps a store so that every call of a port method is recorded with its keys. */
function recording(store: GraphStore): { store: GraphStore; calls: { method: string; keys: unknown }[] } {
  const calls: { method: string; keys: unknown }[] = [];
  const proxy = new Proxy(store, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver) as unknown;
      if (typeof value !== 'function' || prop === 'close' || prop === 'info') return value;
      return (...args: unknown[]) => {
        calls.push({ method: String(prop), keys: args[0] });
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return { store: proxy, calls };
}

describe('DataLoader batching', () => {
  let server: TestServer;
  let calls: { method: string; keys: unknown }[];
  beforeAll(async () => {
    const recorded = recording(MemoryStore.open(syntheticTree(), { journalDir: null }));
    calls = recorded.calls;
    server = await startTestServer({ store: recorded.store });
  });
  afterAll(async () => {
    await server?.close();
  });

  const fifty = Array.from({ length: 10 }, (_, c) => Array.from({ length: 5 }, (_, s) => `A0${c}.${s}`)).flat();

  it('a query for 50 codes with parent and children makes at most 3 batched store calls', async () => {
    calls.length = 0;
    const { body } = await server.query('query($k: [IcdCode!]!) { codes(codes: $k) { code parent { code title } children { code } } }', { k: fifty });
    expect(body.errors).toBeUndefined();
    const codes = (body.data as { codes: { code: string; parent: { code: string }; children: unknown[] }[] }).codes;
    expect(codes).toHaveLength(50);
    expect(codes[7]).toEqual({ code: 'A01.2', parent: { code: 'A01', title: 'Category 1' }, children: [] });
    // One batch of 50 codes, then (in the same tick) one batch of the 10 distinct parents and one of 50 children lists.
    expect(calls.map((c) => [c.method, (c.keys as string[]).length])).toEqual([
      ['getCodes', 50],
      ['getCodes', 10],
      ['getChildren', 50],
    ]);
    expect(calls[1]!.keys).toEqual(['A00', 'A01', 'A02', 'A03', 'A04', 'A05', 'A06', 'A07', 'A08', 'A09']);
  });

  it('reads a code once per request, however often the query names it', async () => {
    calls.length = 0;
    await server.query('{ a: code(code: "A01.2") { code } b: code(code: "A01.2") { parent { code } } c: code(code: "A01") { children { code parent { code } } } }');
    // A01 (the parent of A01.2 and of A01's children) is already in the request's cache.
    expect(calls.map((c) => [c.method, c.keys])).toEqual([
      ['getCodes', ['A01.2', 'A01']],
      ['getChildren', ['A01']],
    ]);
  });

  it('does not share loaders between requests', async () => {
    calls.length = 0;
    await server.query('{ code(code: "A01.2") { code } }');
    await server.query('{ code(code: "A01.2") { code } }');
    expect(calls.map((c) => c.method)).toEqual(['getCodes', 'getCodes']);
  });

  it('batches ancestors and lifts of many codes into one call each', async () => {
    calls.length = 0;
    await server.query('query($k: [IcdCode!]!) { codes(codes: $k) { ancestors { code } group(level: CATEGORY) { code } } }', { k: fifty.slice(0, 20) });
    expect(calls.map((c) => [c.method, (c.keys as string[]).length])).toEqual([
      ['getCodes', 20],
      ['getAncestors', 20],
      ['lift', 20],
    ]);
  });
});
