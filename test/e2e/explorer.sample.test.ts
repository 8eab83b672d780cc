import { MemoryStore } from '../../src/graph/memory/MemoryStore.js';
import { sampleData } from '../fixtures/sample.js';
import { startTestServer } from '../api/testServer.js';
import { describeExplorer } from './explorerSuite.js';

// The sample with a system layer over `ruccod` and the two small cohorts of the fixture (no
// prediction models: the patient view shows that in words).
describeExplorer('sample', null, async () => {
  const store = MemoryStore.open(await sampleData('system:x', 'demo', 'ehr'), { journalDir: null });
  const server = await startTestServer({ store });
  return { server, evaluation: { corpus: 'ruccod', system: 'system:x', split: 'all' }, cohort: 'demo', patients: 'ehr', models: false, close: () => server.close() };
});
