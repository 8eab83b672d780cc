import { russianStem } from '../../../text/russianStem.js';

/** A normalised text with a map of every character back to the caller's text. */
export interface NormalizedText {
  /** The normalised text: `normalizeText(original)`, with abbreviations expanded and words stemmed when asked. */
  text: string;
  /** For each character of `text`, the offset in the original text of the character it came from. */
  starts: number[];
  /** For each character of `text`, the offset after the original character(s) it came from. */
  ends: number[];
}

/** What the normaliser does besides case, `ё` and punctuation folding. */
export interface NormalizerOptions {
  /** Replace each word by its Russian stem (inflection tolerance). */
  stem?: boolean;
  /** Expand abbreviations written in capitals (ИБС, ГБ, ХОБЛ); off by default. */
  expandAbbreviations?: boolean;
}

const WORD_RE = /[\p{L}\p{N}]+/gu;

/**
 * The offset-keeping normaliser (DESIGN §5): lower case, `ё` -> `е`, every run of characters
 * that are not letters or digits folded to one space, optional abbreviation expansion and
 * stemming. Without options its text equals `normalizeText(text)`; spans found in the normalised
 * text are mapped back with `toOriginal`.
 *
 * @example
 * const n = new Normalizer(new Map([['ибс', 'ишемическая болезнь сердца']]));
 * n.normalize('ИБС.  Стенокардия', { expandAbbreviations: true }).text
 * // 'ишемическая болезнь сердца стенокардия'
 */
export class Normalizer {
  /** Abbreviation (lower case, `ё` folded) -> its expansion (normalised). */
  private readonly abbreviations: ReadonlyMap<string, string>;

  constructor(abbreviations: ReadonlyMap<string, string> = new Map()) {
    this.abbreviations = abbreviations;
  }

  normalize(original: string, options: NormalizerOptions = {}): NormalizedText {
    const out: string[] = [];
    const starts: number[] = [];
    const ends: number[] = [];
    const emit = (piece: string, start: number, end: number, perChar: boolean): void => {
      if (out.length > 0) {
        // The folded separator maps to the gap between the two words it stands for.
        out.push(' ');
        starts.push(ends[ends.length - 1]!);
        ends.push(start);
      }
      for (let k = 0; k < piece.length; k++) {
        out.push(piece[k]!);
        // Characters of an expansion or a stem all map to the whole source word when they do
        // not correspond one to one; lower-casing and `ё` keep the length of the word.
        starts.push(perChar ? start + k : start);
        ends.push(perChar ? start + k + 1 : end);
      }
    };
    for (const m of original.matchAll(WORD_RE)) {
      const raw = m[0];
      const start = m.index;
      const end = start + raw.length;
      const lower = raw.toLowerCase().replace(/ё/g, 'е');
      const isCaps = raw.length > 1 && raw === raw.toUpperCase() && /\p{L}/u.test(raw);
      const expansion = options.expandAbbreviations && isCaps ? this.abbreviations.get(lower) : undefined;
      if (expansion !== undefined) {
        const words = options.stem ? expansion.split(' ').map((w) => russianStem(w)).join(' ') : expansion;
        emit(words, start, end, false);
      } else if (options.stem) {
        // A stem is a prefix of the word, so its characters still map one to one.
        emit(russianStem(lower), start, end, lower.length === raw.length);
      } else {
        emit(lower, start, end, lower.length === raw.length);
      }
    }
    return { text: out.join(''), starts, ends };
  }

  /**
   * Only the text of {@link normalize} (no offset map): the linker's look-up key, built once per
   * mention on the coder's hot path.
   */
  key(original: string, options: NormalizerOptions = {}): string {
    const words: string[] = [];
    for (const m of original.matchAll(WORD_RE)) {
      const raw = m[0];
      const lower = raw.toLowerCase().replace(/ё/g, 'е');
      const isCaps = options.expandAbbreviations === true && raw.length > 1 && raw === raw.toUpperCase() && /\p{L}/u.test(raw);
      const expansion = isCaps ? this.abbreviations.get(lower) : undefined;
      if (expansion !== undefined) words.push(options.stem ? expansion.split(' ').map((w) => russianStem(w)).join(' ') : expansion);
      else words.push(options.stem ? russianStem(lower) : lower);
    }
    return words.join(' ');
  }

  /** Maps a range `[start, end)` of a normalised text back to the original text. */
  static toOriginal(n: NormalizedText, start: number, end: number): { start: number; end: number } {
    if (start >= end || start < 0 || end > n.text.length) throw new RangeError(`bad range ${start}..${end} of ${n.text.length}`);
    return { start: n.starts[start]!, end: n.ends[end - 1]! };
  }
}
