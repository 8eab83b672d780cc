import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadMrconso } from '../../src/ingest/loadMrconso.js';
import { writeTemp } from './writeTemp.js';

const FIXTURE = 'test/fixtures/ingest/MRCONSO.RRF';
const TREE = new Set(['I10', 'I25.1', 'I25.2', 'E11']);

describe('loadMrconso()', () => {
  it('gives Russian rows as UMLS names to the ICD-10 codes of the tree sharing their CUI', async () => {
    const { names, sha256 } = await loadMrconso(FIXTURE, TREE);
    expect(names).toEqual([
      { code: 'I25.1', text: 'Атеросклероз коронарных артерий', normalized: 'атеросклероз коронарных артерий', source: 'UMLS', lang: 'ru', cui: 'C0010054', sab: 'MSHRUS' },
      { code: 'I25.1', text: 'Коронарный атеросклероз', normalized: 'коронарный атеросклероз', source: 'UMLS', lang: 'ru', cui: 'C0010054', sab: 'MDRRUS' },
      // The same string twice (PT and LLT) is one name.
      { code: 'I25.2', text: 'Старый инфаркт миокарда', normalized: 'старый инфаркт миокарда', source: 'UMLS', lang: 'ru', cui: 'C0155668', sab: 'MDRRUS' },
      { code: 'I10', text: 'Гипертензия', normalized: 'гипертензия', source: 'UMLS', lang: 'ru', cui: 'C0020538', sab: 'MSHRUS' },
      // I50.9 is not in the tree; C9999999 has no ICD-10 row; E11 has no Russian row.
    ]);
    expect(sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('reads other ICD-10 vocabularies when asked', async () => {
    const { names } = await loadMrconso(FIXTURE, new Set(['I10']), { icdSabs: ['ICD10AM'] });
    expect(names.map((n) => n.code + ' ' + n.text)).toEqual(['I10 Гипертензия']);
  });

  const good = 'C0020538|ENG|P|L0020538|PF|S0020538|Y|A0020538||||ICD10|PT|I10|Essential hypertension|0|N||\n';
  const cases: Array<[string, string, string]> = [
    ['a short row', good + 'C0020538|RUS|P|L1|PF|S1|Y|A1||||MSHRUS|MH|D1|Гипертензия|3|N|\n', 'm.rrf:2: expected 18 |-terminated columns, found 17'],
    ['a bad CUI', good + 'X1|RUS|P|L1|PF|S1|Y|A1||||MSHRUS|MH|D1|Гипертензия|3|N||\n', 'm.rrf:2: CUI "X1" is not C followed by 7 digits'],
    ['an ICD-10 row without code', good + 'C0020539|ENG|P|L1|PF|S1|Y|A1||||ICD10|PT||Hypertension|0|N||\n', 'm.rrf:2: ICD10 row of C0020539 has no CODE'],
    ['a Russian row without text', good + 'C0020538|RUS|P|L1|PF|S1|Y|A1||||MSHRUS|MH|D1||3|N||\n', 'm.rrf:2: RUS row of C0020538 has an empty STR'],
  ];
  for (const [what, text, message] of cases) {
    it(`rejects ${what} with file:line and loads nothing`, async () => {
      const dir = writeTemp({ 'm.rrf': text });
      let result: unknown = 'nothing';
      await expect(loadMrconso(join(dir, 'm.rrf'), TREE, { displayName: 'm.rrf' }).then((r) => (result = r))).rejects.toThrow(message);
      expect(result).toBe('nothing');
    });
  }
});
