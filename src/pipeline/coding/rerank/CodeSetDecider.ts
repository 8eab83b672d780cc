import type { Candidate } from '../types.js';
import { categoryOf } from '../categoryOf.js';
import { GbdtRanker } from './GbdtRanker.js';
import type { GbdtRankerJSON, GbdtTraining } from './GbdtRanker.js';
import type { RankerGroup } from './SoftmaxRanker.js';

/** One recognised span of a document as the decider sees it: the linker's evidence and the re-ranked candidates. */
export interface SpanChoice {
  /** Offsets of the span in its text. */
  start: number;
  end: number;
  /** The linker's best score for the span (0 without candidates). */
  top: number;
  /** The linker's best candidate's source. */
  topSource: string;
  /** Length of the span's text in characters. */
  length: number;
  /** The re-ranked candidates, best first, `score` = the re-ranker's probability. */
  ranked: readonly Candidate[];
}

/** Names of the features of one (document, code) pair, in row order (checked when a model is read). */
export const CODE_SET_FEATURES = [
  'max_p', 'noisy_or_p', 'sum_p', 'times_first', 'log_best_rank', 'top_at_max', 'corpus_at_max', 'fuzzy_at_max',
  'title_at_max', 'log_length_at_max', 'category_mass', 'spans_offering', 'best_top', 'is_subcategory', 'log_spans', 'picked',
  'category_picked', 'pair',
] as const;

/** Candidates of each span that the decider considers (the re-ranker's first few). */
const CONSIDERED = 12;

/**
 * The feature rows of a document's (document, code) pairs: every code among its spans' first
 * re-ranked candidates, described by how strongly and how often the spans offer it, and whether
 * the coder's per-span decision already picked it. Pure.
 *
 * @example codeSetRows(spans, new Set(['I25.9']), 0.12)[0].code
 */
export function codeSetRows(spans: readonly SpanChoice[], picked: ReadonlySet<string>, minScore: number): { code: string; span: number; features: Float64Array }[] {
  interface Acc { maxP: number; keep: number; sumP: number; first: number; best: number; atMax: number; mass: number; offering: number; bestTop: number }
  const acc = new Map<string, Acc>();
  const pickedCats = new Set([...picked].map(categoryOf));
  spans.forEach((s, si) => {
    const list = s.ranked.slice(0, CONSIDERED);
    const cats = list.map((c) => categoryOf(c.code));
    const mass = new Map<string, number>();
    list.forEach((c, k) => mass.set(cats[k]!, (mass.get(cats[k]!) ?? 0) + c.score));
    // A span the linker doubts (below the coder's minScore) counts half in the noisy-or.
    const trust = s.top >= minScore ? 1 : 0.5;
    list.forEach((c, rank) => {
      let a = acc.get(c.code);
      if (!a) acc.set(c.code, (a = { maxP: -1, keep: 1, sumP: 0, first: 0, best: rank, atMax: si, mass: 0, offering: 0, bestTop: 0 }));
      a.keep *= 1 - Math.min(c.score, 0.999) * trust;
      a.sumP += c.score;
      a.offering++;
      if (rank === 0) a.first++;
      a.best = Math.min(a.best, rank);
      if (c.score > a.maxP) {
        a.maxP = c.score;
        a.atMax = si;
      }
      a.mass = Math.max(a.mass, mass.get(cats[rank]!)!);
      a.bestTop = Math.max(a.bestTop, s.top);
    });
  });
  const out: { code: string; span: number; features: Float64Array }[] = [];
  for (const [code, a] of acc) {
    const s = spans[a.atMax]!;
    const f = new Float64Array(CODE_SET_FEATURES.length);
    f[0] = a.maxP;
    f[1] = 1 - a.keep;
    f[2] = a.sumP;
    f[3] = a.first;
    f[4] = Math.log1p(a.best);
    f[5] = s.top;
    f[6] = s.topSource === 'CORPUS' ? 1 : 0;
    f[7] = s.topSource === 'FUZZY' ? 1 : 0;
    f[8] = s.topSource === 'ICD_TITLE' ? 1 : 0;
    f[9] = Math.log1p(s.length);
    f[10] = a.mass;
    f[11] = a.offering;
    f[12] = a.bestTop;
    f[13] = code.includes('.') ? 1 : 0;
    f[14] = Math.log1p(spans.length);
    f[15] = picked.has(code) ? 1 : 0;
    f[16] = pickedCats.has(categoryOf(code)) ? 1 : 0;
    f[17] = 1; // 0 only in the "leave it out" row of a training pair
    out.push({ code, span: a.atMax, features: f });
  }
  return out;
}

/** The serialised decider. */
export interface CodeSetDeciderJSON {
  kind: 'code-set';
  /** Codes the spans did not pick are added when their probability exceeds this. */
  threshold: number;
  ranker: GbdtRankerJSON;
}

/** Boosting settings of the decider (smaller than the re-ranker's: one binary question per pair). */
export const DECIDER_TRAINING: GbdtTraining = { trees: 100, depth: 4, learningRate: 0.1, bins: 32, minLeafHessian: 4, lambda: 1 };

const NULL_ROW = new Float64Array(CODE_SET_FEATURES.length);

/**
 * The document-level code decision: the probability that a code offered by a document's spans is
 * among the document's gold codes, learned out of fold (boosted trees over the pair's features
 * against a fixed "leave it out" row, i.e. a logistic model). The coder adds an unpicked code when
 * its probability exceeds `threshold`: set-level F1 gains from a code whose chance of being right
 * exceeds half the F1 the coder reaches, so the threshold is half the out-of-fold F1 of the
 * per-span picks (the F1-optimal decision rule for independent items).
 *
 * @example decider.probability(codeSetRows(spans, picked, 0.12)[0].features)
 */
export class CodeSetDecider {
  readonly threshold: number;
  private readonly ranker: GbdtRanker;
  private readonly nullScore: number;

  private constructor(ranker: GbdtRanker, threshold: number) {
    this.ranker = ranker;
    this.threshold = threshold;
    this.nullScore = ranker.score(NULL_ROW);
  }

  /** Trains on labelled pairs (`gold`: the code is among its document's gold codes). Deterministic. */
  static train(pairs: readonly { features: Float64Array; gold: boolean }[], threshold: number, options: GbdtTraining = DECIDER_TRAINING): CodeSetDecider {
    const groups: RankerGroup[] = pairs.map((p) => ({ rows: [p.features, NULL_ROW], positive: [p.gold, !p.gold] }));
    return new CodeSetDecider(GbdtRanker.train(groups, CODE_SET_FEATURES, options), threshold);
  }

  static fromJSON(json: CodeSetDeciderJSON): CodeSetDecider {
    return new CodeSetDecider(GbdtRanker.fromJSON(json.ranker, CODE_SET_FEATURES), json.threshold);
  }

  toJSON(): CodeSetDeciderJSON {
    return { kind: 'code-set', threshold: this.threshold, ranker: this.ranker.toJSON() };
  }

  /** Probability that the pair's code is one of the document's codes. */
  probability(features: Float64Array): number {
    return 1 / (1 + Math.exp(this.nullScore - this.ranker.score(features)));
  }
}
