import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Config } from '../../../config.js';
import type { GraphStore } from '../../../graph/GraphStore.js';
import { SAMPLE_DATA_DIR } from '../../../ingest/loadDataDir.js';
import type { Logger } from '../../../logger.js';
import { loadCoderModel } from '../training/coderModelDir.js';
import { LEXICAL_CODER_VERSION } from '../training/buildCoder.js';
import { asAsyncCoder } from './asAsyncCoder.js';
import { buildCoderInWorker } from './buildCoderInWorker.js';
import { CoderService } from './CoderService.js';
import type { LoadedCoder } from './CoderService.js';
import { storeCodeNames } from './storeCodeNames.js';

/**
 * The server's coder from the configuration: `ICDKG_CODER=onnx:<dir>` loads an ONNX coder (code
 * names from the store, embeddings cached under the linker model); otherwise the lexical coder from
 * `ICDKG_CODER_MODEL` (or `<modelsDir>/ruccod-lexical` when built), else trained from the data
 * folder (the `graph/seed/` sample when it holds no RuCCoD training corpus) in a worker thread,
 * once per data version, into `<journalDir>/coders/`.
 *
 * @example const coder = createCoderService(config, store, logger); void coder.start();
 */
export function createCoderService(config: Config, store: GraphStore, logger: Logger): CoderService {
  const spec = config.coder.trim();
  if (spec.startsWith('onnx:')) {
    const dir = spec.slice('onnx:'.length);
    return new CoderService('onnx', async (): Promise<LoadedCoder> => {
      // Imported here so a lexical server never loads onnxruntime and transformers.js.
      const { loadOnnxCoder } = await import('../onnx/loadOnnxCoder.js');
      const { names, titles } = await storeCodeNames(store);
      // The name embeddings are cached with the server's state (`.icdkg/`), keyed by model version + names.
      const coder = await loadOnnxCoder(dir, { device: config.device, names, titles, cacheDir: join(config.journalDir, 'embedding-cache') });
      logger.info({ coder: 'onnx', dir, names: coder.linker.size, fromCache: coder.linker.fromCache, executionProvider: coder.executionProvider }, 'coder ready');
      return { coder, source: dir, executionProvider: coder.executionProvider };
    });
  }
  if (spec !== 'lexical') throw new Error(`ICDKG_CODER must be "lexical" or "onnx:<coder model dir>", got ${JSON.stringify(config.coder)}`);
  return new CoderService('lexical', async (): Promise<LoadedCoder> => {
    const dir = config.coderModel ?? join(config.modelsDir, 'ruccod-lexical');
    if (config.coderModel !== null || existsSync(join(dir, 'manifest.json'))) {
      const { coder, manifest } = await loadCoderModel(dir);
      logger.info({ coder: 'lexical', dir, version: manifest.version }, 'coder ready');
      return { coder: asAsyncCoder(coder), source: dir, executionProvider: null };
    }
    const dataDir = existsSync(join(config.dataDir, 'ruccod', 'train')) ? config.dataDir : SAMPLE_DATA_DIR;
    // Trained once per data version and kept with the server's state, so the next start loads it.
    const info = await store.info();
    const built = join(config.journalDir, 'coders', `lexical-${LEXICAL_CODER_VERSION}-${info.sample ? 'sample-' : ''}${info.dataVersion ?? 'unversioned'}`);
    const train = async (): Promise<void> => {
      const { buildMs } = await buildCoderInWorker(dataDir, built);
      logger.info({ coder: 'lexical', dataDir, dir: built, ms: Math.round(buildMs) }, 'coder trained from the data (no built model; `icdkg coder build` makes one)');
    };
    if (!existsSync(join(built, 'manifest.json'))) await train();
    let coder;
    try {
      ({ coder } = await loadCoderModel(built));
    } catch (err) {
      // A model kept from an older build of the code that no longer loads: train it again.
      logger.warn({ dir: built, error: (err as Error).message }, 'the kept coder does not load; training it again');
      await rm(built, { recursive: true, force: true });
      await train();
      ({ coder } = await loadCoderModel(built));
    }
    logger.info({ coder: 'lexical', dir: built }, 'coder ready');
    return { coder: asAsyncCoder(coder), source: `${built} (trained from ${dataDir})`, executionProvider: null };
  });
}
