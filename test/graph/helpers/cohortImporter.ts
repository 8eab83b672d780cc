/**
 * Child process of the cohort durability test (importCohortDurability.test.ts): opens the
 * embedded store over the sample journaling to argv[2] and imports cohorts `coh<i>` (written by
 * `writeCohort` into argv[2]/cohorts) for i = argv[3] ... argv[4] - 1 with `importCohort` in
 * replace mode (a rerun of an import that landed but was not acknowledged replaces it), printing
 * `acked <i>` once each import resolved. argv[5], when given, is the store's `stageItems`: small,
 * each import is journaled as stage lines and a commit. The test kills it with SIGKILL at random moments.
 */
import path from 'node:path';
import { MemoryStore } from '../../../src/graph/memory/MemoryStore.js';
import { SAMPLE_DATA_DIR, loadDataDir } from '../../../src/ingest/loadDataDir.js';
import { importCohort } from '../../../src/usecases/importCohort.js';

const [dir, from, to] = [process.argv[2]!, Number(process.argv[3]), Number(process.argv[4])];
const stageItems = process.argv[5] ? Number(process.argv[5]) : undefined;
const store = MemoryStore.open(await loadDataDir(SAMPLE_DATA_DIR), { journalDir: dir, log: { warn: () => undefined }, ...(stageItems ? { stageItems } : {}) });
process.stdout.write('ready\n');
for (let i = from; i < to; i++) {
  await importCohort(store, path.join(dir, 'cohorts', `c${i}.jsonl`), `coh${i}`, undefined, { mode: 'replace' });
  process.stdout.write(`acked ${i}\n`);
}
await store.close();
