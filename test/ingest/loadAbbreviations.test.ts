import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Name } from '../../src/graph/model.js';
import { loadAbbreviations } from '../../src/ingest/loadAbbreviations.js';
import { SAMPLE_DATA_DIR } from '../../src/ingest/loadDataDir.js';
import { loadRuccodDictionary } from '../../src/ingest/loadRuccodDictionary.js';
import { writeTemp } from './writeTemp.js';

const title = (code: string, text: string, source: Name['source'] = 'ICD_TITLE'): Name => ({ code, text, normalized: text.toLowerCase(), source, lang: 'ru' });

describe('loadAbbreviations()', () => {
  it('exports every abbreviation with its expansions and links the ones whose expansion is a title', async () => {
    const dict = await loadRuccodDictionary(join(SAMPLE_DATA_DIR, 'ruccod/mkb2descr.yaml'));
    const abbr = await loadAbbreviations(join(SAMPLE_DATA_DIR, 'ruccod/abbr2term.yaml'), dict.names);
    expect(abbr.expansions.size).toBe(9);
    expect(abbr.expansions.get('ИБС')).toEqual(['ишемическая болезнь сердца']);
    expect(abbr.expansions.get('ЖВП')).toEqual(['желчевыводящих путей']);
    expect(abbr.names).toEqual([
      { code: 'I20-I25', text: 'ИБС', normalized: 'ибс', source: 'ABBREVIATION', lang: 'ru' },
      { code: 'I21', text: 'ОИМ', normalized: 'оим', source: 'ABBREVIATION', lang: 'ru' },
      { code: 'E10-E14', text: 'СД', normalized: 'сд', source: 'ABBREVIATION', lang: 'ru' },
    ]);
  });

  it('matches DICTIONARY names too, and every code sharing the title', async () => {
    const dir = writeTemp({ 'a.yaml': 'ХОБЛ: Хроническая  обструктивная болезнь легких\n' });
    const names = [title('J44', 'хроническая обструктивная болезнь легких', 'DICTIONARY'), title('J44.9', 'хроническая обструктивная болезнь легких'), title('J45', 'хроническая обструктивная болезнь легких', 'CORPUS')];
    const abbr = await loadAbbreviations(join(dir, 'a.yaml'), names);
    expect(abbr.names.map((n) => n.code)).toEqual(['J44', 'J44.9']);
    expect(abbr.expansions.get('ХОБЛ')).toEqual(['Хроническая обструктивная болезнь легких']);
  });

  it('rejects an empty expansion with file:line and loads nothing', async () => {
    const dir = writeTemp({ 'a.yaml': "ИБС: ишемическая болезнь сердца\nГБ: ''\n" });
    await expect(loadAbbreviations(join(dir, 'a.yaml'), [], 'a.yaml')).rejects.toThrow('a.yaml:2: abbreviation "ГБ" has an empty expansion');
  });

  it('rejects a duplicate abbreviation with file:line', async () => {
    const dir = writeTemp({ 'a.yaml': 'ИБС: ишемическая болезнь сердца\nИБС: ишемическая болезнь\n' });
    await expect(loadAbbreviations(join(dir, 'a.yaml'), [], 'a.yaml')).rejects.toThrow('a.yaml:2: duplicate key "ИБС" (first at line 1)');
  });
});
