import type { PatientHistory } from '../Predictor.js';
import type { TermDocument } from './TfidfVectorizer.js';
import { styleTerms } from './styleTerms.js';
import { tokenize } from './termTokens.js';
import type { TokenizeOptions } from './termTokens.js';

/** What `historyTerms` reads: the tokeniser's options and, optionally, the blocks in use. */
export interface HistoryTermOptions extends TokenizeOptions {
  /** The feature blocks; a block named `style` asks for `styleTerms` of the current complaints. */
  blocks?: readonly { name: string }[];
}

/**
 * The term blocks of a history (see `PredictConfig.features.blocks`): `word` and `char` from
 * the current complaints; `history` from earlier complaints and conclusions (stemmed word
 * n-grams in their own block, so an old complaint does not look like today's); `code` from
 * earlier visits' codes, as given; `style` (only when a `style` block is configured) from the
 * current complaints as written (`styleTerms`).
 *
 * @example historyTerms({ complaints: 'кашель', earlier: [{ codes: ['J20.9'] }] }, opts).code -> ['J20.9']
 */
export function historyTerms(history: PatientHistory, options: HistoryTermOptions): TermDocument {
  const current = tokenize(history.complaints, options);
  const past: string[] = [];
  const codes: string[] = [];
  for (const visit of history.earlier ?? []) {
    for (const text of [visit.complaints, visit.conclusion]) {
      if (text) past.push(...tokenize(text, { ...options, charNgrams: [0, 0] }).words);
    }
    for (const code of visit.codes ?? []) codes.push(code);
  }
  const doc: Record<string, string[]> = { word: current.words, char: current.chars, history: past, code: codes };
  if (options.blocks?.some((b) => b.name === 'style')) doc.style = styleTerms(history.complaints);
  return doc;
}
