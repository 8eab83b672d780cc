/**
 * The sentence of `text` that holds the span `[start, end)`, cut into before / mention / after,
 * with at most `max` characters either side (clinical conclusions are often one long line).
 *
 * @example sentenceAround('Боль. ИБС: стенокардия. Иное.', 6, 9) // { before: '', mention: 'ИБС', after: ': стенокардия.' }
 */
export function sentenceAround(text: string, start: number, end: number, max = 160): { before: string; mention: string; after: string } {
  let from = start;
  while (from > 0 && start - from < max && !/[.!?\n]/.test(text[from - 1]!)) from--;
  let to = end;
  while (to < text.length && to - end < max && !/[.!?\n]/.test(text[to]!)) to++;
  if (to < text.length && /[.!?]/.test(text[to]!)) to++;
  return { before: text.slice(from, start).trimStart(), mention: text.slice(start, end), after: text.slice(end, to).trimEnd() };
}
