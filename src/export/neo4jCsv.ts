import { stringify } from 'csv-stringify/sync';
import type { GraphStore } from '../graph/GraphStore.js';
import type { ExportFile } from './exportFile.js';
import { codeBatches, layerBatches, requireCorpusLayer } from './readGraph.js';
import type { CodeBatch } from './readGraph.js';

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
type Rows = AsyncIterable<Cell[][]>;

/** The file holding the `neo4j-admin` command, written after the CSV files. */
export const NEO4J_IMPORT_FILE = 'IMPORT.txt';

/** A CSV file of the import: its header, then each batch of rows quoted by csv-stringify; counts its rows. */
function csvFile(key: FileKey, rows: Rows): ExportFile {
  const counted = { rows: 0 };
  async function* chunks(): AsyncGenerator<string> {
    yield stringify([FILES[key].header]);
    for await (const batch of rows) {
      if (batch.length === 0) continue;
      counted.rows += batch.length;
      yield stringify(batch);
    }
  }
  return {
    name: FILES[key].name,
    chunks: chunks(),
    get rows() {
      return counted.rows;
    },
  };
}

/** The `neo4j-admin database import full` command for the files of an export. */
function importCommand(keys: readonly FileKey[]): string {
  return `neo4j-admin database import full ${keys.map((k) => `--${FILES[k].kind}=${FILES[k].as}=${FILES[k].name}`).join(' ')} neo4j`;
}

/**
 * The graph as CSV files for `neo4j-admin database import full` (header rows with `:ID(group)`,
 * `:START_ID`/`:END_ID`, typed columns; labels and relationship types given on the command line,
 * which is the last file, `IMPORT.txt`): Code nodes and PARENT; Name nodes and NAMES; with a corpus
 * and layer, the Corpus, its Documents (texts included: this is the store's own model) with IN, the
 * layer's Mentions with HAS and LINKED_TO, and code-only ASSIGNED edges. Files come one after the
 * other, each streamed (one pass over the tree or the layer per file, so that a folder and an
 * archive are written alike); each file's `rows` is known once its chunks are read. The corpus and
 * layer are checked before the first file.
 *
 * @example for await (const f of neo4jCsvFiles(store, {})) await writeChunks(f.chunks, createWriteStream(f.name));
 */
export async function* neo4jCsvFiles(store: GraphStore, options: Neo4jCsvOptions = {}): AsyncGenerator<ExportFile> {
  const withCorpus = Boolean(options.corpus && options.layer);
  if (withCorpus) await requireCorpusLayer(store, options.corpus!, options.layer!);
  const keys = (Object.keys(FILES) as FileKey[]).filter((k) => withCorpus || ['codes', 'names', 'parent', 'nameOf'].includes(k));

  /** Rows from each batch of the tree walk. */
  const fromTree = (withNames: boolean, rowsOf: (batch: CodeBatch, next: () => number) => Cell[][]): Rows =>
    (async function* () {
      // Name ids are numbered in walk order, the same in names.csv and names_rel.csv.
      let nameId = 0;
      for await (const batch of codeBatches(store, withNames)) yield rowsOf(batch, () => nameId++);
    })();
  const byKey: Record<FileKey, () => Rows> = {
    codes: () => fromTree(false, ({ codes }) => codes.map((c) => [c.code, c.title, c.kind, c.depth, c.number])),
    names: () => fromTree(true, ({ codes, names }, next) => codes.flatMap((_, i) => names![i]!.map((n): Cell[] => [`n${next()}`, n.text, n.normalized, n.source, n.lang, n.cui ?? null, n.sab ?? null, n.count ?? null]))),
    parent: () => fromTree(false, ({ codes }) => codes.filter((c) => c.parent !== null).map((c) => [c.code, c.parent])),
    nameOf: () => fromTree(true, ({ codes, names }, next) => codes.flatMap((c, i) => names![i]!.map((): Cell[] => [`n${next()}`, c.code]))),
    corpus: () => (async function* () { yield [[options.corpus!]]; })(),
    documents: () => documentRows((corpus, d) => [`${corpus}/${d.id}`, corpus, d.id, d.split, d.text, d.patient, d.date]),
    inCorpus: () => documentRows((corpus, d) => [`${corpus}/${d.id}`, corpus]),
    mentions: () => layerRows((docKey, layer, a) => a.mentions.map((m) => [`${docKey}/${layer}/${m.id}`, m.id, layer, m.start, m.end, m.text])),
    has: () => layerRows((docKey, layer, a) => a.mentions.map((m) => [docKey, `${docKey}/${layer}/${m.id}`])),
    linkedTo: () => layerRows((docKey, layer, a) => a.mentions.filter((m) => m.code !== null).map((m) => [`${docKey}/${layer}/${m.id}`, m.code])),
    assigned: () => layerRows((docKey, layer, a) => a.codes.map((c) => [docKey, c, layer])),
  };
  type Doc = NonNullable<Awaited<ReturnType<GraphStore['getDocuments']>>[number]>;
  type Annotations = Awaited<ReturnType<GraphStore['getLayer']>>[number];
  function documentRows(row: (corpus: string, d: Doc) => Cell[]): Rows {
    return (async function* () {
      const corpus = options.corpus!;
      const ids = await store.listDocumentIds(corpus, null);
      for (let i = 0; i < ids.length; i += 1000) {
        yield (await store.getDocuments(corpus, ids.slice(i, i + 1000))).filter((d): d is Doc => d !== null).map((d) => row(corpus, d));
      }
    })();
  }
  function layerRows(rows: (docKey: string, layer: string, a: Annotations) => Cell[][]): Rows {
    return (async function* () {
      const corpus = options.corpus!;
      const layer = options.layer!;
      for await (const batch of layerBatches(store, corpus, layer)) yield batch.flatMap((a) => rows(`${corpus}/${a.documentId}`, layer, a));
    })();
  }

  for (const k of keys) yield csvFile(k, byKey[k]());
  yield {
    name: NEO4J_IMPORT_FILE,
    chunks: (async function* () {
      yield `# Run in this folder (Neo4j 5; the target database must not exist yet):\n${importCommand(keys)}\n`;
    })(),
  };
}
