/** A word of the caller's text: its characters `[start, end)`. */
export interface WordSpan {
  start: number;
  end: number;
  text: string;
}

// Letters, digits and combining marks form words; every other non-space character is a word of
// its own — the split BERT's pre-tokeniser makes, so each word maps to whole sub-word tokens.
const WORD = /[\p{L}\p{N}\p{M}]+|[^\s\p{L}\p{N}\p{M}]/gu;

/**
 * Splits a text into words with their offsets in the text (word-level alignment of token
 * classifiers: a model labels sub-words, a span is reported on whole words of the caller's text).
 *
 * @example splitWords('ИБС, ст.') // [{0,3,'ИБС'}, {3,4,','}, {5,7,'ст'}, {7,8,'.'}]
 */
export function splitWords(text: string): WordSpan[] {
  const out: WordSpan[] = [];
  for (const m of text.matchAll(WORD)) out.push({ start: m.index, end: m.index + m[0].length, text: m[0] });
  return out;
}
