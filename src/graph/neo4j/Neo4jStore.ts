import type { CorpusInfo, GraphStore, ImportProgress, MentionHit, MentionsOfCodeOptions, NameHit, Page, PageOptions, SearchOptions, StoreCounts, StoreInfo } from '../GraphStore.js';
import type { Code, Document, GraphData, LayerAnnotations, LiftLevel, Mention, Name, NameSource, SourceFile } from '../model.js';
import { LIFT_LEVELS } from '../model.js';
import { BadUserInputError, ServiceUnavailableError } from '../../errors.js';
import { logger } from '../../logger.js';
import { CodeTree } from '../shared/CodeTree.js';
import { StampedCache } from './stampedCache.js';
import { NameIndex } from '../shared/NameIndex.js';
import { compareDocumentIds } from '../../util/compareDocumentIds.js';
import { compareMentions, validateWrite } from '../shared/validateWrite.js';
import type { WriteView } from '../shared/validateWrite.js';
import type { WriteRecord } from '../shared/writeRecord.js';
import { cypher } from './cypher.js';
import type { Statement } from './cypher.js';
import type { CallOptions, Neo4jExecutor, QueryRunner, Row } from './executor.js';
import { ImportIncompleteError } from './ImportIncompleteError.js';
import { documentRow, importRows, IMPORT_STAGES, mentionRow } from './importRows.js';
import type { ImportStage } from './importRows.js';
import { keys } from './keys.js';
import { luceneQuery } from './luceneQuery.js';
import { schemaStatements } from './schemaStatements.js';
import { checkFirst, compareNames, decodeCursor, encodeCursor, sortByDate, startAfter } from '../shared/ordering.js';

/** Tunables of the Neo4j store; defaults in `NEO4J_STORE_DEFAULTS`. */
export interface Neo4jStoreOptions {
  /** Rows per `UNWIND` transaction of an import: large enough to amortise round trips, small enough for the heap. */
  importBatchSize: number;
  /** Server-side timeout of one import transaction (ms); import batches take longer than API reads. */
  importTransactionTimeoutMs: number;
  /**
   * Up to this many names, search runs in process over all names (the memory store's `NameIndex`,
   * so the same hits in the same order); above it, over candidates from the full-text index.
   */
  inProcessSearchMaxNames: number;
  /** Candidate names fetched from the full-text index per search (above `inProcessSearchMaxNames`). */
  searchCandidates: number;
  /** Seconds `db.awaitIndexes` waits for the schema's indexes after they are created. */
  awaitIndexesSeconds: number;
  /**
   * How long the in-process code tree and name index are trusted after their stamps were last
   * checked (ms): only imports write them, so a longer time only delays seeing another process's
   * import (and, by as much, an outage that no other call has noticed yet).
   */
  stampTtlMs: number;
  /** Called once on `close()` (releases the shared driver). */
  onClose?: () => Promise<void>;
}

export const NEO4J_STORE_DEFAULTS: Omit<Neo4jStoreOptions, 'onClose'> = {
  importBatchSize: 1000,
  importTransactionTimeoutMs: 120_000,
  inProcessSearchMaxNames: 500_000,
  searchCandidates: 1000,
  awaitIndexesSeconds: 300,
  stampTtlMs: 1000,
};







function str(v: unknown): string {
  return typeof v === 'string' ? v : String(v);
}

function num(v: unknown): number {
  return typeof v === 'number' ? v : Number(v);
}

function toCode(v: unknown): Code {
  const r = v as Record<string, unknown>;
  return {
    code: str(r.code),
    title: str(r.title),
    kind: r.kind as Code['kind'],
    depth: num(r.depth),
    parent: (r.parent as string | null) ?? null,
    number: (r.number as string | null) ?? null,
    // Stored only where true (as the embedded store keeps it: absent otherwise).
    ...(r.inactive === true ? { inactive: true } : {}),
  };
}

/** A name as the port returns it: optional fields absent rather than null. */
function toName(v: unknown): Name {
  const r = v as Record<string, unknown>;
  const name: Name = { code: str(r.code), text: str(r.text), normalized: str(r.normalized), source: r.source as NameSource, lang: str(r.lang) };
  if (r.cui != null) name.cui = str(r.cui);
  if (r.sab != null) name.sab = str(r.sab);
  if (r.count != null) name.count = num(r.count);
  return name;
}

