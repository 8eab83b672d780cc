/**
 * The graph model shared by both stores (DESIGN §2). Plain data, no behaviour.
 */

export const CODE_KINDS = ['CHAPTER', 'BLOCK', 'CATEGORY', 'SUBCATEGORY'] as const;
/** Where a code sits in the ICD-10 tree. */
export type CodeKind = (typeof CODE_KINDS)[number];

export const LIFT_LEVELS = ['CATEGORY', 'BLOCK', 'CHAPTER'] as const;
/** A level a code can be lifted to by walking PARENT edges. */
export type LiftLevel = (typeof LIFT_LEVELS)[number];

/** One node of the ICD-10 tree. */
export interface Code {
  /** `A00-B99` (chapter), `A00-A09` (block), `A00` (category), `A00.0`, `F13.201Н` (subcategory). */
  code: string;
  title: string;
  kind: CodeKind;
  /** 0 for chapters, +1 per PARENT hop. */
  depth: number;
  /** The parent's code; null for chapters. */
  parent: string | null;
  /** Roman numeral of a chapter (`IX`); null for other kinds or when unknown. */
  number: string | null;
  /**
   * True where the МКБ-10 reference marks the code withdrawn (`ACTUAL=0`) while the tree keeps it
   * (old records carry it); absent otherwise. Both adapters keep it (Neo4j: the `inactive`
   * property of the Code node, set only where true).
   */
  inactive?: boolean;
}

export const NAME_SOURCES = ['ICD_TITLE', 'DICTIONARY', 'UMLS', 'ABBREVIATION', 'CORPUS'] as const;
export type NameSource = (typeof NAME_SOURCES)[number];

/** A name (title, synonym, abbreviation, corpus mention string) of one code. */
export interface Name {
  code: string;
  text: string;
  /** `normalizeText(text)`: the form searches and linkers compare. */
  normalized: string;
  source: NameSource;
  /** ISO 639-1 (`ru`, `en`). */
  lang: string;
  /** UMLS concept id, for UMLS names. */
  cui?: string;
  /** UMLS source vocabulary, for UMLS names. */
  sab?: string;
  /** For CORPUS names: how many training mentions with this text carry this code. */
  count?: number;
}

/** A character range `[start, end)` in a document's text. */
export interface Fragment {
  start: number;
  end: number;
}

/** A span annotation of one layer, linked to a code (or to none). */
export interface Mention {
  /** The annotation id within its document and layer (brat `T1`). */
  id: string;
  /** One fragment, or several for a discontinuous mention (brat `0 5;7 10`). */
  fragments: Fragment[];
  /** First fragment's start. */
  start: number;
  /** Last fragment's end. */
  end: number;
  /** The mention's text as brat writes it (fragments joined by a space). */
  text: string;
  /** The linked code, or null for a span without a code. */
  code: string | null;
}

/** A document's annotations in one named layer (`gold`, `original`, `linked`, `system:<name>`, ...). */
export interface LayerAnnotations {
  documentId: string;
  layer: string;
  mentions: Mention[];
  /** Code-only assignments without spans (`(:Document)-[:ASSIGNED {layer}]->(:Code)`). */
  codes: string[];
}

/** A text of a corpus; an EHR appointment also has a patient and a date. */
export interface Document {
  corpus: string;
  id: string;
  /** `train`, `dev`, `test`, ... */
  split: string;
  text: string;
  patient: string | null;
  /** ISO date `YYYY-MM-DD`. */
  date: string | null;
  /** Free-form extra fields (e.g. an appointment's complaints), JSON-serialisable. */
  fields?: Record<string, string | number | null>;
}

/** Everything a store is built from: what the loaders produce and `icdkg seed` imports. */
export interface GraphData {
  codes: Code[];
  names: Name[];
  corpora: CorpusData[];
  /** Files the data came from, with their SHA-256, for the `system` query. */
  sources: SourceFile[];
  /** A stable id of this data (hash of the sources' checksums). */
  dataVersion: string;
}

export interface CorpusData {
  name: string;
  documents: Document[];
  layers: LayerAnnotations[];
}

export interface SourceFile {
  path: string;
  sha256: string;
}
