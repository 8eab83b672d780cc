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

describe('importCohort: a large import is staged and committed by one record', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'icdkg-import-staged-'));
  });
  afterEach(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });
  const journalLines = () => fs.readFileSync(path.join(dir, 'memory-journal.jsonl'), 'utf8').split('\n').filter((l) => l !== '');
  const typeOf = (line: string) => (JSON.parse(line.slice(9)) as { type: string }).type;

  it('writes stage lines then one commit; lines cut before the commit leave nothing; a lost stage line stops the start', async () => {
    const warnings: string[] = [];
    const log = { warn: (_o: object, msg: string) => warnings.push(msg) };
    const store = MemoryStore.open(await sampleData('system:x', 'ehr'), { journalDir: dir, log, stageItems: 2 });
    const file = cohort(path.join(dir, 'five.jsonl'), [['I11.9'], ['I10'], ['I10'], ['I25.2'], ['I10']]);
    await importCohort(store, file, 'ehr2');
    await store.close();
    const lines = journalLines();
    // 5 documents in pieces of 2 (3 lines), 5 layer entries in pieces of 2 (3 lines), the commit.
    expect(lines.map(typeOf)).toEqual(['header', 'stage', 'stage', 'stage', 'stage', 'stage', 'stage', 'commit']);
    // A failing large import (unknown code in its last appointment) writes no stage line.
    const before = fs.readFileSync(path.join(dir, 'memory-journal.jsonl'));
    const again = MemoryStore.open(await sampleData('system:x', 'ehr'), { journalDir: dir, log, stageItems: 2 });
    const bad = cohort(path.join(dir, 'bad.jsonl'), [['I11.9'], ['I10'], ['I10'], ['I25.2'], ['X99.9']]);
    await expect(importCohort(again, bad, 'ehr3')).rejects.toThrow(`${bad}:5: `);
    await again.close();
    expect(fs.readFileSync(path.join(dir, 'memory-journal.jsonl')).equals(before)).toBe(true);
    const reopened = MemoryStore.open(await sampleData('system:x', 'ehr'), { journalDir: dir, log });
    expect(await reopened.listDocumentIds('ehr2', null)).toEqual(['a1', 'a2', 'a3', 'a4', 'a5']);
    expect(await reopened.codeFrequencies(['I10'], 'original', 'ehr2')).toEqual([3]);
    await reopened.close();

    // A writer killed before its commit: the stage lines are there, the import is not.
    const journal = path.join(dir, 'memory-journal.jsonl');
    fs.writeFileSync(journal, `${lines.slice(0, 6).join('\n')}\n`);
    const cut = MemoryStore.open(await sampleData('system:x', 'ehr'), { journalDir: dir, log });
    expect((await cut.listCorpora()).map((c) => c.name)).not.toContain('ehr2');
    expect(warnings.some((w) => w.includes('without its commit line'))).toBe(true);
    // A later write follows them; the dead import's lines never count.
    await cut.deleteLayer('ruccod', 'system:x');
    await cut.close();
    const after = MemoryStore.open(await sampleData('system:x', 'ehr'), { journalDir: dir, log });
    expect((await after.listCorpora()).map((c) => c.name)).not.toContain('ehr2');
    expect(await after.listLayers('ruccod')).toEqual(['gold']);
    await after.close();

    // A commit whose stage lines are not all there: the journal lost acknowledged lines.
    fs.writeFileSync(journal, `${[...lines.slice(0, 3), ...lines.slice(4)].join('\n')}\n`);
    const data = await sampleData('system:x', 'ehr');
    expect(() => MemoryStore.open(data, { journalDir: dir, log })).toThrow(`${journal}:7: journal record 6 commits an import of 6 stage lines but 5 were read`);
  });
});
