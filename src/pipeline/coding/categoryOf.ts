/**
 * The category part of an ICD-10 code by its spelling (`K29.5` -> `K29`), as the coder's
 * granularity decisions use it (the evaluation's lift walks the tree instead; see DESIGN §2).
 *
 * @example categoryOf('K29.5') // 'K29'
 */
export function categoryOf(code: string): string {
  const dot = code.indexOf('.');
  return dot < 0 ? code : code.slice(0, dot);
}
