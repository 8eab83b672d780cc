import { BadUserInputError, NotFoundError } from '../errors.js';
import type { CorpusInfo, GraphStore } from '../graph/GraphStore.js';
import type { Code, LayerAnnotations, Name } from '../graph/model.js';

/** Codes per batch when walking the tree (one getNames round trip each). */
const CODE_BATCH = 2000;
/** Documents per batch when reading a layer. */
const DOCUMENT_BATCH = 1000;

/** One batch of the tree walk: codes in pre-order and, when asked, each code's names. */
export interface CodeBatch {
  codes: Code[];
  names: Name[][] | null;
}

/**
 * Walks the whole ICD-10 tree through the GraphStore port, chapter by chapter in pre-order
 * (a code always comes after its parent), in batches, with each code's names when `withNames`.
 *
 * @example for await (const { codes } of codeBatches(store, false)) count += codes.length;
 */
export async function* codeBatches(store: GraphStore, withNames: boolean): AsyncGenerator<CodeBatch> {
  let pending: Code[] = [];
  const flush = async (): Promise<CodeBatch> => {
    const codes = pending;
    pending = [];
    return { codes, names: withNames ? await store.getNames(codes.map((c) => c.code)) : null };
  };
  for (const chapter of await store.chapters()) {
    pending.push(chapter, ...(await store.getDescendants(chapter.code, Infinity)));
    while (pending.length >= CODE_BATCH) {
      const rest = pending.slice(CODE_BATCH);
      pending = pending.slice(0, CODE_BATCH);
      yield await flush();
      pending = rest;
    }
  }
  if (pending.length > 0) yield await flush();
}

/** A corpus's info, NOT_FOUND naming it; the layer checked too when given. */
export async function requireCorpusLayer(store: GraphStore, corpus: string, layer: string | null): Promise<CorpusInfo> {
  const info = (await store.listCorpora()).find((c) => c.name === corpus);
  if (!info) throw new NotFoundError(`No corpus ${JSON.stringify(corpus)}`, { argumentName: 'corpus' });
  if (layer !== null && !info.layers.includes(layer)) {
    throw new NotFoundError(`No layer ${JSON.stringify(layer)} in corpus ${JSON.stringify(corpus)}; its layers: ${info.layers.join(', ') || 'none'}`, { argumentName: 'layer' });
  }
  return info;
}

/**
 * One layer of a corpus, every document (in id order), in batches.
 *
 * @example for await (const batch of layerBatches(store, 'ruccod', 'gold')) for (const doc of batch) ...
 */
export async function* layerBatches(store: GraphStore, corpus: string, layer: string): AsyncGenerator<LayerAnnotations[]> {
  const ids = await store.listDocumentIds(corpus, null);
  for (let i = 0; i < ids.length; i += DOCUMENT_BATCH) yield await store.getLayer(corpus, layer, ids.slice(i, i + DOCUMENT_BATCH));
}

/** A document's distinct codes in a layer (mentions' and assignments'), sorted. */
export function documentCodes(doc: LayerAnnotations): string[] {
  const codes = new Set(doc.codes);
  for (const m of doc.mentions) if (m.code !== null) codes.add(m.code);
  return [...codes].sort();
}

/** `--corpus` and `--layer` go together. */
export function checkCorpusLayer(corpus: string | null | undefined, layer: string | null | undefined): void {
  if ((corpus == null) !== (layer == null)) throw new BadUserInputError('Give --corpus and --layer together', { argumentName: corpus == null ? 'corpus' : 'layer' });
}
