import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runEvaluate } from '../../src/usecases/runEvaluate.js';
import { describeLayers, exportLayer, importLayer } from '../../src/usecases/layers.js';
import { evaluateLayers } from '../../src/evaluation/layerEvaluation.js';
import { MemoryStore } from '../../src/graph/memory/MemoryStore.js';
import { parseAnn } from '../../src/ingest/loadBrat.js';
import { sampleCodes } from '../fixtures/sample.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/evaluation/', import.meta.url));
const gold = join(FIXTURES, 'brat', 'gold');
const pred = join(FIXTURES, 'brat', 'pred');
const ids = ['1', '2', '3', '4'];
const tmp = mkdtempSync(join(tmpdir(), 'icdkg-layer-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

let store: MemoryStore;
beforeAll(async () => {
  const codes = await sampleCodes();
  const documents = ids.map((id) => ({ corpus: 'demo', id, split: 'test', text: readFileSync(join(gold, `${id}.txt`), 'utf8'), patient: null, date: null }));
  const layers = documents.map((d) => ({
    documentId: d.id,
    layer: 'gold',
    mentions: parseAnn(readFileSync(join(gold, `${d.id}.ann`), 'utf8'), d.text, `${d.id}.ann`),
    codes: [],
  }));
  store = MemoryStore.open(
    { codes, names: [], sources: [], dataVersion: 'layer-test', corpora: [{ name: 'demo', documents, layers }] },
    { journalDir: null },
  );
});

describe('icdkg layer import / export / list', () => {
  it('refuses the whole folder when one file is bad, naming file and line, and writes nothing', async () => {
    // pred/3.ann links to Z00.0, which the sample's dictionary does not have.
    await expect(importLayer(store, { corpus: 'demo', layer: 'system:x', from: pred })).rejects.toThrow(/9\.ann:1: no document "9" in corpus "demo"/);
    const dir = join(tmp, 'unknown-code');
    mkdirSync(dir, { recursive: true });
    for (const f of ['1.ann', '2.ann', '3.ann']) copyFileSync(join(pred, f), join(dir, f));
    await expect(importLayer(store, { corpus: 'demo', layer: 'system:x', from: dir })).rejects.toThrow(/3\.ann:2: N1 links to unknown ICD-10 code "Z00\.0"/);
    expect(await store.listLayers('demo')).toEqual(['gold']);
  });

  it('rejects a mention whose text differs from the stored document text', async () => {
    await expect(importLayer(store, { corpus: 'demo', layer: 'system:x', from: join(FIXTURES, 'brat', 'pred-mismatch') })).rejects.toThrow(
      /pred-mismatch\/1\.ann:3: T2 text does not match/,
    );
    await expect(importLayer(store, { corpus: 'nope', layer: 'system:x', from: pred })).rejects.toThrow(/no corpus "nope"/);
  });

  it('imports a valid folder as a layer, lists it, and evaluates it like the brat folders', async () => {
    const dir = join(tmp, 'valid');
    mkdirSync(dir, { recursive: true });
    for (const f of ['1.ann', '2.ann']) copyFileSync(join(pred, f), join(dir, f));
    const summary = await importLayer(store, { corpus: 'demo', layer: 'system:x', from: dir });
    expect(summary).toEqual({ documents: 2, mentions: 4, cleared: 2 }); // 1.ann: 3 T (one without code); 2.ann: 1
    expect(await describeLayers(store, 'demo')).toEqual([
      { layer: 'gold', documents: 3, mentions: 5, codes: 0 },
      { layer: 'system:x', documents: 2, mentions: 4, codes: 0 },
    ]);
    const inStore = await evaluateLayers(store, { corpus: 'demo', gold: 'gold', predicted: 'system:x' });
    const fromFolders = JSON.parse((await runEvaluate({ gold, pred: dir, json: true })).stdout) as Record<string, { tp: number; fp: number; fn: number }>;
    for (const t of ['ner', 'nerLinking', 'codeAssignment'] as const) {
      expect([inStore[t].tp, inStore[t].fp, inStore[t].fn]).toEqual([fromFolders[t]!.tp, fromFolders[t]!.fp, fromFolders[t]!.fn]);
    }
    // d1: spans tp2 fn1, codes tp1 fp1 fn2; d2: span fp1 fn1, code tp1; d3: -; d4: fn1
    expect([inStore.codeAssignment.tp, inStore.codeAssignment.fp, inStore.codeAssignment.fn]).toEqual([2, 1, 3]);
  });

  it('exports a layer as brat that evaluates to the same numbers (round trip)', async () => {
    const out = join(tmp, 'exported');
    const s = await exportLayer(store, { corpus: 'demo', layer: 'system:x', out });
    expect(s).toEqual({ documents: 4, mentions: 4, skippedCodes: 0 });
    expect(readFileSync(join(out, '2.ann'), 'utf8')).toBe('T1\ticd_code 0 8\tСахарный\nN1\tReference T1 ICD_codes:E11.9\tE11.9\n');
    expect(readFileSync(join(out, '4.ann'), 'utf8')).toBe('');
    const a = JSON.parse((await runEvaluate({ gold, pred: out, json: true })).stdout) as unknown;
    const b = JSON.parse((await runEvaluate({ gold, pred: join(tmp, 'valid'), json: true })).stdout) as unknown;
    expect(a).toEqual(b);
    await expect(exportLayer(store, { corpus: 'demo', layer: 'system:none', out })).rejects.toThrow(/no layer "system:none" in corpus "demo"; its layers: gold, system:x/);
  });

  it('--merge keeps the layer on documents outside the folder; the default replaces it', async () => {
    const dir = join(tmp, 'only3');
    mkdirSync(dir, { recursive: true });
    // A hand-written file for d3 with a code the dictionary knows.
    writeFileSync(join(dir, '3.ann'), 'T1\ticd_code 0 6\tЗдоров\nN1\tReference T1 ICD_codes:1\tI10\n');
    await importLayer(store, { corpus: 'demo', layer: 'system:x', from: dir, merge: true });
    expect((await describeLayers(store, 'demo')).find((l) => l.layer === 'system:x')).toEqual({ layer: 'system:x', documents: 3, mentions: 5, codes: 0 });
    await importLayer(store, { corpus: 'demo', layer: 'system:x', from: dir });
    expect((await describeLayers(store, 'demo')).find((l) => l.layer === 'system:x')).toEqual({ layer: 'system:x', documents: 1, mentions: 1, codes: 0 });
  });

  it('imports RuCCoD-style files whose T ids repeat or carry several codes (ids made unique, spans and codes kept)', async () => {
    const dir = join(tmp, 'reused-ids');
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      join(dir, '1.ann'),
      'T1\ticd_code 0 4\tОРВИ\nN1\tReference T1 ICD_codes:1\tJ06.9\nN2\tReference T1 ICD_codes:2\tJ01.9\nT1\ticd_code 6 16\tГипертония\nN3\tReference T1 ICD_codes:3\tI10\n',
    );
    await importLayer(store, { corpus: 'demo', layer: 'system:reused', from: dir });
    const [layer] = await store.getLayer('demo', 'system:reused', ['1']);
    expect(layer!.mentions.map((m) => [m.id, m.start, m.end, m.code])).toEqual([
      ['T1', 0, 4, 'J06.9'],
      ['T1#2', 0, 4, 'J01.9'],
      ['T1#3', 6, 16, 'I10'],
    ]);
  });
});
