import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { IngestError } from '../../src/errors.js';
import { MemoryStore } from '../../src/graph/memory/MemoryStore.js';
import { importCohort } from '../../src/usecases/importCohort.js';
import { sampleData } from '../fixtures/sample.js';

/** A cohort file written for this test: one appointment per code list, patient p1. */
function cohort(file: string, codeLists: string[][]): string {
  const lines = codeLists.map((codes, i) =>
    JSON.stringify({ patientId: 'p1', appointmentId: `a${i + 1}`, date: `2021-03-0${i + 1}`, age: 60, sex: 'M', complaints: 'Жалоб нет.', anamnesis: '', labs: '', conclusion: 'Гипертоническая болезнь.', codes }),
  );
  fs.writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

describe('importCohort: all or nothing', () => {
  let dir: string;
  const quiet = { warn: () => undefined };
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'icdkg-import-cohort-'));
  });
  afterEach(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('leaves the journal byte for byte as it was when the last appointment has an unknown code, naming file and line', async () => {
    const store = MemoryStore.open((await sampleData('system:x', 'ehr')), { journalDir: dir, log: quiet });
    await store.deleteLayer('ruccod', 'system:x');
    const journal = path.join(dir, 'memory-journal.jsonl');
    const before = fs.readFileSync(journal);
    const file = cohort(path.join(dir, 'bad.jsonl'), [['I11.9'], ['I10'], ['I11.9', 'X99.9']]);
    const error = await importCohort(store, file, 'ehr2').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IngestError);
    expect((error as Error).message).toMatch(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:3: `));
    expect((error as Error).message).toContain('X99.9');
    expect(fs.readFileSync(journal).equals(before)).toBe(true);
    expect((await store.listCorpora()).map((c) => c.name)).not.toContain('ehr2');
    await store.close();
  });

  it('imports a good cohort in one journal record (documents and layers together); an existing name needs merge', async () => {
    const store = MemoryStore.open((await sampleData('system:x', 'ehr')), { journalDir: dir, log: quiet });
    const file = cohort(path.join(dir, 'good.jsonl'), [['I11.9'], ['I10']]);
    expect(await importCohort(store, file, 'ehr2')).toEqual({ appointments: 2, patients: 1, layers: ['original'] });
    const lines = fs.readFileSync(path.join(dir, 'memory-journal.jsonl'), 'utf8').trim().split('\n').map((l) => (JSON.parse(l.slice(9)) as { type: string }).type);
    expect(lines).toEqual(['header', 'batch']);
    const size = fs.statSync(path.join(dir, 'memory-journal.jsonl')).size;
    await expect(importCohort(store, file, 'ehr2')).rejects.toThrow('corpus "ehr2" already exists: pass --merge');
    expect(fs.statSync(path.join(dir, 'memory-journal.jsonl')).size).toBe(size);
    await expect(importCohort(store, file, 'ehr2', undefined, { mode: 'merge' })).resolves.toMatchObject({ appointments: 2 });
    const one = cohort(path.join(dir, 'one.jsonl'), [['I10']]);
    await importCohort(store, one, 'ehr2', undefined, { mode: 'replace' });
    expect(await store.listDocumentIds('ehr2', null)).toEqual(['a1']);
    await store.close();
  });
});
