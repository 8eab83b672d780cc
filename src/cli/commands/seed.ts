import type { Command } from 'commander';
import { positiveInt, printResult, configFor } from '../options.js';
import { progressDisplay } from '../progress.js';
import type { ProgressDisplay } from '../progress.js';
import { createStore, loadConfiguredData } from '../../createStore.js';
import type { ImportProgress } from '../../graph/GraphStore.js';

interface SeedFlags {
  dataDir?: string;
  sample?: boolean;
  json?: boolean;
  batchSize?: number;
}

/** Progress per import stage on stderr: a bar on a terminal, a line every 10 s otherwise, nothing with --quiet. */
function stageProgress(): { update: (p: ImportProgress) => void; stop: () => void } {
  let display: ProgressDisplay | null = null;
  let stage = '';
  const stop = () => {
    display?.stop();
    display = null;
  };
  return {
    update(p) {
      if (p.stage !== stage) {
        stop();
        stage = p.stage;
        display = progressDisplay(p.stage.padEnd(12));
      }
      display?.update(p.done, p.total, `${p.done}/${p.total}`);
    },
    stop,
  };
}

/**
 * `icdkg seed [--data-dir DIR] [--batch-size N]`: loads the data folder (`loadDataDir`) into the
 * configured store through `importGraph` (Neo4j when `NEO4J_URI` is set: schema first, then
 * batched idempotent MERGE; the embedded store otherwise), with a progress bar per stage on stderr
 * and the store's counts at the end. Re-running it is safe and completes an interrupted import.
 */
export function register(program: Command): void {
  program
    .command('seed')
    .description('import the data folder into the configured store (Neo4j when NEO4J_URI is set); idempotent')
    .option('-d, --data-dir <dir>', 'data folder (env ICDKG_DATA_DIR, default ./data); a configured folder without data is an error')
    .option('--sample', 'use the small sample of graph/seed/ (env ICDKG_SAMPLE=1)')
    .option('-b, --batch-size <n>', 'rows per Neo4j transaction (default 1000)', positiveInt)
    .option('--json', 'print {store, dataVersion, sample, counts} as one JSON object')
    .addHelpText('after', '\nExample:\n  NEO4J_URI=bolt://localhost:7687 NEO4J_PASSWORD=... icdkg seed --data-dir ../shared/data --batch-size 2000')
    .action(async (flags: SeedFlags) => {
      const config = configFor(flags);
      const data = await loadConfiguredData(config);
      if (data.sample) process.stderr.write(`icdkg: no ICD dictionary in ${config.dataDir}; seeding the small sample of graph/seed/\n`);
      const store = await createStore(config, { data, ...(flags.batchSize !== undefined ? { importBatchSize: flags.batchSize } : {}) });
      const bars = stageProgress();
      try {
        await store.importGraph(data, bars.update);
        bars.stop();
        const counts = await store.counts();
        const info = await store.info();
        // The embedded store builds itself from ICDKG_DATA_DIR at every start, so for it seeding
        // is a full validation (indexes built, journal replayed) that persists nothing new.
        const what =
          store.kind === 'memory'
            ? `validated the data folder for the embedded memory store (data version ${info.dataVersion ?? data.dataVersion})`
            : `seeded ${store.kind} store with data version ${info.dataVersion ?? data.dataVersion}`;
        printResult(
          flags.json,
          { store: store.kind, dataVersion: info.dataVersion ?? data.dataVersion, sample: data.sample, counts },
          `${what}${data.sample ? ' (sample)' : ''}: ` +
            `${counts.codes} codes, ${counts.names} names, ${counts.corpora} corpora, ${counts.documents} documents, ${counts.mentions} mentions\n`,
        );
      } finally {
        bars.stop();
        await store.close();
      }
    });
}
