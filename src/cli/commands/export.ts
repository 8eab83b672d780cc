import path from 'node:path';
import { InvalidArgumentError, Option } from 'commander';
import type { Command } from 'commander';
import { configFor } from '../options.js';
import { EXPORT_FORMATS, runExport } from '../../export/runExport.js';
import type { ExportFormat } from '../../export/runExport.js';
import { createStore } from '../../createStore.js';

interface ExportFlags {
  format: ExportFormat;
  out: string;
  corpus?: string;
  layer?: string;
  fromLayer?: string;
  seed?: number;
  dataDir?: string;
}

function seed(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('must be a non-negative integer');
  return n;
}

/**
 * `icdkg export --format skos|pykeen|graphml|neo4j-csv|sssom [--corpus C --layer L] --out FILE|DIR|-`:
 * the ICD-10 tree (and a corpus layer) for knowledge-graph tools (docs/exports.md), streamed.
 */
export function register(program: Command): void {
  program
    .command('export')
    .description('export the ICD-10 tree (and a corpus layer) for knowledge-graph tools: SKOS Turtle, PyKEEN triples, GraphML, neo4j-admin CSV, SSSOM')
    .addOption(new Option('-f, --format <format>', 'output format').choices(EXPORT_FORMATS).makeOptionMandatory())
    .requiredOption('-o, --out <path>', 'file (skos, graphml, sssom), folder (pykeen splits, neo4j-csv), or - for stdout')
    .option('--corpus <name>', 'corpus to add (documents, co-occurrences, transitions), with --layer')
    .option('--layer <name>', 'layer of --corpus (sssom and pykeen transitions: the target layer)')
    .option('--from-layer <name>', 'source layer of transitions (sssom: default original; pykeen: adds REPLACED_BY triples)')
    .option('--seed <n>', 'pykeen: seed of the train/valid/test shuffle (default 42)', seed)
    .option('-d, --data-dir <dir>', 'data folder (env ICDKG_DATA_DIR)')
    .addHelpText('after', '\nExamples:\n  icdkg export --format skos --out icd10.ttl\n  icdkg export --format pykeen --corpus ruccod --layer gold --out kg/\n  icdkg export --format sssom --corpus ehr --layer linked --out transitions.sssom.tsv')
    .action(async (flags: ExportFlags) => {
      const store = await createStore(configFor(flags));
      try {
        const started = performance.now();
        const summary = await runExport(store, { ...flags, out: flags.out === '-' ? '-' : path.resolve(flags.out) });
        const ms = Math.round(performance.now() - started);
        const files = summary.files.map((f) => `${f.file}${f.rows === undefined ? '' : ` (${f.rows} rows)`}`).join(', ');
        process.stderr.write(`icdkg export: ${summary.format} written to ${files} in ${ms} ms\n`);
      } finally {
        await store.close();
      }
    });
}
