const DIGITS = /^[0-9]+$/;

/**
 * The order of document ids in every listing: ids made only of digits first, numerically
 * (`2` before `10`; arbitrary length, no precision loss), then all other ids by UTF-16 code units.
 * Ties between numerically equal ids (`7`, `007`) are broken by code units, so the order is total.
 *
 * @example ['10', 'a', '2', '1'].sort(compareDocumentIds) // ['1', '2', '10', 'a']
 */
export function compareDocumentIds(a: string, b: string): number {
  const an = DIGITS.test(a);
  const bn = DIGITS.test(b);
  if (an && bn) {
    const at = a.replace(/^0+(?=.)/, '');
    const bt = b.replace(/^0+(?=.)/, '');
    if (at.length !== bt.length) return at.length - bt.length;
    if (at !== bt) return at < bt ? -1 : 1;
  } else if (an !== bn) {
    return an ? -1 : 1;
  }
  return a === b ? 0 : a < b ? -1 : 1;
}
