import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { createStore, journalMaintenance } from '../src/createStore.js';
import { useTempDir } from './helpers/useTempDir.js';

const doc = (id: string) => ({ corpus: 'notes', id, split: 'train', text: `Заметка ${id}.`, patient: null, date: null });

describe('icdkg journal check|compact|set-aside|truncate', () => {
  let dir = '';
  useTempDir('icdkg-journal-cli-', (d) => (dir = d));

  it('repairs a damaged record by truncating at the line the start-up error names, keeping the dropped bytes', async () => {
    const config = loadConfig({ ICDKG_SAMPLE: '1', ICDKG_JOURNAL_DIR: dir, ICDKG_LOG_LEVEL: 'silent' });
    const store = await createStore(config);
    for (const id of ['1', '2', '3']) await store.putDocuments('notes', [doc(id)]);
    await store.close();
    const journal = path.join(dir, 'memory-journal.jsonl');
    const m = journalMaintenance(config);
    expect(await m.check()).toMatchObject({ file: journal, records: 3, tornBytes: 0 });

    // Damage record 2 (line 3): the start stops and says what to run.
    const bytes = fs.readFileSync(journal);
    const line3 = bytes.indexOf(0x0a, bytes.indexOf(0x0a) + 1) + 1;
    bytes[line3 + 20] ^= 0x01;
    fs.writeFileSync(journal, bytes);
    await expect(createStore(config)).rejects.toThrow('`icdkg journal truncate --at-line 3`');
    const r = m.truncate(3);
    expect(r.droppedTo).not.toBeNull();
    expect(fs.statSync(r.droppedTo!).size).toBe(r.droppedBytes);
    const repaired = await createStore(config);
    expect(await repaired.listDocumentIds('notes', null)).toEqual(['1']);
    await repaired.putDocuments('notes', [doc('4')]);
    await repaired.close();

    // Compaction keeps the state; set-aside starts without the writes and keeps the file.
    for (const id of ['5', '6']) {
      const s = await createStore(config);
      await s.putDocuments('notes', [doc(id)]);
      await s.close();
    }
    const compacted = await m.compact();
    expect(compacted.after).toBeLessThan(compacted.before);
    const after = await createStore(config);
    expect(await after.listDocumentIds('notes', null)).toEqual(['1', '4', '5', '6']);
    await after.close();
    const aside = m.setAside();
    expect(aside !== null && fs.existsSync(aside)).toBe(true);
    const fresh = await createStore(config);
    expect((await fresh.listCorpora()).map((c) => c.name)).not.toContain('notes');
    await fresh.close();
  });
});
