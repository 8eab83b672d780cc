import type { GraphStore } from '../graph/GraphStore.js';
import { normalizeText } from '../text/normalizeText.js';
import { ICD10_SYSTEM } from './canonical.js';
import { codeOf, codeSystemVersion } from './codeSystemContext.js';
import type { OperationInput } from './parameters.js';
import type { FhirParameter, Parameters } from './resources.js';

/**
 * `CodeSystem/$validate-code`: `result` true when the code is in the code system and, if a
 * `display` is given, it is one of the code's names (compared normalised: case, `ё`, punctuation
 * and spacing do not matter); otherwise false with a `message` saying why. The preferred display
 * is returned for known codes. An unknown code is a `false` result, not an error (the operation
 * exists to ask); an unknown system or version is a 404.
 *
 * @example await validateCode(store, OperationInput.fromQuery('?code=I25.2&display=Перенесенный в прошлом инфаркт миокарда'))
 */
export async function validateCode(store: GraphStore, input: OperationInput): Promise<Parameters> {
  const version = await codeSystemVersion(store);
  if (input.has('url') && !input.has('system')) {
    // CodeSystem/$validate-code names the code system by `url`.
    const url = input.string('url');
    if (url !== undefined && !input.has('coding')) input = input.with('system', url).with('url', undefined);
  }
  const { code, display: codingDisplay } = codeOf(input, version, { code: 'code', system: 'system', coding: 'coding' });
  const display = input.string('display') ?? codingDisplay;
  const [found] = await store.getCodes([code]);
  const parameter: FhirParameter[] = [];
  if (!found) {
    parameter.push({ name: 'result', valueBoolean: false }, { name: 'message', valueString: `Unknown code ${JSON.stringify(code.slice(0, 40))} in ${ICD10_SYSTEM} version ${version}` });
    return { resourceType: 'Parameters', parameter };
  }
  if (display === undefined || display === '') {
    parameter.push({ name: 'result', valueBoolean: true }, { name: 'display', valueString: found.title });
    return { resourceType: 'Parameters', parameter };
  }
  const [names] = await store.getNames([found.code]);
  const wanted = normalizeText(display);
  const ok = normalizeText(found.title) === wanted || (names ?? []).some((n) => n.normalized === wanted);
  parameter.push({ name: 'result', valueBoolean: ok });
  if (!ok) parameter.push({ name: 'message', valueString: `The display given (${display.length} characters) is not a name of ${found.code}; its preferred display is given in "display"` });
  parameter.push({ name: 'display', valueString: found.title });
  return { resourceType: 'Parameters', parameter };
}
