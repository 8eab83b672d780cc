import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { createStore } from '../src/createStore.js';
import { sampleData } from './fixtures/sample.js';
import { useTempDir } from './helpers/useTempDir.js';

/** The store contract's data (the sample, layer system:x, corpus ehr). */
const fixtureData = () => sampleData('system:x', 'ehr');

describe('createStore()', () => {
  let dir = '';
  useTempDir('icdkg-create-store-', (d) => (dir = d));

  it('builds the memory store from given data, with its journal in journalDir', async () => {
    const config = loadConfig({ ICDKG_DATA_DIR: path.join(dir, 'data'), ICDKG_JOURNAL_DIR: path.join(dir, 'journal') });
    const store = await createStore(config, { data: await fixtureData() });
    expect(store.kind).toBe('memory');
    const { dataVersion, sources } = await fixtureData();
    expect(await store.info()).toEqual({ kind: 'memory', available: true, dataVersion, sources, sample: false });
    await store.deleteLayer('ruccod', 'system:x');
    await store.close();
    expect(fs.existsSync(path.join(dir, 'journal', 'memory-journal.jsonl'))).toBe(true);
    const again = await createStore(config, { data: await fixtureData() });
    expect(await again.listLayers('ruccod')).toEqual(['gold']);
    await again.close();
  });

  it('refuses a configured data folder without data, naming the folder and what is missing', async () => {
    const missing = loadConfig({ ICDKG_DATA_DIR: path.join(dir, 'typo'), ICDKG_JOURNAL_DIR: path.join(dir, 'journal') });
    await expect(createStore(missing)).rejects.toThrow(`data folder ${path.join(dir, 'typo')} (ICDKG_DATA_DIR or --data-dir) holds no ICD dictionary: the folder does not exist`);
    fs.mkdirSync(path.join(dir, 'empty'));
    const empty = loadConfig({ ICDKG_DATA_DIR: path.join(dir, 'empty'), ICDKG_JOURNAL_DIR: path.join(dir, 'journal') });
    await expect(createStore(empty)).rejects.toThrow('holds no ICD dictionary: it has no ruccod/mkb2descr.yaml');
  });

  it('starts on the graph/seed sample, and says so, only when no data folder was configured or the sample is asked for', async () => {
    const forced = await createStore(loadConfig({ ICDKG_DATA_DIR: path.join(dir, 'typo'), ICDKG_SAMPLE: '1', ICDKG_JOURNAL_DIR: path.join(dir, 'journal') }));
    expect((await forced.info()).sample).toBe(true);
    await forced.close();
    // ICDKG_DATA_DIR unset: the default ./data, here a folder without data.
    const config = { ...loadConfig({ ICDKG_JOURNAL_DIR: path.join(dir, 'journal') }), dataDir: path.join(dir, 'empty') };
    expect(config.sample).toBe('fallback');
    const store = await createStore(config);
    const info = await store.info();
    expect([info.kind, info.sample]).toEqual(['memory', true]);
    expect((await store.counts()).codes).toBeGreaterThan(0);
    expect(await store.lift(['I25.2'], 'CHAPTER')).toEqual(['I00-I99']);
    await store.close();
  });

  it('returns the Neo4j store when NEO4J_URI is set, without needing the database to start', async () => {
    const config = loadConfig({ NEO4J_URI: 'bolt://127.0.0.1:9', NEO4J_CONNECTION_TIMEOUT_MS: '200', NEO4J_TRANSACTION_TIMEOUT_MS: '200' });
    const store = await createStore(config, { data: await fixtureData() });
    expect(store.kind).toBe('neo4j');
    await store.close();
  });
});
