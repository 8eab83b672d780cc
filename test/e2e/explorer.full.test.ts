import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { MemoryStore } from '../../src/graph/memory/MemoryStore.js';
import { loadDataDir } from '../../src/ingest/loadDataDir.js';
import { DEMO_COHORT, DEMO_SYSTEM_LAYER, loadDemo } from '../../src/usecases/demo.js';
import { startTestServer } from '../api/testServer.js';
import { describeExplorer } from './explorerSuite.js';

const dataDir = process.env.ICDKG_DATA_DIR;

// The full data with what `npm run demo` loads (a smaller SYNTHETIC cohort, to keep CI short).
describeExplorer(
  'full',
  dataDir ? null : 'ICDKG_DATA_DIR not set (needs the full data)',
  async () => {
    const work = mkdtempSync(path.join(tmpdir(), 'icdkg-explorer-'));
    const store = MemoryStore.open(await loadDataDir(dataDir!), { journalDir: null });
    const { coderDir } = await loadDemo(store, { dataDir: dataDir!, modelsDir: path.join(work, 'models'), work, appointments: 2000 });
    const server = await startTestServer({ store, config: { modelsDir: path.join(work, 'models'), coderModel: coderDir } });
    return {
      server,
      evaluation: { corpus: 'ruccod', system: DEMO_SYSTEM_LAYER, split: 'dev' },
      cohort: DEMO_COHORT,
      patients: DEMO_COHORT,
      models: true,
      close: async () => {
        await server.close();
        rmSync(work, { recursive: true, force: true });
      },
    };
  },
  1_500_000,
);
