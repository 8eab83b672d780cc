import type { Command } from 'commander';
import { loadConfig } from '../../config.js';
import { createStore } from '../../createStore.js';

/** Registers `icdkg corpus delete NAME` and `icdkg corpus list`. */
export function register(program: Command): void {
  const corpus = program.command('corpus').description('Corpora of the store (RuCCoD, imported cohorts, ...): list, delete');
  corpus
    .command('list')
    .description('List the corpora with their document counts and layers')
    .action(async () => {
      const store = await createStore(loadConfig());
      try {
        const rows = await store.listCorpora();
        process.stdout.write(`corpus\tdocuments\tlayers\n${rows.map((c) => `${c.name}\t${c.documentCount}\t${c.layers.join(',')}\n`).join('')}`);
      } finally {
        await store.close();
      }
    });
  corpus
    .command('delete')
    .description('Delete a corpus with its documents and every layer (one journaled write; a corpus of the data folder comes back only if the journal is set aside)')
    .argument('<name>', 'the corpus to delete')
    .action(async (name: string) => {
      const store = await createStore(loadConfig());
      try {
        const info = (await store.listCorpora()).find((c) => c.name === name);
        if (!info) throw new Error(`no corpus ${JSON.stringify(name)}; \`icdkg corpus list\` lists them`);
        await store.deleteCorpus(name);
        process.stdout.write(`deleted corpus ${name} (${info.documentCount} documents, layers: ${info.layers.join(', ') || 'none'})\n`);
      } finally {
        await store.close();
      }
    });
}
