import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ICD10_SYSTEM, VALUE_SET_BASE } from '../../src/fhir/canonical.js';
import type { MemoryStore } from '../../src/graph/memory/MemoryStore.js';
import { expectValidFhir } from './fhirSchema.js';
import { dataStore, paramValues, partValue, startFhirServer } from './fhirServer.js';
import type { FhirTestServer } from './fhirServer.js';

let store: MemoryStore;
let server: FhirTestServer;
let version: string;

beforeAll(async () => {
  store = await dataStore();
  version = (await store.info()).dataVersion!;
  // Two layers of the sample corpus for $translate: I25.2 replaced by I11.9 in two documents, by I25 in one.
  const [corpus] = await store.listCorpora();
  const ids = (await store.listDocumentIds(corpus!.name, null)).slice(0, 4);
  const layer = (name: string, codes: string[][]) => ids.map((documentId, i) => ({ documentId, layer: name, mentions: [], codes: codes[i]! }));
  await store.putLayer(corpus!.name, 'original', layer('original', [['I25.2'], ['I25.2', 'E11.9'], ['I25.2'], ['I10']]));
  await store.putLayer(corpus!.name, 'linked', layer('linked', [['I11.9'], ['I11.9', 'E11.9'], ['I25'], ['I10']]));
  server = await startFhirServer(store);
}, 60_000);
afterAll(async () => {
  await server?.close();
});

/** Every response of these tests goes through here: FHIR JSON, valid against the R4 schema. */
async function get(path: string, params: Record<string, string | string[]> = {}, status = 200) {
  const res = await server.get(path, params);
  expect(res.type).toBe('application/fhir+json; charset=utf-8');
  expectValidFhir(res.body);
  expect(res.status).toBe(status);
  return res.body;
}
async function post(path: string, parameter: Record<string, unknown>[], status = 200) {
  const res = await server.post(path, parameter);
  expect(res.type).toBe('application/fhir+json; charset=utf-8');
  expectValidFhir(res.body);
  expect(res.status).toBe(status);
  return res.body;
}
function expectOutcome(body: Record<string, unknown>, code: string, expression?: string) {
  expect(body.resourceType).toBe('OperationOutcome');
  const [issue] = body.issue as { severity: string; code: string; expression?: string[] }[];
  expect(issue!.severity).toBe('error');
  expect(issue!.code).toBe(code);
  if (expression) expect(issue!.expression).toEqual([expression]);
}

describe('FHIR metadata', () => {
  it('is a CapabilityStatement listing the terminology operations', async () => {
    const body = await get('metadata');
    expect(body.resourceType).toBe('CapabilityStatement');
    expect(body.fhirVersion).toBe('4.0.1');
    const resources = (body.rest as { resource: { type: string; operation: { name: string }[] }[] }[])[0]!.resource;
    expect(Object.fromEntries(resources.map((r) => [r.type, r.operation.map((o) => o.name)]))).toEqual({
      CodeSystem: ['lookup', 'validate-code', 'subsumes'],
      ValueSet: ['expand', 'validate-code'],
      ConceptMap: ['translate'],
    });
  });

  it('with mode=terminology is TerminologyCapabilities naming the code system and its data version', async () => {
    const body = await get('metadata', { mode: 'terminology' });
    expect(body.resourceType).toBe('TerminologyCapabilities');
    expect(body.codeSystem).toEqual([expect.objectContaining({ uri: ICD10_SYSTEM, version: [expect.objectContaining({ code: version, isDefault: true })] })]);
  });

  it('refuses an unknown mode with 400', async () => {
    expectOutcome(await get('metadata', { mode: 'everything' }, 400), 'invalid', 'mode');
  });
});

