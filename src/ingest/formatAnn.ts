import type { Mention } from '../graph/model.js';

/**
 * Writes mentions as a RuCCoD brat `.ann` text, the inverse of {@link parseAnn}: per mention a
 * `T<k><TAB>icd_code <start> <end>[;<start> <end>...]<TAB><text>` line followed by its
 * `N<k><TAB>Reference T<k> ICD_codes:<concept id><TAB><code>` line; consecutive mentions with the
 * same id and fragments (one span, several codes) share one T line. T and N are numbered 1, 2, ...
 * in order, as RuCCoD numbers them. The concept id is the annotators' database id of the code
 * (from `conceptIds`, which `parseAnn`/`loadBrat` collect); a code with none gets the code itself
 * (evaluators read the code column). A mention with code null gets a T line only.
 *
 * @example
 *   formatAnn([{ id: 'x', fragments: [{ start: 0, end: 7 }], start: 0, end: 7, text: 'Кольпит', code: 'N76' }])
 *   // 'T1\ticd_code 0 7\tКольпит\nN1\tReference T1 ICD_codes:N76\tN76\n'
 */
export function formatAnn(mentions: readonly Mention[], conceptIds?: ReadonlyMap<string, string>): string {
  let out = '';
  let t = 0;
  let n = 0;
  let previous: Mention | null = null;
  for (const m of mentions) {
    const sameSpan =
      previous !== null &&
      previous.id.replace(/#\d+$/, '') === m.id.replace(/#\d+$/, '') &&
      previous.fragments.length === m.fragments.length &&
      previous.fragments.every((f, i) => f.start === m.fragments[i]!.start && f.end === m.fragments[i]!.end);
    if (!sameSpan || m.code === null) {
      t += 1;
      out += `T${t}\ticd_code ${m.fragments.map((f) => `${f.start} ${f.end}`).join(';')}\t${m.text}\n`;
    }
    if (m.code !== null) {
      n += 1;
      out += `N${n}\tReference T${t} ICD_codes:${conceptIds?.get(m.code) ?? m.code}\t${m.code}\n`;
    }
    previous = m;
  }
  return out;
}