function toDocument(v: unknown): Document {
  const r = v as Record<string, unknown>;
  const doc: Document = {
    corpus: str(r.corpus),
    id: str(r.id),
    split: str(r.split),
    text: str(r.text),
    patient: (r.patient as string | null) ?? null,
    date: (r.date as string | null) ?? null,
  };
  if (typeof r.fields === 'string') doc.fields = JSON.parse(r.fields) as Document['fields'];
  return doc;
}

function toMention(v: unknown): Mention {
  const r = v as Record<string, unknown>;
  const starts = (r.fragmentStarts as unknown[] | null) ?? [];
  const ends = (r.fragmentEnds as unknown[] | null) ?? [];
  return {
    id: str(r.id),
    fragments: starts.map((s, i) => ({ start: num(s), end: num(ends[i]) })),
    start: num(r.start),
    end: num(r.end),
    text: str(r.text),
    code: (r.code as string | null) ?? null,
  };
}

/** Rows keyed by their `key` column, for answering in key order whatever order Cypher returns. */
function byKey(rows: Row[]): Map<string, Row> {
  return new Map(rows.map((r) => [str(r.key), r]));
}

/**
 * True when the data set is the project's own sample (`graph/seed/`), as `info().sample` reports;
 * used when the data does not say so itself (`loadDataDir` sets `sample`).
 */
function isSample(sources: readonly SourceFile[]): boolean {
  return sources.length > 0 && sources.every((s) => s.path.replace(/\\/g, '/').includes('graph/seed/'));
}

/**
 * The Neo4j `GraphStore` (DESIGN §6): every operation is one parameterised statement (or a few in
 * one transaction) built by `cypher`, run through the `Neo4jExecutor`. Results, orders and cursors
 * are the memory adapter's: children and chapters by code, ancestors nearest first, names by
 * source then text, documents by `compareDocumentIds`, mentions by start, end, id; the same write
 * validation (`validateWrite`) and the same search scoring (`NameIndex`), applied to the
 * candidates of the full-text index.
 *
 * @example
 * const store = await createNeo4jStore(loadConfig());
 * await store.lift(['H10.0'], 'CATEGORY'); // ['H10']
 */
export class Neo4jStore implements GraphStore {
  readonly kind = 'neo4j' as const;
  private readonly executor: Neo4jExecutor;
  private readonly options: Neo4jStoreOptions;
  private closed = false;
  /** The in-process code tree, checked against `cypher.treeStamp`. */
  private readonly tree: StampedCache<CodeTree>;
  /** The in-process name index over all names (null above `inProcessSearchMaxNames`), checked against `cypher.nameIndexStamp`. */
  private readonly names: StampedCache<NameIndex | null>;

  constructor(executor: Neo4jExecutor, options: Partial<Neo4jStoreOptions> = {}, now: () => number = () => performance.now()) {
    this.executor = executor;
    this.options = { ...NEO4J_STORE_DEFAULTS, ...options };
    const cache = { ttlMs: this.options.stampTtlMs, unavailable: () => executor.unavailable, now };
    this.tree = new StampedCache({
      ...cache,
      // Codes added or linked show in the counts at once; titles changed by a re-import, when it completes.
      readStamp: async () => JSON.stringify((await this.rows(cypher.treeStamp()))[0] ?? null),
      load: async () => CodeTree.build((await this.rows(cypher.allCodes())).map((r) => toCode(r.code)), 'Neo4jStore'),
    });
    this.names = new StampedCache({
      ...cache,
      readStamp: async () => JSON.stringify((await this.rows(cypher.nameIndexStamp()))[0] ?? null),
      load: async (stamp) => {
        const count = num((JSON.parse(stamp) as { names?: unknown } | null)?.names ?? 0);
        if (count > this.options.inProcessSearchMaxNames) return null;
        return new NameIndex((await this.rows(cypher.allNames())).map((r) => toName(r.name)));
      },
    });
  }

  private rows(statement: Statement): Promise<Row[]> {
    if (this.closed) return Promise.reject(new ServiceUnavailableError('The Neo4j store is closed.', { store: 'neo4j' }));
    return this.executor.readRows(statement);
  }

