import { describe, expect, it } from 'vitest';
import { CircuitBreaker } from '../../src/graph/neo4j/circuitBreaker.js';
import { Neo4jExecutor } from '../../src/graph/neo4j/executor.js';
import type { SessionLike } from '../../src/graph/neo4j/executor.js';
import { Neo4jStore } from '../../src/graph/neo4j/Neo4jStore.js';
import { MemoryStore } from '../../src/graph/memory/MemoryStore.js';
import type { Code } from '../../src/graph/model.js';
import { sampleData } from '../fixtures/sample.js';

const data = await sampleData('fixture');

/**
 * A fake database for the Neo4j store's in-process code tree: answers the tree's stamp and the
 * full code read from `codes` (the fixture's tree), counts both, and can be made unreachable.
 */
function fakeDatabase(codes: readonly Code[] = data.codes) {
  const state = { stampGate: null as Promise<void> | null, stamp: 1, stampReads: 0, treeReads: 0, nameStampReads: 0, nameReads: 0, down: false, codes: [...codes] };
  const open = (): SessionLike => {
    const exec = async <T>(work: (tx: never) => Promise<T>): Promise<T> =>
      work({
        run: async (text: string) => {
          if (state.down) throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:7687'), { code: 'ServiceUnavailable' });
          if (text.includes('COUNT { MATCH ()-[:PARENT]->() }')) {
            await state.stampGate;
            state.stampReads++;
            return { records: [{ toObject: () => ({ dataVersion: 'v', importedAt: String(state.stamp), importing: null, codes: state.codes.length }) }] };
          }
          if (text.includes('COUNT { MATCH (:Name) } AS names')) {
            state.nameStampReads++;
            return { records: [{ toObject: () => ({ dataVersion: 'v', importedAt: String(state.stamp), names: data.names.length }) }] };
          }
          if (text.startsWith('MATCH (n:Name)')) {
            state.nameReads++;
            return { records: data.names.map((n, ord) => ({ toObject: () => ({ name: { ...n, ord } }) })) };
          }
          if (text.startsWith('MATCH (c:Code)')) {
            state.treeReads++;
            return { records: state.codes.map((c) => ({ toObject: () => ({ code: { ...c } }) })) };
          }
          throw new Error(`unexpected statement ${text.split('\n')[0]}`);
        },
      } as never);
    return { executeRead: exec, executeWrite: exec, close: async () => undefined };
  };
  let now = 0;
  const clock = { now: () => now, advance: (ms: number) => (now += ms) };
  const breaker = new CircuitBreaker(async () => !state.down, { suspectAfterMs: 250, retryIntervalMs: 500 }, clock.now);
  const executor = new Neo4jExecutor(open, { transactionTimeoutMs: 1000, deadlineMs: 1000, breaker });
  const store = new Neo4jStore(executor, { stampTtlMs: 1000 }, clock.now);
  return { state, clock, breaker, store };
}

