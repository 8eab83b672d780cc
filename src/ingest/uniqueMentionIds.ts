import type { Mention } from '../graph/model.js';

/**
 * Makes mention ids (brat labels) unique within a document's layer: `parseAnn` gives one mention
 * per code of a T (same id) and RuCCoD-style files reuse T ids, while the store keys mentions by
 * id and the API's global mention ids are built from it. A repeated id gets a suffix (`T5`,
 * `T5#2`, `T5#3`); spans and codes are untouched, so evaluation is unchanged.
 *
 * @example uniqueMentionIds([a, { ...a }]).map((m) => m.id) // ['T1', 'T1#2']
 */
export function uniqueMentionIds(mentions: readonly Mention[]): Mention[] {
  const seen = new Map<string, number>();
  const taken = new Set(mentions.map((m) => m.id));
  return mentions.map((m) => {
    const n = (seen.get(m.id) ?? 0) + 1;
    seen.set(m.id, n);
    if (n === 1) return m;
    let k = n;
    while (taken.has(`${m.id}#${k}`)) k++;
    taken.add(`${m.id}#${k}`);
    return { ...m, id: `${m.id}#${k}` };
  });
}
