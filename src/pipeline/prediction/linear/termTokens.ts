import { normalizeText } from '../../../text/normalizeText.js';
import { russianStem } from '../../../text/russianStem.js';

/** Which surface features one text yields (see `PredictConfig.features`). */
export interface TokenizeOptions {
  /** Word n-gram orders over stems, inclusive (`[1, 2]`: unigrams and bigrams). */
  wordNgrams: readonly [number, number];
  /** Character n-gram orders inside space-padded words, inclusive (`[3, 5]`); `[0, 0]` for none. */
  charNgrams: readonly [number, number];
  /** Stem words (Snowball Russian) before word n-grams; otherwise the normalised word is used. */
  stem: boolean;
  /** Character n-grams run across word boundaries over the whole normalised text (scikit-learn's
   * `char`) instead of inside each word (`char_wb`). */
  charAcrossWords?: boolean;
}

/** The features of one text, before weighting: word n-grams and character n-grams, with repeats. */
export interface TextTerms {
  words: string[];
  chars: string[];
}

/**
 * Splits a text into normalised words (DESIGN §5 comparison form: lower case, `ё` -> `е`,
 * everything that is not a letter or digit is a separator).
 *
 * @example wordsOf('Боли в спине, ёжится.') -> ['боли', 'в', 'спине', 'ежится']
 */
export function wordsOf(text: string): string[] {
  const n = normalizeText(text);
  return n === '' ? [] : n.split(' ');
}

/**
 * Word n-grams (joined by a space) and character n-grams within word boundaries (each word
 * padded with one space either side, as scikit-learn's `char_wb`; a padded word shorter than
 * the order yields itself once) of one text.
 *
 * @example tokenize('Боли в спине', { wordNgrams: [1, 2], charNgrams: [3, 3], stem: true }).words
 *   -> ['бол', 'в', 'спин', 'бол в', 'в спин']
 */
export function tokenize(text: string, options: TokenizeOptions): TextTerms {
  const words = wordsOf(text);
  const units = options.stem ? words.map((w) => russianStem(w, { verbs: true })) : words;
  const wordTerms: string[] = [];
  const [wMin, wMax] = options.wordNgrams;
  for (let n = wMin; n <= wMax && n > 0; n++) {
    for (let i = 0; i + n <= units.length; i++) wordTerms.push(units.slice(i, i + n).join(' '));
  }
  const charTerms: string[] = [];
  const [cMin, cMax] = options.charNgrams;
  if (cMin > 0 && options.charAcrossWords) {
    const padded = ` ${words.join(' ')} `;
    for (let n = cMin; n <= cMax; n++) {
      for (let i = 0; i + n <= padded.length; i++) charTerms.push(padded.slice(i, i + n));
    }
  } else if (cMin > 0) {
    for (const w of words) {
      const padded = ` ${w} `;
      if (padded.length < cMin) {
        charTerms.push(padded);
        continue;
      }
      for (let n = cMin; n <= cMax && n <= padded.length; n++) {
        for (let i = 0; i + n <= padded.length; i++) charTerms.push(padded.slice(i, i + n));
      }
    }
  }
  return { words: wordTerms, chars: charTerms };
}
