import type { MentionEvidence } from '../lexical/LexicalLinker.js';
import type { Candidate } from '../types.js';
import type { CandidateFeaturizer } from './candidateFeatures.js';
import { FEATURE_NAMES } from './candidateFeatures.js';
import { SoftmaxRanker } from './SoftmaxRanker.js';
import type { RankerGroup } from './SoftmaxRanker.js';

/** A document with gold mentions, as the re-ranker learns from it. */
export interface RerankerDocument {
  mentions: readonly { start: number; end: number; text: string; code: string | null }[];
}

/** What one fold's linking looks like: a linker built without the fold's documents, and its featurizer. */
export interface RerankerFold {
  link(mentions: readonly string[], k: number): Candidate[][];
  evidence(mention: string): MentionEvidence;
  featurizer: CandidateFeaturizer;
}

/** Out-of-fold training groups: one per gold span, with its fold and whether the linker alone had it right. */
export interface OutOfFoldGroups {
  groups: RankerGroup[];
  fold: number[];
  linkerRight: boolean[];
  /** Per group: the candidates' codes (row order) and the span's gold codes, for error analysis. */
  codes: string[][];
  gold: string[][];
}

/** Candidates the linker gives the re-ranker per mention (as the coder asks at run time). */
export const RERANK_CANDIDATES = 10;

/**
 * Out-of-fold training data for the re-ranker: documents are split into `folds` (document `d` in
 * fold `d % folds`); each fold's gold spans are linked by a linker built from the other folds, so
 * the features look as they will on unseen text. One group per distinct gold span; its positives
 * are the candidates among the span's gold codes.
 *
 * @example outOfFoldGroups(docs, 5, (train) => makeFold(train))
 */
export function outOfFoldGroups<D extends RerankerDocument>(documents: readonly D[], folds: number, makeFold: (train: D[]) => RerankerFold): OutOfFoldGroups {
  const out: OutOfFoldGroups = { groups: [], fold: [], linkerRight: [], codes: [], gold: [] };
  for (let f = 0; f < folds; f++) {
    const fold = makeFold(documents.filter((_, d) => d % folds !== f));
    documents.forEach((doc, d) => {
      if (d % folds !== f) return;
      const spans = new Map<string, { text: string; codes: Set<string> }>();
      for (const m of doc.mentions) {
        if (m.code === null || m.start < 0) continue;
        const key = `${m.start}|${m.end}`;
        let s = spans.get(key);
        if (!s) spans.set(key, (s = { text: m.text, codes: new Set() }));
        s.codes.add(m.code);
      }
      const list = [...spans.values()];
      const candidates = fold.link(list.map((s) => s.text), RERANK_CANDIDATES);
      const tops = candidates.map((c) => c[0] ?? null);
      list.forEach((s, i) => {
        const featured = fold.featurizer.featurize(s.text, candidates[i]!, fold.evidence(s.text), { tops }, i);
        out.groups.push({ rows: featured.map((x) => x.features), positive: featured.map((x) => s.codes.has(x.candidate.code)) });
        out.fold.push(f);
        out.linkerRight.push(tops[i] !== null && s.codes.has(tops[i]!.code));
        out.codes.push(featured.map((x) => x.candidate.code));
        out.gold.push([...s.codes]);
      });
    });
  }
  return out;
}

/** Share of groups whose best candidate is gold: the linker's own order, and the ranker's trained on the other folds. */
export function crossValidateRanker(
  oof: OutOfFoldGroups,
  folds: number,
  train: (groups: RankerGroup[]) => { probabilities(rows: readonly Float64Array[]): number[] } = (g) => SoftmaxRanker.train(g, FEATURE_NAMES),
): { groups: number; linkerAccuracy: number; rerankedAccuracy: number; oracle: number } {
  let right = 0;
  for (let f = 0; f < folds; f++) {
    const ranker = train(oof.groups.filter((_, i) => oof.fold[i] !== f));
    oof.groups.forEach((g, i) => {
      if (oof.fold[i] !== f || g.rows.length === 0) return;
      const p = ranker.probabilities(g.rows);
      let best = 0;
      for (let c = 1; c < p.length; c++) if (p[c]! > p[best]!) best = c;
      if (g.positive[best]) right++;
    });
  }
  const n = oof.groups.length;
  return {
    groups: n,
    linkerAccuracy: oof.linkerRight.filter(Boolean).length / n,
    rerankedAccuracy: right / n,
    oracle: oof.groups.filter((g) => g.positive.some(Boolean)).length / n,
  };
}
