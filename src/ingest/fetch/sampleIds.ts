/** mulberry32: a tiny seeded PRNG, so a split is the same on every machine and Node version. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function compareIds(a: string, b: string): number {
  const x = Number(a);
  const y = Number(b);
  if (Number.isFinite(x) && Number.isFinite(y) && x !== y) return x - y;
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * A reproducible random sample of `count` ids (seeded Fisher–Yates over the ids in sorted order),
 * returned sorted (numeric ids numerically). The input order does not matter.
 *
 * @example
 * sampleIds(['3', '1', '2', '10'], 2, 7); // always the same two ids, sorted
 */
export function sampleIds(ids: readonly string[], count: number, seed: number): string[] {
  if (count > ids.length) throw new RangeError(`cannot sample ${count} ids out of ${ids.length}`);
  const pool = [...new Set(ids)].sort(compareIds);
  if (count > pool.length) throw new RangeError(`cannot sample ${count} ids out of ${pool.length} distinct ids`);
  const random = mulberry32(seed);
  for (let i = 0; i < count; i++) {
    const j = i + Math.floor(random() * (pool.length - i));
    [pool[i], pool[j]] = [pool[j]!, pool[i]!];
  }
  return pool.slice(0, count).sort(compareIds);
}
