/**
 * Child process of the crash test (journal.test.ts): opens a memory store journaling to the
 * folder given as argv[2], makes two writes, prints "acked" once they resolved, then waits to be
 * killed with SIGKILL.
 */
import { MemoryStore } from '../../../src/graph/memory/MemoryStore.js';
import { sampleData } from '../../fixtures/sample.js';

const store = MemoryStore.open(await sampleData('system:x', 'ehr'), { journalDir: process.argv[2]! });
await store.putDocuments('ruccod', [{ corpus: 'ruccod', id: '12', split: 'dev', text: 'ИБС.', patient: null, date: null }]);
await store.putLayer('ruccod', 'system:crash', [
  { documentId: '12', layer: 'system:crash', mentions: [{ id: 'T1', fragments: [{ start: 0, end: 3 }], start: 0, end: 3, text: 'ИБС', code: 'I25' }], codes: ['I20'] },
]);
process.stdout.write('acked\n');
setInterval(() => undefined, 60_000);
