import type { Document, LayerAnnotations } from '../model.js';

/**
 * One write through the port, as both adapters validate it (`validateWrite`) and the memory store
 * journals it (one record per call).
 */
export type WriteRecord =
  | { type: 'putDocuments'; corpus: string; documents: Document[] }
  | { type: 'putLayer'; corpus: string; layer: string; annotations: LayerAnnotations[] }
  | { type: 'deleteLayer'; corpus: string; layer: string }
  | { type: 'deleteDocuments'; corpus: string; documentIds: string[] }
  | { type: 'deleteCorpus'; corpus: string };
