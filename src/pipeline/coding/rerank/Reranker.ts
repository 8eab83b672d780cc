import type { MentionEvidence } from '../lexical/LexicalLinker.js';
import type { Candidate } from '../types.js';
import type { CandidateFeaturizer, DocumentContext } from './candidateFeatures.js';

/** A trained ranker: probabilities of one mention's candidate rows ({@link SoftmaxRanker}, {@link GbdtRanker}). */
export interface CandidateRanker {
  probabilities(rows: readonly Float64Array[]): number[];
}

/**
 * The mean of several rankers' probabilities (the default coder averages the boosted trees and
 * the linear ranker: cross-validation on the training folds favours the pair over either).
 *
 * @example new MeanRanker([gbdt, linear]).probabilities(rows)
 */
export class MeanRanker implements CandidateRanker {
  private readonly rankers: readonly CandidateRanker[];

  constructor(rankers: readonly CandidateRanker[]) {
    if (rankers.length === 0) throw new Error('MeanRanker needs at least one ranker');
    this.rankers = rankers;
  }

  probabilities(rows: readonly Float64Array[]): number[] {
    const sum = new Array<number>(rows.length).fill(0);
    for (const r of this.rankers) r.probabilities(rows).forEach((p, i) => (sum[i]! += p));
    return sum.map((v) => v / this.rankers.length);
  }
}

/**
 * The learned linker step: a mention's linker candidates (plus the codes the hierarchy offers)
 * re-ordered by the trained ranker, each scored by its probability.
 *
 * @example reranker.rerank('ИБС', linker.link(['ИБС'], 10)[0], { tops }, 0)[0].code // 'I25.9'
 */
export class Reranker {
  private readonly featurizer: CandidateFeaturizer;
  private readonly ranker: CandidateRanker;
  private readonly evidence: (mention: string) => MentionEvidence;

  /** `evidence`: the naming evidence behind a mention's text (`LexicalLinker.evidence`). */
  constructor(featurizer: CandidateFeaturizer, ranker: CandidateRanker, evidence: (mention: string) => MentionEvidence) {
    this.featurizer = featurizer;
    this.ranker = ranker;
    this.evidence = evidence;
  }

  /** The candidates by probability, best first (`doc`, `self`: see {@link CandidateFeaturizer.featurize}). */
  rerank(mention: string, candidates: readonly Candidate[], doc: DocumentContext, self: number): Candidate[] {
    if (candidates.length === 0) return [];
    const featured = this.featurizer.featurize(mention, candidates, this.evidence(mention), doc, self);
    const p = this.ranker.probabilities(featured.map((f) => f.features));
    return featured
      .map((f, i) => ({ ...f.candidate, score: p[i]! }))
      .sort((a, b) => b.score - a.score || b.code.length - a.code.length || (a.code < b.code ? -1 : 1));
  }
}
