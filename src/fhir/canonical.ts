/**
 * The canonical identifiers this server answers for (documented in docs/fhir.md).
 *
 * The code system is the Russian Ministry of Health's МКБ-10 (ICD-10 with national extensions such
 * as `F13.201Н`), identified by its НСИ OID. `http://hl7.org/fhir/sid/icd-10` (WHO ICD-10) is
 * accepted as an alias in requests, since clients often send it, but answers always name the OID.
 * The version is the store's data version (a hash of the loaded files), so that two servers on
 * the same data agree.
 */
export const ICD10_SYSTEM = 'urn:oid:1.2.643.5.1.13.13.11.1005';

/** Other `system` values accepted as this code system in requests. */
export const ICD10_SYSTEM_ALIASES: readonly string[] = ['http://hl7.org/fhir/sid/icd-10'];

/** The code system's name in answers. */
export const ICD10_NAME = 'МКБ-10';

/**
 * Implicit value sets, after SNOMED CT's `?fhir_vs` convention:
 * `<system>?fhir_vs` all codes; `<system>?fhir_vs=isa/<code>` every code below it (exactly the
 * GraphQL `descendants`, the code itself excluded; alias `descendant-of/<code>`);
 * `<system>?fhir_vs=descendant-or-self/<code>` the code and every code below it.
 */
export const VALUE_SET_BASE = `${ICD10_SYSTEM}?fhir_vs`;

/**
 * Concept maps from layer transitions: `urn:icdkg:ConceptMap:transitions/<corpus>/<from>/<to>`
 * (layers default to `original` and `linked`).
 */
export const CONCEPT_MAP_BASE = 'urn:icdkg:ConceptMap:transitions';

/** Designation `use` codes: the name's source (ICD_TITLE, DICTIONARY, UMLS, ABBREVIATION, CORPUS). */
export const NAME_SOURCE_SYSTEM = 'urn:icdkg:CodeSystem:name-source';

/** Extension on a `$translate` match: how many documents carry the transition. */
export const TRANSITION_COUNT_EXTENSION = 'urn:icdkg:StructureDefinition:transition-count';
/** Extension on a `$translate` match: the transition's share of the source code's replacements. */
export const TRANSITION_SHARE_EXTENSION = 'urn:icdkg:StructureDefinition:transition-share';

/** True when `system` names this code system (the OID or an alias). */
export function isIcd10System(system: string): boolean {
  return system === ICD10_SYSTEM || ICD10_SYSTEM_ALIASES.includes(system);
}
