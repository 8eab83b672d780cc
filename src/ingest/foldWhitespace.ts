/** JavaScript's `\s`: the characters `String.prototype.trim` and `/\s/` treat as whitespace. */
function isSpace(unit: number): boolean {
  return (
    unit === 0x20 ||
    (unit >= 0x09 && unit <= 0x0d) ||
    (unit >= 0x80 &&
      (unit === 0xa0 || unit === 0x1680 || (unit >= 0x2000 && unit <= 0x200a) || unit === 0x2028 || unit === 0x2029 || unit === 0x202f || unit === 0x205f || unit === 0x3000 || unit === 0xfeff))
  );
}

/**
 * `text.replace(/\s+/g, ' ')`: every run of whitespace folded to one space. Most titles have
 * nothing to fold, and a global regex replace costs ~2 µs a title even then, so a scan decides
 * first and the regex runs only on text that needs it (a test compares the two on every
 * whitespace character).
 *
 * @example foldWhitespace('Холера,\n  азиатская') === 'Холера, азиатская'
 */
export function foldWhitespace(text: string): string {
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit === 0x20) {
      if (i + 1 < text.length && isSpace(text.charCodeAt(i + 1))) return text.replace(/\s+/g, ' ');
    } else if (isSpace(unit)) {
      return text.replace(/\s+/g, ' ');
    }
  }
  return text;
}
