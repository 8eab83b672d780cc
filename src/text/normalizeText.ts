/**
 * The canonical comparison form of a name or a query: lower case, `ё` -> `е`, every run of
 * characters that are not letters or digits folded to one space, trimmed.
 *
 * The pipeline's offset-keeping normaliser produces exactly this string for the same input
 * (plus abbreviation expansion); names in the graph store it as `Name.normalized`.
 *
 * @example normalizeText('Гипертоническая  болезнь (ГБ), ёлка') === 'гипертоническая болезнь гб елка'
 */
export function normalizeText(text: string): string {
  return text
    .toLowerCase()
    .replace(/ё/g, 'е')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}
