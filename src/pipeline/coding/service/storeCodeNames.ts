import type { GraphStore } from '../../../graph/GraphStore.js';
import type { CodeName } from '../onnx/OnnxEmbeddingLinker.js';

/** Depth that reaches every code below a chapter (chapter > block > category > subcategories). */
const ALL_LEVELS = 16;
/** Codes per `getNames` call, so one call never carries the whole dictionary. */
const CHUNK = 2000;

/**
 * Every name of every linkable code in the store (chapters and blocks are ranges, never linked),
 * with the code titles: what the sentence-embedding linker embeds.
 *
 * @example const { names, titles } = await storeCodeNames(store); names.length // all names
 */
export async function storeCodeNames(store: GraphStore): Promise<{ names: CodeName[]; titles: Map<string, string> }> {
  const titles = new Map<string, string>();
  const codes: string[] = [];
  for (const chapter of await store.chapters()) {
    titles.set(chapter.code, chapter.title);
    for (const c of await store.getDescendants(chapter.code, ALL_LEVELS)) {
      titles.set(c.code, c.title);
      if (c.kind === 'CATEGORY' || c.kind === 'SUBCATEGORY') codes.push(c.code);
    }
  }
  const names: CodeName[] = [];
  for (let i = 0; i < codes.length; i += CHUNK) {
    const chunk = codes.slice(i, i + CHUNK);
    const lists = await store.getNames(chunk);
    lists.forEach((list, j) => {
      for (const n of list) names.push({ code: chunk[j]!, text: n.text, source: n.source });
    });
  }
  return { names, titles };
}
