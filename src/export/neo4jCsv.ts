import { createWriteStream, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { finished } from 'node:stream/promises';
import { stringify } from 'csv-stringify/sync';
import type { GraphStore } from '../graph/GraphStore.js';
import { codeBatches, layerBatches, requireCorpusLayer } from './readGraph.js';
import { writeChunks } from './sink.js';

export interface Neo4jCsvOptions {
  /** Add this corpus (Corpus, its Documents with their texts) and `layer`'s Mentions and assignments. */
  corpus?: string | null;
  layer?: string | null;
}

/** One CSV file of the import: its header and the label or type it is imported as. */
interface CsvFile {
  name: string;
  header: string[];
  kind: 'nodes' | 'relationships';
  /** `--nodes=<label>=file` / `--relationships=<type>=file`. */
  as: string;
}

const FILES = {
  codes: { name: 'codes.csv', header: ['code:ID(Code)', 'title', 'kind', 'depth:int', 'number'], kind: 'nodes', as: 'Code' },
  names: { name: 'names.csv', header: ['id:ID(Name)', 'text', 'normalized', 'source', 'lang', 'cui', 'sab', 'count:int'], kind: 'nodes', as: 'Name' },
  parent: { name: 'parent.csv', header: [':START_ID(Code)', ':END_ID(Code)'], kind: 'relationships', as: 'PARENT' },
  nameOf: { name: 'names_rel.csv', header: [':START_ID(Name)', ':END_ID(Code)'], kind: 'relationships', as: 'NAMES' },
  corpus: { name: 'corpus.csv', header: ['name:ID(Corpus)'], kind: 'nodes', as: 'Corpus' },
  documents: { name: 'documents.csv', header: ['key:ID(Document)', 'corpus', 'id', 'split', 'text', 'patient', 'date'], kind: 'nodes', as: 'Document' },
  inCorpus: { name: 'in_rel.csv', header: [':START_ID(Document)', ':END_ID(Corpus)'], kind: 'relationships', as: 'IN' },
  mentions: { name: 'mentions.csv', header: ['key:ID(Mention)', 'id', 'layer', 'start:int', 'end:int', 'text'], kind: 'nodes', as: 'Mention' },
  has: { name: 'has_rel.csv', header: [':START_ID(Document)', ':END_ID(Mention)'], kind: 'relationships', as: 'HAS' },
  linkedTo: { name: 'linked_to_rel.csv', header: [':START_ID(Mention)', ':END_ID(Code)'], kind: 'relationships', as: 'LINKED_TO' },
  assigned: { name: 'assigned_rel.csv', header: [':START_ID(Document)', ':END_ID(Code)', 'layer'], kind: 'relationships', as: 'ASSIGNED' },
} satisfies Record<string, CsvFile>;

type FileKey = keyof typeof FILES;
type Cell = string | number | null;

/** What {@link writeNeo4jCsv} wrote: files with their row counts, and the import command. */
export interface Neo4jCsvResult {
  files: { file: string; kind: 'nodes' | 'relationships'; as: string; rows: number }[];
  command: string;
}

/**
 * The graph as CSV files for `neo4j-admin database import full` (header rows with `:ID(group)`,
 * `:START_ID`/`:END_ID`, typed columns; labels and relationship types given on the command line,
 * which is written to `IMPORT.txt` beside them): Code nodes and PARENT; Name nodes and NAMES; with
 * a corpus and layer, the Corpus, its Documents (texts included: this is the store's own model)
 * with IN, the layer's Mentions with HAS and LINKED_TO, and code-only ASSIGNED edges. Rows are
 * quoted by csv-stringify; each file is streamed.
 *
 * @example const { files, command } = await writeNeo4jCsv(store, 'out/neo4j', {});
 */
export async function writeNeo4jCsv(store: GraphStore, dir: string, options: Neo4jCsvOptions = {}): Promise<Neo4jCsvResult> {
  const withCorpus = Boolean(options.corpus && options.layer);
  if (withCorpus) await requireCorpusLayer(store, options.corpus!, options.layer!);
  mkdirSync(dir, { recursive: true });
  const used = (Object.keys(FILES) as FileKey[]).filter((k) => withCorpus || ['codes', 'names', 'parent', 'nameOf'].includes(k));
  const streams = new Map(used.map((k) => [k, createWriteStream(join(dir, FILES[k].name))]));
  const rows = new Map<FileKey, number>(used.map((k) => [k, 0]));
  const pending = new Map<FileKey, Cell[][]>(used.map((k) => [k, []]));
  const flush = async (k: FileKey) => {
    const list = pending.get(k)!;
    if (list.length === 0) return;
    pending.set(k, []);
    await writeChunks([stringify(list)], streams.get(k)!);
  };
  const add = async (k: FileKey, row: Cell[]) => {
    pending.get(k)!.push(row);
    rows.set(k, rows.get(k)! + 1);
    if (pending.get(k)!.length >= 5000) await flush(k);
  };
  for (const k of used) await writeChunks([stringify([FILES[k].header])], streams.get(k)!);

  let nameId = 0;
  for await (const { codes, names } of codeBatches(store, true)) {
    for (let i = 0; i < codes.length; i++) {
      const c = codes[i]!;
      await add('codes', [c.code, c.title, c.kind, c.depth, c.number]);
      if (c.parent !== null) await add('parent', [c.code, c.parent]);
      for (const n of names![i]!) {
        const id = `n${nameId++}`;
        await add('names', [id, n.text, n.normalized, n.source, n.lang, n.cui ?? null, n.sab ?? null, n.count ?? null]);
        await add('nameOf', [id, c.code]);
      }
    }
  }
  if (withCorpus) {
    const corpus = options.corpus!;
    const layer = options.layer!;
    await add('corpus', [corpus]);
    const ids = await store.listDocumentIds(corpus, null);
    for (let i = 0; i < ids.length; i += 1000) {
      for (const d of await store.getDocuments(corpus, ids.slice(i, i + 1000))) {
        if (!d) continue;
        const key = `${corpus}/${d.id}`;
        await add('documents', [key, corpus, d.id, d.split, d.text, d.patient, d.date]);
        await add('inCorpus', [key, corpus]);
      }
    }
    for await (const batch of layerBatches(store, corpus, layer)) {
      for (const a of batch) {
        const docKey = `${corpus}/${a.documentId}`;
        for (const m of a.mentions) {
          const key = `${docKey}/${layer}/${m.id}`;
          await add('mentions', [key, m.id, layer, m.start, m.end, m.text]);
          await add('has', [docKey, key]);
          if (m.code !== null) await add('linkedTo', [key, m.code]);
        }
        for (const c of a.codes) await add('assigned', [docKey, c, layer]);
      }
    }
  }
  for (const k of used) await flush(k);
  for (const s of streams.values()) s.end();
  await Promise.all([...streams.values()].map((s) => finished(s)));

  const files = used.map((k) => ({ file: FILES[k].name, kind: FILES[k].kind as 'nodes' | 'relationships', as: FILES[k].as, rows: rows.get(k)! }));
  const command = `neo4j-admin database import full ${files.map((f) => `--${f.kind}=${f.as}=${f.file}`).join(' ')} neo4j`;
  writeFileSync(join(dir, 'IMPORT.txt'), `# Run in this folder (Neo4j 5; the target database must not exist yet):\n${command}\n`);
  return { files, command };
}