describe('CodeSystem/$lookup', () => {
  it('gives display, designations of every source, parent, children and kind', async () => {
    const body = await get('CodeSystem/$lookup', { system: ICD10_SYSTEM, code: 'I25' });
    const [code] = await store.getCodes(['I25']);
    const [names] = await store.getNames(['I25']);
    const [children] = await store.getChildren(['I25']);
    expect(paramValues(body, 'display')).toEqual([code!.title]);
    expect(paramValues(body, 'version')).toEqual([version]);
    const designations = paramValues(body, 'designation');
    expect(designations.map((d) => [partValue(d, 'value'), partValue(d, 'language'), (partValue(d, 'use') as { code: string }).code])).toEqual(
      names!.map((n) => [n.text, n.lang, n.source]),
    );
    const props = paramValues(body, 'property').map((p) => [partValue(p, 'code'), partValue(p, 'value')]);
    expect(props).toEqual([['kind', 'category'], ['inactive', false], ['parent', 'I20-I25'], ...children!.map((c) => ['child', c.code])]);
    expect(children!.length).toBeGreaterThan(1);
  });

  it('answers the same through POST, and restricts properties to those asked for', async () => {
    const viaGet = await get('CodeSystem/$lookup', { code: 'I25.2', property: 'parent' });
    const viaPost = await post('CodeSystem/$lookup', [{ name: 'coding', valueCoding: { system: ICD10_SYSTEM, code: 'I25.2' } }, { name: 'property', valueCode: 'parent' }]);
    expect(viaPost).toEqual(viaGet);
    expect(paramValues(viaGet, 'property').map((p) => partValue(p, 'code'))).toEqual(['parent']);
  });

  it('accepts the WHO ICD-10 URL as an alias of the system', async () => {
    expect(paramValues(await get('CodeSystem/$lookup', { system: 'http://hl7.org/fhir/sid/icd-10', code: 'I25.2' }), 'display')).toHaveLength(1);
  });

  it('answers an unknown code with a 404 OperationOutcome', async () => {
    expectOutcome(await get('CodeSystem/$lookup', { system: ICD10_SYSTEM, code: 'X99.9' }, 404), 'not-found', 'code');
  });

  it('answers another code system or version with 404, a missing code with 400', async () => {
    expectOutcome(await get('CodeSystem/$lookup', { system: 'http://loinc.org', code: 'I25.2' }, 404), 'not-found', 'system');
    expectOutcome(await get('CodeSystem/$lookup', { code: 'I25.2', version: 'v0' }, 404), 'not-found', 'version');
    expectOutcome(await get('CodeSystem/$lookup', { system: ICD10_SYSTEM }, 400), 'required', 'code');
    expectOutcome(await get('CodeSystem/$lookup', { code: ['I25', 'I25.2'] }, 400), 'invalid', 'code');
  });
});

describe('CodeSystem/$validate-code', () => {
  it('accepts a known code, with its title or any of its names as display (normalised)', async () => {
    const [code] = await store.getCodes(['I25.2']);
    const ok = await get('CodeSystem/$validate-code', { url: ICD10_SYSTEM, code: 'I25.2' });
    expect(paramValues(ok, 'result')).toEqual([true]);
    expect(paramValues(ok, 'display')).toEqual([code!.title]);
    const shouted = await get('CodeSystem/$validate-code', { url: ICD10_SYSTEM, code: 'I25.2', display: ` ${code!.title.toUpperCase()} ` });
    expect(paramValues(shouted, 'result')).toEqual([true]);
  });

  it('refuses a wrong display and an unknown code with result false and a message', async () => {
    const wrong = await post('CodeSystem/$validate-code', [{ name: 'url', valueUri: ICD10_SYSTEM }, { name: 'code', valueCode: 'I25.2' }, { name: 'display', valueString: 'Сахарный диабет' }]);
    expect(paramValues(wrong, 'result')).toEqual([false]);
    expect(paramValues(wrong, 'message')[0]).not.toContain('Сахарный');
    const unknown = await get('CodeSystem/$validate-code', { url: ICD10_SYSTEM, code: 'X99.9' });
    expect(paramValues(unknown, 'result')).toEqual([false]);
    expect(paramValues(unknown, 'message')).toHaveLength(1);
  });
});

