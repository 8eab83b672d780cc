/**
 * `npm run demo`: loads what the explorer's views need into the configured store (the embedded
 * store's journal, or Neo4j when NEO4J_URI is set) from the data folder (ICDKG_DATA_DIR, default
 * ../shared/data): a SYNTHETIC demonstration cohort with its linked layer and a prediction model
 * per layer, and a system layer over the RuCCoD dev split (src/usecases/demo.ts). Then
 * `npm start` serves the explorer over it at http://127.0.0.1:4000/.
 *
 *   npm run demo [-- --appointments 5000 --seed 42]
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/config.js';
import { createStore } from '../src/createStore.js';
import { loadDemo } from '../src/usecases/demo.js';

const { values } = parseArgs({
  options: {
    appointments: { type: 'string', default: '5000' },
    seed: { type: 'string', default: '42' },
    work: { type: 'string', default: '.icdkg/demo' },
  },
});
const config = loadConfig();
if (process.env.ICDKG_DATA_DIR === undefined) config.dataDir = path.resolve('../shared/data');
config.sample = 'error';
if (!existsSync(path.join(config.dataDir, 'ruccod', 'dev-ids.txt')) || !existsSync(path.join(config.dataDir, 'rumedtop3'))) {
  process.stderr.write(`npm run demo needs the data folder (ICDKG_DATA_DIR, now ${config.dataDir}) with ruccod/ and rumedtop3/: see \`icdkg data fetch\`\n`);
  process.exit(1);
}
const t0 = performance.now();
const say = (s: string): void => void process.stderr.write(`[${((performance.now() - t0) / 1000).toFixed(1)} s] ${s}\n`);
const store = await createStore(config);
try {
  const { coderDir } = await loadDemo(store, {
    dataDir: config.dataDir,
    modelsDir: config.modelsDir,
    work: values.work,
    appointments: Number(values.appointments),
    seed: Number(values.seed),
    onProgress: say,
  });
  say(`done. Serve it with the same coder: ICDKG_CODER_MODEL=${path.relative(process.cwd(), coderDir)} npm start, then open http://127.0.0.1:4000/ (the cohort views say SYNTHETIC)`);
} finally {
  await store.close();
}
