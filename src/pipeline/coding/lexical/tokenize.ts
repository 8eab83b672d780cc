import { russianStem } from '../../../text/russianStem.js';

/** One token of a text, with its offsets in the caller's text. */
export interface Token {
  /** Offset of the first character in the original text. */
  start: number;
  /** Offset after the last character. */
  end: number;
  /** The token as written. */
  text: string;
  /** Lower case, `ё` -> `е` (the `normalizeText` form of a word token). */
  norm: string;
  /** `russianStem(norm)` for words; the character itself for punctuation. */
  stem: string;
  /** A run of letters, a run of digits, or one other non-space character. */
  kind: 'word' | 'number' | 'punct';
  /** True when a line break separates this token from the previous one. */
  newlineBefore: boolean;
  /** True when any whitespace separates this token from the previous one. */
  spaceBefore: boolean;
}

// Letters and digits are split apart ("2ст" -> "2", "ст") because annotators cut there too.
const TOKEN_RE = /\p{L}+|\p{N}+|[^\s\p{L}\p{N}]/gu;
const LETTER_RE = /^\p{L}/u;
const DIGIT_RE = /^\p{N}/u;

/**
 * Splits a text into word, number and punctuation tokens with offsets into the original text.
 *
 * @example tokenize('ИБС. Стенокардия').map((t) => t.stem) // ['ибс', '.', 'стенокард']
 */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let prevEnd = 0;
  for (const m of text.matchAll(TOKEN_RE)) {
    const raw = m[0];
    const start = m.index;
    const gap = text.slice(prevEnd, start);
    const kind: Token['kind'] = LETTER_RE.test(raw) ? 'word' : DIGIT_RE.test(raw) ? 'number' : 'punct';
    const norm = raw.toLowerCase().replace(/ё/g, 'е');
    tokens.push({
      start,
      end: start + raw.length,
      text: raw,
      norm,
      stem: kind === 'word' ? russianStem(norm) : norm,
      kind,
      newlineBefore: gap.includes('\n'),
      spaceBefore: gap.length > 0,
    });
    prevEnd = start + raw.length;
  }
  return tokens;
}
