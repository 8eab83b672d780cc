import type { CorpusInfo, GraphStore, WriteRecord, ImportProgress, MentionHit, MentionsOfCodeOptions, NameHit, Page, PageOptions, SearchOptions, StoreCounts, StoreInfo } from '../GraphStore.js';
import type { Code, Document, GraphData, LayerAnnotations, LiftLevel, Name, NameSource } from '../model.js';
import { BadUserInputError, IngestError } from '../../errors.js';
import { logger } from '../../logger.js';
import { CodeTree } from '../shared/CodeTree.js';
import { NameIndex } from '../shared/NameIndex.js';
import { Journal } from './Journal.js';
import type { JournalEntry, JournalNews, JournalRecord, JournalWarnings } from './Journal.js';
import { compareDocumentIds } from '../../util/compareDocumentIds.js';
import { compareMentions, validateWrite, validateWrites } from '../shared/validateWrite.js';
import type { WriteView } from '../shared/validateWrite.js';
import { checkFirst, compareNames, decodeCursor, encodeCursor, sortByDate, startAfter } from '../shared/ordering.js';

/** Options of the embedded store. */
export interface MemoryStoreOptions {
  /** Folder of the write journal; null keeps writes in memory only (tests, throw-away stores). */
  journalDir?: string | null;
  /** True when the data is the small sample of `graph/seed/` (reported by `info()`). */
  sample?: boolean;
  /** Where journal warnings go (the project logger by default). */
  log?: JournalWarnings;
  /** A journal larger than this (bytes) is compacted into a snapshot at open; 256 MiB by default. */
  compactBytes?: number;
  /**
   * Follow the journal: every this many milliseconds, apply what other processes (CLI imports)
   * appended, so that a running server shows them without a restart (see `refresh`). Off (0)
   * by default; the server turns it on.
   */
  followMs?: number;
  /**
   * Items (documents, layer entries) per journal line of an import: `applyWrites` with more is
   * journaled as `stage` lines committed by one `commit` line. 5,000 by default (a few MB a line).
   */
  stageItems?: number;
  /** Where errors of following go (the project logger by default). */
  errorLog?: { error(obj: object, msg: string): void };
}

/** A write as the store applies it: one, or several together (a batch, or a committed staged import). */
type Applied = WriteRecord | { type: 'batch'; writes: WriteRecord[] };

/** Items per journal line of a staged import or a snapshot (see `MemoryStoreOptions.stageItems`). */
const DEFAULT_STAGE_ITEMS = 5_000;

/** Splits writes into pieces of at most `size` documents or layer entries (pieces of one write are additive). */
function splitWrites(writes: readonly WriteRecord[], size: number): WriteRecord[] {
  const out: WriteRecord[] = [];
  for (const w of writes) {
    if (w.type === 'putDocuments' && w.documents.length > size) {
      for (let i = 0; i < w.documents.length; i += size) out.push({ ...w, documents: w.documents.slice(i, i + size) });
    } else if (w.type === 'putLayer' && w.annotations.length > size) {
      for (let i = 0; i < w.annotations.length; i += size) out.push({ ...w, annotations: w.annotations.slice(i, i + size) });
    } else {
      out.push(w);
    }
  }
  return out;
}

/** Documents and layer entries a write carries. */
function itemsOf(w: WriteRecord): number {
  return w.type === 'putDocuments' ? w.documents.length : w.type === 'putLayer' ? w.annotations.length : 1;
}

/** Journals past this size are compacted at open: replaying 256 MiB of JSON takes a few seconds. */
const DEFAULT_COMPACT_BYTES = 256 * 1024 * 1024;

/** What the journal has touched: the keys a snapshot of its net effect must cover. */
interface JournaledKeys {
  /** Corpora deleted (a snapshot deletes those of the base data first). */
  deletedCorpora: Set<string>;
  /** Corpus -> ids of documents deleted (a snapshot deletes those of the base data that are gone). */
  deletedDocuments: Map<string, Set<string>>;
  /** Corpus -> ids of documents written. */
  documents: Map<string, Set<string>>;
  /** Corpus -> layers written or deleted. */
  layers: Map<string, Set<string>>;
}

/** Mentions of one layer of one corpus, indexed by code (built on first use, dropped on writes). */
interface LayerIndex {
  /** Every mention with a code, in document order then mention order. */
  hits: MentionHit[];
  /** Code -> positions in `hits`, ascending. */
  byCode: Map<string, number[]>;
  /** Code -> number of documents carrying it (mentions or assignments). */
  documentFrequency: Map<string, number>;
}

