import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { setAsideJournal } from '../../src/graph/memory/Journal.js';
import { MemoryStore } from '../../src/graph/memory/MemoryStore.js';
import { sampleData } from '../fixtures/sample.js';
import { importDocuments } from './helpers/journalImports.js';
import { useTempDir } from '../helpers/useTempDir.js';

const quiet = { warn: () => undefined };
const names = async (s: MemoryStore) => (await s.listCorpora()).map((c) => c.name);

describe('a store following its journal (refresh)', () => {
  let dir = '';
  useTempDir('icdkg-follow-unit-', (d) => (dir = d));

  it("applies another store's writes, waits while another process holds the lock, and replays a compacted or set-aside journal anew", async () => {
    const server = MemoryStore.open(await sampleData('system:x', 'ehr'), { journalDir: dir, log: quiet });
    const cli = MemoryStore.open(await sampleData('system:x', 'ehr'), { journalDir: dir, log: quiet });
    expect(server.refresh()).toBe(true);
    await cli.applyWrites([
      { type: 'putDocuments', corpus: 'imp0', documents: importDocuments(0).slice(0, 3) },
      { type: 'deleteLayer', corpus: 'ruccod', layer: 'system:x' },
    ]);
    expect(await names(server)).not.toContain('imp0');

    // Another live process holds the writer lock: nothing is read now, nothing blocks.
    const lock = path.join(dir, 'memory-journal.jsonl.lock');
    fs.writeFileSync(lock, `${process.pid}\n`);
    const started = performance.now();
    expect(server.refresh()).toBe(false);
    expect(performance.now() - started).toBeLessThan(100);
    expect(await names(server)).not.toContain('imp0');
    fs.rmSync(lock);

    expect(server.refresh()).toBe(true);
    expect(await server.listDocumentIds('imp0', null)).toEqual(['d0', 'd1', 'd2']);
    expect(await server.listLayers('ruccod')).toEqual(['gold']);

    // Compacted by the other process, then written to: replayed anew over the base data.
    await cli.putDocuments('imp1', importDocuments(1).slice(0, 1));
    cli.compactJournal();
    await cli.deleteCorpus('imp0');
    expect(server.refresh()).toBe(true);
    expect(await names(server)).toEqual(await names(cli));
    expect(await server.listLayers('ruccod')).toEqual(['gold']);
    // The server's own writes continue the compacted journal.
    await server.putDocuments('imp2', importDocuments(2).slice(0, 1));
    await cli.close();

    // Set aside (`icdkg journal set-aside`): the store goes back to the base data.
    setAsideJournal(dir);
    expect(server.refresh()).toBe(true);
    expect(await names(server)).toEqual(['ehr', 'ruccod']);
    expect(await server.listLayers('ruccod')).toEqual(['gold', 'system:x']);
    await server.close();
  });

  it('follows by itself every followMs', async () => {
    const server = MemoryStore.open(await sampleData('system:x', 'ehr'), { journalDir: dir, log: quiet, followMs: 20 });
    const cli = MemoryStore.open(await sampleData('system:x', 'ehr'), { journalDir: dir, log: quiet });
    await cli.putDocuments('imp0', importDocuments(0).slice(0, 1));
    const started = performance.now();
    while (!(await names(server)).includes('imp0') && performance.now() - started < 2000) await new Promise((r) => setTimeout(r, 10));
    expect(await names(server)).toContain('imp0');
    await cli.close();
    await server.close();
  });
});
