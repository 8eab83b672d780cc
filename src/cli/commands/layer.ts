import type { Command } from 'commander';
import { loadConfig } from '../../config.js';
import type { GraphStore } from '../../graph/GraphStore.js';
import { createStore } from '../../createStore.js';
import { describeLayers, exportLayer, importLayer } from '../../usecases/layers.js';

async function withStore<T>(fn: (store: GraphStore) => Promise<T>): Promise<T> {
  const store = await createStore(loadConfig());
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

/** Registers `icdkg layer import|export|list`. */
export function register(program: Command): void {
  const layer = program.command('layer').description('Annotation layers of a corpus (gold, system:<name>, ...): import and export brat folders, list');
  layer
    .command('import')
    .description('Import a folder of brat .ann files (<document id>.ann) as a layer; validated, all-or-nothing')
    .requiredOption('--corpus <name>', 'corpus of the documents (e.g. ruccod)')
    .requiredOption('--layer <name>', 'layer name (e.g. system:bert)')
    .requiredOption('--from <dir>', 'folder of .ann files')
    .option('--merge', 'keep the layer on documents without a file in the folder (default: replace the whole layer)')
    .action(async (flags: { corpus: string; layer: string; from: string; merge?: boolean }) => {
      const s = await withStore((store) => importLayer(store, flags));
      process.stdout.write(
        `imported ${s.documents} documents, ${s.mentions} mentions into ${flags.corpus}/${flags.layer}${s.cleared ? ` (cleared on ${s.cleared} other documents)` : ''}\n`,
      );
    });
  layer
    .command('export')
    .description('Write a layer as a brat folder (<id>.txt + <id>.ann)')
    .requiredOption('--corpus <name>', 'corpus')
    .requiredOption('--layer <name>', 'layer to export')
    .requiredOption('--out <dir>', 'folder to write (created when missing)')
    .option('--split <split>', 'only the documents of this split')
    .action(async (flags: { corpus: string; layer: string; out: string; split?: string }) => {
      const s = await withStore((store) => exportLayer(store, flags));
      process.stdout.write(`exported ${s.documents} documents, ${s.mentions} mentions to ${flags.out}\n`);
      if (s.skippedCodes > 0) process.stderr.write(`icdkg layer export: ${s.skippedCodes} code-only assignments have no brat form and were not written\n`);
    });
  layer
    .command('list')
    .description("List a corpus's layers with their document and mention counts")
    .requiredOption('--corpus <name>', 'corpus')
    .action(async (flags: { corpus: string }) => {
      const rows = await withStore((store) => describeLayers(store, flags.corpus));
      process.stdout.write(`layer\tdocuments\tmentions\tcodes\n${rows.map((r) => `${r.layer}\t${r.documents}\t${r.mentions}\t${r.codes}\n`).join('')}`);
    });
}
