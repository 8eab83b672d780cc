import type { Token } from '../lexical/tokenize.js';
import type { SpanAdjuster, TokenSpan } from '../lexical/TaggerRecognizer.js';
import { B, I, O } from '../lexical/bio/tags.js';
import type { CandidateRanker } from '../rerank/Reranker.js';
import type { RankerGroup } from '../rerank/SoftmaxRanker.js';
import type { BoundaryStats } from './BoundaryStats.js';

/** Features of one candidate span (the names are checked when a saved model is read). */
export const BOUNDARY_FEATURE_NAMES = [
  'original',
  'extendLeft',
  'shrinkLeft',
  'extendRight',
  'shrinkRight',
  'tokens',
  'logMarked',
  'logSeen',
  'markRate',
  'everMarked',
  'markRateGain',
  'logMarkedGain',
  'firstBeginRate',
  'lastEndRate',
  'leftOutsideInsideRate',
  'rightOutsideInsideRate',
  'taggerBegin',
  'taggerInsideGain',
  'taggerStopAfter',
  'firstPunct',
  'lastPunct',
  'firstNumber',
  'lastNumber',
  'leftOutsidePunct',
  'rightOutsidePunct',
  'firstLogOccurrences',
  'lastLogOccurrences',
  'firstEdgeRate',
  'lastEdgeRate',
  'leftOutsideEdgeRate',
  'rightOutsideEdgeRate',
  'firstLogEdges',
  'lastLogEdges',
  'leftOutsideLogEdges',
  'rightOutsideLogEdges',
  'drop',
] as const;

/** The candidate "no mention here" (when the chooser may drop a span). */
export const DROP: TokenSpan = [-1, -1];

/** Candidate spans around a predicted one: by default each end moved by at most one token. */
export const BOUNDARY_REACH = 1;

/**
 * The candidates of predicted span `span` (token indices, inclusive): every span whose ends are
 * within `reach` tokens of it that shares a token with it, inside `[lo, hi]` (the neighbours'
 * room), crossing no line break. The span itself comes first.
 */
export function boundaryCandidates(tokens: readonly Token[], span: TokenSpan, lo: number, hi: number, reach = BOUNDARY_REACH): TokenSpan[] {
  const out: TokenSpan[] = [span];
  for (let da = -reach; da <= reach; da++) {
    for (let db = -reach; db <= reach; db++) {
      if (da === 0 && db === 0) continue;
      const a = span[0] + da;
      const b = span[1] + db;
      // A candidate keeps at least one token of the span (a shift is another mention, not a boundary).
      if (a < lo || b > hi || a > b || a > span[1] || b < span[0]) continue;
      let broken = false;
      for (let k = a + 1; k <= b; k++) if (tokens[k]!.newlineBefore) broken = true;
      if (!broken) out.push([a, b]);
    }
  }
  return out;
}

/** Inside score of token k: best path with k in a mention minus best with k outside. */
function inside(m: Float64Array, k: number): number {
  return Math.max(m[k * 3 + B]!, m[k * 3 + I]!) - m[k * 3 + O]!;
}

/**
 * Feature rows of the candidates of one predicted span (the first candidate is the span itself).
 * `marginals`: the tagger's max-marginals over the tokens.
 */
export function boundaryFeatures(stats: BoundaryStats, tokens: readonly Token[], marginals: Float64Array, candidates: readonly TokenSpan[]): Float64Array[] {
  const [a0, b0] = candidates[0]!;
  const [m0, s0] = stats.counts(tokens, a0, b0);
  const rate0 = m0 > 0 ? m0 / Math.max(m0, s0) : 0;
  let inside0 = 0;
  for (let k = a0; k <= b0; k++) inside0 += inside(marginals, k);
  const rate = (c: number, n: number): number => (n > 0 ? c / n : 0);
  return candidates.map(([a, b]) => {
    const [marked, seen] = stats.counts(tokens, a, b);
    const r = marked > 0 ? marked / Math.max(marked, seen) : 0;
    const first = stats.token(tokens[a]!.stem);
    const last = stats.token(tokens[b]!.stem);
    const left = a > 0 ? stats.token(tokens[a - 1]!.stem) : undefined;
    const right = b + 1 < tokens.length ? stats.token(tokens[b + 1]!.stem) : undefined;
    let ins = 0;
    for (let k = a; k <= b; k++) ins += inside(marginals, k);
    const begin = marginals[a * 3 + B]! - Math.max(marginals[a * 3 + O]!, marginals[a * 3 + I]!);
    const stop = b + 1 < tokens.length ? Math.max(marginals[(b + 1) * 3 + O]!, marginals[(b + 1) * 3 + B]!) - marginals[(b + 1) * 3 + I]! : 10;
    const f = [
      a === a0 && b === b0 ? 1 : 0,
      a < a0 ? 1 : 0,
      a > a0 ? 1 : 0,
      b > b0 ? 1 : 0,
      b < b0 ? 1 : 0,
      b - a + 1,
      Math.log1p(marked),
      Math.log1p(seen),
      r,
      marked > 0 ? 1 : 0,
      r - rate0,
      Math.log1p(marked) - Math.log1p(m0),
      first ? rate(first.begins, first.occurrences) : 0,
      last ? rate(last.ends, last.occurrences) : 0,
      left ? rate(left.insides, left.occurrences) : 0,
      right ? rate(right.insides, right.occurrences) : 0,
      begin,
      ins - inside0,
      stop,
      tokens[a]!.kind === 'punct' ? 1 : 0,
      tokens[b]!.kind === 'punct' ? 1 : 0,
      tokens[a]!.kind === 'number' ? 1 : 0,
      tokens[b]!.kind === 'number' ? 1 : 0,
      a === 0 || tokens[a - 1]!.kind === 'punct' ? 1 : 0,
      b + 1 >= tokens.length || tokens[b + 1]!.kind === 'punct' ? 1 : 0,
      first ? Math.log1p(first.occurrences) : 0,
      last ? Math.log1p(last.occurrences) : 0,
      // At a mention's left edge, how often annotators put this token inside (first) vs outside (before).
      first ? rate(first.begins, first.begins + first.leftOutsides) : 0,
      last ? rate(last.ends, last.ends + last.rightOutsides) : 0,
      left ? rate(left.begins, left.begins + left.leftOutsides) : 0,
      right ? rate(right.ends, right.ends + right.rightOutsides) : 0,
      first ? Math.log1p(first.begins + first.leftOutsides) : 0,
      last ? Math.log1p(last.ends + last.rightOutsides) : 0,
      left ? Math.log1p(left.begins + left.leftOutsides) : 0,
      right ? Math.log1p(right.ends + right.rightOutsides) : 0,
      0,
    ];
    const row = new Float64Array(f.length);
    for (let i = 0; i < f.length; i++) row[i] = Math.round(f[i]! * 1e6) / 1e6;
    return row;
  });
}

