import { createWriteStream, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { BadUserInputError } from '../errors.js';
import type { GraphStore } from '../graph/GraphStore.js';
import { graphml } from './graphml.js';
import { writeNeo4jCsv } from './neo4jCsv.js';
import { pykeenTriples, splitTriples, triplesTsv } from './pykeen.js';
import { checkCorpusLayer } from './readGraph.js';
import { writeChunks } from './sink.js';
import { skosTurtle } from './skos.js';
import { sssomTsv } from './sssom.js';

export const EXPORT_FORMATS = ['skos', 'pykeen', 'graphml', 'neo4j-csv', 'sssom'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export interface ExportOptions {
  format: ExportFormat;
  /** A file (skos, graphml, sssom), a folder (pykeen, neo4j-csv), or `-` for stdout (single-stream formats and pykeen's unsplit triples). */
  out: string;
  corpus?: string | null;
  layer?: string | null;
  /** Transitions `fromLayer -> layer` (pykeen REPLACED_BY triples; sssom's source layer, default `original`). */
  fromLayer?: string | null;
  /** pykeen: the seed of the split shuffle. */
  seed?: number;
  /** stdout, for `out = '-'`. */
  stdout?: Writable;
}

/** What an export wrote: file names (or `-`) and row / triple counts where the format has them. */
export interface ExportSummary {
  format: ExportFormat;
  files: { file: string; rows?: number }[];
}

async function toTarget(chunks: AsyncIterable<string>, out: string, stdout: Writable | undefined): Promise<void> {
  if (out === '-') {
    await writeChunks(chunks, stdout ?? process.stdout);
    return;
  }
  const stream = createWriteStream(out);
  try {
    await writeChunks(chunks, stream);
  } finally {
    stream.end();
  }
  await finished(stream);
}

/**
 * Runs one export (docs/exports.md) from the store to a file, folder or stdout, streaming.
 * `--corpus` and `--layer` go together; formats that write several files want a folder.
 *
 * @example await runExport(store, { format: 'skos', out: 'icd10.ttl' });
 */
export async function runExport(store: GraphStore, options: ExportOptions): Promise<ExportSummary> {
  checkCorpusLayer(options.corpus, options.layer);
  const { format, out } = options;
  switch (format) {
    case 'skos':
      await toTarget(skosTurtle(store), out, options.stdout);
      return { format, files: [{ file: out }] };
    case 'graphml':
      await toTarget(graphml(store, options), out, options.stdout);
      return { format, files: [{ file: out }] };
    case 'sssom':
      await toTarget(sssomTsv(store, options), out, options.stdout);
      return { format, files: [{ file: out }] };
    case 'pykeen': {
      const triples = await pykeenTriples(store, {
        corpus: options.corpus,
        layer: options.layer,
        transitions: options.corpus && options.fromLayer ? { from: options.fromLayer, to: options.layer! } : null,
      });
      if (out === '-') {
        await toTarget((async function* () { yield triplesTsv(triples); })(), out, options.stdout);
        return { format, files: [{ file: '-', rows: triples.length }] };
      }
      mkdirSync(out, { recursive: true });
      const splits = splitTriples(triples, [0.8, 0.1, 0.1], options.seed ?? 42);
      const files = [
        { file: join(out, 'triples.tsv'), rows: triples.length },
        { file: join(out, 'train.tsv'), rows: splits.train.length },
        { file: join(out, 'valid.tsv'), rows: splits.valid.length },
        { file: join(out, 'test.tsv'), rows: splits.test.length },
      ];
      writeFileSync(files[0]!.file, triplesTsv(triples));
      writeFileSync(files[1]!.file, triplesTsv(splits.train));
      writeFileSync(files[2]!.file, triplesTsv(splits.valid));
      writeFileSync(files[3]!.file, triplesTsv(splits.test));
      return { format, files };
    }
    case 'neo4j-csv': {
      if (out === '-') throw new BadUserInputError('neo4j-csv writes several files: give --out a folder', { argumentName: 'out' });
      const result = await writeNeo4jCsv(store, out, options);
      return { format, files: result.files.map((f) => ({ file: join(out, f.file), rows: f.rows })) };
    }
    default:
      throw new BadUserInputError(`format must be one of ${EXPORT_FORMATS.join(', ')}`, { argumentName: 'format' });
  }
}
