import type { Candidate, CodeOptions, CodedEntity, Coder, CodingResult, Linker, Recognizer } from './types.js';

/** Decision thresholds of the coder (measured on the dev split). */
export interface LexicalCoderOptions {
  /**
   * An entity whose best candidate scores below this is not coded on its own evidence: it is kept
   * only when one of its candidates is a code the document already has (so the span still counts
   * and no doubtful code is added), and dropped otherwise.
   */
  minScore: number;
  /** Candidates returned per entity when the call does not say. */
  defaultTopK: number;
}

export const DEFAULT_CODER_OPTIONS: LexicalCoderOptions = { minScore: 0.12, defaultTopK: 5 };

/**
 * The coder (DESIGN §5): recogniser + linker + document-level aggregation (distinct codes in
 * order of first mention). In process and synchronous, so servers call it directly per request.
 *
 * @example coder.code(['ИБС. Стенокардия напряжения.'])[0].codes // ['I25.9', 'I20.8']
 */
export class LexicalCoder implements Coder {
  readonly recognizer: Recognizer;
  readonly linker: Linker;
  private readonly titles: ReadonlyMap<string, string>;
  private readonly options: LexicalCoderOptions;

  constructor(recognizer: Recognizer, linker: Linker, titles: ReadonlyMap<string, string>, options: LexicalCoderOptions = DEFAULT_CODER_OPTIONS) {
    this.recognizer = recognizer;
    this.linker = linker;
    this.titles = titles;
    this.options = options;
  }

  code(texts: readonly string[], options: CodeOptions = {}): CodingResult[] {
    const topK = Math.max(1, options.topK ?? this.options.defaultTopK);
    const spans = this.recognizer.recognize(texts);
    return spans.map((doc) => {
      const candidates = this.linker.link(
        doc.map((s) => s.text),
        Math.max(topK, CANDIDATES_FOR_AGGREGATION),
      );
      return this.aggregate(doc, candidates, topK);
    });
  }

  private aggregate(spans: readonly { start: number; end: number; text: string }[], candidates: Candidate[][], topK: number): CodingResult {
    const chosen: (Candidate | null)[] = spans.map((_, i) => {
      const best = candidates[i]![0];
      return best && best.score >= this.options.minScore ? best : null;
    });
    const confident = new Set(chosen.filter((c): c is Candidate => c !== null).map((c) => c.code));
    const entities: CodedEntity[] = [];
    const codes: string[] = [];
    const seen = new Set<string>();
    spans.forEach((s, i) => {
      // A doubtful entity borrows a code the document already has, when it is among its candidates.
      const pick = chosen[i] ?? candidates[i]!.find((c) => confident.has(c.code)) ?? null;
      if (pick === null) return;
      entities.push({
        start: s.start,
        end: s.end,
        text: s.text,
        code: pick.code,
        title: this.titles.get(pick.code) ?? '',
        score: pick.score,
        candidates: candidates[i]!.slice(0, topK),
      });
      if (!seen.has(pick.code)) {
        seen.add(pick.code);
        codes.push(pick.code);
      }
    });
    return { entities, codes };
  }
}

/** Candidates fetched per entity for the aggregation step, whatever `topK` the caller wants. */
const CANDIDATES_FOR_AGGREGATION = 10;
