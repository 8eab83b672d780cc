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

/**
 * An implicit value set: all codes; the codes strictly below one code (`isa`, exactly the GraphQL
 * `descendants`); or that code and the codes below it (`descendant-or-self`, FHIR's `is-a`).
 */
export type ImplicitValueSet = { kind: 'all' } | { kind: 'isa' | 'descendant-or-self'; code: string };

/** `<form>/<code>` of an implicit value set URL -> its kind; `descendant-of` is an alias of `isa`. */
const FORMS: Readonly<Record<string, 'isa' | 'descendant-or-self'>> = {
  isa: 'isa',
  'descendant-of': 'isa',
  'descendant-or-self': 'descendant-or-self',
};

/**
 * Parses an implicit value set URL (see `VALUE_SET_BASE`); null for any other URL.
 *
 * @example parseValueSetUrl('urn:oid:1.2.643.5.1.13.13.11.1005?fhir_vs=isa/I25') // { kind: 'isa', code: 'I25' }
 */
export function parseValueSetUrl(url: string): ImplicitValueSet | null {
  if (url === VALUE_SET_BASE) return { kind: 'all' };
  if (!url.startsWith(`${VALUE_SET_BASE}=`)) return null;
  const rest = decodeURIComponent(url.slice(VALUE_SET_BASE.length + 1));
  const m = /^([a-z-]+)\/(.+)$/.exec(rest);
  const kind = m ? FORMS[m[1]!] : undefined;
  return kind ? { kind, code: m![2]!.trim() } : null;
}

/** What an unknown value set's error lists. */
export const KNOWN_VALUE_SETS = `${VALUE_SET_BASE}, ${VALUE_SET_BASE}=isa/<code> (the codes below it; alias descendant-of/<code>) and ${VALUE_SET_BASE}=descendant-or-self/<code>`;

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
  return vs.kind === 'descendant-or-self' ? [root, ...below] : below;
}

/**
 * `ValueSet/$expand` of an implicit value set (`url`): all codes (`<system>?fhir_vs`), the codes
 * below a code (`?fhir_vs=isa/I25`: exactly the GraphQL `descendants` without a depth limit, the
 * code itself excluded; `descendant-of/I25` is an alias; `isa/I00-I99`: a chapter's codes), or a
 * code and the codes below it (`?fhir_vs=descendant-or-self/I25`, FHIR's `is-a`). `filter`
 * keeps the codes whose names match by the same ranked, typo-tolerant search as `searchCodes`
 * (best first); `offset` and `count` page; `includeDesignations` adds every name.
 * 404 for an unknown value set or code, 400 for bad parameters.
 *
 * @example await expand(store, OperationInput.fromQuery('?url=' + encodeURIComponent('urn:oid:1.2.643.5.1.13.13.11.1005?fhir_vs=isa/I25')))
 */
export async function expand(store: GraphStore, input: OperationInput): Promise<FhirResource> {
  const url = input.requiredString('url', ' (the value set to expand, e.g. ' + VALUE_SET_BASE + '=isa/I25)');
  const vs = parseValueSetUrl(url);
  if (!vs) throw new FhirError(404, 'not-found', `Unknown value set ${JSON.stringify(url.slice(0, 200))}: this server expands ${KNOWN_VALUE_SETS}`, 'url');
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
    name: vs.kind === 'all' ? 'ICD10All' : `ICD10_${vs.kind === 'isa' ? 'IsA' : 'DescendantOrSelf'}_${vs.code.replace(/[^\w]/g, '_')}`,
    title: vs.kind === 'all' ? `${ICD10_NAME}: all codes` : `${ICD10_NAME}: ${vs.kind === 'isa' ? `the codes below ${vs.code}` : `${vs.code} and the codes below it`}`,
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
