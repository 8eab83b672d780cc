import { normalizeText } from '../../text/normalizeText.js';

/** Characters with a meaning in Lucene's classic query syntax. */
const LUCENE_SPECIAL = /[+\-&|!(){}[\]^"~*?:\\/]/g;

/** Query words beyond this many are dropped: each adds three clauses, and Lucene caps clauses. */
export const MAX_QUERY_WORDS = 16;
/** Longest ending cut off a word for its prefix clause (matches Russian inflected forms). */
const MAX_ENDING = 3;
/** Shortest stem a prefix clause may have: shorter prefixes match too much. */
const MIN_STEM = 3;

/**
 * The Lucene query that fetches candidate names for a search from the full-text index: for each
 * word of the normalized query, the word itself (boosted), a fuzzy match (typos: up to two edits
 * from five letters, one below) and a prefix match on its stem (inflection: `болезни` ->
 * `боле*` finds `болезнь`). Clauses are OR-ed, so names covering more words rank higher; the
 * store re-ranks the candidates anyway. Empty when the query has no letters or digits.
 *
 * The words come from `normalizeText` (letters, digits, spaces only) and are escaped besides, so
 * no input can inject Lucene syntax; lower case keeps `and`/`or`/`not` from being operators.
 *
 * @example luceneQuery('Болезни сердца') === 'болезни^2 болезни~2 боле* сердца^2 сердца~2 сер*'
 */
export function luceneQuery(text: string): string {
  const words = [...new Set(normalizeText(text).split(' ').filter((w) => w !== ''))].slice(0, MAX_QUERY_WORDS);
  const clauses: string[] = [];
  for (const raw of words) {
    const word = raw.replace(LUCENE_SPECIAL, (c) => `\\${c}`);
    clauses.push(`${word}^2`);
    // Numbers and very short words only match exactly (or as a prefix): edits would match anything.
    if (/^\p{N}+$/u.test(raw) || raw.length <= 2) continue;
    clauses.push(`${word}~${raw.length >= 5 ? 2 : 1}`);
    const stem = raw.slice(0, Math.max(MIN_STEM, raw.length - MAX_ENDING));
    clauses.push(`${stem.replace(LUCENE_SPECIAL, (c) => `\\${c}`)}*`);
  }
  return clauses.join(' ');
}
