import type { GraphStore } from '../graph/GraphStore.js';
import { ICD10_SYSTEM, VALUE_SET_BASE } from './canonical.js';
import { codeSystemVersion } from './codeSystemContext.js';
import { LOOKUP_PROPERTIES } from './lookup.js';
import type { FhirResource } from './resources.js';

/** The operations this server has, by resource type (name, then its OperationDefinition). */
export const OPERATIONS: Record<string, { name: string; definition: string }[]> = {
  CodeSystem: [
    { name: 'lookup', definition: 'http://hl7.org/fhir/OperationDefinition/CodeSystem-lookup' },
    { name: 'validate-code', definition: 'http://hl7.org/fhir/OperationDefinition/CodeSystem-validate-code' },
    { name: 'subsumes', definition: 'http://hl7.org/fhir/OperationDefinition/CodeSystem-subsumes' },
  ],
  ValueSet: [
    { name: 'expand', definition: 'http://hl7.org/fhir/OperationDefinition/ValueSet-expand' },
    { name: 'validate-code', definition: 'http://hl7.org/fhir/OperationDefinition/ValueSet-validate-code' },
  ],
  ConceptMap: [{ name: 'translate', definition: 'http://hl7.org/fhir/OperationDefinition/ConceptMap-translate' }],
};

const SOFTWARE = { name: 'ICD-KG', version: '0.1.0' };

/**
 * `GET /fhir/metadata`: the CapabilityStatement (FHIR 4.0.1, JSON, the terminology operations),
 * or with `mode=terminology` the TerminologyCapabilities (the code system, its version = the
 * data version, its properties, paging and filtering of expansions).
 *
 * @example await capabilities(store, 'full', 'http://localhost:4000/fhir')
 */
export async function capabilities(store: GraphStore, mode: string | null, baseUrl: string): Promise<FhirResource> {
  const version = await codeSystemVersion(store);
  const date = new Date().toISOString();
  if (mode === 'terminology') {
    return {
      resourceType: 'TerminologyCapabilities',
      status: 'active',
      date,
      kind: 'instance',
      software: SOFTWARE,
      implementation: { description: 'ICD-KG FHIR terminology endpoints', url: baseUrl },
      codeSystem: [
        {
          uri: ICD10_SYSTEM,
          version: [{ code: version, isDefault: true, language: ['ru'], property: [...LOOKUP_PROPERTIES] }],
          subsumption: true,
        },
      ],
      expansion: { hierarchical: false, paging: true, incomplete: false, textFilter: `Ranked, typo- and inflection-tolerant matching of every name (as the GraphQL searchCodes); implicit value sets ${VALUE_SET_BASE}[=isa/<code> (below the code, as GraphQL descendants)|=descendant-of/<code> (alias)|=descendant-or-self/<code>]` },
      codeSearch: 'all',
      validateCode: { translations: false },
      translation: { needsMap: false },
      closure: { translation: false },
    };
  }
  return {
    resourceType: 'CapabilityStatement',
    status: 'active',
    date,
    publisher: 'ICD-KG',
    kind: 'instance',
    software: SOFTWARE,
    implementation: { description: 'ICD-KG FHIR terminology endpoints', url: baseUrl },
    fhirVersion: '4.0.1',
    format: ['application/fhir+json', 'json'],
    instantiates: ['http://hl7.org/fhir/CapabilityStatement/terminology-server'],
    rest: [
      {
        mode: 'server',
        resource: Object.entries(OPERATIONS).map(([type, ops]) => ({
          type,
          operation: ops.map((op) => ({ name: op.name, definition: op.definition })),
        })),
      },
    ],
  };
}