describe('CodeSystem/$subsumes', () => {
  it.each([
    ['I20-I25', 'I25.2', 'subsumes'],
    ['I25.2', 'I20-I25', 'subsumed-by'],
    ['I00-I99', 'I25.2', 'subsumes'],
    ['I25.2', 'I25.2', 'equivalent'],
    ['I25.2', 'I11.9', 'not-subsumed'],
    ['I25.2', 'E11.9', 'not-subsumed'],
  ])('%s vs %s is %s', async (codeA, codeB, outcome) => {
    expect(paramValues(await get('CodeSystem/$subsumes', { system: ICD10_SYSTEM, codeA, codeB }), 'outcome')).toEqual([outcome]);
  });

  it('takes codings through POST and answers an unknown code with 404', async () => {
    const body = await post('CodeSystem/$subsumes', [
      { name: 'codingA', valueCoding: { system: ICD10_SYSTEM, code: 'I20-I25' } },
      { name: 'codingB', valueCoding: { system: ICD10_SYSTEM, code: 'I25.2' } },
    ]);
    expect(paramValues(body, 'outcome')).toEqual(['subsumes']);
    expectOutcome(await get('CodeSystem/$subsumes', { codeA: 'I25', codeB: 'X99' }, 404), 'not-found', 'codeB');
  });
});

