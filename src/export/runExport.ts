import { createWriteStream, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { BadUserInputError } from '../errors.js';
import type { GraphStore } from '../graph/GraphStore.js';
import type { ExportFile } from './exportFile.js';
import { graphml } from './graphml.js';
import { neo4jCsvFiles } from './neo4jCsv.js';
import { pykeenTriples, splitTriples, triplesTsv } from './pykeen.js';
import { checkCorpusLayer } from './readGraph.js';
import { writeChunks } from './sink.js';
import { skosTurtle } from './skos.js';
import { sssomTsv } from './sssom.js';

export const EXPORT_FORMATS = ['skos', 'pykeen', 'graphml', 'neo4j-csv', 'sssom'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** What to export: the same for the CLI and the HTTP endpoint. */
export interface ExportRequest {
  format: ExportFormat;
  corpus?: string | null;
  layer?: string | null;
  /** Transitions `fromLayer -> layer` (pykeen REPLACED_BY triples; sssom's source layer, default `original`). */
  fromLayer?: string | null;
  /** pykeen: the seed of the split shuffle. */
  seed?: number;
  /** pykeen: write train/valid/test beside all triples (true, the default), or only all triples. */
  split?: boolean;
}

/** An export as files: one for `single` formats (a file or a stream), several for a folder or an archive. */
export interface ExportPlan {
  format: ExportFormat;
  single: boolean;
  /** Produced lazily, one after the other; store errors (an unknown corpus) surface on the first `next()`. */
  files: AsyncGenerator<ExportFile>;
}

/** The one file of a single-stream format. */
async function* one(name: string, chunks: AsyncIterable<string>): AsyncGenerator<ExportFile> {
  yield { name, chunks };
}

async function* textFile(text: string): AsyncGenerator<string> {
  yield text;
}

/** pykeen's files: all triples, then (when split) train, valid and test. */
async function* pykeenFiles(store: GraphStore, request: ExportRequest, split: boolean): AsyncGenerator<ExportFile> {
  const triples = await pykeenTriples(store, {
    corpus: request.corpus,
    layer: request.layer,
    transitions: request.corpus && request.fromLayer ? { from: request.fromLayer, to: request.layer! } : null,
  });
  yield { name: 'triples.tsv', rows: triples.length, chunks: textFile(triplesTsv(triples)) };
  if (!split) return;
  const splits = splitTriples(triples, [0.8, 0.1, 0.1], request.seed ?? 42);
  for (const part of ['train', 'valid', 'test'] as const) {
    yield { name: `${part}.tsv`, rows: splits[part].length, chunks: textFile(triplesTsv(splits[part])) };
  }
}

/**
 * The files of one export (docs/exports.md), for the CLI (`runExport`) and the HTTP endpoint
 * (`createExportHandler`) alike: `skos` (icd10.ttl), `graphml` (icd10.graphml), `sssom`
 * (mappings.sssom.tsv) and unsplit `pykeen` (triples.tsv) are one file; split `pykeen` and
 * `neo4j-csv` are several. `corpus` and `layer` go together.
 *
 * @example const { files } = planExport(store, { format: 'skos' }); for await (const f of files) await writeChunks(f.chunks, out);
 */
export function planExport(store: GraphStore, request: ExportRequest): ExportPlan {
  checkCorpusLayer(request.corpus, request.layer);
  const { format } = request;
  switch (format) {
    case 'skos':
      return { format, single: true, files: one('icd10.ttl', skosTurtle(store)) };
    case 'graphml':
      return { format, single: true, files: one('icd10.graphml', graphml(store, request)) };
    case 'sssom':
      return { format, single: true, files: one('mappings.sssom.tsv', sssomTsv(store, request)) };
    case 'pykeen': {
      const split = request.split ?? true;
      return { format, single: !split, files: pykeenFiles(store, request, split) };
    }
    case 'neo4j-csv':
      return { format, single: false, files: neo4jCsvFiles(store, request) };
    default:
      throw new BadUserInputError(`format must be one of ${EXPORT_FORMATS.join(', ')}`, { argumentName: 'format' });
  }
}

export interface ExportOptions extends Omit<ExportRequest, 'split'> {
  /** A file (skos, graphml, sssom), a folder (pykeen, neo4j-csv), or `-` for stdout (single-stream formats and pykeen's unsplit triples). */
  out: string;
  /** stdout, for `out = '-'`. */
  stdout?: Writable;
}

/** What an export wrote: file names (or `-`) and row / triple counts where the format has them. */
export interface ExportSummary {
  format: ExportFormat;
  files: { file: string; rows?: number }[];
}

async function toFile(chunks: AsyncIterable<string>, file: string): Promise<void> {
  const stream = createWriteStream(file);
  try {
    await writeChunks(chunks, stream);
  } finally {
    stream.end();
  }
  await finished(stream);
}

/**
 * Runs one export (docs/exports.md) from the store to a file, folder or stdout, streaming: the
 * files of `planExport`, each written as it is produced. `--corpus` and `--layer` go together;
 * formats that write several files want a folder (pykeen to `-` writes all triples, unsplit).
 *
 * @example await runExport(store, { format: 'skos', out: 'icd10.ttl' });
 */
export async function runExport(store: GraphStore, options: ExportOptions): Promise<ExportSummary> {
  const { format, out } = options;
  if (format === 'neo4j-csv' && out === '-') throw new BadUserInputError('neo4j-csv writes several files: give --out a folder', { argumentName: 'out' });
  const plan = planExport(store, { ...options, split: format === 'pykeen' ? out !== '-' : undefined });
  const files: ExportSummary['files'] = [];
  if (plan.single) {
    for await (const f of plan.files) {
      if (out === '-') await writeChunks(f.chunks, options.stdout ?? process.stdout);
      else await toFile(f.chunks, out);
      files.push({ file: out, ...(f.rows === undefined ? {} : { rows: f.rows }) });
    }
    return { format, files };
  }
  let made = false;
  for await (const f of plan.files) {
    if (!made) mkdirSync(out, { recursive: true });
    made = true;
    const file = join(out, f.name);
    await toFile(f.chunks, file);
    files.push({ file, ...(f.rows === undefined ? {} : { rows: f.rows }) });
  }
  return { format, files };
}
