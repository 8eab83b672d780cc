import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';
import { MemoryStore } from '../../src/graph/memory/MemoryStore.js';
import { runStoreContract } from './contract.js';

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

runStoreContract('memory', async (data) => MemoryStore.open(data));

// The same contract with every write going through the journal on disk.
runStoreContract('memory with a journal', async (data) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'icdkg-journal-'));
  dirs.push(dir);
  return MemoryStore.open(data, { journalDir: dir });
});
