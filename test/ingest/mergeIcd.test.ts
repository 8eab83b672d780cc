import { describe, expect, it } from 'vitest';
import { loadMkb10Nsi } from '../../src/ingest/loadMkb10Nsi.js';
import { loadRuccodDictionary } from '../../src/ingest/loadRuccodDictionary.js';
import { mergeIcd } from '../../src/ingest/mergeIcd.js';
import { join } from 'node:path';
import { writeTemp } from './writeTemp.js';

const RUCCOD = `A00-B99: НЕКОТОРЫЕ ИНФЕКЦИОННЫЕ И ПАРАЗИТАРНЫЕ БОЛЕЗНИ (A00-B99)
A00-A09: КИШЕЧНЫЕ ИНФЕКЦИИ (A00-A09)
A00: Холера
A00.0: Холера, вызванная холерным вибрионом 01, биовар cholerae
A90-A99: ВИРУСНЫЕ ЛИХОРАДКИ (A90-A99)
A92: Другие вирусные лихорадки
B99-B99: ДРУГИЕ ИНФЕКЦИОННЫЕ БОЛЕЗНИ (B99)
B99: Другие и неуточненные инфекционные болезни
`;
const NSI = `ID;REC_CODE;MKB_CODE;MKB_NAME;ID_PARENT;ADDL_CODE;ACTUAL;DATE
1;01;"I";"НЕКОТОРЫЕ ИНФЕКЦИОННЫЕ И ПАРАЗИТАРНЫЕ БОЛЕЗНИ";;;1;
2;0101;"A00-A09";"КИШЕЧНЫЕ ИНФЕКЦИИ";1;;1;
3;"0101A00";"A00";"Холера";2;;1;
4;"0101A000";"A00.0";"Холера, вызванная Vibrio cholerae 01, биовар cholerae";3;;1;
5;0110;"A92-A99";"ДРУГИЕ ВИРУСНЫЕ ЛИХОРАДКИ";1;;1;
6;"0110A92";"A92";"Другие вирусные лихорадки";5;;1;
7;"0110A97";"A97";"Денге";5;;1;
8;"0110A98";"A98";"Другие вирусные геморрагические лихорадки";5;;0;
9;0121;"B99-B99";"ДРУГИЕ ИНФЕКЦИОННЫЕ БОЛЕЗНИ";1;;1;
10;22;"XXII";"КОДЫ ДЛЯ СПЕЦИАЛЬНЫХ ЦЕЛЕЙ";;;1;
11;2201;"U00-U49";"ВРЕМЕННОЕ ОБОЗНАЧЕНИЕ НОВЫХ БОЛЕЗНЕЙ";10;;1;
12;"2201U07";"U07";"Использование в чрезвычайных ситуациях";11;;1;
13;2202;"U82-U85";"УСТОЙЧИВОСТЬ К ПРЕПАРАТАМ";10;;1;
`;

async function merged() {
  const dir = writeTemp({ 'r.yaml': RUCCOD, 'n.csv': NSI });
  return mergeIcd(await loadRuccodDictionary(join(dir, 'r.yaml')), await loadMkb10Nsi(join(dir, 'n.csv')));
}

describe('mergeIcd()', () => {
  it('keeps RuCCoD as the base, numbers its chapters and adds what the reference adds', async () => {
    const icd = await merged();
    expect(icd.codes.map((c) => [c.code, c.kind, c.depth, c.parent, c.number])).toEqual([
      ['A00-B99', 'CHAPTER', 0, null, 'I'],
      ['A00-A09', 'BLOCK', 1, 'A00-B99', null],
      ['A00', 'CATEGORY', 2, 'A00-A09', null],
      ['A00.0', 'SUBCATEGORY', 3, 'A00', null],
      ['A90-A99', 'BLOCK', 1, 'A00-B99', null],
      ['A92', 'CATEGORY', 2, 'A90-A99', null],
      ['B99-B99', 'BLOCK', 1, 'A00-B99', null],
      ['B99', 'CATEGORY', 2, 'B99-B99', null],
      // Added: A97 hangs where RuCCoD's ranges put it, not under the skipped A92-A99.
      ['A97', 'CATEGORY', 2, 'A90-A99', null],
      ['U07', 'CATEGORY', 2, 'U00-U49', null],
      ['U00-U85', 'CHAPTER', 0, null, 'XXII'],
      ['U00-U49', 'BLOCK', 1, 'U00-U85', null],
      ['U82-U85', 'BLOCK', 1, 'U00-U85', null],
    ]);
    expect(icd.report).toEqual({
      added: ['A97', 'U07', 'U00-U85', 'U00-U49', 'U82-U85'],
      skipped: [
        { code: 'A98', reason: 'withdrawn (ACTUAL=0) and not in RuCCoD' },
        { code: 'A92-A99', reason: "a newer block boundary: RuCCoD's A92 lies inside it" },
      ],
      nonActual: [],
    });
  });

  it('turns a differing reference title into a DICTIONARY name, and titles added codes', async () => {
    const icd = await merged();
    expect(icd.names.filter((n) => n.source === 'DICTIONARY')).toEqual([
      { code: 'A00.0', text: 'Холера, вызванная Vibrio cholerae 01, биовар cholerae', normalized: 'холера вызванная vibrio cholerae 01 биовар cholerae', source: 'DICTIONARY', lang: 'ru' },
    ]);
    expect(icd.names.find((n) => n.code === 'A97')).toEqual({ code: 'A97', text: 'Денге', normalized: 'денге', source: 'ICD_TITLE', lang: 'ru' });
    expect(icd.names.filter((n) => n.code === 'A00-B99').map((n) => n.source)).toEqual(['ICD_TITLE']);
  });

  it('keeps a RuCCoD code the reference marks withdrawn, flagged inactive', async () => {
    const dir = writeTemp({ 'r.yaml': RUCCOD, 'n.csv': NSI.replace('"Другие вирусные лихорадки";5;;1;', '"Другие вирусные лихорадки";5;;0;') });
    const icd = mergeIcd(await loadRuccodDictionary(join(dir, 'r.yaml')), await loadMkb10Nsi(join(dir, 'n.csv')));
    expect(icd.report.nonActual).toEqual(['A92']);
    expect(icd.codes.filter((c) => c.inactive).map((c) => c.code)).toEqual(['A92']);
    expect(icd.codes.find((c) => c.code === 'A00')).not.toHaveProperty('inactive');
  });
});
