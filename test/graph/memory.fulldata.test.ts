import { beforeAll, describe, expect, it } from 'vitest';
import { MemoryStore } from '../../src/graph/memory/MemoryStore.js';
import type { GraphData } from '../../src/graph/model.js';
import { loadDataDir } from '../../src/ingest/loadDataDir.js';

const dataDir = process.env.ICDKG_DATA_DIR;
if (!dataDir) console.warn('skipped: ICDKG_DATA_DIR not set (memory store on the full data)');

describe.skipIf(!dataDir)('MemoryStore on the full data', () => {
  let data: GraphData;
  let store: MemoryStore;
  beforeAll(async () => {
    data = await loadDataDir(dataDir!);
    store = MemoryStore.open(data);
  });

  const top = async (text: string, first = 10) => (await store.searchNames(text, { first })).map((h) => h.code);

  it('puts I25, or the code the ИБС abbreviation names, first for ИБС', async () => {
    const abbreviated = data.names.filter((n) => n.source === 'ABBREVIATION' && n.normalized === 'ибс').map((n) => n.code);
    const [first] = await top('ИБС');
    expect(abbreviated.length > 0 ? abbreviated : ['I25']).toContain(first);
  });

  it('puts hypertensive heart disease first for гипертоническая болезнь сердца, also with a typo', async () => {
    expect(['I11', 'I11.9']).toContain((await top('гипертоническая болезнь сердца'))[0]);
    expect(['I11', 'I11.9']).toContain((await top('гипертоническя болезнь сердца'))[0]);
  });

  it('finds ischaemic heart disease in any inflection', async () => {
    expect(await top('ишемическая болезнь')).toEqual(expect.arrayContaining(['I20-I25', 'I25']));
    expect(['I20-I25', 'I25']).toContain((await top('ишемической болезни сердца'))[0]);
  });

  it('holds the whole corpus, in numeric id order', async () => {
    const ids = await store.listDocumentIds('ruccod', null);
    expect(ids).toHaveLength(3000);
    const numeric = ids.map(Number);
    expect(numeric).toEqual([...numeric].sort((a, b) => a - b));
    const dev = await store.listDocumentIds('ruccod', 'dev');
    expect(dev).toHaveLength(500);
  });

  it('finds every gold mention under I25, as counted straight from the data', async () => {
    const gold = data.corpora.find((c) => c.name === 'ruccod')!.layers.filter((l) => l.layer === 'gold');
    const expected = gold.flatMap((l) => l.mentions).filter((m) => m.code === 'I25' || m.code?.startsWith('I25.')).length;
    expect(expected).toBeGreaterThan(0);
    const page = await store.mentionsOfCode('I25', { layer: 'gold', first: 5, includeDescendants: true });
    expect(page.totalCount).toBe(expected);
    const documents = gold.filter((l) => l.mentions.some((m) => m.code === 'I25.2') || l.codes.includes('I25.2')).length;
    expect(await store.codeFrequencies(['I25.2'], 'gold')).toEqual([documents]);
  });

  it('lifts by graph hops on the full tree', async () => {
    expect(await store.lift(['H10.0', 'I25.2', 'F13.201Н'], 'CATEGORY')).toEqual(['H10', 'I25', 'F13']);
    expect(await store.lift(['I25.2'], 'CHAPTER')).toEqual(['I00-I99']);
  });
});
