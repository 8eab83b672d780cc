import type { CodeKind, LiftLevel } from '../graph/model.js';
import type { LiftFn } from './types.js';

/** The part of a tree node a lift reads. `Code` of the graph model fits this shape. */
export interface TreeNode {
  code: string;
  kind: CodeKind;
  parent: string | null;
}

const RANK: Record<CodeKind, number> = { CHAPTER: 0, BLOCK: 1, CATEGORY: 2, SUBCATEGORY: 3 };

/**
 * A lift function walking PARENT links of the given tree (never truncating strings): a code
 * lifts to its ancestor-or-self of kind `level`. A code the tree does not know lifts to itself,
 * so it still takes part in the comparison and counts as a miss unless the other layer has the
 * very same string; a code above the level (a chapter at CATEGORY) or one whose path has no node
 * of that kind also lifts to itself. Lifting is idempotent. Results are memoised.
 *
 * @example liftFromParents(codes, 'CATEGORY')('H10.0') === 'H10'
 */
export function liftFromParents(nodes: Iterable<TreeNode>, level: LiftLevel): LiftFn {
  const byCode = new Map<string, TreeNode>();
  for (const n of nodes) byCode.set(n.code, n);
  const target = RANK[level];
  const memo = new Map<string, string>();
  return (code: string): string => {
    const hit = memo.get(code);
    if (hit !== undefined) return hit;
    let result = code;
    let node = byCode.get(code);
    if (node && RANK[node.kind] > target) {
      // Bounded walk: a malformed tree with a cycle must not hang an evaluation.
      for (let hops = 0; node && hops <= byCode.size; hops++) {
        if (node.kind === level) {
          result = node.code;
          break;
        }
        if (RANK[node.kind] < target || node.parent === null) break;
        node = byCode.get(node.parent);
      }
    }
    memo.set(code, result);
    return result;
  };
}