/**
 * Visits every predicted span of a text with its candidates and their feature rows, left to
 * right, each span's room bounded by its neighbours as already chosen. `choose` returns the index
 * of the candidate to keep.
 */
export function walkSpans(
  stats: BoundaryStats,
  tokens: readonly Token[],
  spans: readonly TokenSpan[],
  marginals: Float64Array,
  choose: (candidates: TokenSpan[], rows: Float64Array[]) => number,
  reach = BOUNDARY_REACH,
  drop = false,
): TokenSpan[] {
  const out: TokenSpan[] = [];
  for (let s = 0; s < spans.length; s++) {
    const lo = out.length > 0 ? out[out.length - 1]![1] + 1 : 0;
    const hi = s + 1 < spans.length ? spans[s + 1]![0] - 1 : tokens.length - 1;
    const candidates = boundaryCandidates(tokens, spans[s]!, lo, hi, reach);
    const rows = boundaryFeatures(stats, tokens, marginals, candidates);
    if (drop) {
      // "No mention": the span's own features, flagged.
      const row = Float64Array.from(rows[0]!);
      row[0] = 0;
      row[row.length - 1] = 1;
      rows.push(row);
      candidates.push(DROP);
    }
    const chosen = candidates[choose(candidates, rows)]!;
    if (chosen !== DROP) out.push(chosen);
  }
  return out;
}

/**
 * The learned boundary choice: each span the tagger predicts, or the span with one token more or
 * less at either end, whichever a ranker trained out of fold (annotators' marking rates of the
 * candidate strings, boundary-token habits, the tagger's max-marginals) likes best.
 *
 * @example new BoundaryChooser(stats, ranker).adjust(tokens, [[0, 2]], marginals) // [[0, 1]]
 */
export class BoundaryChooser implements SpanAdjuster {
  readonly stats: BoundaryStats;
  private readonly ranker: CandidateRanker;
  /** How many tokens either end of a span may move. */
  readonly reach: number;
  /** Whether "no mention" is a candidate too. */
  readonly drop: boolean;

  constructor(stats: BoundaryStats, ranker: CandidateRanker, reach = BOUNDARY_REACH, drop = false) {
    this.stats = stats;
    this.ranker = ranker;
    this.reach = reach;
    this.drop = drop;
  }

  adjust(tokens: readonly Token[], spans: readonly TokenSpan[], marginals: Float64Array): TokenSpan[] {
    return walkSpans(this.stats, tokens, spans, marginals, (candidates, rows) => {
      if (candidates.length === 1) return 0;
      const p = this.ranker.probabilities(rows);
      let best = 0;
      for (let i = 1; i < p.length; i++) if (p[i]! > p[best]!) best = i;
      return best;
    }, this.reach, this.drop);
  }
}

/**
 * Training groups of the boundary ranker from out-of-fold predictions: per predicted span, its
 * candidates' rows and which of them are gold spans (`goldKeys` holds `first|last` token indices).
 */
export function boundaryGroups(
  stats: BoundaryStats,
  tokens: readonly Token[],
  spans: readonly TokenSpan[],
  marginals: Float64Array,
  goldKeys: ReadonlySet<string>,
  reach = BOUNDARY_REACH,
  drop = false,
): RankerGroup[] {
  const gold = [...goldKeys].map((k) => k.split('|').map(Number) as [number, number]);
  const groups: RankerGroup[] = [];
  walkSpans(stats, tokens, spans, marginals, (candidates, rows) => {
    // "No mention" is right where the span overlaps no gold mention at all (a spurious span).
    const o = candidates[0]!;
    const spurious = !gold.some(([a, b]) => a <= o[1] && o[0] <= b);
    groups.push({ rows, positive: candidates.map((c) => (c === DROP ? spurious : goldKeys.has(`${c[0]}|${c[1]}`))) });
    // Training walks the gold choice when there is one, as a perfect chooser would.
    const g = candidates.findIndex(([a, b]) => goldKeys.has(`${a}|${b}`));
    return g >= 0 ? g : 0;
  }, reach, drop);
  return groups;
}
