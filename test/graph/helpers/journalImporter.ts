/**
 * Child process of the durability test (journalDurability.test.ts): opens a memory store over
 * the fixture journaling to argv[2] and imports corpora `imp<i>` for i = argv[3], argv[3] + 1, ...
 * up to argv[4] (exclusive), each one `putDocuments` of `importDocuments(i)`, printing `acked <i>`
 * once each import resolved. The test kills it with SIGKILL at random moments.
 */
import { MemoryStore } from '../../../src/graph/memory/MemoryStore.js';
import { sampleData } from '../../fixtures/sample.js';
import { importDocuments } from './journalImports.js';

const [dir, from, to] = [process.argv[2]!, Number(process.argv[3]), Number(process.argv[4])];
const store = MemoryStore.open((await sampleData('system:x', 'ehr')), { journalDir: dir, log: { warn: () => undefined } });
process.stdout.write('ready\n');
for (let i = from; i < to; i++) {
  await store.putDocuments(`imp${i}`, importDocuments(i));
  process.stdout.write(`acked ${i}\n`);
}
await store.close();
