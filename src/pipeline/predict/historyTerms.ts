import type { PatientHistory } from './Predictor.js';
import type { TermDocument } from './TfidfVectorizer.js';
import { tokenize } from './tokenize.js';
import type { TokenizeOptions } from './tokenize.js';

/**
 * The term blocks of a history (see `PredictConfig.features.blocks`): `word` and `char` from
 * the current complaints; `history` from earlier complaints and conclusions (stemmed word
 * n-grams in their own block, so an old complaint does not look like today's); `code` from
 * earlier visits' codes, as given.
 *
 * @example historyTerms({ complaints: 'кашель', earlier: [{ codes: ['J20.9'] }] }, opts).code -> ['J20.9']
 */
export function historyTerms(history: PatientHistory, options: TokenizeOptions): TermDocument {
  const current = tokenize(history.complaints, options);
  const past: string[] = [];
  const codes: string[] = [];
  for (const visit of history.earlier ?? []) {
    for (const text of [visit.complaints, visit.conclusion]) {
      if (text) past.push(...tokenize(text, { ...options, charNgrams: [0, 0] }).words);
    }
    for (const code of visit.codes ?? []) codes.push(code);
  }
  return { word: current.words, char: current.chars, history: past, code: codes };
}
