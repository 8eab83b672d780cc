/** Types shared by the pipeline's stages (DESIGN §5): recognisers, linkers, the coder. */

/** A recognised mention: a character range of the caller's text. */
export interface Span {
  start: number;
  end: number;
  /** `text.slice(start, end)`. */
  text: string;
}

/** Where a candidate's evidence came from. */
export type CandidateSource = 'CORPUS' | 'ICD_TITLE' | 'DICTIONARY' | 'ABBREVIATION' | 'UMLS' | 'FUZZY';

/** One ranked code for a mention. */
export interface Candidate {
  code: string;
  /** In [0, 1]; higher is better, comparable within one mention. */
  score: number;
  source: CandidateSource;
  /** The name (normalised key) that matched. */
  name: string;
}

/** The NER stage: texts in, mention spans per text out (same order). */
export interface Recognizer {
  recognize(texts: readonly string[]): Span[][];
}

/** The EL stage: mention strings in, top-`k` candidates per mention out (same order, best first). */
export interface Linker {
  link(mentions: readonly string[], k: number): Candidate[][];
}

/** A coded mention of a text. */
export interface CodedEntity {
  start: number;
  end: number;
  text: string;
  code: string;
  title: string;
  score: number;
  candidates: Candidate[];
}

/** The coder's answer for one text. */
export interface CodingResult {
  entities: CodedEntity[];
  /** The document's distinct codes, in order of first mention. */
  codes: string[];
}

/** Options of one coding call. */
export interface CodeOptions {
  /** Candidates kept per entity. */
  topK?: number;
}

/** Recogniser + linker + document aggregation behind one call (lexical or ONNX). */
export interface Coder {
  code(texts: readonly string[], options?: CodeOptions): CodingResult[];
}

/**
 * A coder behind asynchronous calls (ONNX models run on onnxruntime's threads): coding of texts
 * and linking of bare mention strings. The lexical coder is wrapped to satisfy it.
 */
export interface AsyncCoder {
  code(texts: readonly string[], options?: CodeOptions): Promise<CodingResult[]>;
  link(mentions: readonly string[], k: number): Promise<Candidate[][]>;
}
