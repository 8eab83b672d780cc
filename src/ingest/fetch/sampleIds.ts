import { mulberry32 } from '../../util/mulberry32.js';
import { compareDocumentIds } from '../../util/compareDocumentIds.js';

/**
 * A reproducible random sample of `count` ids (seeded Fisher–Yates over the ids in sorted order),
 * returned sorted (numeric ids numerically). The input order does not matter.
 *
 * @example
 * sampleIds(['3', '1', '2', '10'], 2, 7); // always the same two ids, sorted
 */
export function sampleIds(ids: readonly string[], count: number, seed: number): string[] {
  if (count > ids.length) throw new RangeError(`cannot sample ${count} ids out of ${ids.length}`);
  const pool = [...new Set(ids)].sort(compareDocumentIds);
  if (count > pool.length) throw new RangeError(`cannot sample ${count} ids out of ${pool.length} distinct ids`);
  const random = mulberry32(seed);
  for (let i = 0; i < count; i++) {
    const j = i + Math.floor(random() * (pool.length - i));
    [pool[i], pool[j]] = [pool[j]!, pool[i]!];
  }
  return pool.slice(0, count).sort(compareDocumentIds);
}
