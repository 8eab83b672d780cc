import type { GraphStore } from '../graph/GraphStore.js';
import { VALUE_SET_BASE } from './canonical.js';
import { codeOf, codeSystemVersion } from './codeSystemContext.js';
import { KNOWN_VALUE_SETS, parseValueSetUrl } from './expand.js';
import { FhirError } from './FhirError.js';
import type { OperationInput } from './parameters.js';
import type { Parameters } from './resources.js';
import { validateCode } from './validateCode.js';

/**
 * `ValueSet/$validate-code` for the implicit value sets of `$expand`: `result` true when the code
 * is in the code system (display checked as `CodeSystem/$validate-code` does) and in the value
 * set (`isa/<code>` and its alias `descendant-of/<code>`: strictly below it; `descendant-or-self/<code>`:
 * that code or below it), with a
 * `message` otherwise. 404 for an unknown value set.
 *
 * @example await validateCodeInValueSet(store, OperationInput.fromQuery('?url=...%3Ffhir_vs%3Disa%2FI20-I25&code=I25.2'))
 */
export async function validateCodeInValueSet(store: GraphStore, input: OperationInput): Promise<Parameters> {
  const url = input.requiredString('url', ` (the value set, e.g. ${VALUE_SET_BASE}=isa/I25)`);
  const vs = parseValueSetUrl(url);
  if (!vs) throw new FhirError(404, 'not-found', `Unknown value set ${JSON.stringify(url.slice(0, 200))}: this server knows ${KNOWN_VALUE_SETS}`, 'url');
  const version = await codeSystemVersion(store);
  const { code } = codeOf(input, version, { code: 'code', system: 'system', coding: 'coding' });
  const inSystem = await validateCode(store, input.with('url', undefined));
  const ok = inSystem.parameter.find((p) => p.name === 'result')?.valueBoolean === true;
  if (!ok || vs.kind === 'all') return inSystem;
  const [root] = await store.getCodes([vs.code]);
  if (!root) throw new FhirError(404, 'not-found', `Unknown value set ${JSON.stringify(url.slice(0, 200))}: no code ${JSON.stringify(vs.code.slice(0, 40))}`, 'url');
  const [ancestors] = await store.getAncestors([code]);
  const member = ancestors!.some((a) => a.code === root.code) || (vs.kind === 'descendant-or-self' && code === root.code);
  if (member) return inSystem;
  return {
    resourceType: 'Parameters',
    parameter: [
      { name: 'result', valueBoolean: false },
      { name: 'message', valueString: `${code} is not in the value set ${url}` },
      ...inSystem.parameter.filter((p) => p.name === 'display'),
    ],
  };
}