describe('Neo4j store: the in-process code tree and name index', () => {
  it("answers hierarchy reads like the memory store's, from one read of the tree", async () => {
    const { state, store } = fakeDatabase(data.codes);
    const memory = MemoryStore.open(structuredClone(data), { journalDir: null });
    expect(await store.getCodes(['I25.2', 'X99'])).toEqual(await memory.getCodes(['I25.2', 'X99']));
    expect(await store.getAncestors(['I25.2', 'IX', 'X99'])).toEqual(await memory.getAncestors(['I25.2', 'IX', 'X99']));
    expect(await store.getChildren(['I20-I25', 'I25.2'])).toEqual(await memory.getChildren(['I20-I25', 'I25.2']));
    expect(await store.getDescendants('IX', Infinity)).toEqual(await memory.getDescendants('IX', Infinity));
    expect(await store.getDescendants('IX', 1)).toEqual(await memory.getDescendants('IX', 1));
    expect(await store.lift(['I25.2', 'I25', 'IX', 'X99'], 'CATEGORY')).toEqual(await memory.lift(['I25.2', 'I25', 'IX', 'X99'], 'CATEGORY'));
    expect(await store.chapters()).toEqual(await memory.chapters());
    expect([state.stampReads, state.treeReads]).toEqual([1, 1]);
    await expect(store.lift(['I25.2'], 'SUBCATEGORY' as never)).rejects.toMatchObject({ extensions: { code: 'BAD_USER_INPUT', argumentName: 'level' } });
    await memory.close();
  });

  it('checks the stamp in the background after half the TTL, makes callers wait for it only past the TTL, and reads the tree again only when it changed', async () => {
    const { state, clock, store } = fakeDatabase(data.codes);
    await Promise.all([store.getCodes(['I25']), store.getAncestors(['I25.2']), store.getCodes(['I10'])]);
    expect([state.stampReads, state.treeReads]).toEqual([1, 1]);
    clock.advance(499);
    await store.getCodes(['I25']);
    expect([state.stampReads, state.treeReads]).toEqual([1, 1]);

    // Past half the TTL: answered at once while the stamp read (held back here) runs behind it.
    let release = () => undefined as void;
    state.stampGate = new Promise<void>((r) => (release = r));
    clock.advance(2);
    expect((await Promise.all([store.getCodes(['I25']), store.getCodes(['I10'])])).map((r) => r[0]?.code)).toEqual(['I25', 'I10']);
    expect(state.stampReads).toBe(1);
    release();
    await new Promise((r) => setTimeout(r, 0));
    expect([state.stampReads, state.treeReads]).toEqual([2, 1]);

    // Another process's import: a new stamp, new titles; seen at the first check after it.
    state.codes = state.codes.map((c) => (c.code === 'I25' ? { ...c, title: 'changed' } : c));
    state.stamp++;
    expect((await store.getCodes(['I25']))[0]?.title).not.toBe('changed');
    clock.advance(1001);
    expect((await store.getCodes(['I25']))[0]?.title).toBe('changed');
    expect([state.stampReads, state.treeReads]).toEqual([3, 2]);

    // Past the TTL a caller waits for the check: a database that stopped answering is not hidden.
    clock.advance(1001);
    state.down = true;
    await expect(store.getCodes(['I25'])).rejects.toMatchObject({ extensions: { code: 'SERVICE_UNAVAILABLE' } });
  });

  it('answers SERVICE_UNAVAILABLE, not cached codes, while the breaker is open, and recovers by itself', async () => {
    const { state, clock, breaker, store } = fakeDatabase(data.codes);
    expect((await store.getCodes(['I25.2']))[0]?.parent).toBe('I25');
    state.down = true;
    breaker.trip(); // what any failed call does (health, names, documents)
    await expect(store.getCodes(['I25.2'])).rejects.toMatchObject({ extensions: { code: 'SERVICE_UNAVAILABLE' } });
    await expect(store.getAncestors(['I25.2'])).rejects.toMatchObject({ extensions: { code: 'SERVICE_UNAVAILABLE' } });
    // Past the TTL, the stamp check itself finds the database gone.
    clock.advance(1500);
    await expect(store.chapters()).rejects.toMatchObject({ extensions: { code: 'SERVICE_UNAVAILABLE' } });
    expect(breaker.isOpen).toBe(true);

    state.down = false;
    clock.advance(600); // past the breaker's retry interval: the next read probes, closes it and checks
    expect((await store.getCodes(['I25.2']))[0]?.parent).toBe('I25');
    expect(breaker.isOpen).toBe(false);
    expect(state.treeReads).toBe(1);
  });

  it('does not cache a failed read: the next read tries again', async () => {
    const { state, clock, store } = fakeDatabase(data.codes);
    state.down = true;
    await expect(store.getCodes(['I25'])).rejects.toMatchObject({ extensions: { code: 'SERVICE_UNAVAILABLE' } });
    state.down = false;
    clock.advance(600);
    expect((await store.getCodes(['I25']))[0]?.code).toBe('I25');
    expect(state.treeReads).toBe(1);
  });

  it('keeps the name index of search the same way: names read once, their stamp checked at most once per TTL', async () => {
    const { state, clock, breaker, store } = fakeDatabase();
    const memory = MemoryStore.open(structuredClone(data), { journalDir: null });
    const codes = async (s: { searchNames: Neo4jStore['searchNames'] }, text: string) => (await s.searchNames(text, { first: 5 })).map((h) => h.code);
    expect(await codes(store, 'инфаркт миокарда')).toEqual(await codes(memory, 'инфаркт миокарда'));
    expect(await codes(store, 'ИБС')).toEqual(await codes(memory, 'ИБС'));
    expect([state.nameStampReads, state.nameReads]).toEqual([1, 1]);
    clock.advance(1001);
    await store.searchNames('ИБС', { first: 5 });
    expect([state.nameStampReads, state.nameReads]).toEqual([2, 1]);
    state.down = true;
    breaker.trip();
    await expect(store.searchNames('ИБС', { first: 5 })).rejects.toMatchObject({ extensions: { code: 'SERVICE_UNAVAILABLE' } });
    await memory.close();
  });
});