interface CorpusState {
  name: string;
  documents: Map<string, Document>;
  /** Layer -> document id -> non-empty annotations. */
  layers: Map<string, Map<string, LayerAnnotations>>;
  /** Caches, dropped on writes. */
  sortedIds: string[] | null;
  splitIds: Map<string, string[]> | null;
  /** Patient -> their document ids (built on first use). */
  patientIds: Map<string, string[]> | null;
  layerIndexes: Map<string, LayerIndex>;
}

interface TreeState {
  codes: CodeTree;
  namesByCode: Map<string, Name[]>;
  nameCount: number;
  nameIndex: NameIndex;
  data: Pick<GraphData, 'dataVersion' | 'sources'>;
}







/** Upper bound of `key` in a list sorted by `compare`. */
function upperBound<T>(sorted: readonly T[], key: T, compare: (a: T, b: T) => number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compare(sorted[mid]!, key) <= 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function buildTree(data: GraphData): TreeState {
  const codes = CodeTree.build(data.codes, 'MemoryStore');
  const namesByCode = new Map<string, Name[]>();
  const names: Name[] = [];
  for (const name of data.names) {
    // A name of a code the tree does not have could never be shown; leave it out of the index too.
    if (!codes.has(name.code)) continue;
    names.push(name);
    const list = namesByCode.get(name.code);
    if (list) list.push(name);
    else namesByCode.set(name.code, [name]);
  }
  for (const list of namesByCode.values()) list.sort(compareNames);
  return {
    codes,
    namesByCode,
    nameCount: names.length,
    nameIndex: new NameIndex(names),
    data: { dataVersion: data.dataVersion, sources: data.sources },
  };
}

/**
 * The embedded `GraphStore` (DESIGN §6): the whole graph in process memory, built from a
 * `GraphData` at start; writes are validated, appended durably to a journal, then applied, and the
 * journal is replayed at the next start (see `Journal`).
 *
 * Orders: children and chapters by code; names by source (`NAME_SOURCES` order) then text;
 * documents by `compareDocumentIds`; mentions by start, end, id; corpora and layers by name.
 * Replacing a document with a different text drops its annotations (their offsets pointed into
 * the old text); replacing it with the same text keeps them.
 *
 * @example
 * const store = MemoryStore.open(await loadDataDir(dir), { journalDir: '.icdkg' });
 * await store.lift(['H10.0'], 'CATEGORY'); // ['H10']
 */
export class MemoryStore implements GraphStore {
  readonly kind = 'memory' as const;
  private tree: TreeState;
  private corpora = new Map<string, CorpusState>();
  private journal: Journal | null = null;
  /** Layer names of each corpus in the base data (a snapshot must delete those a write removed). */
  private baseLayers = new Map<string, Set<string>>();
  /** Document ids of each corpus in the base data (a snapshot must delete those a write removed). */
  private baseDocuments = new Map<string, Set<string>>();
  private journaled: JournaledKeys = { deletedCorpora: new Set(), deletedDocuments: new Map(), documents: new Map(), layers: new Map() };
  private readonly options: MemoryStoreOptions;
  private closed = false;
  /** The data the store was built from (a journal compacted by another process is replayed over it anew). */
  private base: GraphData;
  private followTimer: NodeJS.Timeout | null = null;
  /** Stage lines read whose commit has not been read yet, by import id (a commit may come in a later read). */
  private staged = new Map<string, { writes: WriteRecord[]; stages: number; line: number }>();

  private constructor(data: GraphData, options: MemoryStoreOptions) {
    this.options = options;
    this.base = data;
    this.tree = buildTree(data);
    this.corpora = this.buildCorpora(data);
    this.baseLayers = layerNames(this.corpora);
    this.baseDocuments = documentIds(this.corpora);
  }

  /**
   * Builds the store from `data` and replays the journal of `options.journalDir`, if any.
   * Throws `IngestError` (journal `file:line`) when the journal is corrupt or holds a write that
   * no longer applies to `data`.
   */
  static open(data: GraphData, options: MemoryStoreOptions = {}): MemoryStore {
    const store = new MemoryStore(data, options);
    store.openJournal();
    if (options.journalDir && options.followMs && options.followMs > 0) {
      store.followTimer = setInterval(() => store.refresh(), options.followMs);
      store.followTimer.unref();
    }
    return store;
  }

  /**
   * Applies what other processes appended to the journal since this store last read it (a CLI
   * import while the server runs), holding the journal's lock for the read without waiting for
   * it; when another process holds it, nothing happens now and the next call catches up. A
   * journal compacted or set aside by another process is replayed anew over the base data.
   * Returns whether the store caught up to the journal. Called every `followMs` when set.
   *
   * @example store.refresh(); // true: everything the journal holds is visible now
   */
  refresh(): boolean {
    const journal = this.journal;
    if (this.closed || !journal) return false;
    try {
      const news = journal.follow();
      if (news === null) return false;
      this.catchUp(journal, news);
      return true;
    } catch (error) {
      // A record that does not apply (never expected: its writer validated it against the same
      // state) is logged with file and line; the store keeps serving what it has.
      (this.options.errorLog ?? logger).error({ err: error, file: journal.file }, 'journal: could not apply what another process wrote');
      return false;
    }
  }

  /** Applies records other processes appended; replays the whole journal over the base data when the file was replaced. */
  private catchUp(journal: Journal, news: JournalNews): void {
    if (news.replaced) {
      this.corpora = this.buildCorpora(this.base);
      this.journaled = { deletedCorpora: new Set(), deletedDocuments: new Map(), documents: new Map(), layers: new Map() };
      this.staged.clear();
    }
    for (const entry of news.entries) this.replay(journal, entry);
  }

  private openJournal(): void {
    const dir = this.options.journalDir;
    if (!dir) return;
    const log = this.options.log ?? logger;
    const { journal, entries } = Journal.open(dir, this.tree.data.dataVersion, log);
    for (const entry of entries) this.replay(journal, entry);
    if (this.staged.size > 0) {
      log.warn(
        { file: journal.file, imports: this.staged.size, lines: [...this.staged.values()].map((s) => s.line) },
        'journal: an import without its commit line is not applied (its writer stopped before it finished, or is still writing)',
      );
    }
    this.journal = journal;
    const limit = this.options.compactBytes ?? DEFAULT_COMPACT_BYTES;
    if (journal.size() > limit) {
      try {
        const result = this.compactJournal();
        log.warn({ file: journal.file, ...result }, 'journal: compacted into a snapshot (it had grown past the compaction size)');
      } catch (error) {
        log.warn({ file: journal.file, err: error }, 'journal: could not compact now; it is read as it is');
      }
    }
  }

  /** Applies a journaled record at start (or one another process appended), re-validated against the data. */
  private replay(journal: Journal, entry: JournalEntry): void {
    const journaled = entry.record;
    // A writer holds the lock through a whole staged import, so its stage lines are followed by
    // its commit: any other record after them means that writer died mid-import.
    if (this.staged.size > 0 && !((journaled.type === 'stage' || journaled.type === 'commit') && this.staged.has(journaled.importId))) {
      (this.options.log ?? logger).warn(
        { file: journal.file, lines: [...this.staged.values()].map((s) => s.line) },
        'journal: an import without its commit line is not applied (its writer stopped before it finished)',
      );
      this.staged.clear();
    }
    let raw: Applied;
    if (journaled.type === 'stage') {
      const s = this.staged.get(journaled.importId);
      if (s) {
        s.writes.push(...journaled.writes);
        s.stages++;
      } else {
        this.staged.set(journaled.importId, { writes: [...journaled.writes], stages: 1, line: entry.line });
      }
      return;
    }
    if (journaled.type === 'commit') {
      const s = this.staged.get(journaled.importId);
      this.staged.delete(journaled.importId);
      if (!s || s.stages !== journaled.stages) {
        throw new IngestError(
          journal.file,
          entry.line,
          `journal record ${entry.recordNumber} commits an import of ${journaled.stages} stage lines but ${s?.stages ?? 0} were read: lines are missing. Restore the journal from a backup, or run \`icdkg journal truncate --at-line ${s?.line ?? entry.line}\` to drop the import and every later record`,
        );
      }
      raw = { type: 'batch', writes: s.writes };
    } else {
      raw = journaled;
    }
    let record: Applied;
    try {
      record = this.validateRecord(raw);
    } catch (error) {
      if (error instanceof BadUserInputError) {
        const other = entry.dataVersion !== this.tree.data.dataVersion;
        throw new IngestError(
          journal.file,
          entry.line,
          `journaled write (record ${entry.recordNumber}) no longer applies to the data (${error.message}). ` +
            (other
              ? `It was written against data version ${entry.dataVersion}; the data is version ${this.tree.data.dataVersion}. Point ICDKG_DATA_DIR back at the data it was written against, or run \`icdkg journal set-aside\` to keep the journal aside and start without its writes`
              : 'Run `icdkg journal set-aside` to keep the journal aside and start without its writes'),
        );
      }
      throw error;
    }
    this.apply(record);
  }
  private buildCorpora(data: GraphData): Map<string, CorpusState> {
    const corpora = new Map<string, CorpusState>();
    for (const corpus of data.corpora) {
      const state = this.corpusState(corpora, corpus.name);
      for (const doc of corpus.documents) state.documents.set(doc.id, doc);
      for (const a of corpus.layers) {
        if (!state.documents.has(a.documentId)) {
          throw new Error(`MemoryStore: layer ${a.layer} of corpus ${corpus.name} annotates unknown document ${a.documentId}`);
        }
        let layer = state.layers.get(a.layer);
        if (!layer) {
          layer = new Map();
          state.layers.set(a.layer, layer);
        }
        const previous = layer.get(a.documentId);
        const mentions = previous ? [...previous.mentions, ...a.mentions] : [...a.mentions];
        const codes = previous ? [...previous.codes, ...a.codes] : a.codes;
        if (mentions.length === 0 && codes.length === 0) continue;
        layer.set(a.documentId, {
          documentId: a.documentId,
          layer: a.layer,
          mentions: mentions.sort(compareMentions),
          codes: [...new Set(codes)].sort(),
        });
      }
      for (const [name, layer] of state.layers) if (layer.size === 0) state.layers.delete(name);
    }
    return corpora;
  }

  private corpusState(corpora: Map<string, CorpusState>, name: string): CorpusState {
    let state = corpora.get(name);
    if (!state) {
      state = { name, documents: new Map(), layers: new Map(), sortedIds: null, splitIds: null, patientIds: null, layerIndexes: new Map() };
      corpora.set(name, state);
    }
    return state;
  }

  private readonly view: WriteView = {
    hasCode: (code) => this.tree.codes.has(code),
    hasCorpus: (corpus) => this.corpora.has(corpus),
    documentTextLength: (corpus, id) => this.corpora.get(corpus)?.documents.get(id)?.text.length ?? null,
  };

  // --- the ICD-10 tree -------------------------------------------------------------------

  async getCodes(codes: readonly string[]): Promise<(Code | null)[]> {
    return this.tree.codes.getCodes(codes);
  }

  async getChildren(codes: readonly string[]): Promise<Code[][]> {
    return this.tree.codes.getChildren(codes);
  }

  async getAncestors(codes: readonly string[]): Promise<Code[][]> {
    return this.tree.codes.getAncestors(codes);
  }

  async getDescendants(code: string, maxDepth: number): Promise<Code[]> {
    return this.tree.codes.getDescendants(code, maxDepth);
  }

  async lift(codes: readonly string[], level: LiftLevel): Promise<(string | null)[]> {
    return this.tree.codes.lift(codes, level);
  }

  async chapters(): Promise<Code[]> {
    return this.tree.codes.chapters();
  }

  // --- names -----------------------------------------------------------------------------

  async getNames(codes: readonly string[], sources?: readonly NameSource[]): Promise<Name[][]> {
    const allowed = sources ? new Set(sources) : null;
    return codes.map((c) => {
      const names = this.tree.namesByCode.get(c) ?? [];
      return allowed ? names.filter((n) => allowed.has(n.source)) : names.slice();
    });
  }

  async searchNames(text: string, options: SearchOptions): Promise<NameHit[]> {
    checkFirst(options.first);
    return this.tree.nameIndex.search(text, options);
  }

  // --- corpora, documents, layers ---------------------------------------------------------

  async listCorpora(): Promise<CorpusInfo[]> {
    return [...this.corpora.values()]
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
      .map((c) => {
        const splits = new Map<string, number>();
        for (const doc of c.documents.values()) splits.set(doc.split, (splits.get(doc.split) ?? 0) + 1);
        return {
          name: c.name,
          documentCount: c.documents.size,
          splits: [...splits.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1)).map(([split, documentCount]) => ({ split, documentCount })),
          layers: [...c.layers.keys()].sort(),
        };
      });
  }

  private idsOf(corpus: CorpusState, split: string | null): string[] {
    if (!corpus.sortedIds) {
      corpus.sortedIds = [...corpus.documents.keys()].sort(compareDocumentIds);
      corpus.splitIds = null;
    }
    if (split === null) return corpus.sortedIds;
    if (!corpus.splitIds) {
      const bySplit = new Map<string, string[]>();
      for (const id of corpus.sortedIds) {
        const s = corpus.documents.get(id)!.split;
        const list = bySplit.get(s);
        if (list) list.push(id);
        else bySplit.set(s, [id]);
      }
      corpus.splitIds = bySplit;
    }
    return corpus.splitIds.get(split) ?? [];
  }

  async listDocuments(corpus: string, split: string | null, page: PageOptions): Promise<Page<Document>> {
    const first = checkFirst(page.first);
    const state = this.corpora.get(corpus);
    const ids = state ? this.idsOf(state, split) : [];
    const from = page.after ? upperBound(ids, decodeCursor('doc', page.after), compareDocumentIds) : 0;
    const slice = ids.slice(from, from + first);
    return {
      items: slice.map((id) => state!.documents.get(id)!),
      totalCount: ids.length,
      endCursor: slice.length > 0 ? encodeCursor('doc', slice[slice.length - 1]!) : null,
      hasNextPage: from + slice.length < ids.length,
    };
  }

  async getDocuments(corpus: string, ids: readonly string[]): Promise<(Document | null)[]> {
    const state = this.corpora.get(corpus);
    return ids.map((id) => state?.documents.get(id) ?? null);
  }

  async listDocumentIds(corpus: string, split: string | null): Promise<string[]> {
    const state = this.corpora.get(corpus);
    return state ? this.idsOf(state, split).slice() : [];
  }

  async listPatientDocuments(corpus: string, patient: string): Promise<Document[]> {
    const state = this.corpora.get(corpus);
    if (!state) return [];
    if (!state.patientIds) {
      const byPatient = new Map<string, string[]>();
      for (const d of state.documents.values()) {
        if (d.patient === null || d.patient === undefined) continue;
        const list = byPatient.get(d.patient);
        if (list) list.push(d.id);
        else byPatient.set(d.patient, [d.id]);
      }
      state.patientIds = byPatient;
    }
    return sortByDate((state.patientIds.get(patient) ?? []).map((id) => state.documents.get(id)!));
  }

  async listLayers(corpus: string): Promise<string[]> {
    const state = this.corpora.get(corpus);
    return state ? [...state.layers.keys()].sort() : [];
  }

  async getLayer(corpus: string, layer: string, documentIds: readonly string[]): Promise<LayerAnnotations[]> {
    const annotations = this.corpora.get(corpus)?.layers.get(layer);
    return documentIds.map((documentId) => annotations?.get(documentId) ?? { documentId, layer, mentions: [], codes: [] });
  }

  private layerIndex(corpus: CorpusState, layer: string): LayerIndex | null {
    const cached = corpus.layerIndexes.get(layer);
    if (cached) return cached;
    const annotations = corpus.layers.get(layer);
    if (!annotations) return null;
    const index: LayerIndex = { hits: [], byCode: new Map(), documentFrequency: new Map() };
    for (const documentId of this.idsOf(corpus, null)) {
      const a = annotations.get(documentId);
      if (!a) continue;
      const codes = new Set<string>(a.codes);
      for (const mention of a.mentions) {
        if (mention.code === null) continue;
        codes.add(mention.code);
        const list = index.byCode.get(mention.code);
        if (list) list.push(index.hits.length);
        else index.byCode.set(mention.code, [index.hits.length]);
        index.hits.push({ corpus: corpus.name, documentId, layer, mention });
      }
      for (const code of codes) index.documentFrequency.set(code, (index.documentFrequency.get(code) ?? 0) + 1);
    }
    corpus.layerIndexes.set(layer, index);
    return index;
  }

  private corporaFor(corpus: string | null | undefined): CorpusState[] {
    if (corpus !== null && corpus !== undefined) {
      const state = this.corpora.get(corpus);
      return state ? [state] : [];
    }
    return [...this.corpora.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  async mentionsOfCode(code: string, options: MentionsOfCodeOptions): Promise<Page<MentionHit>> {
    const first = checkFirst(options.first);
    const from = startAfter('mention', options.after);
    const codes = [code];
    if (options.includeDescendants) for (const d of await this.getDescendants(code, Infinity)) codes.push(d.code);
    const all: MentionHit[] = [];
    for (const corpus of this.corporaFor(options.corpus)) {
      const index = this.layerIndex(corpus, options.layer);
      if (!index) continue;
      let positions: number[];
      if (codes.length === 1) {
        positions = index.byCode.get(code) ?? [];
      } else {
        positions = [];
        for (const c of codes) {
          const list = index.byCode.get(c);
          if (list) for (const p of list) positions.push(p);
        }
        positions.sort((a, b) => a - b);
      }
      for (const p of positions) all.push(index.hits[p]!);
    }
    const items = all.slice(from, from + first);
    return {
      items,
      totalCount: all.length,
      endCursor: items.length > 0 ? encodeCursor('mention', String(from + items.length - 1)) : null,
      hasNextPage: from + items.length < all.length,
    };
  }

  async codeFrequencies(codes: readonly string[], layer: string, corpus?: string | null): Promise<number[]> {
    const indexes = this.corporaFor(corpus)
      .map((c) => this.layerIndex(c, layer))
      .filter((i): i is LayerIndex => i !== null);
    return codes.map((code) => indexes.reduce((sum, i) => sum + (i.documentFrequency.get(code) ?? 0), 0));
  }

  // --- writes ------------------------------------------------------------------------------

  async putDocuments(corpus: string, documents: readonly Document[]): Promise<void> {
    this.write({ type: 'putDocuments', corpus, documents: documents as Document[] });
  }

  async putLayer(corpus: string, layer: string, annotations: readonly LayerAnnotations[]): Promise<void> {
    this.write({ type: 'putLayer', corpus, layer, annotations: annotations as LayerAnnotations[] });
  }

  async deleteLayer(corpus: string, layer: string): Promise<void> {
    this.write({ type: 'deleteLayer', corpus, layer });
  }

  async deleteDocuments(corpus: string, documentIds: readonly string[]): Promise<void> {
    this.write({ type: 'deleteDocuments', corpus, documentIds: [...documentIds] });
  }

  async deleteCorpus(corpus: string): Promise<void> {
    this.write({ type: 'deleteCorpus', corpus });
  }

  async applyWrites(writes: readonly WriteRecord[]): Promise<void> {
    this.write({ type: 'batch', writes: [...writes] });
  }

  /** A record validated and normalised against the current state (a batch write by write, each against what the earlier ones leave). */
  private validateRecord(raw: Applied): Applied {
    if (raw.type !== 'batch') return validateWrite(raw, this.view);
    const writes = validateWrites(raw.writes, this.view);
    // One write needs no batch around it (the journal stays readable by older versions).
    return writes.length === 1 ? writes[0]! : { type: 'batch', writes };
  }

  /**
   * Validate, journal durably, apply: all synchronous, so no other call sees a half-done write.
   * Under the journal's lock, records other processes appended meanwhile are applied first, so
   * that the write is validated against what the journal will hold before it.
   */
  private write(raw: Applied): void {
    if (this.closed) throw new Error('MemoryStore: write after close()');
    const journal = this.journal;
    if (!journal) {
      const record = this.validateRecord(raw);
      if (!this.isNoOp(record)) this.apply(record);
      return;
    }
    journal.write((news, append) => {
      this.catchUp(journal, news);
      const record = this.validateRecord(raw);
      if (this.isNoOp(record)) return;
      const size = this.options.stageItems ?? DEFAULT_STAGE_ITEMS;
      const writes = record.type === 'batch' ? record.writes : [record as WriteRecord];
      if (writes.reduce((n, w) => n + itemsOf(w), 0) <= size) {
        append(record);
      } else {
        // A large import: stage lines (each fsynced), then the one commit line that makes them count.
        const importId = `${process.pid}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
        const pieces = splitWrites(writes, size);
        for (const piece of pieces) append({ type: 'stage', importId, writes: [piece] });
        append({ type: 'commit', importId, stages: pieces.length });
      }
      this.apply(record);
    });
  }

  /**
   * Rewrites the journal as one snapshot segment with the net effect of every journaled write
   * (the touched documents as they are now; each touched layer deleted and written whole), so
   * that a start replays it to the same state. Atomic (temporary file + rename) and under the
   * journal's lock; throws when the store has no journal.
   *
   * @example const { before, after } = store.compactJournal();
   */
  compactJournal(): { before: number; after: number; records: number } {
    const journal = this.journal;
    if (!journal) throw new Error('this store has no journal (ICDKG_JOURNAL_DIR) to compact');
    return journal.compact((news) => {
      this.catchUp(journal, news);
      return this.snapshotRecords();
    });
  }

  /** The records that take the base data to the current state (see `compactJournal`). */
  private snapshotRecords(): JournalRecord[] {
    const records: JournalRecord[] = [];
    const corpora = new Set([...this.journaled.deletedCorpora, ...this.journaled.deletedDocuments.keys(), ...this.journaled.documents.keys(), ...this.journaled.layers.keys()]);
    for (const corpus of [...corpora].sort()) {
      // A base corpus that was deleted (and maybe written anew): delete it first.
      if (this.journaled.deletedCorpora.has(corpus) && this.baseLayers.has(corpus)) records.push({ type: 'deleteCorpus', corpus });
      const state = this.corpora.get(corpus);
      if (!state) continue;
      // Base documents deleted and not written anew (a deleted corpus's base is gone already).
      const baseIds = this.journaled.deletedCorpora.has(corpus) ? undefined : this.baseDocuments.get(corpus);
      const gone = [...(this.journaled.deletedDocuments.get(corpus) ?? [])].filter((id) => baseIds?.has(id) && !state.documents.has(id)).sort(compareDocumentIds);
      if (gone.length > 0) records.push({ type: 'deleteDocuments', corpus, documentIds: gone });
      const ids = this.journaled.documents.get(corpus);
      if (ids && ids.size > 0) {
        const documents = [...ids].sort(compareDocumentIds).map((id) => state.documents.get(id)!).filter(Boolean);
        // Several lines for a large corpus (pieces are additive): no line grows past a few MB.
        records.push(...splitWrites([{ type: 'putDocuments', corpus, documents }], this.options.stageItems ?? DEFAULT_STAGE_ITEMS));
      }
      // A document whose text changed dropped its annotations in every layer: then every layer counts.
      const base = this.journaled.deletedCorpora.has(corpus) ? new Set<string>() : (this.baseLayers.get(corpus) ?? new Set<string>());
      const layers = (ids && ids.size > 0) || gone.length > 0 ? new Set([...base, ...state.layers.keys(), ...(this.journaled.layers.get(corpus) ?? [])]) : new Set(this.journaled.layers.get(corpus));
      for (const layer of [...layers].sort()) {
        if (base.has(layer)) records.push({ type: 'deleteLayer', corpus, layer });
        const current = state.layers.get(layer);
        if (current && current.size > 0) {
          const annotations = [...current.values()].sort((a, b) => compareDocumentIds(a.documentId, b.documentId));
          records.push(...splitWrites([{ type: 'putLayer', corpus, layer, annotations }], this.options.stageItems ?? DEFAULT_STAGE_ITEMS));
        }
      }
    }
    return records;
  }

  /** Remembers what a journaled record touched (for `snapshotRecords`). */
  private noteJournaled(record: WriteRecord): void {
    if (record.type === 'deleteCorpus') {
      // What was written to it before is gone with it.
      this.journaled.deletedCorpora.add(record.corpus);
      this.journaled.documents.delete(record.corpus);
      this.journaled.deletedDocuments.delete(record.corpus);
      this.journaled.layers.delete(record.corpus);
    } else if (record.type === 'deleteDocuments') {
      let ids = this.journaled.deletedDocuments.get(record.corpus);
      if (!ids) this.journaled.deletedDocuments.set(record.corpus, (ids = new Set()));
      for (const id of record.documentIds) ids.add(id);
    } else if (record.type === 'putDocuments') {
      let ids = this.journaled.documents.get(record.corpus);
      if (!ids) this.journaled.documents.set(record.corpus, (ids = new Set()));
      for (const doc of record.documents) ids.add(doc.id);
    } else {
      let layers = this.journaled.layers.get(record.corpus);
      if (!layers) this.journaled.layers.set(record.corpus, (layers = new Set()));
      layers.add(record.layer);
    }
  }

  private isNoOp(record: Applied): boolean {
    if (record.type === 'batch') return record.writes.length === 0;
    if (record.type === 'putDocuments') return record.documents.length === 0;
    if (record.type === 'deleteLayer') return !this.corpora.get(record.corpus)?.layers.has(record.layer);
    if (record.type === 'deleteDocuments') return record.documentIds.length === 0;
    if (record.type === 'deleteCorpus') return false;
    return record.annotations.length === 0;
  }

  private apply(record: Applied): void {
    if (record.type === 'batch') {
      for (const write of record.writes) this.apply(write);
      return;
    }
    this.noteJournaled(record);
    switch (record.type) {
      case 'putDocuments': {
        const state = this.corpusState(this.corpora, record.corpus);
        for (const doc of record.documents) {
          const previous = state.documents.get(doc.id);
          if (previous && previous.text !== doc.text) {
            for (const [name, layer] of state.layers) {
              layer.delete(doc.id);
              if (layer.size === 0) state.layers.delete(name);
            }
          }
          state.documents.set(doc.id, doc);
        }
        state.sortedIds = null;
        state.splitIds = null;
        state.patientIds = null;
        state.layerIndexes.clear();
        return;
      }
      case 'putLayer': {
        const state = this.corpora.get(record.corpus)!;
        let layer = state.layers.get(record.layer);
        if (!layer) {
          layer = new Map();
          state.layers.set(record.layer, layer);
        }
        for (const a of record.annotations) {
          if (a.mentions.length === 0 && a.codes.length === 0) layer.delete(a.documentId);
          else layer.set(a.documentId, a);
        }
        if (layer.size === 0) state.layers.delete(record.layer);
        state.layerIndexes.delete(record.layer);
        return;
      }
      case 'deleteLayer': {
        const state = this.corpora.get(record.corpus)!;
        state.layers.delete(record.layer);
        state.layerIndexes.delete(record.layer);
        return;
      }
      case 'deleteDocuments': {
        const state = this.corpora.get(record.corpus)!;
        for (const id of record.documentIds) {
          state.documents.delete(id);
          for (const [name, layer] of state.layers) {
            layer.delete(id);
            if (layer.size === 0) state.layers.delete(name);
          }
        }
        state.sortedIds = null;
        state.splitIds = null;
        state.patientIds = null;
        state.layerIndexes.clear();
        return;
      }
      case 'deleteCorpus': {
        this.corpora.delete(record.corpus);
        return;
      }
    }
  }

  /**
   * Replaces the whole graph with `data`, then replays the journal over it: the state is what a
   * fresh start on `data` gives. Idempotent. Not journaled itself: the embedded store's base data
   * always comes from the data files at start.
   */
  async importGraph(data: GraphData, onProgress?: (p: ImportProgress) => void): Promise<void> {
    onProgress?.({ stage: 'codes', done: 0, total: data.codes.length });
    const tree = buildTree(data);
    onProgress?.({ stage: 'codes', done: data.codes.length, total: data.codes.length });
    const corpora = this.buildCorpora(data);
    const documents = data.corpora.reduce((n, c) => n + c.documents.length, 0);
    onProgress?.({ stage: 'documents', done: documents, total: documents });
    const previous = { tree: this.tree, corpora: this.corpora, journal: this.journal, baseLayers: this.baseLayers, baseDocuments: this.baseDocuments, journaled: this.journaled };
    this.tree = tree;
    this.corpora = corpora;
    const previousBase = this.base;
    this.base = data;
    this.baseLayers = layerNames(corpora);
    this.baseDocuments = documentIds(corpora);
    this.journaled = { deletedCorpora: new Set(), deletedDocuments: new Map(), documents: new Map(), layers: new Map() };
    this.journal = null;
    try {
      this.openJournal();
    } catch (error) {
      // All or nothing: a journal that does not apply to the new data leaves the old graph.
      this.tree = previous.tree;
      this.corpora = previous.corpora;
      this.journal = previous.journal;
      this.baseLayers = previous.baseLayers;
      this.baseDocuments = previous.baseDocuments;
      this.journaled = previous.journaled;
      this.base = previousBase;
      throw error;
    }
    previous.journal?.close();
  }

  // --- system ------------------------------------------------------------------------------

  async counts(): Promise<StoreCounts> {
    let documents = 0;
    let mentions = 0;
    for (const corpus of this.corpora.values()) {
      documents += corpus.documents.size;
      for (const layer of corpus.layers.values()) for (const a of layer.values()) mentions += a.mentions.length;
    }
    return { codes: this.tree.codes.size, names: this.tree.nameCount, corpora: this.corpora.size, documents, mentions };
  }

  async info(): Promise<StoreInfo> {
    return {
      kind: 'memory',
      available: true,
      dataVersion: this.tree.data.dataVersion,
      sources: this.tree.data.sources.slice(),
      sample: this.options.sample ?? false,
    };
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.followTimer) clearInterval(this.followTimer);
    this.followTimer = null;
    this.journal?.close();
    this.journal = null;
  }
}

/** Each corpus's document ids. */
function documentIds(corpora: Map<string, CorpusState>): Map<string, Set<string>> {
  const ids = new Map<string, Set<string>>();
  for (const [name, state] of corpora) ids.set(name, new Set(state.documents.keys()));
  return ids;
}

/** Each corpus's layer names. */
function layerNames(corpora: Map<string, CorpusState>): Map<string, Set<string>> {
  const names = new Map<string, Set<string>>();
  for (const [name, state] of corpora) names.set(name, new Set(state.layers.keys()));
  return names;
}
