import type { GraphStore } from '../graph/GraphStore.js';
import type { Code, Name } from '../graph/model.js';
import { ICD10_NAME, NAME_SOURCE_SYSTEM } from './canonical.js';
import { codeOf, codeSystemVersion, requireCode } from './codeSystemContext.js';
import type { OperationInput } from './parameters.js';
import type { FhirParameter, Parameters } from './resources.js';

/** The code system properties `$lookup` reports (declared in TerminologyCapabilities too). */
export const LOOKUP_PROPERTIES = ['parent', 'child', 'kind', 'inactive'] as const;

/** A name as a FHIR designation: its language, its source as `use`, its text. */
export function designationOf(name: Name): { language: string; use: { system: string; code: string; display: string }; value: string } {
  return { language: name.lang, use: { system: NAME_SOURCE_SYSTEM, code: name.source, display: name.source.toLowerCase().replace('_', ' ') }, value: name.text };
}

function property(code: string, value: FhirParameter): FhirParameter {
  return { name: 'property', part: [{ name: 'code', valueCode: code }, { ...value, name: 'value' }] };
}

/**
 * `CodeSystem/$lookup`: a code's display, every designation (one per name, from every source,
 * with its language and source as `use`), and the properties `parent`, `child` (one per child),
 * `kind` (chapter, block, category, subcategory) and `inactive` (true where the МКБ-10 reference
 * marks the code withdrawn); `property` parameters restrict the
 * properties. 404 for an unknown code, system or version.
 *
 * @example await lookup(store, OperationInput.fromQuery('?system=urn:oid:1.2.643.5.1.13.13.11.1005&code=I25.2'))
 */
export async function lookup(store: GraphStore, input: OperationInput): Promise<Parameters> {
  const version = await codeSystemVersion(store);
  const { code } = codeOf(input, version, { code: 'code', system: 'system', coding: 'coding' });
  const found: Code = await requireCode(store, code, 'code');
  const wanted = new Set(input.strings('property'));
  const want = (p: string) => wanted.size === 0 || wanted.has(p);
  const [[names], [children]] = await Promise.all([store.getNames([found.code]), want('child') ? store.getChildren([found.code]) : Promise.resolve([[]])]);
  const parameter: FhirParameter[] = [
    { name: 'name', valueString: ICD10_NAME },
    { name: 'version', valueString: version },
    { name: 'display', valueString: found.title },
    { name: 'abstract', valueBoolean: false },
  ];
  for (const n of names ?? []) {
    const d = designationOf(n);
    parameter.push({ name: 'designation', part: [{ name: 'language', valueCode: d.language }, { name: 'use', valueCoding: d.use }, { name: 'value', valueString: d.value }] });
  }
  if (want('kind')) parameter.push(property('kind', { name: 'value', valueCode: found.kind.toLowerCase() }));
  if (want('inactive')) parameter.push(property('inactive', { name: 'value', valueBoolean: found.inactive === true }));
  if (want('parent') && found.parent !== null) parameter.push(property('parent', { name: 'value', valueCode: found.parent }));
  if (want('child')) for (const c of children ?? []) parameter.push(property('child', { name: 'value', valueCode: c.code }));
  return { resourceType: 'Parameters', parameter };
}

