/**
 * Child process of the durability test: opens the memory store journaling to argv[2] in a loop
 * (as every `icdkg` command and `serve` do at start) until killed, printing `opened <n>` every
 * 10 opens and `failed <message>` for an open that throws.
 */
import { MemoryStore } from '../../../src/graph/memory/MemoryStore.js';
import { sampleData } from '../../fixtures/sample.js';

const dir = process.argv[2]!;
let opened = 0;
for (;;) {
  try {
    const store = MemoryStore.open((await sampleData('system:x', 'ehr')), { journalDir: dir, log: { warn: () => undefined } });
    await store.close();
    opened++;
    if (opened % 10 === 0) process.stdout.write(`opened ${opened}\n`);
  } catch (error) {
    process.stdout.write(`failed ${(error as Error).message.slice(0, 300)}\n`);
  }
  await new Promise((resolve) => setTimeout(resolve, 5));
}
