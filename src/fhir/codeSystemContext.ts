import type { GraphStore } from '../graph/GraphStore.js';
import type { Code } from '../graph/model.js';
import { ICD10_NAME, ICD10_SYSTEM, isIcd10System } from './canonical.js';
import { FhirError } from './FhirError.js';
import type { Coding, OperationInput } from './parameters.js';

/** The store's data version: the code system's FHIR `version` ("unversioned" when the store has none). */
export async function codeSystemVersion(store: GraphStore): Promise<string> {
  return (await store.info()).dataVersion ?? 'unversioned';
}

/**
 * Checks a `system` (and `version`) a request names: 404 for another code system or another
 * version of this one (a terminology server answers only for what it holds).
 *
 * @example checkSystem('urn:oid:1.2.643.5.1.13.13.11.1005', undefined, 'abc123', 'system');
 */
export function checkSystem(system: string | undefined, version: string | undefined, current: string, parameter: string): void {
  if (system !== undefined && system !== '' && !isIcd10System(system)) {
    throw new FhirError(404, 'not-found', `Unknown code system ${JSON.stringify(system.slice(0, 200))}: this server holds ${ICD10_SYSTEM} (${ICD10_NAME}) only`, parameter);
  }
  if (version !== undefined && version !== '' && version !== current) {
    throw new FhirError(404, 'not-found', `Unknown version ${JSON.stringify(version.slice(0, 100))} of ${ICD10_SYSTEM}: this server holds version ${current}`, 'version');
  }
}

/**
 * The code an operation is about, from `code` (+ `system`, `version`) or from a Coding parameter,
 * with the system and version checked; the Coding's display (if any) is returned too.
 */
export function codeOf(input: OperationInput, current: string, names: { code: string; system: string; coding: string }): { code: string; display?: string } {
  const coding: Coding | undefined = input.coding(names.coding);
  const code = input.string(names.code);
  if (coding !== undefined && code !== undefined) throw new FhirError(400, 'invalid', `Give ${names.code} or ${names.coding}, not both`, names.coding);
  if (coding !== undefined) {
    checkSystem(coding.system, coding.version, current, names.coding);
    if (!coding.code) throw new FhirError(400, 'required', `${names.coding}.code is required`, names.coding);
    return { code: coding.code.trim(), display: coding.display };
  }
  checkSystem(input.string(names.system), input.string('version'), current, names.system);
  if (code === undefined || code === '') throw new FhirError(400, 'required', `Parameter ${names.code} (or ${names.coding}) is required`, names.code);
  return { code };
}

/** Loads a code or answers 404 naming the parameter. */
export async function requireCode(store: GraphStore, code: string, parameter: string): Promise<Code> {
  const [found] = await store.getCodes([code]);
  if (!found) throw new FhirError(404, 'not-found', `Unknown code ${JSON.stringify(code.slice(0, 40))} in ${ICD10_SYSTEM} (${ICD10_NAME})`, parameter);
  return found;
}
