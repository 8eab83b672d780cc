/** The IRI namespace of the code system's concepts in RDF exports (docs/exports.md). */
export const CONCEPT_NAMESPACE = 'urn:icdkg:mkb10:';
/** The ConceptScheme's IRI. */
export const SCHEME_IRI = 'urn:icdkg:mkb10';

/**
 * A code's concept IRI: the namespace plus the code, with the few characters an IRI may not hold
 * percent-encoded (codes are letters, digits, `.`, `-`, `+`, `*`, Cyrillic letters: all kept).
 *
 * @example conceptIri('F13.201Н') // 'urn:icdkg:mkb10:F13.201Н'
 */
export function conceptIri(code: string): string {
  return CONCEPT_NAMESPACE + code.replace(/[\u0000-\u0020<>"{}|^`\\%]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
}
