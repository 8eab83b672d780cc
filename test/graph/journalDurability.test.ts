import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { IngestError } from '../../src/errors.js';
import { MemoryStore } from '../../src/graph/memory/MemoryStore.js';
import { sampleData } from '../fixtures/sample.js';
import { DOCUMENTS_PER_IMPORT, importDocuments } from './helpers/journalImports.js';
import { collectLines } from '../helpers/collectLines.js';
import { useTempDir } from '../helpers/useTempDir.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const journalFile = (dir: string) => path.join(dir, 'memory-journal.jsonl');
const quiet = { warn: () => undefined };

function child(script: string, args: string[]): { process: ChildProcess; lines: string[]; stderr: () => string } {
  const proc = spawn(process.execPath, ['--import', 'tsx', path.join(here, 'helpers', script), ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  return collectLines(proc);
}

describe('journal durability', () => {
  let dir = '';
  useTempDir('icdkg-durability-', (d) => (dir = d));

  it('keeps every acknowledged import and no partial one when writers are SIGKILLed at random points of 100 imports while readers open the journal', async () => {
    const TOTAL = 100;
    const reader = child('journalReader.ts', [dir]);
    const acked = new Set<number>();
    let next = 0;
    let kills = 0;
    // A seeded generator: the kill points vary over the run but the test is repeatable.
    let seed = 13;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    while (next < TOTAL) {
      const writer = child('journalImporter.ts', [dir, String(next), String(TOTAL)]);
      const exited = new Promise<NodeJS.Signals | null>((resolve) => writer.process.once('exit', (_code, signal) => resolve(signal)));
      // Wait until it is ready, then kill it after a random delay (0-40 ms: a few imports, sometimes inside a write).
      while (!writer.lines.includes('ready') && writer.process.exitCode === null) await new Promise((r) => setTimeout(r, 5));
      const delay = random() * 40;
      const timer = setTimeout(() => {
        kills++;
        writer.process.kill('SIGKILL');
      }, delay);
      const signal = await exited;
      clearTimeout(timer);
      // A writer that failed (rather than being killed or finishing) is a bug: show why.
      if (signal === null && writer.process.exitCode !== 0) throw new Error(`writer exited with ${writer.process.exitCode}: ${writer.stderr().slice(-2000)}`);
      for (const line of writer.lines) if (line.startsWith('acked ')) acked.add(Number(line.slice(6)));
      next = acked.size === 0 ? 0 : Math.max(...acked) + 1;
    }
    reader.process.kill('SIGKILL');
    expect(reader.lines.filter((l) => l.startsWith('failed'))).toEqual([]);
    expect(reader.lines.some((l) => l.startsWith('opened'))).toBe(true);
    expect(kills).toBeGreaterThan(5);
    process.stdout.write(`durability: ${TOTAL} imports, ${kills} writers killed, ${reader.lines.filter((l) => l.startsWith('opened')).length * 10} reader opens\n`);

    // The server's start: the store opens on the journal, every acknowledged import is there whole.
    const store = MemoryStore.open((await sampleData('system:x', 'ehr')), { journalDir: dir, log: quiet });
    const corpora = new Map((await store.listCorpora()).map((c) => [c.name, c.documentCount]));
    for (let i = 0; i < TOTAL; i++) {
      expect(acked.has(i), `import ${i} acknowledged`).toBe(true);
      expect(corpora.get(`imp${i}`), `import ${i}`).toBe(DOCUMENTS_PER_IMPORT);
    }
    // No partial import: every imp corpus present holds exactly its documents, texts included.
    for (const [name, count] of corpora) {
      if (!name.startsWith('imp')) continue;
      expect(count, name).toBe(DOCUMENTS_PER_IMPORT);
      const i = Number(name.slice(3));
      const expected = importDocuments(i);
      expect(await store.getDocuments(name, expected.map((d) => d.id))).toEqual(expected);
    }
    await store.close();
  }, 480_000);

  it('detects a flipped byte in any record, naming the journal, the record and the line', async () => {
    const store = MemoryStore.open((await sampleData('system:x', 'ehr')), { journalDir: dir, log: quiet });
    for (let i = 0; i < 3; i++) await store.putDocuments(`imp${i}`, importDocuments(i).slice(0, 2));
    await store.deleteLayer('ruccod', 'system:x');
    await store.close();
    const original = fs.readFileSync(journalFile(dir));
    const lineStarts = [0];
    for (let i = 0; i < original.length - 1; i++) if (original[i] === 0x0a) lineStarts.push(i + 1);
    expect(lineStarts).toHaveLength(5);
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let line = 1; line < lineStarts.length; line++) {
      const start = lineStarts[line]!;
      const end = (lineStarts[line + 1] ?? original.length) - 1;
      // The first bytes (checksum, separator), the last byte before the newline, and random ones.
      const positions = [start, start + 7, start + 8, start + 9, end - 1, ...Array.from({ length: 20 }, () => start + Math.floor(random() * (end - start)))];
      for (const position of positions) {
        const damaged = Buffer.from(original);
        damaged[position] = damaged[position]! ^ (1 << Math.floor(random() * 8));
        fs.writeFileSync(journalFile(dir), damaged);
        let error: unknown;
        try {
          MemoryStore.open((await sampleData('system:x', 'ehr')), { journalDir: dir, log: quiet });
        } catch (e) {
          error = e;
        }
        expect(error, `byte ${position - start} of line ${line + 1}`).toBeInstanceOf(IngestError);
        expect((error as IngestError).line, `byte ${position - start} of line ${line + 1}`).toBe(line + 1);
        expect((error as Error).message).toContain(`${journalFile(dir)}:${line + 1}: journal record ${line} (line ${line + 1}) is damaged`);
      }
    }
  });

  it('creates the journal with mode 0600 and makes an older one private at the next write', async () => {
    const store = MemoryStore.open((await sampleData('system:x', 'ehr')), { journalDir: dir, log: quiet });
    await store.deleteLayer('ruccod', 'system:x');
    expect(fs.statSync(journalFile(dir)).mode & 0o777).toBe(0o600);
    await store.close();
    // A journal written before mode 0600 was set.
    fs.chmodSync(journalFile(dir), 0o644);
    const next = MemoryStore.open((await sampleData('system:x', 'ehr')), { journalDir: dir, log: quiet });
    await next.putDocuments('imp0', importDocuments(0).slice(0, 1));
    expect(fs.statSync(journalFile(dir)).mode & 0o777).toBe(0o600);
    await next.close();
  });

  it('a writer applies what another process appended before validating its own write', async () => {
    const a = MemoryStore.open((await sampleData('system:x', 'ehr')), { journalDir: dir, log: quiet });
    const b = MemoryStore.open((await sampleData('system:x', 'ehr')), { journalDir: dir, log: quiet });
    await a.putDocuments('imp0', importDocuments(0).slice(0, 2));
    // b has not seen imp0; its write catches up first, so it sees the corpus afterwards.
    await b.putDocuments('imp1', importDocuments(1).slice(0, 1));
    expect((await b.listCorpora()).map((c) => c.name)).toContain('imp0');
    await a.close();
    await b.close();
    const c = MemoryStore.open((await sampleData('system:x', 'ehr')), { journalDir: dir, log: quiet });
    expect((await c.listCorpora()).filter((x) => x.name.startsWith('imp')).map((x) => [x.name, x.documentCount])).toEqual([
      ['imp0', 2],
      ['imp1', 1],
    ]);
    await c.close();
  });

  it('a stale lock of a dead process is taken over', async () => {
    const store = MemoryStore.open((await sampleData('system:x', 'ehr')), { journalDir: dir, log: quiet });
    // A pid that cannot be running: the lock is stale.
    fs.writeFileSync(`${journalFile(dir)}.lock`, '2147483646\n');
    await store.deleteLayer('ruccod', 'system:x');
    expect(fs.existsSync(`${journalFile(dir)}.lock`)).toBe(false);
    await store.close();
  });

  it('compacts the journal into a snapshot that replays to the same state, and automatically past a size', async () => {
    const store = MemoryStore.open((await sampleData('system:x', 'ehr')), { journalDir: dir, log: quiet });
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < 3; i++) await store.putDocuments(`imp${i}`, importDocuments(i).slice(0, 3));
    }
    await store.deleteLayer('ruccod', 'system:x');
    const layer = (await store.getLayer('ruccod', 'gold', ['1']))[0]!;
    await store.putLayer('ruccod', 'system:z', [{ ...layer, layer: 'system:z' }]);
    // A deleted base corpus, written anew; a journal-made corpus deleted.
    await store.deleteCorpus('ehr');
    await store.putDocuments('ehr', importDocuments(5).slice(0, 1).map((d) => ({ ...d, corpus: 'ehr' })));
    await store.deleteCorpus('imp2');
    // A changed text drops the document's annotations in every layer, base layers included.
    await store.putDocuments('ruccod', [{ ...(await store.getDocuments('ruccod', ['2']))[0]!, text: 'Новый текст.' }]);
    const state = async (s: MemoryStore) => ({
      corpora: await s.listCorpora(),
      layers: await Promise.all((await s.listCorpora()).flatMap((c) => c.layers.map(async (l) => s.getLayer(c.name, l, (await s.listDocumentIds(c.name, null)))))),
      documents: await Promise.all((await s.listCorpora()).map(async (c) => s.getDocuments(c.name, await s.listDocumentIds(c.name, null)))),
    });
    const before = await state(store);
    const size = fs.statSync(journalFile(dir)).size;
    const result = store.compactJournal();
    expect(result.before).toBe(size);
    expect(result.after).toBeLessThan(size);
    expect(await state(store)).toEqual(before);
    await store.close();
    const reopened = MemoryStore.open((await sampleData('system:x', 'ehr')), { journalDir: dir, log: quiet });
    expect(await state(reopened)).toEqual(before);
    await reopened.putDocuments('imp9', importDocuments(9).slice(0, 1));
    await reopened.close();

    // Past compactBytes, opening compacts (with a warning).
    const warnings: string[] = [];
    const auto = MemoryStore.open((await sampleData('system:x', 'ehr')), { journalDir: dir, compactBytes: 1000, log: { warn: (_o, msg) => warnings.push(msg) } });
    expect(warnings.some((w) => w.includes('compacted'))).toBe(true);
    expect((await state(auto)).corpora.map((c) => c.name)).toContain('imp9');
    await auto.close();
  });
});
