import type { Config } from './config.js';
import type { GraphStore } from './graph/GraphStore.js';
import type { GraphData } from './graph/model.js';
import { MemoryStore } from './graph/memory/MemoryStore.js';
import { checkJournal, setAsideJournal, truncateJournal } from './graph/memory/Journal.js';
import { SAMPLE_DATA_DIR, loadDataDir } from './ingest/loadDataDir.js';
import type { LoadedData } from './ingest/loadDataDir.js';

export interface CreateStoreOptions {
  /** The data to build the embedded store from; read from `config.dataDir` when absent. */
  data?: GraphData & { sample?: boolean };
  /** Rows per Neo4j transaction of a bulk import (`icdkg seed --batch-size`); the adapter's default when absent. */
  importBatchSize?: number;
  /**
   * A long-running process (`serve`, `mcp`): the embedded store follows its journal every
   * `config.journalFollowMs`, so that writes of other processes (CLI imports) show without a
   * restart. Neo4j needs nothing: every process reads the same database.
   */
  follow?: boolean;
}

/**
 * The composition root's one way to get a `GraphStore` (DESIGN §6): Neo4j when `config.neo4j.uri`
 * is set, otherwise the embedded memory store built from `options.data` or from the data files in
 * `config.dataDir` (the `graph/seed/` sample when the folder holds no ICD dictionary), with its
 * journal in `config.journalDir` replayed.
 *
 * @example const store = await createStore(loadConfig());
 */
export async function createStore(config: Config, options: CreateStoreOptions = {}): Promise<GraphStore> {
  if (config.neo4j.uri) {
    // Neo4j branch. Imported only when configured, so that the embedded start-up never loads
    // neo4j-driver.
    const { createNeo4jStore } = await import('./graph/neo4j/createNeo4jStore.js');
    return createNeo4jStore(config, options.importBatchSize !== undefined ? { importBatchSize: options.importBatchSize } : {});
  }
  const data = options.data ?? (await loadConfiguredData(config));
  return MemoryStore.open(data, { journalDir: config.journalDir, sample: data.sample === true, ...(options.follow ? { followMs: config.journalFollowMs } : {}) });
}

/**
 * Reads the configured data folder as `config.sample` says: the sample when forced, the sample in
 * place of a folder without data only when no folder was configured, otherwise a `DataDirError`.
 *
 * @example const data = await loadConfiguredData(loadConfig()); // throws for ICDKG_DATA_DIR=/typo
 */
export async function loadConfiguredData(config: Config): Promise<LoadedData> {
  if (config.sample === 'force') return { ...(await loadDataDir(SAMPLE_DATA_DIR)), sample: true };
  return loadDataDir(config.dataDir, { missing: config.sample === 'error' ? 'error' : 'sample' });
}

/**
 * `icdkg journal ...`: maintenance of the embedded store's journal in `config.journalDir` (the
 * composition root is the one place that knows the adapter). `compact` opens the store (replay,
 * then a snapshot); the others work on the file under its writer lock.
 *
 * @example await journalMaintenance(loadConfig()).compact()
 */
export function journalMaintenance(config: Config) {
  return {
    async check() {
      const data = await loadConfiguredData(config);
      return { ...checkJournal(config.journalDir, data.dataVersion), dataVersion: data.dataVersion };
    },
    async compact() {
      if (config.neo4j.uri) throw new Error('the configured store is Neo4j (NEO4J_URI): it has no journal to compact');
      const store = MemoryStore.open(await loadConfiguredData(config), { journalDir: config.journalDir });
      try {
        return store.compactJournal();
      } finally {
        await store.close();
      }
    },
    setAside: () => setAsideJournal(config.journalDir),
    truncate: (line: number) => truncateJournal(config.journalDir, line),
  };
}
