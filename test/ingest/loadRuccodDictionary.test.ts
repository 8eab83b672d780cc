import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadRuccodDictionary } from '../../src/ingest/loadRuccodDictionary.js';
import { SAMPLE_DATA_DIR } from '../../src/ingest/loadDataDir.js';
import { writeTemp } from './writeTemp.js';

const FIXTURE = 'test/fixtures/ingest/dictionary-odd.yaml';
const load = (text: string) => loadRuccodDictionary(join(writeTemp({ 'd.yaml': text }), 'd.yaml'), 'd.yaml');

describe('loadRuccodDictionary(): the tree', () => {
  it('infers chapters, blocks, categories and subcategories of the sample', async () => {
    const dict = await loadRuccodDictionary(join(SAMPLE_DATA_DIR, 'ruccod/mkb2descr.yaml'));
    const byCode = new Map(dict.codes.map((c) => [c.code, c]));
    expect(byCode.get('I00-I99')).toEqual({ code: 'I00-I99', title: 'БОЛЕЗНИ СИСТЕМЫ КРОВООБРАЩЕНИЯ', kind: 'CHAPTER', depth: 0, parent: null, number: null });
    expect(byCode.get('I20-I25')).toMatchObject({ kind: 'BLOCK', depth: 1, parent: 'I00-I99' });
    expect(byCode.get('I25')).toMatchObject({ kind: 'CATEGORY', depth: 2, parent: 'I20-I25' });
    expect(byCode.get('I25.2')).toEqual({ code: 'I25.2', title: 'Перенесенный в прошлом инфаркт миокарда', kind: 'SUBCATEGORY', depth: 3, parent: 'I25', number: null });
    expect(byCode.get('F13.201Н')).toMatchObject({ parent: 'F13.20', depth: 5 });
    // A folded title is joined by one space; the range suffix of a chapter goes.
    expect(byCode.get('E00-E90')!.title).toBe('БОЛЕЗНИ ЭНДОКРИННОЙ СИСТЕМЫ, РАССТРОЙСТВА ПИТАНИЯ И НАРУШЕНИЯ ОБМЕНА ВЕЩЕСТВ');
    expect(dict.entries).toBe(dict.codes.length);
    expect(dict.names.find((n) => n.code === 'I11.9')).toEqual({
      code: 'I11.9',
      text: 'Гипертензивная [гипертоническая] болезнь с преимущественным поражением сердца без (застойной) сердечной недостаточности',
      normalized: 'гипертензивная гипертоническая болезнь с преимущественным поражением сердца без застойной сердечной недостаточности',
      source: 'ICD_TITLE',
      lang: 'ru',
    });
  });
});

describe('loadRuccodDictionary(): odd keys of the real file', () => {
  it("skips the service key '00' and reports it", async () => {
    const dict = await loadRuccodDictionary(FIXTURE, 'odd.yaml');
    expect(dict.codes.some((c) => c.code === '00')).toBe(false);
    expect(dict.skipped).toEqual([
      { key: '00', line: 1, reason: 'service entry, not an ICD-10 code' },
      { key: 'H49-52', line: 25, reason: 'duplicate of H49-H52' },
    ]);
    expect(dict.entries).toBe(33);
    expect(dict.codes).toHaveLength(31);
  });

  it('drops H49-52 for H49-H52; its title, the same once normalised, adds no name', async () => {
    const dict = await loadRuccodDictionary(FIXTURE, 'odd.yaml');
    expect(dict.names.filter((n) => n.code === 'H49-H52')).toEqual([
      { code: 'H49-H52', text: 'Болезни мышц глаза', normalized: 'болезни мышц глаза', source: 'ICD_TITLE', lang: 'ru' },
    ]);
    expect(dict.codes.find((c) => c.code === 'H49')).toMatchObject({ parent: 'H49-H52', depth: 2 });
  });

  it('nests blocks in blocks, and hangs single-category ranges and odd subcategories by the rules', async () => {
    const dict = await loadRuccodDictionary(FIXTURE, 'odd.yaml');
    const parentOf = Object.fromEntries(dict.codes.map((c) => [c.code, [c.kind, c.parent, c.depth]]));
    expect(parentOf['C00-C97']).toEqual(['BLOCK', 'C00-D48', 1]);
    expect(parentOf['C00-C14']).toEqual(['BLOCK', 'C00-C97', 2]);
    expect(parentOf['C00']).toEqual(['CATEGORY', 'C00-C14', 3]);
    expect(parentOf['B99-B99']).toEqual(['BLOCK', 'A00-B99', 1]);
    expect(parentOf['B99']).toEqual(['CATEGORY', 'B99-B99', 2]);
    expect(parentOf['F13.201Н']).toEqual(['SUBCATEGORY', 'F13.20', 5]);
    // Latin H kept as written; its parent is found by dropping characters.
    expect(parentOf['F13.50H']).toEqual(['SUBCATEGORY', 'F13', 3]);
    expect(parentOf['F20.8**1']).toEqual(['SUBCATEGORY', 'F20.8', 4]);
    expect(parentOf['S02.0.0']).toEqual(['SUBCATEGORY', 'S02.0', 4]);
    expect(parentOf['T08.+.0']).toEqual(['SUBCATEGORY', 'T08', 3]);
    expect(dict.codes.find((c) => c.code === 'F70')!.title).toBe('Умственная отсталость легкой степени: с нарушением поведения, требующим ухода');
    expect(dict.codes.find((c) => c.code === 'C00-C14')!.title).toBe('ЗЛОКАЧЕСТВЕННЫЕ НОВООБРАЗОВАНИЯ ГУБЫ, ПОЛОСТИ РТА И ГЛОТКИ');
  });
});

