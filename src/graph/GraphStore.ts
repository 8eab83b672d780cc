import type {
  Code,
  Document,
  GraphData,
  LayerAnnotations,
  LiftLevel,
  Mention,
  Name,
  NameSource,
  SourceFile,
} from './model.js';

/** One hit of a name search, best first. */
export interface NameHit {
  code: string;
  /** Higher is better; comparable within one result list only. */
  score: number;
  /** The name that matched best for this code. */
  name: Name;
}

export interface SearchOptions {
  first: number;
  /** Restrict to these sources; all when absent. */
  sources?: readonly NameSource[];
}

export interface Page<T> {
  items: T[];
  totalCount: number;
  /** Opaque cursor of the last item, to pass as `after`; null when the page is empty. */
  endCursor: string | null;
  hasNextPage: boolean;
}

export interface PageOptions {
  first: number;
  /** An `endCursor` of a previous page. */
  after?: string | null;
}

export interface CorpusInfo {
  name: string;
  documentCount: number;
  /** Document counts per split. */
  splits: { split: string; documentCount: number }[];
  layers: string[];
}

/** A mention of a code together with the document it is in. */
export interface MentionHit {
  corpus: string;
  documentId: string;
  layer: string;
  mention: Mention;
}

export interface StoreCounts {
  codes: number;
  names: number;
  corpora: number;
  documents: number;
  mentions: number;
}

export interface StoreInfo {
  kind: 'memory' | 'neo4j';
  /** False when the store cannot be reached (Neo4j down); counts are then absent. */
  available: boolean;
  dataVersion: string | null;
  sources: SourceFile[];
  /** True when the store holds only the small sample of `graph/seed/`. */
  sample: boolean;
}

/** Options of `mentionsOfCode`: a page of one layer's mentions, optionally of one corpus and of the code's descendants too. */
export type MentionsOfCodeOptions = PageOptions & { layer: string; corpus?: string | null; includeDescendants?: boolean };

export interface ImportProgress {
  stage: string;
  done: number;
  total: number;
}

/**
 * The port through which everything reaches the graph (DESIGN §6). Batched where the API
 * batches (DataLoader): every `get*` taking an array answers in key order, one entry per key.
 * Unknown codes give `null` / empty arrays, never an error.
 */
export interface GraphStore {
  readonly kind: 'memory' | 'neo4j';

  // --- the ICD-10 tree -------------------------------------------------------------------
  /** Codes by key, in key order; null for unknown keys. */
  getCodes(codes: readonly string[]): Promise<(Code | null)[]>;
  /** Children of each code, sorted by code. */
  getChildren(codes: readonly string[]): Promise<Code[][]>;
  /** Ancestors of each code, nearest first (parent, grandparent, ..., chapter). */
  getAncestors(codes: readonly string[]): Promise<Code[][]>;
  /** Descendants of a code down to `maxDepth` hops (1 = children), in pre-order by code. */
  getDescendants(code: string, maxDepth: number): Promise<Code[]>;
  /**
   * Each code lifted to its ancestor-or-self of kind `level` by PARENT hops; null for unknown
   * codes and for codes above that level (a chapter has no CATEGORY).
   */
  lift(codes: readonly string[], level: LiftLevel): Promise<(string | null)[]>;
  /** All chapters in code order. */
  chapters(): Promise<Code[]>;

  // --- names -----------------------------------------------------------------------------
  /**
   * Names of each code, in key order, optionally restricted to some sources; each code's names
   * ordered by source (`NAME_SOURCES` order), then text.
   */
  getNames(codes: readonly string[], sources?: readonly NameSource[]): Promise<Name[][]>;
  /** Ranked, typo- and inflection-tolerant search over names; one hit per code. */
  searchNames(text: string, options: SearchOptions): Promise<NameHit[]>;