  // --- the ICD-10 tree -------------------------------------------------------------------
  //
  // Answered from an in-process copy of the tree (`CodeTree`, the memory store's walks), read once
  // per import (`StampedCache`): a code lookup costs no round trip. The copy is trusted for
  // `stampTtlMs` after its stamp (`cypher.treeStamp`, one small read) was last found unchanged;
  // after that the next read checks the stamp first (one check shared by concurrent reads) and
  // reads the tree again when it changed. While the circuit breaker is open every read goes through
  // that check, so an outage answers SERVICE_UNAVAILABLE (fast, from the breaker) rather than
  // cached data, and the first check after the database is back closes the breaker.

  async getCodes(codes: readonly string[]): Promise<(Code | null)[]> {
    if (codes.length === 0) return [];
    return (await this.codeTree()).getCodes(codes);
  }

  async getChildren(codes: readonly string[]): Promise<Code[][]> {
    if (codes.length === 0) return [];
    return (await this.codeTree()).getChildren(codes);
  }

  async getAncestors(codes: readonly string[]): Promise<Code[][]> {
    if (codes.length === 0) return [];
    return (await this.codeTree()).getAncestors(codes);
  }

  async getDescendants(code: string, maxDepth: number): Promise<Code[]> {
    return (await this.codeTree()).getDescendants(code, maxDepth);
  }

  async lift(codes: readonly string[], level: LiftLevel): Promise<(string | null)[]> {
    if (!(LIFT_LEVELS as readonly string[]).includes(level)) {
      throw new BadUserInputError(`level: ${JSON.stringify(level)} is not one of CATEGORY, BLOCK, CHAPTER`, { argumentName: 'level' });
    }
    if (codes.length === 0) return [];
    return (await this.codeTree()).lift(codes, level);
  }

  async chapters(): Promise<Code[]> {
    return (await this.codeTree()).chapters();
  }

  /** The in-process tree (see above). */
  private codeTree(): Promise<CodeTree> {
    if (this.closed) return Promise.reject(new ServiceUnavailableError('The Neo4j store is closed.', { store: 'neo4j' }));
    return this.tree.get();
  }

  // --- names -----------------------------------------------------------------------------

  async getNames(codes: readonly string[], sources?: readonly NameSource[]): Promise<Name[][]> {
    if (codes.length === 0) return [];
    const found = byKey(await this.rows(cypher.getNames(codes, sources ?? null)));
    return codes.map((c) => ((found.get(c)?.names as unknown[] | undefined) ?? []).map(toName).sort(compareNames));
  }

  /**
   * The memory adapter's search over all names: the names are read once per import (a stamp of
   * the import's version, time and name count is checked at most every `stampTtlMs`, as for the
   * code tree: `StampedCache`) and
   * indexed in process with `NameIndex`, so hits, scores and their order are the memory store's.
   * Above `inProcessSearchMaxNames` names, candidates come from the full-text index instead (exact,
   * fuzzy and prefix clauses per word, `standard-no-stop-words` analyzer over the normalised text)
   * and are re-ranked by a `NameIndex` over them: word weights are then computed over the
   * candidates, so scores and close rankings can differ, and a name outside the top
   * `searchCandidates` of Lucene's own ranking cannot be found.
   */
  async searchNames(text: string, options: SearchOptions): Promise<NameHit[]> {
    const first = checkFirst(options.first);
    const query = luceneQuery(text);
    if (first === 0 || query === '') return [];
    if (this.closed) throw new ServiceUnavailableError('The Neo4j store is closed.', { store: 'neo4j' });
    const index = await this.names.get();
    if (index) return index.search(text, { first, sources: options.sources });
    const rows = await this.rows(cypher.searchNames(query, this.options.searchCandidates, options.sources ?? null));
    const candidates = rows
      .map((r) => ({ name: toName(r.name), ord: num((r.name as Record<string, unknown>).ord) }))
      .sort((a, b) => a.ord - b.ord)
      .map((c) => c.name);
    return new NameIndex(candidates).search(text, { first, sources: options.sources });
  }

  // --- corpora, documents, layers ---------------------------------------------------------