describe('loadRuccodDictionary(): aliases with another title', () => {
  it('keeps the title of a dropped short range as a DICTIONARY name when it differs', async () => {
    const dict = await load('H00-H59: Глава\nH49-52: Болезни мышц глаза и рефракции (H49-52)\nH49-H52: Болезни мышц глаза\n');
    expect(dict.names.filter((n) => n.source === 'DICTIONARY')).toEqual([
      { code: 'H49-H52', text: 'Болезни мышц глаза и рефракции', normalized: 'болезни мышц глаза и рефракции', source: 'DICTIONARY', lang: 'ru' },
    ]);
  });

  it('reads a short range without its long twin as the long form', async () => {
    const dict = await load('H00-H59: Глава\nH49-52: Болезни мышц глаза\nH49: Косоглазие\n');
    expect(dict.codes.map((c) => [c.code, c.parent])).toEqual([['H00-H59', null], ['H49-H52', 'H00-H59'], ['H49', 'H49-H52']]);
  });
});

describe('loadRuccodDictionary(): malformed input', () => {
  const cases: Array<[string, string, string]> = [
    ['a key of no ICD-10 shape', 'A00-B99: Глава\nA00: Холера\nXYZ: Что-то\n', 'd.yaml:3: "XYZ" is not an ICD-10 chapter, block, category or subcategory code'],
    ['an empty title', "A00-B99: Глава\nA00: ''\n", 'd.yaml:2: code A00 has an empty title'],
    ['a reversed range', 'A00-B99: Глава\nA09-A00: Блок\n', 'd.yaml:2: range A09-A00 ends before it starts'],
    ['overlapping ranges', 'A00-B99: Глава\nA00-A09: Блок\nA05-A15: Блок\n', 'd.yaml:2: range A00-A09 overlaps range A05-A15 (line 3) without nesting'],
    ['a category in no range', 'A00-B99: Глава\nC00: Рак\n', 'd.yaml:2: category C00 lies in no chapter or block range'],
    ['a subcategory without category', 'A00-B99: Глава\nA00: Холера\nA01.1: Паратиф\n', 'd.yaml:3: subcategory A01.1 has no category A01 in the dictionary'],
    ['a duplicate key', 'A00-B99: Глава\nA00: Холера\nA00: Холера\n', 'd.yaml:3: duplicate key "A00" (first at line 2)'],
  ];
  for (const [what, text, message] of cases) {
    it(`rejects ${what} with file:line and loads nothing`, async () => {
      let result: unknown = 'nothing';
      await expect(
        load(text).then((r) => {
          result = r;
        }),
      ).rejects.toThrow(message);
      expect(result).toBe('nothing');
    });
  }
});
