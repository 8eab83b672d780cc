import { describe, expect, it } from 'vitest';
import { Neo4jExecutor } from '../../src/graph/neo4j/executor.js';
import type { SessionLike } from '../../src/graph/neo4j/executor.js';
import { Neo4jStore } from '../../src/graph/neo4j/Neo4jStore.js';
import { ImportIncompleteError } from '../../src/graph/neo4j/ImportIncompleteError.js';
import { importRows } from '../../src/graph/neo4j/importRows.js';
import { keys } from '../../src/graph/neo4j/keys.js';
import type { ImportProgress } from '../../src/graph/GraphStore.js';
import { sampleData } from '../fixtures/sample.js';

/** The store contract's data (the sample, layer system:x, corpus ehr), a fresh copy each call. */
const base = await sampleData('system:x', 'ehr');
const fixtureData = () => structuredClone(base);

/**
 * The importer against a recording fake database (no Neo4j): which statements run, in which
 * batches, and what a failure part-way reports. Each `UNWIND $rows` batch "writes" its rows.
 */
function recordingExecutor(failAtCall: number | null = null) {
  const calls: { first: string; rows: number }[] = [];
  const open = (): SessionLike => {
    const exec = async <T>(work: (tx: never) => Promise<T>): Promise<T> =>
      work({
        run: async (text: string, params: Record<string, unknown>) => {
          if (failAtCall !== null && calls.length === failAtCall) {
            throw Object.assign(new Error('Connection was closed by server 10.0.0.9:7687'), { code: 'ServiceUnavailable' });
          }
          const rows = Array.isArray(params.rows) ? params.rows.length : 0;
          calls.push({ first: text.split('\n')[0]!.slice(0, 40), rows });
          return { records: [{ toObject: () => ({ rows, key: 'graph' }) }] };
        },
      } as never);
    return { executeRead: exec, executeWrite: exec, close: async () => undefined };
  };
  return { executor: new Neo4jExecutor(open, { transactionTimeoutMs: 1000, deadlineMs: 1000 }), calls };
}

describe('Neo4j importGraph', () => {
  it('shapes the fixture like the memory adapter: merged layers, sorted mentions, deduplicated codes', () => {
    const rows = importRows(fixtureData());
    expect([rows.codes.length, rows.parents.length, rows.names.length, rows.corpora.length, rows.documents.length, rows.mentions.length]).toEqual([
      79, 73, 101, 2, 8, 20,
    ]);
    const doc1 = rows.mentions.filter((m) => m.documentKey === keys.document('ruccod', '3') && m.layer === 'gold');
    const starts = doc1.map((m) => m.start);
    expect(starts).toEqual([...starts].sort((a, b) => a - b));
    expect(new Set(rows.mentions.map((m) => m.key)).size).toBe(rows.mentions.length);
    expect(importRows(fixtureData())).toEqual(rows);
  });

  it('applies the schema first, then merges stage by stage in batches, and records the version last', async () => {
    const { executor, calls } = recordingExecutor();
    const store = new Neo4jStore(executor, { importBatchSize: 10 });
    const events: ImportProgress[] = [];
    await store.importGraph(fixtureData(), (p) => events.push(p));
    const firsts = calls.map((c) => c.first);
    expect(firsts.slice(0, 15).every((t) => t.startsWith('CREATE '))).toBe(true);
    expect(firsts[15]).toBe('CALL db.awaitIndexes($timeoutSeconds)');
    expect(firsts[16]).toBe('MERGE (m:Meta {key: $key})');
    // 79 codes in batches of 10, 73 parents, 101 names, 2 corpora, 8 documents, 20 mentions, 4 assignments (I10, K29.3, I25.2, I11.9).
    const batches = (n: number) => [...Array<number>(Math.floor(n / 10)).fill(10), ...(n % 10 ? [n % 10] : [])];
    expect(calls.filter((c) => c.rows > 0).map((c) => c.rows)).toEqual([79, 73, 101, 2, 8, 20, 4].flatMap(batches));
    expect(firsts.at(-1)).toBe('MERGE (m:Meta {key: $key})');
    const last = new Map(events.map((e) => [e.stage, e]));
    expect([...last.values()].map((e) => `${e.stage} ${e.done}/${e.total}`)).toEqual([
      'schema 15/15', 'codes 79/79', 'parents 73/73', 'names 101/101', 'corpora 2/2', 'documents 8/8', 'mentions 20/20', 'assignments 4/4', 'dataVersion 1/1',
    ]);
  });

  it('reports what was and was not loaded when the database goes away part-way', async () => {
    // Call 26: schema 15 + await + begin + 8 code batches = 25 calls, then the first parent batch fails.
    const { executor } = recordingExecutor(25);
    const store = new Neo4jStore(executor, { importBatchSize: 10 });
    const error = (await store.importGraph(fixtureData()).catch((e: unknown) => e)) as ImportIncompleteError;
    expect(error).toBeInstanceOf(ImportIncompleteError);
    expect(error.stage).toBe('parents');
    expect(error.stages.map((s) => `${s.stage} ${s.done}/${s.total}`)).toEqual([
      'schema 15/15', 'codes 79/79', 'parents 0/73', 'names 0/101', 'corpora 0/2', 'documents 0/8', 'mentions 0/20', 'assignments 0/4', 'dataVersion 0/1',
    ]);
    expect(error.message).toContain('import stopped at stage "parents"');
    expect(error.message).toContain('loaded: schema 15/15, codes 79/79; not loaded: parents 73, names 101');
    expect(error.message).toContain('run the import again');
    expect(error.message).not.toContain('10.0.0.9');
    expect((error.cause as { extensions: { code: string } }).extensions.code).toBe('SERVICE_UNAVAILABLE');
  });

  it('rejects a data set the memory adapter rejects, before writing anything', async () => {
    const { executor, calls } = recordingExecutor();
    const data = fixtureData();
    data.codes.push({ ...data.codes[0]! });
    await expect(new Neo4jStore(executor).importGraph(data)).rejects.toThrow(/duplicate code E00-E90/);
    expect(calls).toEqual([]);
  });
});

describe('keys', () => {
  it('orders document ids like compareDocumentIds: numbers numerically and first', () => {
    const ids = ['a', '10', '2', '007', '7', 'b1', '1'];
    const sorted = [...ids].sort((a, b) => (keys.documentSort(a) < keys.documentSort(b) ? -1 : 1));
    expect(sorted).toEqual(['1', '2', '007', '7', '10', 'a', 'b1']);
  });

  it('keeps composite keys apart even when parts contain separators', () => {
    expect(keys.document('a/b', 'c')).not.toBe(keys.document('a', 'b/c'));
    expect(keys.name({ code: 'I25', source: 'ICD_TITLE', lang: 'ru', text: 'x' })).toBe(keys.name({ code: 'I25', source: 'ICD_TITLE', lang: 'ru', text: 'x' }));
  });
});
