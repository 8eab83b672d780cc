import { documentSets } from './documentSets.js';
import type { EvalDocument, LiftFn } from './types.js';

/** One disagreement `from -> to` between two layers, counted over documents. */
export interface CodeTransition {
  from: string;
  to: string;
  /** Documents × pairs counted (see {@link codeTransitions}). */
  count: number;
  /** count / all transitions out of `from`: the share of `from`'s replacements going to `to`. */
  share: number;
}

/**
 * Transition counting (DESIGN §4): for every document and every code `a` in A \ B and `b` in
 * B \ A (document code sets, lifted first when `lift` is given), count `a -> b`. Documents of `a`
 * missing from `b` compare against nothing (no transition: nothing replaced the codes). Sorted by
 * count desc, then from, then to.
 *
 * @example codeTransitions([{ documentId: '1', mentions: [], codes: ['I25.2'] }],
 *                          [{ documentId: '1', mentions: [], codes: ['I11.9'] }])
 * // [{ from: 'I25.2', to: 'I11.9', count: 1, share: 1 }]
 */
export function codeTransitions(
  a: readonly EvalDocument[],
  b: readonly EvalDocument[] | ReadonlyMap<string, EvalDocument>,
  lift?: LiftFn,
): CodeTransition[] {
  const bById: ReadonlyMap<string, EvalDocument> =
    b instanceof Map ? b : new Map((b as readonly EvalDocument[]).map((d) => [d.documentId, d]));
  const counts = new Map<string, Map<string, number>>();
  for (const docA of a) {
    const docB = bById.get(docA.documentId);
    if (!docB) continue;
    const ca = documentSets(docA, lift).codes;
    const cb = documentSets(docB, lift).codes;
    const onlyB = [...cb].filter((c) => !ca.has(c));
    if (onlyB.length === 0) continue;
    for (const from of ca) {
      if (cb.has(from)) continue;
      let row = counts.get(from);
      if (!row) counts.set(from, (row = new Map()));
      for (const to of onlyB) row.set(to, (row.get(to) ?? 0) + 1);
    }
  }
  const out: CodeTransition[] = [];
  for (const [from, row] of counts) {
    let total = 0;
    for (const n of row.values()) total += n;
    for (const [to, count] of row) out.push({ from, to, count, share: count / total });
  }
  const cmp = (x: string, y: string): number => (x < y ? -1 : x > y ? 1 : 0);
  out.sort((x, y) => y.count - x.count || cmp(x.from, y.from) || cmp(x.to, y.to));
  return out;
}
