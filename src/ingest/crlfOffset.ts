/**
 * RuCCoD's annotations count every line break as two characters (the texts were written with
 * `\r\n`; the released `.txt` files have `\n`). This maps an offset of the `.txt` string to that
 * convention: the offset plus the number of bare `\n` before it. Offsets in texts without line
 * breaks are unchanged.
 *
 * @example crlfOffset('ИБС.\nГБ', 5) === 6
 */
export function crlfOffset(text: string, offset: number): number {
  let extra = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    if (i === 0 || text.charCodeAt(i - 1) !== 13) extra++;
  }
  return offset + extra;
}
