import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadMkb10Nsi } from '../../src/ingest/loadMkb10Nsi.js';
import { writeTemp } from './writeTemp.js';

const FIXTURE = 'test/fixtures/ingest/nsi.csv';
const HEADER = 'ID;REC_CODE;MKB_CODE;MKB_NAME;ID_PARENT;ADDL_CODE;ACTUAL;DATE\n';
const CHAPTER = '1;01;"I";"ИНФЕКЦИИ";;;1;\n2;0101;"A00-A09";"КИШЕЧНЫЕ ИНФЕКЦИИ";1;;1;\n3;0102;"A15-A19";"ТУБЕРКУЛЕЗ";1;;1;\n';
const load = (text: string) => loadMkb10Nsi(join(writeTemp({ 'n.csv': text }), 'n.csv'), 'n.csv');

describe('loadMkb10Nsi()', () => {
  it("builds the tree from explicit parents; a chapter's code is its blocks' range and its numeral the number", async () => {
    const nsi = await loadMkb10Nsi(FIXTURE, 'nsi.csv');
    // code kind depth parent number actual, one row per code ('-' for null).
    expect(nsi.codes.map((c) => [c.code, c.kind, c.depth, c.parent ?? '-', c.number ?? '-', c.actual].join(' '))).toEqual([
      'A00-B99 CHAPTER 0 - I true', 'A00-A09 BLOCK 1 A00-B99 - true', 'A00 CATEGORY 2 A00-A09 - true', 'A00.0 SUBCATEGORY 3 A00 - true',
      'B99-B99 BLOCK 1 A00-B99 - true', 'B99 CATEGORY 2 B99-B99 - true',
      'U00-U85 CHAPTER 0 - XXII true', 'U00-U49 BLOCK 1 U00-U85 - true', 'U07 CATEGORY 2 U00-U49 - true', 'U07.1 SUBCATEGORY 3 U07 - true',
      'U08 CATEGORY 2 U00-U49 - false', 'U82-U85 BLOCK 1 U00-U85 - true',
    ]);
    expect(nsi.names[3]).toEqual({
      code: 'A00.0',
      text: 'Холера, вызванная холерным вибрионом 01, биовар cholerae',
      normalized: 'холера вызванная холерным вибрионом 01 биовар cholerae',
      source: 'ICD_TITLE',
      lang: 'ru',
    });
  });

  const cases: Array<[string, string, string]> = [
    ['a wrong header', 'ID;CODE;NAME\n', 'n.csv:1: expected the header ID;REC_CODE;MKB_CODE;MKB_NAME;ID_PARENT;ADDL_CODE;ACTUAL;DATE'],
    ['a short row', HEADER + CHAPTER + '4;x;"A00";"Холера";2;;1\n', 'n.csv:5: expected 8 columns, found 7'],
    ['a non-numeric ID', HEADER + CHAPTER + 'x;x;"A00";"Холера";2;;1;\n', 'n.csv:5: ID "x" is not a number'],
    ['an unknown parent', HEADER + CHAPTER + '4;x;"A00";"Холера";99;;1;\n', 'n.csv:5: ID_PARENT 99 is not the ID of any row'],
    ['a bad ACTUAL', HEADER + CHAPTER + '4;x;"A00";"Холера";2;;yes;\n', 'n.csv:5: ACTUAL must be 0 or 1, found "yes"'],
    ['a code of no shape', HEADER + CHAPTER + '4;x;"A0";"Холера";2;;1;\n', 'n.csv:5: MKB_CODE "A0" is not an ICD-10 chapter numeral, block, category or subcategory'],
    ['a duplicate code', HEADER + CHAPTER + '4;x;"A00";"Холера";2;;1;\n5;x;"A00";"Холера";2;;1;\n', 'n.csv:6: duplicate MKB_CODE A00 (first at line 5)'],
    ['a duplicate ID', HEADER + CHAPTER + '3;x;"A00";"Холера";2;;1;\n', 'n.csv:5: duplicate ID 3 (first at line 4)'],
    ['an empty title', HEADER + CHAPTER + '4;x;"A00";"";2;;1;\n', 'n.csv:5: code A00 has an empty MKB_NAME'],
    ['a root that is no numeral', HEADER + CHAPTER + '4;x;"A00";"Холера";;;1;\n', 'n.csv:5: code A00 has no ID_PARENT'],
    ['a chapter without blocks', HEADER + CHAPTER + '4;02;"II";"НОВООБРАЗОВАНИЯ";;;1;\n', 'n.csv:5: chapter II has no blocks to derive its range from'],
    ['a chapter whose one block has its range', HEADER + '1;01;"I";"ИНФЕКЦИИ";;;1;\n2;0101;"A00-A09";"КИШЕЧНЫЕ ИНФЕКЦИИ";1;;1;\n', "n.csv:2: chapter I's range A00-A09 is also the code at line 3"],
    ['a cycle', HEADER + CHAPTER + '4;x;"A00";"Холера";5;;1;\n5;x;"A01";"Тиф";4;;1;\n', 'n.csv:5: code A00 is in a cycle of ID_PARENTs'],
    ['a broken quote', HEADER + CHAPTER + '4;x;"A00;"Холера";2;;1;\n', 'n.csv:5: malformed CSV ('],
  ];
  for (const [what, text, message] of cases) {
    it(`rejects ${what} with file:line and loads nothing`, async () => {
      let result: unknown = 'nothing';
      await expect(load(text).then((r) => (result = r))).rejects.toThrow(message);
      expect(result).toBe('nothing');
    });
  }
});
