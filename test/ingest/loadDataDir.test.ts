import { describe, expect, it } from 'vitest';
import { loadDataDir, SAMPLE_DATA_DIR } from '../../src/ingest/loadDataDir.js';
import { writeTemp } from './writeTemp.js';

describe('loadDataDir(): without an ICD dictionary', () => {
  it('loads the sample and says so', async () => {
    const data = await loadDataDir(writeTemp({ 'README.md': 'empty' }));
    expect(data.sample).toBe(true);
    expect(data.dataDir).toBe(SAMPLE_DATA_DIR);
    expect(data.codes.filter((c) => c.kind === 'CHAPTER').map((c) => `${c.number} ${c.code}`)).toEqual(['IV E00-E90', 'V F00-F99', 'VII H00-H59', 'IX I00-I99', 'X J00-J99', 'XI K00-K93']);
    for (const code of ['I10', 'I11', 'I11.9', 'I20', 'I20.9', 'I25', 'I25.1', 'I25.2', 'I67.9', 'E11', 'E11.9', 'H10', 'H10.0', 'K29.5', 'F13.201Н']) {
      expect(data.codes.some((c) => c.code === code), code).toBe(true);
    }
    expect(data.sources.map((s) => s.path)).toEqual([
      'ruccod/mkb2descr.yaml',
      'mkb10-nsi/mkb10_sample.csv',
      'ruccod/abbr2term.yaml',
      'umls/MRCONSO.RRF',
      'ruccod/train',
      'ruccod/dev-ids.txt',
    ]);
    expect(data.dataVersion).toMatch(/^[0-9a-f]{16}$/);
    expect(data.corpora[0]!.documents.map((d) => `${d.id}:${d.split}`)).toEqual(['0:train', '1:train', '2:train', '3:train', '4:train', '5:dev']);
    expect(data.abbreviations.get('ИБС')).toEqual(['ишемическая болезнь сердца']);
  });

  it('gives CORPUS names from train mentions only, counted per code and normalised text', async () => {
    const data = await loadDataDir(writeTemp({}));
    const corpus = data.names.filter((n) => n.source === 'CORPUS');
    expect(corpus.filter((n) => n.code === 'I11.9')).toEqual([
      { code: 'I11.9', text: 'Гипертоническая болезнь III стадии', normalized: 'гипертоническая болезнь iii стадии', source: 'CORPUS', lang: 'ru', count: 1 },
      { code: 'I11.9', text: 'ГБ II стадии', normalized: 'гб ii стадии', source: 'CORPUS', lang: 'ru', count: 1 },
    ]);
    // Document 5 (dev) is the only one with J44.9 (ХОБЛ): no CORPUS name from it.
    expect(corpus.some((n) => n.code === 'J44.9')).toBe(false);
    // Documents 0-4 hold 3 + 2 + 1 + 4 + 3 linked mentions.
    expect(corpus.reduce((sum, n) => sum + n.count!, 0)).toBe(13);
  });

  it('is the same data when given the sample dir itself, minus the sample flag', async () => {
    const direct = await loadDataDir(SAMPLE_DATA_DIR);
    const fallback = await loadDataDir(writeTemp({}));
    expect(direct.sample).toBe(false);
    expect(direct.dataVersion).toBe(fallback.dataVersion);
    expect(direct.codes).toEqual(fallback.codes);
  });
});
