/** The first and last category of a chapter or block range. */
export interface IcdRange {
  from: string;
  to: string;
}

const RANGE = /^([A-Z]\d\d)-([A-Z]\d\d)$/;

/**
 * Reads a chapter or block code (`A00-B99`, `C50-C50`) as its first and last category, or null
 * when the code is not a range. Categories compare as strings (`A00` < `A09` < `B00`), so a range
 * contains a category `c` when `from <= c <= to`.
 *
 * @example parseIcdRange('I20-I25') -> { from: 'I20', to: 'I25' }; parseIcdRange('I25') -> null
 */
export function parseIcdRange(code: string): IcdRange | null {
  // Every range is 7 characters with `-` in the middle: most codes are turned away without the regex.
  if (code.length !== 7 || code.charCodeAt(3) !== 0x2d) return null;
  const match = RANGE.exec(code);
  return match ? { from: match[1]!, to: match[2]! } : null;
}
