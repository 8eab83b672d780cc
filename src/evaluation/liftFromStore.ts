import type { GraphStore } from '../graph/GraphStore.js';
import type { LiftLevel } from '../graph/model.js';
import type { LiftFn } from './types.js';

/**
 * Asks the store once for the lifts of all `codes` (`GraphStore.lift`, which walks PARENT edges)
 * and returns them as a synchronous lift function. Codes the store cannot lift (unknown codes,
 * codes above the level) lift to themselves, as with {@link liftFromParents}; so does any code
 * not in `codes`.
 *
 * @example const lift = await liftFromStore(store, ['H10.0'], 'CATEGORY'); lift('H10.0') === 'H10'
 */
export async function liftFromStore(
  store: Pick<GraphStore, 'lift'>,
  codes: Iterable<string>,
  level: LiftLevel,
): Promise<LiftFn> {
  const distinct = [...new Set(codes)];
  const lifted = distinct.length === 0 ? [] : await store.lift(distinct, level);
  const map = new Map<string, string>();
  distinct.forEach((c, i) => {
    const l = lifted[i];
    if (l) map.set(c, l);
  });
  return (code: string) => map.get(code) ?? code;
}
