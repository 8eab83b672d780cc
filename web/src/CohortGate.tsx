import type { ComponentChildren } from 'preact';
import type { useCohort, CorpusInfo } from './cohorts.js';
import { isSynthetic } from './cohorts.js';
import { replaceParams } from './router.js';
import { Empty, Query, Select, SyntheticBanner } from './ui.js';

/**
 * What the cohort views (transitions, patients) show before their own content: the list of
 * cohorts loading (unless the URL names one), the empty state with the command that loads the
 * demonstration, the SYNTHETIC banner, and the cohort picker handed to the view for its controls.
 *
 * @example <CohortGate gate={useCohort(p.get('cohort'), ['original'])} view="patients" id="pt-cohort">{(cohort, picker) => <div class="controls">{picker}</div>}</CohortGate>
 */
export function CohortGate({ gate, view, id, children }: { gate: ReturnType<typeof useCohort>; view: string; id: string; children: (cohort: CorpusInfo, picker: ComponentChildren) => ComponentChildren }) {
  const { list, cohorts, cohortName, cohort } = gate;
  return (
    <Query state={cohortName ? { loading: false, data: null as unknown } : list} what="the cohorts">
      {() =>
        !cohort ? (
          <Empty>No cohort in the store. Run <code>npm run demo</code> to load a SYNTHETIC demonstration cohort.</Empty>
        ) : (
          <>
            {isSynthetic(cohort) && <SyntheticBanner name={cohort.name} />}
            {children(cohort, <Select id={id} label="Cohort" value={cohort.name} options={(cohorts.length ? cohorts : [cohort]).map((c) => ({ value: c.name }))} onChange={(v) => replaceParams([view], { cohort: v })} />)}
          </>
        )
      }
    </Query>
  );
}
