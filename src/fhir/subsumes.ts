import type { GraphStore } from '../graph/GraphStore.js';
import { hierarchyRelation } from '../graph/hierarchyRelation.js';
import { codeOf, codeSystemVersion, requireCode } from './codeSystemContext.js';
import type { OperationInput } from './parameters.js';
import type { Parameters } from './resources.js';

/** `$subsumes` outcomes (http://hl7.org/fhir/R4/valueset-concept-subsumption-outcome.html). */
export type SubsumptionOutcome = 'equivalent' | 'subsumes' | 'subsumed-by' | 'not-subsumed';

/**
 * `CodeSystem/$subsumes`: how code A relates to code B through PARENT hops: `subsumes` when A is
 * an ancestor of B, `subsumed-by` when B is an ancestor of A, `equivalent` for the same code,
 * `not-subsumed` otherwise. From `codeA`/`codeB` (+ `system`) or `codingA`/`codingB`; 404 for an
 * unknown code.
 *
 * @example await subsumes(store, OperationInput.fromQuery('?codeA=I20-I25&codeB=I25.2')) // outcome: subsumes
 */
export async function subsumes(store: GraphStore, input: OperationInput): Promise<Parameters> {
  const version = await codeSystemVersion(store);
  const a = codeOf(input, version, { code: 'codeA', system: 'system', coding: 'codingA' });
  const b = codeOf(input, version, { code: 'codeB', system: 'system', coding: 'codingB' });
  const [codeA, codeB] = await Promise.all([requireCode(store, a.code, 'codeA'), requireCode(store, b.code, 'codeB')]);
  const [ancA, ancB] = await store.getAncestors([codeA.code, codeB.code]);
  const rel = hierarchyRelation([codeA.code, ...ancA!.map((c) => c.code)], [codeB.code, ...ancB!.map((c) => c.code)]);
  const outcome: SubsumptionOutcome =
    rel.distance === 0 ? 'equivalent' : rel.lca === codeA.code ? 'subsumes' : rel.lca === codeB.code ? 'subsumed-by' : 'not-subsumed';
  return { resourceType: 'Parameters', parameter: [{ name: 'outcome', valueCode: outcome }] };
}
