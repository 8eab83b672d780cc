import { graphql, useQuery } from './api.js';
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

/**
 * The cohort a view shows: the one named in the URL (asked for at once, without waiting for the
 * list of corpora) or the first cohort of the store; `cohort` is a stand-in with `layers` until
 * the list is there, and undefined when the store has no such cohort.
 */
export function useCohort(named: string | null, layers: string[]) {
  const list = useQuery(CohortList, {}, 'corpora');
  const cohorts = cohortsOf(list?.data?.corpora ?? []);
  const cohortName = named ?? cohorts[0]?.name;
  const cohort = cohorts.find((c) => c.name === cohortName) ?? (list?.data || !cohortName ? undefined : { name: cohortName, layers, documentCount: 0 });
  return { list, cohorts, cohortName, cohort };
}
