import type { Command } from 'commander';
import type { GraphStore } from '../../graph/GraphStore.js';
import { createStore } from '../../createStore.js';
import { describeLayers, exportLayer, importLayer } from '../../usecases/layers.js';
import { ENCODING_HELP, configFor, encoding, printResult } from '../options.js';

/** Opens the configured store (the embedded one over `--data-dir`, default ICDKG_DATA_DIR), runs `fn`, closes it. */
async function withStore<T>(flags: { dataDir?: string }, fn: (store: GraphStore) => Promise<T>): Promise<T> {
  const store = await createStore(configFor(flags));
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
    .option('--data-dir <dir>', 'data folder of the embedded store (default: $ICDKG_DATA_DIR, then ./data)')
    .requiredOption('--layer <name>', 'layer name (e.g. system:bert)')
    .requiredOption('--from <dir>', 'folder of .ann files')
    .option('--merge', 'keep the layer on documents without a file in the folder (default: replace the whole layer)')
    .option('--encoding <name>', ENCODING_HELP.replace('the text files', 'the .ann files'), encoding)
    .option('--json', 'print {documents, mentions, cleared} as one JSON object')
    .action(async (flags: { corpus: string; layer: string; from: string; merge?: boolean; json?: boolean; dataDir?: string; encoding?: string }) => {
      const s = await withStore(flags, (store) =>
        importLayer(store, { corpus: flags.corpus, layer: flags.layer, from: flags.from, merge: flags.merge, ...(flags.encoding ? { encoding: flags.encoding } : {}) }),
      );
      printResult(flags.json, s,
        `imported ${s.documents} documents, ${s.mentions} mentions into ${flags.corpus}/${flags.layer}${s.cleared ? ` (cleared on ${s.cleared} other documents)` : ''}\n`,
      );
    });
  layer
    .command('export')
    .description('Write a layer as a brat folder (<id>.txt + <id>.ann)')
    .requiredOption('--corpus <name>', 'corpus')
    .option('--data-dir <dir>', 'data folder of the embedded store (default: $ICDKG_DATA_DIR, then ./data)')
    .requiredOption('--layer <name>', 'layer to export')
    .requiredOption('--out <dir>', 'folder to write (created when missing)')
    .option('--split <split>', 'only the documents of this split')
    .option('--json', 'print {documents, mentions, skippedCodes} as one JSON object')
    .action(async (flags: { corpus: string; layer: string; out: string; split?: string; json?: boolean; dataDir?: string }) => {
      const s = await withStore(flags, (store) => exportLayer(store, { corpus: flags.corpus, layer: flags.layer, out: flags.out, split: flags.split ?? null }));
      printResult(flags.json, s, `exported ${s.documents} documents, ${s.mentions} mentions to ${flags.out}\n`);
      if (s.skippedCodes > 0) process.stderr.write(`icdkg layer export: ${s.skippedCodes} code-only assignments have no brat form and were not written\n`);
    });
  layer
    .command('list')
    .description("List a corpus's layers with their document and mention counts")
    .requiredOption('--corpus <name>', 'corpus')
    .option('--data-dir <dir>', 'data folder of the embedded store (default: $ICDKG_DATA_DIR, then ./data)')
    .option('--json', 'print the rows as one JSON array of {layer, documents, mentions, codes}')
    .action(async (flags: { corpus: string; json?: boolean; dataDir?: string }) => {
      const rows = await withStore(flags, (store) => describeLayers(store, flags.corpus));
      printResult(flags.json, rows, `layer\tdocuments\tmentions\tcodes\n${rows.map((r) => `${r.layer}\t${r.documents}\t${r.mentions}\t${r.codes}\n`).join('')}`);
    });
}
