import type { Document } from '../../../src/graph/model.js';

/** Documents per import: about 100 KB per record, so that a kill sometimes lands inside a write. */
export const DOCUMENTS_PER_IMPORT = 100;

/**
 * The documents of import `i` of the durability test: deterministic, distinct per import (the
 * text names the import and the document), written for the test.
 *
 * @example importDocuments(3)[0].id // 'd0'
 */
export function importDocuments(i: number): Document[] {
  return Array.from({ length: DOCUMENTS_PER_IMPORT }, (_, d) => ({
    corpus: `imp${i}`,
    id: `d${d}`,
    split: 'train',
    text: `Импорт ${i}, документ ${d}. `.repeat(20),
    patient: null,
    date: null,
  }));
}
