import type { Reranker } from '../rerank/Reranker.js';
import { categoryOf } from '../categoryOf.js';
import { codeSetRows } from '../rerank/CodeSetDecider.js';
import type { CodeSetDecider, SpanChoice } from '../rerank/CodeSetDecider.js';
import type { Candidate, CodeOptions, CodedEntity, Coder, CodingResult, Linker, Recognizer } from '../types.js';

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
  /**
   * Document granularity: annotators of one document code either categories (`K29`) or
   * subcategories (`K29.9`) throughout. Entities linked on their own with at least this score (not
   * fuzzy) vote for the document's granularity; another entity switches to a candidate of the same
   * category with the voted granularity when it scores at least `granularityRatio` of its pick, and
   * the vote is won by at least `granularityMargin` entities.
   */
  granularityVoteScore: number;
  granularityRatio: number;
  granularityMargin: number;
  /**
   * Where the document does not vote, a fuzzy pick takes its category's training granularity when
   * at least this share of the category's training mentions (and `granularityPriorMinMentions` of
   * them) use it.
   */
  granularityPriorShare: number;
  granularityPriorMinMentions: number;
}

export const DEFAULT_CODER_OPTIONS: LexicalCoderOptions = {
  minScore: 0.12,
  defaultTopK: 5,
  granularityVoteScore: 0.85,
  granularityRatio: 0.5,
  granularityMargin: 2,
  granularityPriorShare: 0.8,
  granularityPriorMinMentions: 3,
};

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
  /** Category -> training mentions coded with the category itself / with one of its subcategories. */
  private readonly categoryUse = new Map<string, { category: number; subcategory: number }>();
  private readonly reranker: Reranker | null;
  private readonly decider: CodeSetDecider | null;

  /**
   * `codePrior`: code -> training mentions linked to it (`LexicalLinker.codePrior()`), for the
   * granularity prior. `reranker`: the learned linker step; with it, each entity takes the
   * re-ranker's best candidate and the granularity rules are off (the re-ranker decides).
   */
  constructor(
    recognizer: Recognizer,
    linker: Linker,
    titles: ReadonlyMap<string, string>,
    options: LexicalCoderOptions = DEFAULT_CODER_OPTIONS,
    codePrior: ReadonlyMap<string, number> = new Map(),
    reranker: Reranker | null = null,
    decider: CodeSetDecider | null = null,
  ) {
    this.reranker = reranker;
    this.decider = reranker ? decider : null;
    for (const [code, n] of codePrior) {
      const cat = categoryOf(code);
      let use = this.categoryUse.get(cat);
      if (!use) this.categoryUse.set(cat, (use = { category: 0, subcategory: 0 }));
      if (code.includes('.')) use.subcategory += n;
      else use.category += n;
    }
    this.recognizer = recognizer;
    this.linker = linker;
    this.titles = titles;
    // Models saved before an option existed take its default.
    this.options = { ...DEFAULT_CODER_OPTIONS, ...options };
  }

  code(texts: readonly string[], options: CodeOptions = {}): CodingResult[] {
    const topK = Math.max(1, options.topK ?? this.options.defaultTopK);
    const spans = this.recognizer.recognize(texts);
    return spans.map((doc) => {
      const candidates = this.linker.link(
        doc.map((s) => s.text),
        Math.max(topK, CANDIDATES_FOR_AGGREGATION),
      );
      return this.reranker ? this.aggregateReranked(this.reranker, doc, candidates, topK).result : this.aggregate(doc, candidates, topK);
    });
  }

  /**
   * What the document-level decider learns from (a coder with a re-ranker only, else null): per
   * text, the coding without the decider and each span's re-ranked candidates.
   */
  explain(texts: readonly string[]): { result: CodingResult; choices: SpanChoice[] }[] | null {
    const reranker = this.reranker;
    if (!reranker) return null;
    return this.recognizer.recognize(texts).map((doc) => this.aggregateReranked(reranker, doc, this.linker.link(doc.map((s) => s.text), CANDIDATES_FOR_AGGREGATION), CANDIDATES_FOR_AGGREGATION, false));
  }

  /**
   * With the re-ranker: an entity whose linker evidence reaches `minScore` takes the re-ranker's
   * best candidate; a doubtful one borrows a code the document already has, as without it. Then
   * the decider (when present and `decide`) adds the codes the spans offer but did not pick whose
   * probability of being the document's exceeds its threshold, each on the span that offers it most.
   */
  private aggregateReranked(
    reranker: Reranker,
    spans: readonly { start: number; end: number; text: string }[],
    candidates: Candidate[][],
    topK: number,
    decide = true,
  ): { result: CodingResult; choices: SpanChoice[] } {
    const tops = candidates.map((c) => c[0] ?? null);
    const ranked = spans.map((s, i) => reranker.rerank(s.text, candidates[i]!, { tops }, i));
    const chosen = spans.map((_, i) => {
      const best = candidates[i]![0];
      return best && best.score >= this.options.minScore ? (ranked[i]![0] ?? null) : null;
    });
    const confident = new Set(chosen.filter((c): c is Candidate => c !== null).map((c) => c.code));
    let entities: CodedEntity[] = [];
    const seen = new Set<string>();
    spans.forEach((s, i) => {
      const pick = chosen[i] ?? ranked[i]!.find((c) => confident.has(c.code)) ?? null;
      if (pick === null) return;
      entities.push({ start: s.start, end: s.end, text: s.text, code: pick.code, title: this.titles.get(pick.code) ?? '', score: pick.score, candidates: ranked[i]!.slice(0, topK) });
      seen.add(pick.code);
    });
    const choices: SpanChoice[] = spans.map((s, i) => ({ start: s.start, end: s.end, top: tops[i]?.score ?? 0, topSource: tops[i]?.source ?? '', length: s.text.length, ranked: ranked[i]! }));
    if (decide && this.decider) {
      const added: CodedEntity[] = [];
      for (const row of codeSetRows(choices, seen, this.options.minScore)) {
        if (seen.has(row.code)) continue;
        const p = this.decider.probability(row.features);
        if (p <= this.decider.threshold) continue;
        const s = spans[row.span]!;
        added.push({ start: s.start, end: s.end, text: s.text, code: row.code, title: this.titles.get(row.code) ?? '', score: p, candidates: ranked[row.span]!.slice(0, topK) });
      }
      // Document order; an added code follows the span's own pick (the sort is stable).
      if (added.length > 0) entities = [...entities, ...added].sort((a, b) => a.start - b.start || a.end - b.end);
    }
    const codes: string[] = [];
    const listed = new Set<string>();
    for (const e of entities) {
      if (listed.has(e.code)) continue;
      listed.add(e.code);
      codes.push(e.code);
    }
    return { result: { entities, codes }, choices };
  }

  private aggregate(spans: readonly { start: number; end: number; text: string }[], candidates: Candidate[][], topK: number): CodingResult {
    const chosen: (Candidate | null)[] = spans.map((_, i) => {
      const best = candidates[i]![0];
      return best && best.score >= this.options.minScore ? best : null;
    });
    const confident = new Set(chosen.filter((c): c is Candidate => c !== null).map((c) => c.code));
    const granularity = this.documentGranularity(chosen);
    const entities: CodedEntity[] = [];
    const codes: string[] = [];
    const seen = new Set<string>();
    spans.forEach((s, i) => {
      // A doubtful entity borrows a code the document already has, when it is among its candidates.
      const own = chosen[i];
      let pick = own ?? candidates[i]!.find((c) => confident.has(c.code)) ?? null;
      if (pick === null) return;
      const wanted = own?.source === 'FUZZY' ? (granularity ?? this.trainingGranularity(own.code)) : granularity;
      if (own && wanted !== null && (own.source === 'CORPUS' || own.source === 'FUZZY')) pick = this.regranulate(own, candidates[i]!, wanted);
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

  /** `'category'` or `'subcategory'` when the document's strong entities agree by the margin, else null. */
  private documentGranularity(chosen: readonly (Candidate | null)[]): 'category' | 'subcategory' | null {
    let category = 0;
    let subcategory = 0;
    for (const c of chosen) {
      if (c === null || c.source === 'FUZZY' || c.score < this.options.granularityVoteScore) continue;
      if (c.code.includes('.')) subcategory++;
      else category++;
    }
    const margin = this.options.granularityMargin;
    if (category >= subcategory + margin) return 'category';
    if (subcategory >= category + margin) return 'subcategory';
    return null;
  }

  /** The granularity annotators used for `code`'s category in training, when they mostly agree. */
  private trainingGranularity(code: string): 'category' | 'subcategory' | null {
    const use = this.categoryUse.get(categoryOf(code));
    if (!use) return null;
    const total = use.category + use.subcategory;
    if (total < this.options.granularityPriorMinMentions) return null;
    const share = this.options.granularityPriorShare;
    if (use.category >= share * total) return 'category';
    if (use.subcategory >= share * total) return 'subcategory';
    return null;
  }

  /** The first candidate of `pick`'s category with the document's granularity, if close enough. */
  private regranulate(pick: Candidate, candidates: readonly Candidate[], granularity: 'category' | 'subcategory'): Candidate {
    const wantSub = granularity === 'subcategory';
    if (pick.code.includes('.') === wantSub) return pick;
    const category = categoryOf(pick.code);
    for (const c of candidates) {
      if (c === pick || c.score < this.options.granularityRatio * pick.score) continue;
      if (categoryOf(c.code) === category && c.code.includes('.') === wantSub) return c;
    }
    return pick;
  }
}

/** Candidates fetched per entity for the aggregation step, whatever `topK` the caller wants. */
const CANDIDATES_FOR_AGGREGATION = 10;
