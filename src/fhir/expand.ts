import { randomUUID } from 'node:crypto';
import type { GraphStore } from '../graph/GraphStore.js';
import type { Code } from '../graph/model.js';
import { ICD10_NAME, ICD10_SYSTEM, VALUE_SET_BASE } from './canonical.js';
import { codeSystemVersion, requireCode } from './codeSystemContext.js';
import { FhirError } from './FhirError.js';
import { designationOf } from './lookup.js';
import type { OperationInput } from './parameters.js';
import type { FhirResource } from './resources.js';

/** Longest `filter` taken (characters); longer ones are refused with 400. */
export const MAX_FILTER_LENGTH = 500;
/** More than the codes of any ICD-10 edition (about 17,800 here). */
const MAX_SEARCH_HITS = 100_000;
/** Largest `count` / `offset` taken. */
const MAX_PAGE = 1_000_000;

/** An implicit value set: all codes, or the codes at or below one code. */
export type ImplicitValueSet = { kind: 'all' } | { kind: 'isa' | 'descendant-of'; code: string };

/**
 * Parses an implicit value set URL (see `VALUE_SET_BASE`); null for any other URL.
 *
 * @example parseValueSetUrl('urn:oid:1.2.643.5.1.13.13.11.1005?fhir_vs=isa/I25') // { kind: 'isa', code: 'I25' }
 */
export function parseValueSetUrl(url: string): ImplicitValueSet | null {
  if (url === VALUE_SET_BASE) return { kind: 'all' };
  if (!url.startsWith(`${VALUE_SET_BASE}=`)) return null;
  const rest = decodeURIComponent(url.slice(VALUE_SET_BASE.length + 1));
  const m = /^(isa|descendant-of)\/(.+)$/.exec(rest);
  return m ? { kind: m[1] as 'isa' | 'descendant-of', code: m[2]!.trim() } : null;
}

/** The members of a value set, in pre-order by code (a chapter, then its blocks, ...). */
async function members(store: GraphStore, vs: ImplicitValueSet): Promise<Code[]> {
  if (vs.kind === 'all') {
    const out: Code[] = [];
    for (const chapter of await store.chapters()) {
      out.push(chapter);
      for (const c of await store.getDescendants(chapter.code, Infinity)) out.push(c);
    }
    return out;
  }
  const root = await requireCode(store, vs.code, 'url');
  const below = await store.getDescendants(root.code, Infinity);
  return vs.kind === 'isa' ? [root, ...below] : below;
}

/**
 * `ValueSet/$expand` of an implicit value set (`url`): all codes (`<system>?fhir_vs`), a code and
 * everything below it (`?fhir_vs=isa/I20-I25`: a block; `isa/I00-I99`: a chapter), or only what is
 * below (`?fhir_vs=descendant-of/I25`: exactly the `descendants` of the GraphQL API). `filter`
 * keeps the codes whose names match by the same ranked, typo-tolerant search as `searchCodes`
 * (best first); `offset` and `count` page; `includeDesignations` adds every name.
 * 404 for an unknown value set or code, 400 for bad parameters.
 *
 * @example await expand(store, OperationInput.fromQuery('?url=' + encodeURIComponent('urn:oid:1.2.643.5.1.13.13.11.1005?fhir_vs=isa/I25')))
 */
export async function expand(store: GraphStore, input: OperationInput): Promise<FhirResource> {
  const url = input.requiredString('url', ' (the value set to expand, e.g. ' + VALUE_SET_BASE + '=isa/I25)');
  const vs = parseValueSetUrl(url);
  if (!vs) throw new FhirError(404, 'not-found', `Unknown value set ${JSON.stringify(url.slice(0, 200))}: this server expands ${VALUE_SET_BASE}, ${VALUE_SET_BASE}=isa/<code> and ${VALUE_SET_BASE}=descendant-of/<code>`, 'url');
  const filter = input.string('filter');
  if (filter !== undefined && filter.length > MAX_FILTER_LENGTH) throw new FhirError(400, 'too-long', `Parameter filter must be at most ${MAX_FILTER_LENGTH} characters, got ${filter.length}`, 'filter');
  const offset = input.integer('offset', MAX_PAGE) ?? 0;
  const count = input.integer('count', MAX_PAGE);
  const includeDesignations = input.boolean('includeDesignations') ?? false;
  const valueSetVersion = input.string('valueSetVersion');
  const version = await codeSystemVersion(store);
  if (valueSetVersion !== undefined && valueSetVersion !== version) {
    throw new FhirError(404, 'not-found', `Unknown version ${JSON.stringify(valueSetVersion.slice(0, 100))} of the value set: this server holds version ${version}`, 'valueSetVersion');
  }

  let codes = await members(store, vs);
  if (filter !== undefined && filter !== '') {
    const byCode = new Map(codes.map((c) => [c.code, c]));
    // One hit per code: asking for more hits than ICD-10 has codes keeps every match.
    const hits = await store.searchNames(filter, { first: MAX_SEARCH_HITS });
    codes = hits.map((h) => byCode.get(h.code)).filter((c): c is Code => c !== undefined);
  }
  const page = codes.slice(offset, count === undefined ? undefined : offset + count);
  const names = includeDesignations ? await store.getNames(page.map((c) => c.code)) : null;
  const contains = page.map((c, i) => ({
    system: ICD10_SYSTEM,
    code: c.code,
    display: c.title,
    ...(names ? { designation: names[i]!.map(designationOf) } : {}),
  }));
  const parameter: Record<string, unknown>[] = [{ name: 'version', valueUri: `${ICD10_SYSTEM}|${version}` }, { name: 'offset', valueInteger: offset }];
  if (count !== undefined) parameter.push({ name: 'count', valueInteger: count });
  if (filter !== undefined && filter !== '') parameter.push({ name: 'filter', valueString: filter });
  if (includeDesignations) parameter.push({ name: 'includeDesignations', valueBoolean: true });
  return {
    resourceType: 'ValueSet',
    url,
    version,
    name: vs.kind === 'all' ? 'ICD10All' : `ICD10_${vs.kind === 'isa' ? 'IsA' : 'DescendantOf'}_${vs.code.replace(/[^\w]/g, '_')}`,
    title: vs.kind === 'all' ? `${ICD10_NAME}: all codes` : `${ICD10_NAME}: ${vs.kind === 'isa' ? `${vs.code} and the codes below it` : `the codes below ${vs.code}`}`,
    status: 'active',
    expansion: {
      identifier: `urn:uuid:${randomUUID()}`,
      timestamp: new Date().toISOString(),
      total: codes.length,
      offset,
      parameter,
      ...(contains.length > 0 ? { contains } : {}),
    },
  };
}
