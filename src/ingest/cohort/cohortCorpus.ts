import { existsSync } from 'node:fs';
import type { CorpusData } from '../../graph/model.js';
import { COHORT_LAYERS } from './cohortFormat.js';
import { linkedPathOf, readLinked } from './linkedFile.js';
import { loadCohort } from './loadCohort.js';

/**
 * A cohort file (and its linked file, when there is one) as one corpus: documents, `original`,
 * `manual` (synthetic cohorts' test patients) and `linked`. Validated whole before returning;
 * an appointment of the linked file that the cohort lacks is an error.
 *
 * @example const corpus = await cohortCorpus('demo.jsonl', 'demo');
 */
export async function cohortCorpus(
  cohortPath: string,
  corpus: string,
  linkedPath?: string,
  knownCodes?: ReadonlySet<string>,
): Promise<CorpusData & { patients: number }> {
  const loaded = await loadCohort(cohortPath, { corpus, knownCodes });
  const file = linkedPath ?? linkedPathOf(cohortPath);
  if (linkedPath !== undefined || existsSync(file)) {
    const { codes } = await readLinked(file);
    const ids = new Set(loaded.corpus.documents.map((d) => d.id));
    for (const [id, list] of codes) {
      if (!ids.has(id)) throw new Error(`${file}: appointment ${JSON.stringify(id)} is not in the cohort ${cohortPath}`);
      loaded.corpus.layers.push({ documentId: id, layer: COHORT_LAYERS.linked, mentions: [], codes: [...new Set(list)] });
    }
  }
  return { ...loaded.corpus, patients: loaded.patients };
}
