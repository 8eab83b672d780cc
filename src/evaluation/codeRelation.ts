import { hierarchyRelation } from '../graph/hierarchyRelation.js';
import type { CodeKind } from '../graph/model.js';

/** A node of an ancestor path: the code and its kind. `Code` of the graph model fits this shape. */
export interface PathNode {
  code: string;
  kind: CodeKind;
}

/** How two codes relate in the ICD-10 tree, as transition analysis reports it. */
export interface CodeRelation {
  /** Lowest common ancestor-or-self; null when the codes lie in different chapters or one is unknown. */
  lowestCommonAncestor: string | null;
  /**
   * PARENT hops from one code up to the LCA and down to the other (codes of different chapters
   * meet at a virtual root above the chapters, as `src/graph/hierarchyRelation.ts` defines);
   * null when a code is not in the tree.
   */
  hopDistance: number | null;
  sameCategory: boolean;
  sameBlock: boolean;
  sameChapter: boolean;
}

function ofKind(path: readonly PathNode[], kind: CodeKind): string | null {
  for (const n of path) if (n.kind === kind) return n.code;
  return null;
}

/**
 * The relation of two codes from their ancestor-or-self paths, each *self first* then parent,
 * ..., chapter (a code the tree does not know has the path `[]`). LCA and hop distance come
 * from the graph's shared `hierarchyRelation`, so the API and the evaluation agree on them; this
 * adds whether both codes lie in the same category, block and chapter.
 *
 * @example codeRelation(pathOf('I25.2'), pathOf('I11.9'))
 * // { lowestCommonAncestor: 'I00-I99', hopDistance: 6, sameCategory: false, sameBlock: false, sameChapter: true }
 */
export function codeRelation(a: readonly PathNode[], b: readonly PathNode[]): CodeRelation {
  const same = (kind: CodeKind): boolean => {
    const x = ofKind(a, kind);
    return x !== null && x === ofKind(b, kind);
  };
  const flags = { sameCategory: same('CATEGORY'), sameBlock: same('BLOCK'), sameChapter: same('CHAPTER') };
  if (a.length === 0 || b.length === 0) return { lowestCommonAncestor: null, hopDistance: null, ...flags };
  const r = hierarchyRelation(
    a.map((n) => n.code),
    b.map((n) => n.code),
  );
  return { lowestCommonAncestor: r.lca, hopDistance: r.distance, ...flags };
}
