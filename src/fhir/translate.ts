import { compareLayers } from '../evaluation/layerEvaluation.js';
import type { GraphStore } from '../graph/GraphStore.js';
import { hierarchyRelation } from '../graph/hierarchyRelation.js';
import { CONCEPT_MAP_BASE, ICD10_SYSTEM, TRANSITION_COUNT_EXTENSION, TRANSITION_SHARE_EXTENSION } from './canonical.js';
import { codeOf, codeSystemVersion, requireCode } from './codeSystemContext.js';
import { FhirError } from './FhirError.js';
import type { OperationInput } from './parameters.js';
import type { FhirParameter, Parameters } from './resources.js';

/** R4 ConceptMap equivalences (http://hl7.org/fhir/R4/valueset-concept-map-equivalence.html) a transition can have. */
export type TransitionEquivalence = 'equivalent' | 'wider' | 'narrower' | 'relatedto';

/** The concept map a request names: a corpus and two of its layers. */
export interface TransitionMap {
  corpus: string;
  from: string;
  to: string;
}

/** The canonical URL of a transition concept map. */
export function conceptMapUrl(map: TransitionMap): string {
  return `${CONCEPT_MAP_BASE}/${encodeURIComponent(map.corpus)}/${encodeURIComponent(map.from)}/${encodeURIComponent(map.to)}`;
}

/**
 * The equivalence of a transition `source -> target` from the hierarchy relation: the target is
 * `wider` when it is an ancestor of the source (`I25.2 -> I25`), `narrower` when it is below it,
 * `equivalent` for the same code, `relatedto` otherwise (siblings, cousins, other chapters).
 *
 * @example equivalenceOf(['I25.2', 'I25', 'I20-I25', 'I00-I99'], ['I25', 'I20-I25', 'I00-I99']) // 'wider'
 */
export function equivalenceOf(sourceChain: readonly string[], targetChain: readonly string[]): TransitionEquivalence {
  const rel = hierarchyRelation(sourceChain, targetChain);
  if (rel.distance === 0) return 'equivalent';
  if (rel.lca === targetChain[0]) return 'wider';
  if (rel.lca === sourceChain[0]) return 'narrower';
  return 'relatedto';
}

/** Which corpus and layers: from `url`, or `corpus`/`sourceLayer`/`targetLayer`, or the one corpus with both default layers. */
async function mapOf(store: GraphStore, input: OperationInput): Promise<TransitionMap> {
  const url = input.string('url');
  if (url !== undefined && url !== '') {
    if (!url.startsWith(`${CONCEPT_MAP_BASE}/`)) throw new FhirError(404, 'not-found', `Unknown concept map ${JSON.stringify(url.slice(0, 200))}: this server translates with ${CONCEPT_MAP_BASE}/<corpus>[/<source layer>/<target layer>]`, 'url');
    const parts = url.slice(CONCEPT_MAP_BASE.length + 1).split('/').map(decodeURIComponent);
    if (parts.length !== 1 && parts.length !== 3) throw new FhirError(404, 'not-found', `Unknown concept map: give ${CONCEPT_MAP_BASE}/<corpus> or ${CONCEPT_MAP_BASE}/<corpus>/<source layer>/<target layer>`, 'url');
    return { corpus: parts[0]!, from: parts[1] ?? 'original', to: parts[2] ?? 'linked' };
  }
  const from = input.string('sourceLayer') || 'original';
  const to = input.string('targetLayer') || 'linked';
  const corpus = input.string('corpus');
  if (corpus) return { corpus, from, to };
  const candidates = (await store.listCorpora()).filter((c) => c.layers.includes(from) && c.layers.includes(to));
  if (candidates.length !== 1) {
    throw new FhirError(400, 'required', `Parameter url (or corpus) is required: ${candidates.length} corpora have both layers ${from} and ${to}${candidates.length > 0 ? ` (${candidates.map((c) => c.name).slice(0, 10).join(', ')})` : ''}`, 'url');
  }
  return { corpus: candidates[0]!.name, from, to };
}

/**
 * `ConceptMap/$translate` over layer transitions (DESIGN §4): for a source code, the codes that
 * replaced it between two layers of a corpus or cohort (`original` -> `linked` by default), ranked
 * by count, each a `match` with its `equivalence` from the hierarchy relation and its count and
 * share as extensions. `result` is false (with a message) when the code was never replaced.
 * Named by `url` (see {@link conceptMapUrl}) or by `corpus`, `sourceLayer`, `targetLayer`.
 *
 * @example await translate(store, OperationInput.fromQuery('?code=I25.2&corpus=ehr'))
 */
export async function translate(store: GraphStore, input: OperationInput): Promise<Parameters> {
  const version = await codeSystemVersion(store);
  const { code } = codeOf(input, version, { code: 'code', system: 'system', coding: 'coding' });
  const target = input.string('targetsystem') ?? input.string('targetSystem');
  if (target !== undefined && target !== '' && target !== ICD10_SYSTEM) throw new FhirError(404, 'not-found', 'Only translations into the ICD-10 code system itself are known (targetsystem)', 'targetsystem');
  const source = await requireCode(store, code, 'code');
  const map = await mapOf(store, input);
  const comparison = await compareLayers(store, { corpus: map.corpus, a: map.from, b: map.to });
  const rows = comparison.transitions.filter((t) => t.from === source.code);
  const url = conceptMapUrl(map);
  if (rows.length === 0) {
    return {
      resourceType: 'Parameters',
      parameter: [
        { name: 'result', valueBoolean: false },
        { name: 'message', valueString: `${source.code} is never replaced between layers ${map.from} and ${map.to} of ${map.corpus}` },
      ],
    };
  }
  const chains = await store.getAncestors([source.code, ...rows.map((r) => r.to)]);
  const chain = (i: number, c: string) => [c, ...chains[i]!.map((a) => a.code)];
  const targets = await store.getCodes(rows.map((r) => r.to));
  const parameter: FhirParameter[] = [{ name: 'result', valueBoolean: true }];
  rows.forEach((r, i) => {
    const t = targets[i];
    parameter.push({
      name: 'match',
      extension: [
        { url: TRANSITION_COUNT_EXTENSION, valueInteger: r.count },
        { url: TRANSITION_SHARE_EXTENSION, valueDecimal: Math.round(r.share * 1e6) / 1e6 },
      ],
      part: [
        { name: 'equivalence', valueCode: equivalenceOf(chain(0, source.code), chain(i + 1, r.to)) },
        { name: 'concept', valueCoding: { system: ICD10_SYSTEM, version, code: r.to, ...(t ? { display: t.title } : {}) } },
        { name: 'source', valueUri: url },
      ],
    });
  });
  return { resourceType: 'Parameters', parameter };
}
