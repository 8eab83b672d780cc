/** A letter or a digit (Unicode `L` and `N`), tested on one code point. */
const WORD_CHAR = /^[\p{L}\p{N}]$/u;

/**
 * Whether each BMP code unit is a letter or digit: 0 not yet known, 1 yes, 2 no. Filled on first
 * sight with {@link WORD_CHAR}, so a start-up that normalises ~50,000 names asks the regex engine
 * once per distinct character instead of scanning every string with it three times.
 */
const bmpClass = new Uint8Array(0x10000);

function isWordUnit(unit: number): boolean {
  let known = bmpClass[unit]!;
  if (known === 0) {
    // A lone surrogate tests false here, as it does inside the regex of the definition below.
    known = WORD_CHAR.test(String.fromCharCode(unit)) ? 1 : 2;
    bmpClass[unit] = known;
  }
  return known === 1;
}

/**
 * The canonical comparison form of a name or a query: lower case, `ё` -> `е`, every run of
 * characters that are not letters or digits folded to one space, trimmed.
 *
 * The pipeline's offset-keeping normaliser produces exactly this string for the same input
 * (plus abbreviation expansion); names in the graph store it as `Name.normalized`.
 *
 * It is, to the character (a property test compares them on random Unicode),
 * `text.toLowerCase().replace(/ё/g, 'е').replace(/[^\p{L}\p{N}]+/gu, ' ').trim()`, written as one
 * pass over the string because it runs on every name at start-up (`npm run bench:load`).
 *
 * @example normalizeText('Гипертоническая  болезнь (ГБ), ёлка') === 'гипертоническая болезнь гб елка'
 */
export function normalizeText(text: string): string {
  // Lower-casing stays the engine's: it is context-sensitive (final sigma) and may lengthen a string.
  let lower = text.toLowerCase();
  if (lower.includes('ё')) lower = lower.replaceAll('ё', 'е');
  const n = lower.length;
  // While `same`, `lower` up to `i` is already canonical (runs joined by single spaces) and
  // nothing is built; `out` starts from that prefix the first time the two differ.
  let same = true;
  let out = '';
  // Start of the current run of letters and digits, or -1 between runs.
  let runStart = -1;
  let i = 0;
  while (i < n) {
    const unit = lower.charCodeAt(i);
    let width = 1;
    let word: boolean;
    if (unit < 0x80) {
      word = (unit >= 0x61 && unit <= 0x7a) || (unit >= 0x30 && unit <= 0x39) || (unit >= 0x41 && unit <= 0x5a);
    } else if (unit >= 0x430 && unit <= 0x44f) {
      word = true; // а..я
    } else if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < n && (lower.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      width = 2;
      word = WORD_CHAR.test(lower.slice(i, i + 2));
    } else {
      word = isWordUnit(unit);
    }
    if (word) {
      if (runStart === -1) runStart = i;
    } else if (same) {
      if (runStart !== -1 && unit === 0x20) {
        // One space after a run: canonical so far if a run follows (else caught below).
        runStart = -1;
      } else {
        same = false;
        // The canonical prefix: up to here after a run, else up to the space before this unit.
        out = runStart !== -1 ? lower.slice(0, i) : i === 0 ? '' : lower.slice(0, i - 1);
        runStart = -1;
      }
    } else if (runStart !== -1) {
      const run = lower.slice(runStart, i);
      out = out === '' ? run : `${out} ${run}`;
      runStart = -1;
    }
    i += width;
  }
  if (same) {
    // A trailing space (a run, then one space, then the end) is the only way to differ here.
    return runStart === -1 && n > 0 ? lower.slice(0, n - 1) : lower;
  }
  if (runStart !== -1) {
    const run = lower.slice(runStart);
    out = out === '' ? run : `${out} ${run}`;
  }
  return out;
}
