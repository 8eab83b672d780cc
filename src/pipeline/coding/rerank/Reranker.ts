import type { Candidate } from '../types.js';
import type { CandidateFeaturizer, DocumentContext } from './candidateFeatures.js';
import type { SoftmaxRanker } from './SoftmaxRanker.js';

/**
 * The learned linker step: a mention's linker candidates (plus the codes the hierarchy offers)
 * re-ordered by the trained ranker, each scored by its probability.
 *
 * @example reranker.rerank('ИБС', linker.link(['ИБС'], 10)[0], { tops }, 0)[0].code // 'I25.9'
 */
export class Reranker {
  private readonly featurizer: CandidateFeaturizer;
  private readonly ranker: SoftmaxRanker;
  private readonly support: (mention: string) => number;

  /** `support`: the naming evidence behind a mention's text (`LexicalLinker.support`). */
  constructor(featurizer: CandidateFeaturizer, ranker: SoftmaxRanker, support: (mention: string) => number) {
    this.featurizer = featurizer;
    this.ranker = ranker;
    this.support = support;
  }

  /** The candidates by probability, best first (`doc`, `self`: see {@link CandidateFeaturizer.featurize}). */
  rerank(mention: string, candidates: readonly Candidate[], doc: DocumentContext, self: number): Candidate[] {
    if (candidates.length === 0) return [];
    const featured = this.featurizer.featurize(mention, candidates, this.support(mention), doc, self);
    const p = this.ranker.probabilities(featured.map((f) => f.features));
    return featured
      .map((f, i) => ({ ...f.candidate, score: p[i]! }))
      .sort((a, b) => b.score - a.score || b.code.length - a.code.length || (a.code < b.code ? -1 : 1));
  }
}