  // --- corpora, documents, layers ---------------------------------------------------------
  listCorpora(): Promise<CorpusInfo[]>;
  /** Documents of a corpus in id order (numeric ids numerically), optionally of one split. */
  listDocuments(corpus: string, split: string | null, page: PageOptions): Promise<Page<Document>>;
  /** Documents by id, in key order; null for unknown ids. */
  getDocuments(corpus: string, ids: readonly string[]): Promise<(Document | null)[]>;
  /** Ids of a corpus's documents, optionally of one split, in id order. */
  listDocumentIds(corpus: string, split: string | null): Promise<string[]>;
  /**
   * The documents of one patient in a corpus (EHR appointments), by date (undated last), then
   * id; empty for an unknown corpus or patient.
   */
  listPatientDocuments(corpus: string, patient: string): Promise<Document[]>;
  /** Layer names present in a corpus. */
  listLayers(corpus: string): Promise<string[]>;
  /**
   * One layer's annotations of the given documents, in key order; documents without
   * annotations in that layer get an empty entry (no mentions, no codes).
   */
  getLayer(corpus: string, layer: string, documentIds: readonly string[]): Promise<LayerAnnotations[]>;
  /** Mentions linked to a code (or, with `includeDescendants`, to any code below it). */
  mentionsOfCode(code: string, options: MentionsOfCodeOptions): Promise<Page<MentionHit>>;
  /** For each code, the number of documents of a layer that carry it (mentions or assignments). */
  codeFrequencies(codes: readonly string[], layer: string, corpus?: string | null): Promise<number[]>;

  // --- writes (journaled / transactional; all-or-nothing per call) -------------------------
  /**
   * Adds or replaces documents (creating the corpus when needed). A replaced document keeps its
   * annotations when its text is unchanged and loses them (in every layer) when the text changed.
   */
  putDocuments(corpus: string, documents: readonly Document[]): Promise<void>;
  /** Replaces one layer's annotations of the given documents (which must exist). */
  putLayer(corpus: string, layer: string, annotations: readonly LayerAnnotations[]): Promise<void>;
  /** Removes a layer from a corpus (BAD_USER_INPUT for an unknown corpus; a missing layer is a no-op). */
  deleteLayer(corpus: string, layer: string): Promise<void>;
  /**
   * Removes documents with their annotations in every layer (BAD_USER_INPUT naming the first
   * unknown corpus or document; nothing is removed then). The corpus stays, even when empty.
   */
  deleteDocuments(corpus: string, documentIds: readonly string[]): Promise<void>;
  /** Removes a corpus with its documents and every annotation (BAD_USER_INPUT for an unknown corpus). */
  deleteCorpus(corpus: string): Promise<void>;
  /**
   * Applies several writes as one, all or nothing: each is validated against the state the
   * earlier ones leave (a corpus that `putDocuments` creates can take a `putLayer` after it), and
   * either every write takes effect or none does (the memory store journals them as ONE record,
   * Neo4j runs them in ONE transaction). What every import uses (`cohort import`: delete the old
   * corpus, documents, layers).
   *
   * @example await store.applyWrites([{ type: 'putDocuments', corpus: 'c', documents }, { type: 'putLayer', corpus: 'c', layer: 'original', annotations }]);
   */
  applyWrites(writes: readonly WriteRecord[]): Promise<void>;
  /** Bulk import of a whole data set (seed); idempotent. */
  importGraph(data: GraphData, onProgress?: (p: ImportProgress) => void): Promise<void>;

  // --- system ------------------------------------------------------------------------------
  counts(): Promise<StoreCounts>;
  info(): Promise<StoreInfo>;
  close(): Promise<void>;
}

/**
 * One write through the port, as both adapters validate it (`validateWrite`) and the memory store
 * journals it.
 */
export type WriteRecord =
  | { type: 'putDocuments'; corpus: string; documents: Document[] }
  | { type: 'putLayer'; corpus: string; layer: string; annotations: LayerAnnotations[] }
  | { type: 'deleteLayer'; corpus: string; layer: string }
  | { type: 'deleteDocuments'; corpus: string; documentIds: string[] }
  | { type: 'deleteCorpus'; corpus: string };