  async listCorpora(): Promise<CorpusInfo[]> {
    const [corpora, layers] = await this.executor.read(async (q) => [await q.run(cypher.listCorpora()), await q.run(cypher.corpusLayers())]);
    const layersOf = new Map<string, string[]>();
    for (const r of layers) {
      const list = layersOf.get(str(r.corpus));
      if (list) list.push(str(r.layer));
      else layersOf.set(str(r.corpus), [str(r.layer)]);
    }
    return corpora
      .map((r) => {
        const splits = ((r.splits as { split: string; documentCount: unknown }[]) ?? [])
          .map((s) => ({ split: str(s.split), documentCount: num(s.documentCount) }))
          .sort((a, b) => (a.split < b.split ? -1 : 1));
        return {
          name: str(r.name),
          documentCount: splits.reduce((n, s) => n + s.documentCount, 0),
          splits,
          layers: [...new Set(layersOf.get(str(r.name)) ?? [])].sort(),
        };
      })
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  async listDocuments(corpus: string, split: string | null, page: PageOptions): Promise<Page<Document>> {
    const first = checkFirst(page.first);
    const afterId = page.after ? decodeCursor('doc', page.after) : null;
    const after = afterId === null ? null : keys.documentSort(afterId);
    const [rows, total] = await this.executor.read(async (q) => [
      await q.run(cypher.listDocuments(corpus, split, after, first + 1)),
      await q.run(cypher.countDocuments(corpus, split)),
    ]);
    const items = rows.slice(0, first).map((r) => toDocument(r.document));
    return {
      items,
      totalCount: num(total[0]?.total ?? 0),
      endCursor: items.length > 0 ? encodeCursor('doc', items[items.length - 1]!.id) : null,
      hasNextPage: rows.length > first,
    };
  }

  async getDocuments(corpus: string, ids: readonly string[]): Promise<(Document | null)[]> {
    if (ids.length === 0) return [];
    const found = byKey(await this.rows(cypher.getDocuments(ids.map((id) => keys.document(corpus, id)))));
    return ids.map((id) => {
      const v = found.get(keys.document(corpus, id))?.document;
      return v ? toDocument(v) : null;
    });
  }

  async listPatientDocuments(corpus: string, patient: string): Promise<Document[]> {
    const rows = await this.rows(cypher.listPatientDocuments(corpus, patient));
    return sortByDate(rows.map((r) => toDocument(r.document)));
  }

  async listDocumentIds(corpus: string, split: string | null): Promise<string[]> {
    // Cypher orders by the precomputed sort key; the JS sort is the definition, and cheap on sorted input.
    return (await this.rows(cypher.listDocumentIds(corpus, split))).map((r) => str(r.id)).sort(compareDocumentIds);
  }

  async listLayers(corpus: string): Promise<string[]> {
    return [...new Set((await this.rows(cypher.listLayers(corpus))).map((r) => str(r.layer)))].sort();
  }

  async getLayer(corpus: string, layer: string, documentIds: readonly string[]): Promise<LayerAnnotations[]> {
    if (documentIds.length === 0) return [];
    const found = byKey(await this.rows(cypher.getLayer(layer, documentIds.map((id) => keys.document(corpus, id)))));
    return documentIds.map((documentId) => {
      const r = found.get(keys.document(corpus, documentId));
      const mentions = ((r?.mentions as unknown[] | undefined) ?? []).map(toMention).sort(compareMentions);
      const codes = ((r?.codes as unknown[] | undefined) ?? []).map(str);
      return { documentId, layer, mentions, codes };
    });
  }

  async mentionsOfCode(code: string, options: MentionsOfCodeOptions): Promise<Page<MentionHit>> {
    const first = checkFirst(options.first);
    const from = startAfter('mention', options.after);
    const corpus = options.corpus ?? null;
    const below = options.includeDescendants ?? false;
    const [rows, total] = await this.executor.read(async (q) => [
      first === 0 ? [] : await q.run(cypher.mentionsOfCode(code, options.layer, corpus, below, from, first)),
      await q.run(cypher.countMentionsOfCode(code, options.layer, corpus, below)),
    ]);
    const totalCount = num(total[0]?.total ?? 0);
    const items: MentionHit[] = rows.map((r) => ({
      corpus: str(r.corpus),
      documentId: str(r.documentId),
      layer: str(r.layer),
      mention: toMention(r.mention),
    }));
    return {
      items,
      totalCount,
      endCursor: items.length > 0 ? encodeCursor('mention', String(from + items.length - 1)) : null,
      hasNextPage: from + items.length < totalCount,
    };
  }

  async codeFrequencies(codes: readonly string[], layer: string, corpus?: string | null): Promise<number[]> {
    if (codes.length === 0) return [];
    const found = byKey(await this.rows(cypher.codeFrequencies(codes, layer, corpus ?? null)));
    return codes.map((c) => num(found.get(c)?.documents ?? 0));
  }

  // --- writes ------------------------------------------------------------------------------

  /**
   * Validates a write with the memory adapter's rules against the database's state, read in the
   * same write transaction (so the check and the write see the same graph), then applies it.
   */
  private async validated(q: QueryRunner, raw: WriteRecord): Promise<WriteRecord> {
    const corpus = typeof raw.corpus === 'string' ? raw.corpus : '';
    const corpusExists = Boolean((await q.run(cypher.corpusExists(corpus)))[0]?.exists);
    const texts = new Map<string, string>();
    const codes = new Set<string>();
    if (raw.type === 'deleteDocuments' && Array.isArray(raw.documentIds)) {
      const ids = (raw.documentIds as unknown[]).filter((id): id is string => typeof id === 'string');
      if (ids.length > 0) for (const r of await this.inSlices(q, ids.map((id) => keys.document(corpus, id)), (slice) => cypher.documentTexts(slice))) texts.set(str(r.key), str(r.text));
    }
    if (raw.type === 'putLayer' && Array.isArray(raw.annotations)) {
      const ids: string[] = [];
      for (const a of raw.annotations as unknown[]) {
        const x = (a ?? {}) as Partial<LayerAnnotations>;
        if (typeof x.documentId === 'string') ids.push(x.documentId);
        for (const c of Array.isArray(x.codes) ? x.codes : []) if (typeof c === 'string') codes.add(c);
        for (const m of Array.isArray(x.mentions) ? x.mentions : []) if (typeof m?.code === 'string') codes.add(m.code);
      }
      if (ids.length > 0) for (const r of await this.inSlices(q, ids.map((id) => keys.document(corpus, id)), (slice) => cypher.documentTexts(slice))) texts.set(str(r.key), str(r.text));
    }
    const missing = codes.size > 0 ? new Set((await q.run(cypher.missingCodes([...codes]))).map((r) => str(r.key))) : new Set<string>();
    const view: WriteView = {
      hasCode: (code) => codes.has(code) && !missing.has(code),
      hasCorpus: () => corpusExists,
      documentTextLength: (c, id) => texts.get(keys.document(c, id))?.length ?? null,
    };
    return validateWrite(raw, view);
  }

  private write(work: (q: QueryRunner) => Promise<void>, call: CallOptions = {}): Promise<void> {
    if (this.closed) return Promise.reject(new ServiceUnavailableError('The Neo4j store is closed.', { store: 'neo4j' }));
    return this.executor.write(work, call);
  }

  /** Runs `statement(slice)` over `rows` in slices of `importBatchSize` rows (one transaction still: bounded Bolt messages). */
  private async inSlices<T>(q: QueryRunner, rows: readonly T[], statement: (slice: T[]) => Statement): Promise<Row[]> {
    const out: Row[] = [];
    const size = Math.max(1, this.options.importBatchSize);
    for (let i = 0; i < rows.length; i += size) out.push(...(await q.run(statement(rows.slice(i, i + size)))));
    return out;
  }

  async putDocuments(corpus: string, documents: readonly Document[]): Promise<void> {
    await this.write((q) => this.applyIn(q, { type: 'putDocuments', corpus, documents: documents as Document[] }));
  }

  async putLayer(corpus: string, layer: string, annotations: readonly LayerAnnotations[]): Promise<void> {
    await this.write((q) => this.applyIn(q, { type: 'putLayer', corpus, layer, annotations: annotations as LayerAnnotations[] }));
  }

  async deleteLayer(corpus: string, layer: string): Promise<void> {
    await this.write((q) => this.applyIn(q, { type: 'deleteLayer', corpus, layer }));
  }

  async deleteDocuments(corpus: string, documentIds: readonly string[]): Promise<void> {
    await this.write((q) => this.applyIn(q, { type: 'deleteDocuments', corpus, documentIds: [...documentIds] }));
  }

  async deleteCorpus(corpus: string): Promise<void> {
    await this.write((q) => this.applyIn(q, { type: 'deleteCorpus', corpus }));
  }

  /**
   * Every write in ONE transaction, each validated against what the earlier ones left (reads in
   * a transaction see its own writes): the first bad write rolls the whole batch back.
   */
  async applyWrites(writes: readonly WriteRecord[]): Promise<void> {
    if (!Array.isArray(writes)) throw new BadUserInputError('writes: must be an array', { where: 'writes' });
    // An import's transaction: the importer's longer timeout (a large cohort takes more than a query's).
    const call = { transactionTimeoutMs: this.options.importTransactionTimeoutMs, deadlineMs: this.options.importTransactionTimeoutMs + 10_000 };
    await this.write(async (q) => {
      for (let i = 0; i < writes.length; i++) {
        try {
          await this.applyIn(q, writes[i]!);
        } catch (error) {
          if (error instanceof BadUserInputError) {
            const where = typeof error.extensions.where === 'string' ? `writes[${i}].${error.extensions.where}` : `writes[${i}]`;
            throw new BadUserInputError(`writes[${i}].${error.message}`, { where });
          }
          throw error;
        }
      }
    }, call);
  }

  /** Validates one write inside transaction `q` and applies it there. */
  private async applyIn(q: QueryRunner, raw: WriteRecord): Promise<void> {
    const record = await this.validated(q, raw);
    const corpus = record.corpus;
    switch (record.type) {
      case 'putDocuments': {
        if (record.documents.length === 0) return;
        const rows = record.documents.map(documentRow);
        // A replaced document whose text changed loses its annotations: their offsets pointed into the old text.
        const old = await this.inSlices(q, rows.map((r) => r.key), (keys) => cypher.documentTexts(keys));
        const textOf = new Map(rows.map((r) => [r.key, r.text]));
        const changed = old.filter((r) => textOf.get(str(r.key)) !== str(r.text)).map((r) => str(r.key));
        if (changed.length > 0) await this.inSlices(q, changed, (keys) => cypher.clearDocumentAnnotations(keys));
        await q.run(cypher.mergeCorpora([{ name: corpus }]));
        await this.inSlices(q, rows, (slice) => cypher.mergeDocuments(slice));
        return;
      }
      case 'putLayer': {
        if (record.annotations.length === 0) return;
        const layer = record.layer;
        const documentKeys = record.annotations.map((a) => keys.document(corpus, a.documentId));
        await this.inSlices(q, documentKeys, (slice) => cypher.clearLayerMentions(layer, slice));
        await this.inSlices(q, documentKeys, (slice) => cypher.clearLayerAssignments(layer, slice));
        const mentions = record.annotations.flatMap((a) => a.mentions.map((m) => mentionRow(corpus, a.documentId, layer, m)));
        const assigned = record.annotations.flatMap((a) => a.codes.map((code) => ({ documentKey: keys.document(corpus, a.documentId), layer, code })));
        await this.inSlices(q, mentions, (slice) => cypher.mergeMentions(slice));
        await this.inSlices(q, assigned, (slice) => cypher.mergeAssignments(slice));
        return;
      }
      case 'deleteLayer':
        await q.run(cypher.deleteLayerMentions(corpus, record.layer));
        await q.run(cypher.deleteLayerAssignments(corpus, record.layer));
        return;
      case 'deleteDocuments': {
        if (record.documentIds.length === 0) return;
        const documentKeys = record.documentIds.map((id) => keys.document(corpus, id));
        await q.run(cypher.clearDocumentAnnotations(documentKeys));
        await q.run(cypher.deleteDocuments(documentKeys));
        return;
      }
      case 'deleteCorpus':
        await q.run(cypher.deleteCorpus(corpus));
        return;
    }
  }

  /**
   * Applies graph/seed/schema.cypher (constraints before any MERGE relies on them), then merges the
   * data in batches of `importBatchSize` rows, one transaction per batch, stage by stage; the data
   * version is recorded last, so `info()` reports it only once everything is in. Idempotent: every
   * row is a MERGE on a unique key. Additive: nodes of an earlier import or of API writes that
   * `data` does not hold are kept. A failure throws `ImportIncompleteError` with per-stage counts.
   */
  async importGraph(data: GraphData, onProgress?: (p: ImportProgress) => void): Promise<void> {
    try {
      await this.importStages(data, onProgress);
    } finally {
      this.tree.invalidate();
      this.names.invalidate();
    }
  }

  private async importStages(data: GraphData, onProgress?: (p: ImportProgress) => void): Promise<void> {
    const rows = importRows(data);
    const schema = schemaStatements();
    const totals: Record<ImportStage, number> = {
      schema: schema.length,
      codes: rows.codes.length,
      parents: rows.parents.length,
      names: rows.names.length,
      corpora: rows.corpora.length,
      documents: rows.documents.length,
      mentions: rows.mentions.length,
      assignments: rows.assignments.length,
      dataVersion: 1,
    };
    const progress = IMPORT_STAGES.map((stage) => ({ stage, done: 0, total: totals[stage] }));
    const report = (i: number) => onProgress?.({ ...progress[i]! });
    const call = { transactionTimeoutMs: this.options.importTransactionTimeoutMs, deadlineMs: this.options.importTransactionTimeoutMs + 10_000 };
    let current = 0;
    const batches = async <T>(i: number, list: T[], build: (batch: T[]) => Statement) => {
      current = i;
      report(i);
      const size = Math.max(1, this.options.importBatchSize);
      for (let k = 0; k < list.length; k += size) {
        const batch = list.slice(k, k + size);
        await this.executor.writeRows(build(batch), call);
        progress[i]!.done += batch.length;
        report(i);
      }
    };
    try {
      current = 0;
      report(0);
      for (const text of schema) {
        // Schema commands cannot share a transaction with data writes: one each.
        await this.executor.writeRows({ text, parameters: {} }, call);
        progress[0]!.done += 1;
        report(0);
      }
      await this.executor.readRows(cypher.awaitIndexes(this.options.awaitIndexesSeconds), {
        transactionTimeoutMs: this.options.awaitIndexesSeconds * 1000 + 10_000,
        deadlineMs: this.options.awaitIndexesSeconds * 1000 + 20_000,
      });
      await this.executor.writeRows(cypher.beginImport(data.dataVersion), call);
      await batches(1, rows.codes, (b) => cypher.mergeCodes(b));
      await batches(2, rows.parents, (b) => cypher.mergeParents(b));
      await batches(3, rows.names, (b) => cypher.mergeNames(b));
      await batches(4, rows.corpora, (b) => cypher.mergeCorpora(b));
      await batches(5, rows.documents, (b) => cypher.mergeDocuments(b));
      await batches(6, rows.mentions, (b) => cypher.mergeMentions(b));
      await batches(7, rows.assignments, (b) => cypher.mergeAssignments(b));
      current = 8;
      const flagged = (data as GraphData & { sample?: unknown }).sample;
      const sample = typeof flagged === 'boolean' ? flagged : isSample(data.sources);
      await this.executor.writeRows(cypher.completeImport(data.dataVersion, JSON.stringify(data.sources), sample), call);
      progress[8]!.done = 1;
      report(8);
    } catch (error) {
      const cause = error instanceof Error ? error : new Error(String(error));
      const stage = progress[current]!.stage;
      logger.error({ stage, stages: progress, code: (cause as { extensions?: { code?: unknown } }).extensions?.code }, 'neo4j import stopped');
      throw new ImportIncompleteError(stage, progress.map((p) => ({ ...p })), cause);
    }
    logger.info({ dataVersion: data.dataVersion, stages: progress }, 'neo4j import complete');
  }

  // --- system ------------------------------------------------------------------------------

  async counts(): Promise<StoreCounts> {
    const r = (await this.rows(cypher.counts()))[0] ?? {};
    return { codes: num(r.codes ?? 0), names: num(r.names ?? 0), corpora: num(r.corpora ?? 0), documents: num(r.documents ?? 0), mentions: num(r.mentions ?? 0) };
  }

  /** Never throws for an unreachable database: reports `available: false` (for `system` and `/health`). */
  async info(): Promise<StoreInfo> {
    try {
      const r = (await this.rows(cypher.meta()))[0] ?? {};
      const sources = typeof r.sources === 'string' ? (JSON.parse(r.sources) as SourceFile[]) : [];
      return { kind: 'neo4j', available: true, dataVersion: (r.dataVersion as string | null) ?? null, sources, sample: r.sample === true };
    } catch (error) {
      if (!(error instanceof ServiceUnavailableError)) throw error;
      return { kind: 'neo4j', available: false, dataVersion: null, sources: [], sample: false };
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.options.onClose?.();
  }
}
