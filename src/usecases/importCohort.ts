import type { GraphStore, WriteRecord } from '../graph/GraphStore.js';
import type { LayerAnnotations } from '../graph/model.js';
import { cohortCorpus } from '../ingest/cohort/cohortCorpus.js';

/**
 * `icdkg cohort import`: writes a cohort (documents and layers) into a store through the port's
 * writes (journaled in the embedded store, transactional in Neo4j).
 *
 * Everything is checked before the first write, so that a bad file leaves the store (and the
 * journal's bytes) as they were: the file is parsed whole, every code is looked up in the store
 * (an unknown one is an `IngestError` naming the file and line), and a corpus that already
 * exists needs `mode: 'merge'` or `'replace'` (deleted only once the new one checked out). The
 * writes (the old corpus's deletion, the documents, every layer) then go to the store in ONE
 * `applyWrites`: one journal record in the embedded store, one transaction in Neo4j, so that a
 * crash or a kill at any point leaves the whole import or none of it.
 *
 * @example await importCohort(store, 'demo.jsonl', 'demo')
 */
export async function importCohort(
  store: GraphStore,
  cohortPath: string,
  corpus: string,
  linkedPath?: string,
  options: { mode?: 'create' | 'merge' | 'replace' } = {},
): Promise<{ appointments: number; patients: number; layers: string[] }> {
  const mode = options.mode ?? 'create';
  const exists = (await store.listCorpora()).some((c) => c.name === corpus);
  if (mode === 'create' && exists) {
    throw new Error(
      `corpus ${JSON.stringify(corpus)} already exists: pass --merge to add these appointments to it (documents with the same id are replaced), --replace to delete it first, or import under another --name`,
    );
  }
  let data = await cohortCorpus(cohortPath, corpus, linkedPath);
  const codes = [...new Set(data.layers.flatMap((l) => l.codes))];
  const found = codes.length === 0 ? [] : await store.getCodes(codes);
  const unknown = codes.filter((_, i) => found[i] === null);
  if (unknown.length > 0) {
    // Parsed again with the known codes, so that the error names the file and line.
    const known = new Set(codes.filter((_, i) => found[i] !== null));
    data = await cohortCorpus(cohortPath, corpus, linkedPath, known);
    // Still here: the unknown code is in the linked file, whose lines name appointments.
    const where = data.layers.find((l) => l.codes.some((c) => !known.has(c)));
    throw new Error(
      `${linkedPath ?? `the linked file of ${cohortPath}`}: appointment ${JSON.stringify(where?.documentId ?? '?')} has ${unknown.length === 1 ? 'a code' : `${unknown.length} codes`} the ICD dictionary does not know; nothing was imported`,
    );
  }
  const byLayer = new Map<string, LayerAnnotations[]>();
  for (const l of data.layers) {
    let list = byLayer.get(l.layer);
    if (!list) byLayer.set(l.layer, (list = []));
    list.push(l);
  }
  // --replace deletes the old corpus in the same all-or-nothing write as the new one.
  const writes: WriteRecord[] = [];
  if (mode === 'replace' && exists) writes.push({ type: 'deleteCorpus', corpus });
  writes.push({ type: 'putDocuments', corpus, documents: data.documents });
  for (const [layer, annotations] of byLayer) writes.push({ type: 'putLayer', corpus, layer, annotations });
  await store.applyWrites(writes);
  return { appointments: data.documents.length, patients: data.patients, layers: [...byLayer.keys()] };
}
