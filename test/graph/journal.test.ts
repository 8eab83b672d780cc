import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { MemoryStore } from '../../src/graph/memory/MemoryStore.js';
import { IngestError } from '../../src/errors.js';
import type { LayerAnnotations } from '../../src/graph/model.js';
import { sampleData } from '../fixtures/sample.js';

/** The store contract's data (the sample, layer system:x, corpus ehr), a fresh copy each call. */
const base = await sampleData('system:x', 'ehr');
const fixtureData = () => structuredClone(base);
const here = path.dirname(fileURLToPath(import.meta.url));
const journalFile = (dir: string) => path.join(dir, 'memory-journal.jsonl');
/** The journal's lines as objects (each line is `<crc32 hex> <json>`). */
const lines = (dir: string) =>
  fs
    .readFileSync(journalFile(dir), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l.slice(9)) as { type: string; dataVersion?: string });

const systemY: LayerAnnotations[] = [
  { documentId: '0', layer: 'system:y', mentions: [{ id: 'T1', fragments: [{ start: 65, end: 88 }], start: 65, end: 88, text: 'Гипертоническая болезнь', code: 'I11.9' }], codes: [] },
];

describe('MemoryStore: the write journal', () => {
  let dir: string;
  const log = { warn: vi.fn() };
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'icdkg-journal-'));
    log.warn.mockReset();
  });
  afterEach(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('creates nothing on disk until the first write', async () => {
    const store = MemoryStore.open(fixtureData(), { journalDir: path.join(dir, 'sub') });
    await store.listLayers('ruccod');
    expect(fs.existsSync(path.join(dir, 'sub'))).toBe(false);
    await store.close();
  });

  it('writes one header and one line per call, and replays them at the next start', async () => {
    const store = MemoryStore.open(fixtureData(), { journalDir: dir, log });
    await store.putLayer('ruccod', 'system:y', systemY);
    await store.deleteLayer('ruccod', 'system:x');
    await store.putDocuments('ehr', [{ corpus: 'ehr', id: '11', split: 'test', text: 'Текст.', patient: 'p2', date: null }]);
    await store.close();
    expect(lines(dir).map((l) => l.type)).toEqual(['header', 'putLayer', 'deleteLayer', 'putDocuments']);
    expect(lines(dir)[0]!.dataVersion).toBe(base.dataVersion);

    const reopened = MemoryStore.open(fixtureData(), { journalDir: dir, log });
    expect(await reopened.listLayers('ruccod')).toEqual(['gold', 'system:y']);
    expect(await reopened.getLayer('ruccod', 'system:y', ['0'])).toEqual(systemY);
    expect(await reopened.listDocumentIds('ehr', null)).toEqual(['9', '10', '11']);
    await reopened.deleteLayer('ruccod', 'system:y');
    await reopened.close();
    expect(lines(dir).map((l) => l.type)).toEqual(['header', 'putLayer', 'deleteLayer', 'putDocuments', 'deleteLayer']);
    expect(log.warn).not.toHaveBeenCalled();
  });

  it('journals nothing for rejected writes and for no-ops', async () => {
    const store = MemoryStore.open(fixtureData(), { journalDir: dir });
    await store.putLayer('ruccod', 'system:y', systemY);
    const size = fs.statSync(journalFile(dir)).size;
    await expect(store.putLayer('ruccod', 'system:y', [{ ...systemY[0]!, codes: ['X00.0'] }])).rejects.toThrow('X00.0');
    await store.deleteLayer('ruccod', 'no-such-layer');
    await store.putDocuments('ruccod', []);
    expect(fs.statSync(journalFile(dir)).size).toBe(size);
    await store.close();
  });

  it('keeps an acknowledged write when the process is killed right after it', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(here, 'helpers', 'journalWriter.ts'), dir], {
      cwd: path.resolve(here, '../..'),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exit = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (stdout.includes('acked\n')) child.kill('SIGKILL');
    });
    const signal = await exit;
    expect(stdout, stderr).toContain('acked');
    expect(signal).toBe('SIGKILL');

    const store = MemoryStore.open(fixtureData(), { journalDir: dir, log });
    expect(await store.getDocuments('ruccod', ['12'])).toEqual([{ corpus: 'ruccod', id: '12', split: 'dev', text: 'ИБС.', patient: null, date: null }]);
    expect(await store.getLayer('ruccod', 'system:crash', ['12'])).toEqual([
      { documentId: '12', layer: 'system:crash', mentions: [{ id: 'T1', fragments: [{ start: 0, end: 3 }], start: 0, end: 3, text: 'ИБС', code: 'I25' }], codes: ['I20'] },
    ]);
    expect(log.warn).not.toHaveBeenCalled();
    await store.close();
  }, 30_000);

  it('reads past a torn last line with a warning, never truncating it; the next writer cuts it off and appends', async () => {
    const store = MemoryStore.open(fixtureData(), { journalDir: dir });
    await store.putLayer('ruccod', 'system:y', systemY);
    await store.close();
    const good = fs.statSync(journalFile(dir)).size;
    fs.appendFileSync(journalFile(dir), '0badc0de {"type":"deleteLayer","corpus":"ruc');
    const torn = fs.statSync(journalFile(dir)).size;

    const reopened = MemoryStore.open(fixtureData(), { journalDir: dir, log });
    expect(log.warn).toHaveBeenCalledTimes(1);
    expect(log.warn.mock.calls[0]![0]).toMatchObject({ file: journalFile(dir), line: 3 });
    // A reader leaves it: it may be a live writer's record in progress.
    expect(fs.statSync(journalFile(dir)).size).toBe(torn);
    expect(await reopened.listLayers('ruccod')).toEqual(['gold', 'system:x', 'system:y']);
    await reopened.deleteLayer('ruccod', 'system:x');
    await reopened.close();
    expect(fs.statSync(journalFile(dir)).size).toBeGreaterThan(good);
    expect(lines(dir).map((l) => l.type)).toEqual(['header', 'putLayer', 'deleteLayer']);

    const third = MemoryStore.open(fixtureData(), { journalDir: dir, log });
    expect(await third.listLayers('ruccod')).toEqual(['gold', 'system:y']);
    expect(log.warn).toHaveBeenCalledTimes(1);
    await third.close();
  });

  it('stops with file:line on corruption before the last line', async () => {
    const store = MemoryStore.open(fixtureData(), { journalDir: dir });
    await store.putLayer('ruccod', 'system:y', systemY);
    await store.deleteLayer('ruccod', 'system:x');
    await store.close();
    const text = fs.readFileSync(journalFile(dir), 'utf8').split('\n');
    text[1] = text[1]!.slice(0, 20);
    fs.writeFileSync(journalFile(dir), text.join('\n'));
    expect(() => MemoryStore.open(fixtureData(), { journalDir: dir, log })).toThrow(IngestError);
    expect(() => MemoryStore.open(fixtureData(), { journalDir: dir, log })).toThrow(`${journalFile(dir)}:2: journal record 1 (line 2) is damaged (checksum mismatch)`);
  });

  it('replays a journal written against other data with a warning, until a write adopts it', async () => {
    const store = MemoryStore.open(fixtureData(), { journalDir: dir });
    await store.putLayer('ruccod', 'system:y', systemY);
    await store.close();

    const v2 = { ...fixtureData(), dataVersion: 'fixture-2' };
    const reopened = MemoryStore.open(v2, { journalDir: dir, log });
    expect(await reopened.listLayers('ruccod')).toEqual(['gold', 'system:x', 'system:y']);
    expect(log.warn).toHaveBeenCalledTimes(1);
    expect(log.warn.mock.calls[0]![0]).toMatchObject({ journalDataVersions: [base.dataVersion], dataVersion: 'fixture-2', records: 1 });
    await reopened.deleteLayer('ruccod', 'system:x');
    await reopened.close();
    expect(lines(dir).map((l) => l.dataVersion ?? l.type)).toEqual([base.dataVersion, 'putLayer', 'fixture-2', 'deleteLayer']);

    log.warn.mockReset();
    const third = MemoryStore.open({ ...fixtureData(), dataVersion: 'fixture-2' }, { journalDir: dir, log });
    expect(await third.listLayers('ruccod')).toEqual(['gold', 'system:y']);
    expect(log.warn).not.toHaveBeenCalled();
    await third.close();
  });

  it('refuses to start when a journaled write no longer applies to the data, naming file:line', async () => {
    const store = MemoryStore.open(fixtureData(), { journalDir: dir });
    await store.putLayer('ruccod', 'system:y', systemY);
    await store.close();
    const data = fixtureData();
    data.codes = data.codes.filter((c) => c.code !== 'I11.9' && c.code !== 'I11.0');
    data.names = data.names.filter((n) => !n.code.startsWith('I11.'));
    const usesI11 = (code: string | null) => code?.startsWith('I11.') ?? false;
    for (const c of data.corpora) c.layers = c.layers.filter((l) => !l.mentions.some((m) => usesI11(m.code)) && !l.codes.some(usesI11));
    expect(() => MemoryStore.open(data, { journalDir: dir, log })).toThrow(
      `${journalFile(dir)}:2: journaled write (record 1) no longer applies to the data (putLayer.annotations[0].mentions[0].code: unknown ICD-10 code "I11.9"). Run \`icdkg journal set-aside\``,
    );
  });

  it('importGraph rebuilds from new data and replays the journal over it', async () => {
    const store = MemoryStore.open(fixtureData(), { journalDir: dir, log });
    await store.putLayer('ruccod', 'system:y', systemY);
    const data = fixtureData();
    data.corpora = data.corpora.filter((c) => c.name === 'ruccod');
    await store.importGraph(data);
    expect((await store.listCorpora()).map((c) => [c.name, c.layers])).toEqual([['ruccod', ['gold', 'system:x', 'system:y']]]);
    await store.importGraph(data);
    expect((await store.counts()).mentions).toBe(21);
    await store.close();
  });
});
