/**
 * Fisher–Yates shuffle of `order` in place with the random source `rand` (e.g. `mulberry32(seed)`),
 * walking from the end, so that a seeded source gives the same order on every platform.
 *
 * @example shuffleInPlace([0, 1, 2, 3], mulberry32(1))
 */
export function shuffleInPlace<T>(order: T[], rand: () => number): T[] {
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  return order;
}
