import { describe, expect, it } from 'vitest';
import { Neo4jExecutor } from '../../src/graph/neo4j/executor.js';
import type { SessionLike } from '../../src/graph/neo4j/executor.js';
import { Neo4jStore } from '../../src/graph/neo4j/Neo4jStore.js';
import { ImportIncompleteError } from '../../src/graph/neo4j/ImportIncompleteError.js';
import { importRows } from '../../src/graph/neo4j/importRows.js';
import { keys } from '../../src/graph/neo4j/keys.js';
import type { ImportProgress } from '../../src/graph/GraphStore.js';
import { fixtureData } from '../graph/fixture.js';

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
      36, 32, 49, 2, 7, 13,
    ]);
    const doc1 = rows.mentions.filter((m) => m.documentKey === keys.document('ruccod', '1') && m.layer === 'gold');
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
    // 36 codes in batches of 10, 32 parents, 49 names, 2 corpora, 7 documents, 13 mentions, 4 assignments (E66.9, I10, I25.2, I11.9).
    expect(calls.filter((c) => c.rows > 0).map((c) => c.rows)).toEqual([10, 10, 10, 6, 10, 10, 10, 2, 10, 10, 10, 10, 9, 2, 7, 10, 3, 4]);
    expect(firsts.at(-1)).toBe('MERGE (m:Meta {key: $key})');
    const last = new Map(events.map((e) => [e.stage, e]));
    expect([...last.values()].map((e) => `${e.stage} ${e.done}/${e.total}`)).toEqual([
      'schema 15/15', 'codes 36/36', 'parents 32/32', 'names 49/49', 'corpora 2/2', 'documents 7/7', 'mentions 13/13', 'assignments 4/4', 'dataVersion 1/1',
    ]);
  });

  it('reports what was and was not loaded when the database goes away part-way', async () => {
    // Call 22: schema 15 + await + begin + 4 code batches = 21 calls, then the first parent batch fails.
    const { executor } = recordingExecutor(21);
    const store = new Neo4jStore(executor, { importBatchSize: 10 });
    const error = (await store.importGraph(fixtureData()).catch((e: unknown) => e)) as ImportIncompleteError;
    expect(error).toBeInstanceOf(ImportIncompleteError);
    expect(error.stage).toBe('parents');
    expect(error.stages.map((s) => `${s.stage} ${s.done}/${s.total}`)).toEqual([
      'schema 15/15', 'codes 36/36', 'parents 0/32', 'names 0/49', 'corpora 0/2', 'documents 0/7', 'mentions 0/13', 'assignments 0/4', 'dataVersion 0/1',
    ]);
    expect(error.message).toContain('import stopped at stage "parents"');
    expect(error.message).toContain('loaded: schema 15/15, codes 36/36; not loaded: parents 32, names 49');
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
