import type { Mention } from '../../../graph/model.js';
import { crlfOffset } from '../../../ingest/crlfOffset.js';
import type { CodingResult } from '../types.js';

/**
 * How `.ann` offsets count line breaks: `text` (the default everywhere) indexes the `.txt` string
 * plainly, as brat tools do; `ruccod` counts a bare `\n` as two characters, reproducing a quirk of
 * part of the RuCCoD training `.ann` files (the loader repairs it when gold is read).
 */
export type OffsetConvention = 'ruccod' | 'text';

/**
 * The coder's entities as brat mentions (`T1`, `T2`, ... in text order), with plain `.txt`
 * offsets by default. With the `ruccod` convention, offsets count each bare line break as two
 * characters, as part of the RuCCoD training `.ann` files do; the brat loader maps such offsets
 * back to the `.txt`.
 *
 * @example toMentions(coder.code(['ИБС.'])[0]!, 'ИБС.') // [{ id: 'T1', start: 0, end: 3, code: 'I25.9', ... }]
 */
export function toMentions(result: CodingResult, text?: string, convention: OffsetConvention = 'text'): Mention[] {
  const map = convention === 'ruccod' && text !== undefined && text.includes('\n') ? (o: number) => crlfOffset(text, o) : (o: number) => o;
  return result.entities.map((e, i) => {
    const start = map(e.start);
    const end = map(e.end);
    return { id: `T${i + 1}`, fragments: [{ start, end }], start, end, text: e.text, code: e.code };
  });
}
