import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadBrat } from '../../src/ingest/loadBrat.js';
import { loadDataDir } from '../../src/ingest/loadDataDir.js';
import type { LoadedData } from '../../src/ingest/loadDataDir.js';
import { loadMkb10Nsi } from '../../src/ingest/loadMkb10Nsi.js';
import type { Mkb10Nsi } from '../../src/ingest/loadMkb10Nsi.js';
import { loadRuccodDictionary } from '../../src/ingest/loadRuccodDictionary.js';
import type { IcdDictionary } from '../../src/ingest/loadRuccodDictionary.js';
import { readYamlMap } from '../../src/ingest/readYamlMap.js';

const dataDir = process.env.ICDKG_DATA_DIR;
if (!dataDir) console.warn('skipped: ICDKG_DATA_DIR not set (full-data ingest tests)');

describe.skipIf(!dataDir)('ingest on the full data (ICDKG_DATA_DIR)', () => {
  const at = (path: string) => join(dataDir!, path);
  let ruccod: IcdDictionary;
  let nsi: Mkb10Nsi;
  beforeAll(async () => {
    [ruccod, nsi] = await Promise.all([loadRuccodDictionary(at('ruccod/mkb2descr.yaml')), loadMkb10Nsi(at('mkb10-nsi/mkb10_v2.27.csv'))]);
  });

  it('reads both YAML files exactly as the yaml package does (failsafe schema)', async () => {
    for (const file of ['ruccod/mkb2descr.yaml', 'ruccod/abbr2term.yaml']) {
      const reference = parse(readFileSync(at(file), 'utf8'), { schema: 'failsafe' }) as Record<string, string>;
      const { entries } = await readYamlMap(at(file));
      expect(Object.fromEntries(entries.map((e) => [e.key, e.value])), file).toEqual(reference);
    }
  });

  it('RuCCoD dictionary: 17,762 entries, 21 chapters, one tree', () => {
    expect(ruccod.entries).toBe(17_762);
    expect(ruccod.codes).toHaveLength(17_760); // '00' and H49-52 skipped
    expect(ruccod.codes.filter((c) => c.kind === 'CHAPTER')).toHaveLength(21);
    const byCode = new Map(ruccod.codes.map((c) => [c.code, c]));
    for (const c of ruccod.codes) if (c.parent) expect(byCode.get(c.parent)!.depth).toBe(c.depth - 1);
    expect(byCode.get('F13.201Н')).toMatchObject({ parent: 'F13.201', kind: 'SUBCATEGORY' });
    expect(byCode.get('I25.2')).toMatchObject({ parent: 'I25', depth: 3 });
  });

  it('МКБ-10 reference: 15,038 rows, 22 numbered chapters', () => {
    expect(nsi.codes).toHaveLength(15_038);
    expect(nsi.codes.filter((c) => c.kind === 'CHAPTER').map((c) => `${c.number} ${c.code}`)).toContain('IX I00-I99');
    expect(nsi.codes.filter((c) => c.kind === 'CHAPTER')).toHaveLength(22);
    expect(nsi.codes.filter((c) => !c.actual)).toHaveLength(101);
  });

  it('both loaders give every shared code the same parent, but for the explained edition differences', () => {
    const ruccodParent = new Map(ruccod.codes.map((c) => [c.code, c.parent]));
    const ruccodCodes = new Set(ruccod.codes.map((c) => c.code));
    const nsiCodes = new Set(nsi.codes.map((c) => c.code));
    const disagreements = new Map<string, number>();
    let shared = 0;
    for (const c of nsi.codes) {
      if (!ruccodParent.has(c.code)) continue;
      shared += 1;
      const theirs = ruccodParent.get(c.code);
      if (theirs === c.parent) continue;
      // Explained only if one side's parent is a range the other dictionary does not have: the two
      // editions draw some block boundaries differently.
      const explained = (c.parent !== null && !ruccodCodes.has(c.parent)) || (theirs != null && !nsiCodes.has(theirs));
      const key = `${explained ? '' : 'UNEXPLAINED '}${theirs} | ${c.parent}`;
      disagreements.set(key, (disagreements.get(key) ?? 0) + 1);
    }
    expect(shared).toBe(14_913); // the 15,038 rows less the 125 codes RuCCoD lacks (U chapter, A97, ...)
    expect(Object.fromEntries(disagreements)).toEqual({
      // RuCCoD | reference: why
      'A90-A99 | A92-A99': 9, // the reference's block starts at A92 (A90, A91 withdrawn)
      'B95-B97 | B95-B98': 3, // B98 added to the block
      'C00-C97 | C00-C75': 12, // the reference groups C00-C75 within C00-C97
      'G10-G13 | G10-G14': 4, // G14 added to the block
      'G00-G99 | G10-G14': 1, // G14: in no RuCCoD block (its G10-G13 predates it)
      'J00-J99 | J09-J18': 1, // J09: in no RuCCoD block (its J10-J18 predates it)
      'J10-J18 | J09-J18': 9,
      'K55-K63 | K55-K64': 9, // K64 moved into the block
      'K00-K93 | K55-K64': 1, // K64: in no RuCCoD block
      'O00-O99 | O94-O99': 1, // O94: in no RuCCoD block (its O95-O99 predates it)
      'O95-O99 | O94-O99': 5,
      'V01-Y98 | V01-X59': 2, // RuCCoD's V01-V99 and W00-X59 are one block V01-X59 in the reference
      'Y35-Y36 | Y35-Y38': 2, // Y37, Y38 added to the block
    });
  });

  it('RuCCoD corpus: 3,000 documents, 8,769 linked mentions, 1,455 codes, all in the dictionary', async () => {
    const knownCodes = new Set(ruccod.codes.map((c) => c.code));
    const { corpus, repairs } = await loadBrat(at('ruccod/train'), { corpus: 'ruccod', knownCodes, devIdsPath: at('ruccod/dev-ids.txt') });
    const mentions = corpus.layers.flatMap((l) => l.mentions);
    const linked = mentions.filter((m) => m.code !== null);
    expect(corpus.documents).toHaveLength(3_000);
    expect(corpus.documents.filter((d) => d.split === 'dev')).toHaveLength(500);
    expect(linked).toHaveLength(8_769);
    expect(new Set(linked.map((m) => m.code))).toHaveProperty('size', 1_455);
    expect(Object.fromEntries(repairs)).toEqual({ 'crlf-offsets': 1_264, whitespace: 35, 'escaped-newline': 2, shifted: 1, 'end-offset': 1 });
    for (const [i, layer] of corpus.layers.entries()) {
      const text = corpus.documents[i]!.text;
      for (const m of layer.mentions) expect(m.fragments.map((f) => text.slice(f.start, f.end)).join(' ')).toBe(m.text);
    }
  });

  it('loadDataDir: the whole data dir, timed', async () => {
    const started = performance.now();
    const data: LoadedData = await loadDataDir(dataDir!);
    const ms = performance.now() - started;
    console.warn(`loadDataDir on the full data: ${Math.round(ms)} ms`);
    expect(data.sample).toBe(false);
    expect(data.codes).toHaveLength(17_858);
    expect(data.merge!.added).toHaveLength(98);
    expect(data.corpora[0]!.documents).toHaveLength(3_000);
    expect(data.abbreviations.size).toBe(4_506);
    expect(data.names.filter((n) => n.source === 'ABBREVIATION' && n.text === 'СД').map((n) => n.code)).toEqual(['E10-E14']);
    expect(data.sources.map((s) => s.path)).toEqual(['ruccod/mkb2descr.yaml', 'mkb10-nsi/mkb10_v2.27.csv', 'ruccod/abbr2term.yaml', 'ruccod/train', 'ruccod/dev-ids.txt']);
    const codes = new Set(data.codes.map((c) => c.code));
    for (const n of data.names) expect(codes.has(n.code)).toBe(true);
  });
});
