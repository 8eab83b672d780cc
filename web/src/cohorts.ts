import { graphql } from './api.js';
import type { ResultOf } from './api.js';

/** The corpora with the layers the cohort views need. */
export const CohortList = graphql(`query CohortList { corpora { name layers documentCount } }`);
export type CorpusInfo = ResultOf<typeof CohortList>['corpora'][number];

/** Cohorts: corpora with the doctor's layer `original` (EHR appointments). */
export function cohortsOf(corpora: readonly CorpusInfo[]): CorpusInfo[] {
  return corpora.filter((c) => c.layers.includes('original'));
}

/**
 * Whether a cohort is synthetic: only `icdkg cohort synth` writes the true codes of held-out
 * patients, which become layer `manual` (docs/cohorts.md); a real cohort has no such layer.
 */
export function isSynthetic(c: CorpusInfo): boolean {
  return c.layers.includes('manual');
}
