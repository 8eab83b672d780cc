import { invariant } from '../errors.js';

/** How two codes relate in the ICD-10 tree. */
export interface HierarchyRelation {
  /** The deepest ancestor-or-self of both; null when they lie in different chapters. */
  lca: string | null;
  /** PARENT hops from `a` up to the LCA (or to the virtual root above the chapters). */
  upFromA: number;
  /** PARENT hops from `b` up to the LCA (or to the virtual root above the chapters). */
  upFromB: number;
  /** Hops from `a` to `b` through the LCA: `upFromA + upFromB`. */
  distance: number;
}

/**
 * Relates two codes given their ancestor-or-self chains, nearest first (the code itself, its
 * parent, ..., its chapter). Pure, so that the API, the evaluation's relaxed matching and the
 * transition analysis agree on what "lowest common ancestor" and "hop distance" mean.
 *
 * ICD-10 is a forest (one tree per chapter); codes in different chapters meet at a virtual root
 * one hop above every chapter, so their distance is still defined (and larger than any distance
 * inside one chapter).
 *
 * @example
 *   hierarchyRelation(['I25.2', 'I25', 'I20-I25', 'I00-I99'], ['I11.9', 'I11', 'I10-I15', 'I00-I99'])
 *   // => { lca: 'I00-I99', upFromA: 3, upFromB: 3, distance: 6 }
 */
export function hierarchyRelation(chainA: readonly string[], chainB: readonly string[]): HierarchyRelation {
  invariant(chainA.length > 0 && chainB.length > 0, `ancestor-or-self chains must not be empty, got lengths ${chainA.length} and ${chainB.length}`);
  // Index B's chain once: chains are at most ~6 long, but callers relate many pairs.
  const positionInB = new Map<string, number>();
  chainB.forEach((code, i) => positionInB.set(code, i));
  for (let i = 0; i < chainA.length; i++) {
    const j = positionInB.get(chainA[i]!);
    if (j !== undefined) return { lca: chainA[i]!, upFromA: i, upFromB: j, distance: i + j };
  }
  return { lca: null, upFromA: chainA.length, upFromB: chainB.length, distance: chainA.length + chainB.length };
}
