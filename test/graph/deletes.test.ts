import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MemoryStore } from '../../src/graph/memory/MemoryStore.js';
import { loadDataDir, SAMPLE_DATA_DIR } from '../../src/ingest/loadDataDir.js';

const dir = mkdtempSync(path.join(tmpdir(), 'icdkg-deletes-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('MemoryStore: deleteDocuments and deleteCorpus, journaled', () => {
  it('removes documents with their annotations and a whole corpus, and replays both after a restart', async () => {
    const data = await loadDataDir(SAMPLE_DATA_DIR);
    const store = MemoryStore.open(data, { journalDir: dir });
    const before = await store.counts();
    const gold0 = (await store.getLayer('ruccod', 'gold', ['0']))[0]!.mentions.length;
    expect(gold0).toBeGreaterThan(0);
    await expect(store.deleteDocuments('ruccod', ['0', 'nope'])).rejects.toThrow('deleteDocuments.documentIds[1]: no document "nope" in corpus "ruccod"');
    expect((await store.counts()).documents).toBe(before.documents);
    await store.deleteDocuments('ruccod', ['0']);
    await store.putDocuments('extra', [{ corpus: 'extra', id: 'x', split: 'train', text: 'ИБС.', patient: null, date: null }]);
    await store.deleteCorpus('extra');
    await expect(store.deleteCorpus('extra')).rejects.toThrow('deleteCorpus.corpus: corpus "extra" does not exist');
    const after = await store.counts();
    expect(after).toMatchObject({ documents: before.documents - 1, mentions: before.mentions - gold0, corpora: before.corpora });
    expect(await store.getDocuments('ruccod', ['0'])).toEqual([null]);
    await store.close();

    const reopened = MemoryStore.open(data, { journalDir: dir });
    expect(await reopened.counts()).toEqual(after);
    expect((await reopened.listCorpora()).map((c) => c.name)).toEqual(['ruccod']);
    await reopened.close();
  });
});
