import { existsSync } from 'node:fs';
import type { GraphStore } from '../../graph/GraphStore.js';
import type { CorpusData, LayerAnnotations } from '../../graph/model.js';
import { COHORT_LAYERS } from './cohortFormat.js';
import { linkedPathOf, readLinked } from './linkedFile.js';
import { loadCohort } from './loadCohort.js';

/** Documents or layer entries per store write. */
const CHUNK = 5_000;

/**
 * A cohort file (and its linked file, when there is one) as one corpus: documents, `original`,
 * `manual` (synthetic cohorts' test patients) and `linked`. Validated whole before returning;
 * an appointment of the linked file that the cohort lacks is an error.
 *
 * @example const corpus = await cohortCorpus('demo.jsonl', 'demo');
 */
export async function cohortCorpus(cohortPath: string, corpus: string, linkedPath?: string): Promise<CorpusData & { patients: number }> {
  const loaded = await loadCohort(cohortPath, { corpus });
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

/**
 * `icdkg cohort import`: writes a cohort (documents and layers) into a store through the port's
 * writes (journaled in the embedded store, transactional in Neo4j), in chunks.
 *
 * @example await importCohort(store, 'demo.jsonl', 'demo')
 */
export async function importCohort(
  store: GraphStore,
  cohortPath: string,
  corpus: string,
  linkedPath?: string,
): Promise<{ appointments: number; patients: number; layers: string[] }> {
  const data = await cohortCorpus(cohortPath, corpus, linkedPath);
  for (let i = 0; i < data.documents.length; i += CHUNK) await store.putDocuments(corpus, data.documents.slice(i, i + CHUNK));
  const byLayer = new Map<string, LayerAnnotations[]>();
  for (const l of data.layers) {
    let list = byLayer.get(l.layer);
    if (!list) byLayer.set(l.layer, (list = []));
    list.push(l);
  }
  for (const [layer, list] of byLayer) {
    for (let i = 0; i < list.length; i += CHUNK) await store.putLayer(corpus, layer, list.slice(i, i + CHUNK));
  }
  return { appointments: data.documents.length, patients: data.patients, layers: [...byLayer.keys()] };
}
