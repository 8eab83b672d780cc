import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryStore } from '../../src/graph/memory/MemoryStore.js';
import { loadDataDir } from '../../src/ingest/loadDataDir.js';
import { startTestServer } from './testServer.js';
import type { TestServer } from './testServer.js';

const dataDir = process.env.ICDKG_DATA_DIR;
if (!dataDir) console.warn('skipped: ICDKG_DATA_DIR not set (test/api/fullData.test.ts needs the full data)');

describe.skipIf(!dataDir)('the API on the full data', () => {
  let server: TestServer;
  beforeAll(async () => {
    // The real loaders and store; no journal, as the tests only read.
    const store = MemoryStore.open(await loadDataDir(dataDir!), { journalDir: null });
    server = await startTestServer({ store });
  });
  afterAll(async () => {
    await server?.close();
  });

  async function data(query: string) {
    const { body } = await server.query(query);
    expect(body.errors).toBeUndefined();
    return body.data;
  }

  it('serves the full tree, not the sample', async () => {
    const { system, chapters } = (await data('{ system { sample counts { codes documents } } chapters { code } }')) as {
      system: { sample: boolean; counts: { codes: number; documents: number } };
      chapters: unknown[];
    };
    expect(system.sample).toBe(false);
    expect(system.counts.codes).toBeGreaterThan(15_000);
    expect(system.counts.documents).toBeGreaterThanOrEqual(3000);
    expect(chapters).toHaveLength(22);
  });

  it('answers I25.2 with its ancestors and relates it to I11.9 (the worked transition)', async () => {
    expect(
      await data('{ code(code: "I25.2") { parent { code } ancestors { code } } hierarchyDistance(a: "I25.2", b: "I11.9") lowestCommonAncestor(a: "I25.2", b: "I11.9") { code } }'),
    ).toEqual({
      code: { parent: { code: 'I25' }, ancestors: [{ code: 'I25' }, { code: 'I20-I25' }, { code: 'I00-I99' }] },
      hierarchyDistance: 6,
      lowestCommonAncestor: { code: 'I00-I99' },
    });
  });

  it('puts I11 / I11.x first for "гипертоническая болезнь сердца"', async () => {
    const { searchCodes } = (await data('{ searchCodes(text: "гипертоническая болезнь сердца", first: 5) { code } }')) as { searchCodes: { code: string }[] };
    expect(searchCodes[0]!.code).toMatch(/^I11(\.|$)/);
  });

  it('puts the ischaemic heart disease codes (I20-I25) first for "ИБС"', async () => {
    const { searchCodes } = (await data('{ searchCodes(text: "ИБС", first: 3) { code } }')) as { searchCodes: { code: string }[] };
    expect(searchCodes.length).toBeGreaterThan(0);
    for (const hit of searchCodes) expect(hit.code).toMatch(/^I2[0-5](\.|$|-I25$)/);
  });
});
