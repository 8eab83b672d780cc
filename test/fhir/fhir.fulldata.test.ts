import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ICD10_SYSTEM, VALUE_SET_BASE } from '../../src/fhir/canonical.js';
import type { MemoryStore } from '../../src/graph/memory/MemoryStore.js';
import { expectValidFhir } from './fhirSchema.js';
import { dataStore, paramValues, startFhirServer } from './fhirServer.js';
import type { FhirTestServer } from './fhirServer.js';

const dataDir = process.env.ICDKG_DATA_DIR;
if (!dataDir) console.warn('skipped: ICDKG_DATA_DIR not set (test/fhir/fhir.fulldata.test.ts needs the full data)');

describe.skipIf(!dataDir)('FHIR terminology operations on the full data', () => {
  let store: MemoryStore;
  let server: FhirTestServer;
  beforeAll(async () => {
    store = await dataStore(dataDir);
    server = await startFhirServer(store);
  }, 120_000);
  afterAll(async () => {
    await server?.close();
  });

  async function get(path: string, params: Record<string, string>, status = 200) {
    const res = await server.get(path, params);
    expectValidFhir(res.body);
    expect(res.status).toBe(status);
    return res.body;
  }

  it('$subsumes of I20-I25 and I25.2 is subsumes', async () => {
    expect(paramValues(await get('CodeSystem/$subsumes', { system: ICD10_SYSTEM, codeA: 'I20-I25', codeB: 'I25.2' }), 'outcome')).toEqual(['subsumes']);
  });

  it('$expand of isa/I25 lists exactly the codes GraphQL descendants gives, whole and page by page', async () => {
    const codesOf = (body: Record<string, unknown>) => ((body.expansion as { contains?: { code: string }[] }).contains ?? []).map((c) => c.code);
    const { data } = (await server.query('{ code(code: "I25") { descendants(maxDepth: 20) { code } } }')).body;
    const descendants = ((data!.code as { descendants: { code: string }[] }).descendants).map((c) => c.code);
    expect(descendants.length).toBeGreaterThan(5);
    const url = `${VALUE_SET_BASE}=isa/I25`;
    const whole = await get('ValueSet/$expand', { url });
    expect([...codesOf(whole)].sort()).toEqual([...descendants].sort());
    expect((whole.expansion as { total: number }).total).toBe(descendants.length);
    const paged: string[] = [];
    const count = 4;
    for (let offset = 0; offset < descendants.length; offset += count) paged.push(...codesOf(await get('ValueSet/$expand', { url, count: String(count), offset: String(offset) })));
    expect(paged).toEqual(codesOf(whole));
    expect(codesOf(await get('ValueSet/$expand', { url, offset: String(descendants.length) }))).toEqual([]);
    expect(codesOf(await get('ValueSet/$expand', { url: `${VALUE_SET_BASE}=descendant-of/I25` }))).toEqual(codesOf(whole));
    expect(codesOf(await get('ValueSet/$expand', { url: `${VALUE_SET_BASE}=descendant-or-self/I25` }))).toEqual(['I25', ...codesOf(whole)]);
  });

  it('$expand of all codes has every code of the store', async () => {
    const body = await get('ValueSet/$expand', { url: VALUE_SET_BASE, count: '0' });
    expect((body.expansion as { total: number }).total).toBe((await store.counts()).codes);
  });

  it('$lookup says inactive for a code the МКБ-10 reference withdrew, and only for those', async () => {
    const inactive = (body: Record<string, unknown>) =>
      paramValues(body, 'property').find((p) => (p as { name: string; valueCode?: string }[]).some((x) => x.valueCode === 'inactive')) as { valueBoolean?: boolean }[];
    // A90 is ACTUAL=0 in mkb10_v2.27 and kept from RuCCoD.
    expect(inactive(await get('CodeSystem/$lookup', { code: 'A90', property: 'inactive' }))[1]!.valueBoolean).toBe(true);
    expect(inactive(await get('CodeSystem/$lookup', { code: 'I25.2', property: 'inactive' }))[1]!.valueBoolean).toBe(false);
  });

  it('$lookup of an unknown code is a 404 OperationOutcome', async () => {
    const body = await get('CodeSystem/$lookup', { system: ICD10_SYSTEM, code: 'U99.99' }, 404);
    expect(body.resourceType).toBe('OperationOutcome');
  });
});