describe('ValueSet/$expand', () => {
  const codesOf = (body: Record<string, unknown>) => ((body.expansion as { contains?: { code: string }[] }).contains ?? []).map((c) => c.code);
  const totalOf = (body: Record<string, unknown>) => (body.expansion as { total: number }).total;

  /** Every code of an expansion, read page by page (`count` codes from `offset` 0, 0 + count, ...). */
  async function pagedCodes(url: string, count: number): Promise<{ codes: string[]; pages: number }> {
    const codes: string[] = [];
    let pages = 0;
    for (let offset = 0; ; offset += count) {
      const page = await get('ValueSet/$expand', { url, count: String(count), offset: String(offset) });
      const got = codesOf(page);
      pages++;
      expect((page.expansion as { offset: number }).offset).toBe(offset);
      codes.push(...got);
      if (offset + count >= totalOf(page)) break;
      expect(got).toHaveLength(count);
    }
    return { codes, pages };
  }

  it('isa/I25 lists exactly the codes GraphQL `descendants` gives (I25 itself not among them), also page by page', async () => {
    const { data } = (await server.query('{ code(code: "I25") { descendants(maxDepth: 20) { code } } }')).body;
    const descendants = ((data!.code as { descendants: { code: string }[] }).descendants).map((c) => c.code);
    expect(descendants.length).toBeGreaterThan(2);
    expect(descendants).not.toContain('I25');
    const isa = await get('ValueSet/$expand', { url: `${VALUE_SET_BASE}=isa/I25` });
    expect([...codesOf(isa)].sort()).toEqual([...descendants].sort());
    expect(totalOf(isa)).toBe(descendants.length);
    // Pages of 2 (the last one short or exact) put together are the whole expansion, no code twice.
    const paged = await pagedCodes(`${VALUE_SET_BASE}=isa/I25`, 2);
    expect(paged.pages).toBeGreaterThan(1);
    expect(paged.codes).toEqual(codesOf(isa));
    // descendant-of/ is an alias; descendant-or-self/ adds the code itself (FHIR's is-a).
    expect(codesOf(await get('ValueSet/$expand', { url: `${VALUE_SET_BASE}=descendant-of/I25` }))).toEqual(codesOf(isa));
    const orSelf = await get('ValueSet/$expand', { url: `${VALUE_SET_BASE}=descendant-or-self/I25` });
    expect(codesOf(orSelf)).toEqual(['I25', ...codesOf(isa)]);
    expect((isa as { title: string }).title).not.toBe((orSelf as { title: string }).title);
  });

  it('expands all codes and a chapter (every code whose chain reaches it)', async () => {
    const all = await get('ValueSet/$expand', { url: VALUE_SET_BASE });
    expect(totalOf(all)).toBe((await store.counts()).codes);
    // fetch asks for gzip and inflates it: a large expansion comes compressed.
    const res = await fetch(`${server.fhirBase}/ValueSet/$expand?url=${encodeURIComponent(VALUE_SET_BASE)}`);
    expect(res.headers.get('content-encoding')).toBe('gzip');
    expect(await res.json()).toEqual(all);
    expect(new Set(codesOf(all)).size).toBe(totalOf(all));
    const chapter = await get('ValueSet/$expand', { url: `${VALUE_SET_BASE}=isa/I00-I99` });
    const inChapter = codesOf(chapter);
    const chains = await store.getAncestors(codesOf(all));
    const expected = codesOf(all).filter((c, i) => chains[i]!.some((a) => a.code === 'I00-I99'));
    expect([...inChapter].sort()).toEqual([...expected].sort());
    expect(inChapter).not.toContain('I00-I99');
  });

  it('filters with the typo-tolerant search of searchCodes, best first, within the value set', async () => {
    const hits = (await store.searchNames('ишемичская болезнь', { first: 1000 })).map((h) => h.code);
    const body = await get('ValueSet/$expand', { url: `${VALUE_SET_BASE}=isa/I20-I25`, filter: 'ишемичская болезнь' });
    const inBlock = new Set((await store.getDescendants('I20-I25', Infinity)).map((c) => c.code));
    expect(codesOf(body)).toEqual(hits.filter((c) => inBlock.has(c)));
    expect(codesOf(body).length).toBeGreaterThan(0);
  });

  it('pages with offset and count, and adds designations on request', async () => {
    const whole = codesOf(await get('ValueSet/$expand', { url: VALUE_SET_BASE }));
    const page = await get('ValueSet/$expand', { url: VALUE_SET_BASE, offset: '5', count: '7', includeDesignations: 'true' });
    expect(codesOf(page)).toEqual(whole.slice(5, 12));
    expect(totalOf(page)).toBe(whole.length);
    const contains = (page.expansion as { contains: { code: string; designation: { value: string }[] }[] }).contains;
    const names = await store.getNames(contains.map((c) => c.code));
    expect(contains.map((c) => c.designation.map((d) => d.value))).toEqual(names.map((list) => list.map((n) => n.text)));
    const viaPost = await post('ValueSet/$expand', [{ name: 'url', valueUri: VALUE_SET_BASE }, { name: 'offset', valueInteger: 5 }, { name: 'count', valueInteger: 7 }]);
    expect(codesOf(viaPost)).toEqual(whole.slice(5, 12));
  });

  it('answers a repeated expansion from the cache, identical, and the same by GET and POST', async () => {
    const first = await get('ValueSet/$expand', { url: `${VALUE_SET_BASE}=isa/I00-I99`, count: '3' });
    const again = await get('ValueSet/$expand', { url: `${VALUE_SET_BASE}=isa/I00-I99`, count: '3' });
    expect(again).toEqual(first);
    const viaPost = await post('ValueSet/$expand', [{ name: 'url', valueUri: `${VALUE_SET_BASE}=isa/I00-I99` }, { name: 'count', valueInteger: 3 }]);
    expect(viaPost).toEqual(first);
    // A different page is a different expansion.
    expect(codesOf(await get('ValueSet/$expand', { url: `${VALUE_SET_BASE}=isa/I00-I99`, count: '3', offset: '1' }))).toEqual(codesOf(first).slice(1).concat(codesOf(await get('ValueSet/$expand', { url: `${VALUE_SET_BASE}=isa/I00-I99`, count: '4' }))[3]!));
  });

  it('answers an unknown value set or code with 404 and bad paging with 400', async () => {
    expectOutcome(await get('ValueSet/$expand', { url: 'http://example.org/vs' }, 404), 'not-found', 'url');
    expectOutcome(await get('ValueSet/$expand', { url: `${VALUE_SET_BASE}=isa/X99` }, 404), 'not-found', 'url');
    expectOutcome(await get('ValueSet/$expand', {}, 400), 'required', 'url');
    expectOutcome(await get('ValueSet/$expand', { url: VALUE_SET_BASE, count: '-1' }, 400), 'invalid', 'count');
    expectOutcome(await get('ValueSet/$expand', { url: VALUE_SET_BASE, includeDesignations: 'yes' }, 400), 'invalid', 'includeDesignations');
  });
});

