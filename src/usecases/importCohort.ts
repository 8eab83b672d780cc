import type { GraphStore } from '../graph/GraphStore.js';
import type { LayerAnnotations } from '../graph/model.js';
import { cohortCorpus } from '../ingest/cohort/cohortCorpus.js';

/** Documents or layer entries per store write. */
const CHUNK = 5_000;

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
