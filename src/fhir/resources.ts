/** The FHIR R4 shapes these endpoints build (only the elements used; validated against the R4 JSON schema in the tests). */

/** One `Parameters.parameter` (or one of its parts). */
export interface FhirParameter {
  name: string;
  valueString?: string;
  valueCode?: string;
  valueBoolean?: boolean;
  valueInteger?: number;
  valueUri?: string;
  valueCoding?: { system?: string; version?: string; code?: string; display?: string };
  part?: FhirParameter[];
  extension?: { url: string; valueInteger?: number; valueDecimal?: number; valueString?: string }[];
}

/** A FHIR `Parameters` resource (operation outputs). */
export interface Parameters {
  resourceType: 'Parameters';
  parameter: FhirParameter[];
}

/** Any resource this server answers with. */
export interface FhirResource {
  resourceType: string;
  [element: string]: unknown;
}
