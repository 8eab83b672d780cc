import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Config } from '../../src/config.js';
import { MemoryStore } from '../../src/graph/memory/MemoryStore.js';
import { loadDataDir, SAMPLE_DATA_DIR } from '../../src/ingest/loadDataDir.js';
import { startTestServer } from './testServer.js';
import type { TestServer } from './testServer.js';

/** The write token the sample servers of these tests accept. */
export const WRITE_TOKEN = 'test-write-token';

/**
 * A server over the project's sample (`graph/seed/sample`, the canonical fixture) with writes on
 * (`WRITE_TOKEN`) and a models folder holding one hand-written cohort evaluation
 * (`dp-cohort1-linked`), so that every Node type has an instance. `close()` also removes the
 * temporary folders.
 */
export async function startSampleServer(config: Partial<Config> = {}): Promise<TestServer> {
  const dir = mkdtempSync(join(tmpdir(), 'icdkg-sample-api-'));
  const modelDir = join(dir, 'models', 'dp-cohort1-linked');
  mkdirSync(modelDir, { recursive: true });
  const evaluation = {
    cohort: 'cohort1', model: 'dp-cohort1-linked', trainLayer: 'linked', testLayer: 'manual', synthetic: true,
    labels: 2, trainAppointments: 10, testAppointments: 4, trainSeconds: 0.1, weightedF1: 0.5,
    buckets: { top: { codes: ['I25.2'], medianF1: 0.5 }, bottom: { codes: [], medianF1: 0 } },
    perCode: [{ code: 'I25.2', support: 2, weight: 0.5, precision: 0.5, recall: 0.5, f1: 0.5 }],
  };
  writeFileSync(join(modelDir, 'cohort-evaluation.json'), JSON.stringify(evaluation));
  const store = MemoryStore.open(await loadDataDir(SAMPLE_DATA_DIR), { journalDir: null });
  const server = await startTestServer({ store, config: { modelsDir: join(dir, 'models'), writeToken: WRITE_TOKEN, ...config } });
  return {
    ...server,
    async close() {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The header that authorises writes on a sample server. */
export const AUTH = { authorization: `Bearer ${WRITE_TOKEN}` };
