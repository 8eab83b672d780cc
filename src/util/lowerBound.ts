/**
 * The index of the first string in ascending `sorted` (code-unit order) that is not less than
 * `key`: where `key` is, or would be inserted.
 *
 * @example lowerBound(['I10', 'I20', 'I25'], 'I2') // 1
 */
export function lowerBound(sorted: readonly string[], key: string): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