describe('ValueSet/$validate-code', () => {
  it.each([
    ['isa/I20-I25', 'I25.2', true],
    ['isa/I25', 'I25', false],
    ['isa/I25', 'I25.2', true],
    ['descendant-of/I25', 'I25', false],
    ['descendant-of/I25', 'I25.2', true],
    ['descendant-or-self/I25', 'I25', true],
    ['descendant-or-self/I25', 'I25.2', true],
    ['descendant-or-self/I25', 'I20.0', false],
    ['isa/I20-I25', 'I11.9', false],
    ['isa/I20-I25', 'X99.9', false],
  ])('%s contains %s: %s', async (vs, code, result) => {
    const body = await get('ValueSet/$validate-code', { url: `${VALUE_SET_BASE}=${vs}`, code });
    expect(paramValues(body, 'result')).toEqual([result]);
    if (!result) expect(paramValues(body, 'message')).toHaveLength(1);
  });

  it('checks the display too, and answers an unknown value set with 404', async () => {
    const body = await post('ValueSet/$validate-code', [
      { name: 'url', valueUri: VALUE_SET_BASE },
      { name: 'coding', valueCoding: { system: ICD10_SYSTEM, code: 'I25.2', display: 'Сахарный диабет' } },
    ]);
    expect(paramValues(body, 'result')).toEqual([false]);
    expectOutcome(await get('ValueSet/$validate-code', { url: 'http://example.org/vs', code: 'I25.2' }, 404), 'not-found', 'url');
  });
});

describe('ConceptMap/$translate', () => {
  it('ranks the codes that replaced a code between original and linked, with equivalence and count', async () => {
    const body = await get('ConceptMap/$translate', { system: ICD10_SYSTEM, code: 'I25.2' });
    expect(paramValues(body, 'result')).toEqual([true]);
    const matches = (body.parameter as { name: string; part?: unknown; extension?: { url: string; valueInteger?: number }[] }[]).filter((p) => p.name === 'match');
    expect(matches.map((m) => [(partValue(m.part, 'concept') as { code: string }).code, partValue(m.part, 'equivalence'), m.extension![0]!.valueInteger])).toEqual([
      ['I11.9', 'relatedto', 2],
      ['I25', 'wider', 1],
    ]);
  });

  it('takes the concept map by url (layers reversed: I25 narrows to I25.2) and by POST', async () => {
    const [corpus] = await store.listCorpora();
    const url = `urn:icdkg:ConceptMap:transitions/${encodeURIComponent(corpus!.name)}/linked/original`;
    const body = await post('ConceptMap/$translate', [{ name: 'url', valueUri: url }, { name: 'code', valueCode: 'I25' }]);
    const [match] = paramValues(body, 'match');
    expect([(partValue(match, 'concept') as { code: string }).code, partValue(match, 'equivalence')]).toEqual(['I25.2', 'narrower']);
  });

  it('says result false for a code never replaced, 404 for an unknown map', async () => {
    expect(paramValues(await get('ConceptMap/$translate', { code: 'I10' }), 'result')).toEqual([false]);
    expectOutcome(await get('ConceptMap/$translate', { code: 'I10', url: 'http://example.org/cm' }, 404), 'not-found', 'url');
    expectOutcome(await get('ConceptMap/$translate', { code: 'I10', corpus: 'nope' }, 404), 'not-found', 'corpus');
  });
});

describe('FHIR request errors', () => {
  it('refuses a body that is not a Parameters resource with 422, bad JSON with 400, other types with 415', async () => {
    const send = (body: string, type = 'application/fhir+json') =>
      fetch(`${server.fhirBase}/CodeSystem/$lookup`, { method: 'POST', headers: { 'content-type': type }, body }).then(async (r) => ({ status: r.status, body: (await r.json()) as Record<string, unknown> }));
    for (const [body, status, type] of [
      ['{"resourceType":"Patient"}', 422, undefined],
      ['[1]', 422, undefined],
      ['{"resourceType":"Parameters","parameter":[{"name":"code"}]}', 422, undefined],
      ['{', 400, undefined],
      ['code=I25', 415, 'text/plain'],
    ] as const) {
      const res = await send(body, type);
      expect(res.status).toBe(status);
      expectValidFhir(res.body);
      expect(res.body.resourceType).toBe('OperationOutcome');
    }
  });

  it('answers unknown paths with 404 and other methods with 405', async () => {
    expectOutcome(await get('Patient/1', {}, 404), 'not-found');
    const res = await fetch(`${server.fhirBase}/CodeSystem/$lookup`, { method: 'DELETE' });
    expect(res.status).toBe(405);
    expectValidFhir(await res.json());
  });
});
