import type { AsyncCoder, Candidate, CodeOptions, CodedEntity, CodingResult } from '../types.js';
import type { OnnxEmbeddingLinker } from './OnnxEmbeddingLinker.js';
import type { OnnxTokenClassifier } from './OnnxTokenClassifier.js';

/** Decision settings of the ONNX coder. */
export interface OnnxCoderOptions {
  /** An entity whose best candidate's cosine is below this gets no code and is dropped. */
  minScore: number;
  /** Candidates per entity when the call does not say. */
  defaultTopK: number;
}

export const DEFAULT_ONNX_CODER_OPTIONS: OnnxCoderOptions = { minScore: 0.5, defaultTopK: 5 };

/**
 * The ONNX coder (DESIGN §5): BIO token classifier + sentence-embedding linker + document
 * aggregation (distinct codes in order of first mention), all mentions of a batch linked in one
 * embedding run.
 *
 * @example (await coder.code(['Стенокардия напряжения.']))[0].codes // ['I20.8']
 */
export class OnnxCoder implements AsyncCoder {
  readonly recognizer: OnnxTokenClassifier;
  readonly linker: OnnxEmbeddingLinker;
  private readonly titles: ReadonlyMap<string, string>;
  private readonly options: OnnxCoderOptions;

  constructor(recognizer: OnnxTokenClassifier, linker: OnnxEmbeddingLinker, titles: ReadonlyMap<string, string>, options: OnnxCoderOptions = DEFAULT_ONNX_CODER_OPTIONS) {
    this.recognizer = recognizer;
    this.linker = linker;
    this.titles = titles;
    this.options = options;
  }

  /** Providers of the two sessions (`cpu` / `cuda`). */
  get executionProvider(): string {
    const a = this.recognizer.model.provider;
    const b = this.linker.embedder.model.provider;
    return a === b ? a : `${a}+${b}`;
  }

  link(mentions: readonly string[], k: number): Promise<Candidate[][]> {
    return this.linker.link(mentions, k);
  }

  async code(texts: readonly string[], options: CodeOptions = {}): Promise<CodingResult[]> {
    const topK = Math.max(1, options.topK ?? this.options.defaultTopK);
    const spans = await this.recognizer.recognize(texts);
    const candidates = await this.linker.link(spans.flatMap((doc) => doc.map((s) => s.text)), topK);
    let next = 0;
    return spans.map((doc) => {
      const entities: CodedEntity[] = [];
      const codes: string[] = [];
      for (const s of doc) {
        const cands = candidates[next++]!;
        const best = cands[0];
        if (best === undefined || best.score < this.options.minScore) continue;
        entities.push({ start: s.start, end: s.end, text: s.text, code: best.code, title: this.titles.get(best.code) ?? '', score: best.score, candidates: cands });
        if (!codes.includes(best.code)) codes.push(best.code);
      }
      return { entities, codes };
    });
  }
}
