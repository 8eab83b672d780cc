import { readFileSync } from 'node:fs';
import {
  buildSchema,
  findBreakingChanges,
  getIntrospectionQuery,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isObjectType,
} from 'graphql';
import type { IntrospectionQuery } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { printedSchema, schemaOfTypeDefs } from '../../src/resolvers/loadTypeDefs.js';
import { startTestServer } from './testServer.js';
import type { TestServer } from './testServer.js';

const SNAPSHOT = new URL('../../schema/snapshot/schema.graphql', import.meta.url);

describe('schema: the committed printed snapshot', () => {
  it('has no breaking change against schema/snapshot/schema.graphql (a deliberate one: `npm run schema:print`)', () => {
    const committed = buildSchema(readFileSync(SNAPSHOT, 'utf8'));
    const breaking = findBreakingChanges(committed, schemaOfTypeDefs()).map((c) => `${c.type}: ${c.description}`);
    expect(breaking, 'breaking schema changes; if deliberate, run `npm run schema:print` and commit the snapshot').toEqual([]);
  });

  it('equals the SDL files printed (any change, breaking or not, updates the snapshot in the same commit)', () => {
    expect(printedSchema(), 'the schema changed: run `npm run schema:print` and commit schema/snapshot/schema.graphql').toBe(readFileSync(SNAPSHOT, 'utf8'));
  });

  it('findBreakingChanges catches a removed field and a narrowed argument (the check can fail)', () => {
    const before = buildSchema('type Query { a: Int b(x: Int): Int }');
    const after = buildSchema('type Query { b(x: Int!): Int }');
    expect(findBreakingChanges(before, after).map((c) => c.type)).toEqual(['FIELD_REMOVED', 'ARG_CHANGED_KIND']);
  });
});

describe('schema: conventions (schema/README.md)', () => {
  const schema = schemaOfTypeDefs();
  const types = Object.values(schema.getTypeMap()).filter((t) => !t.name.startsWith('__') && !['String', 'Int', 'Float', 'Boolean', 'ID'].includes(t.name));

  it('names a code value `code`/`codes`/`…Code(s)` and a code node `concept`/`concepts`/`…Concept(s)` in every type', () => {
    const wrong: string[] = [];
    for (const type of types) {
      if (!(isObjectType(type) || isInputObjectType(type)) || type.name === 'Query' || type.name === 'Code') continue;
      for (const field of Object.values(type.getFields())) {
        const named = String(field.type).replace(/[[\]!]/g, '');
        if (named === 'IcdCode' && !/^(code|codes)$|Codes?$/.test(field.name)) wrong.push(`${type.name}.${field.name}: IcdCode`);
        if (named === 'Code' && !/^(concept|concepts)$|Concepts?$/.test(field.name)) wrong.push(`${type.name}.${field.name}: Code`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('lets every cacheable entity implement Node', () => {
    const node = schema.getType('Node');
    expect(isInterfaceType(node)).toBe(true);
    const implementing = schema.getPossibleTypes(node as never).map((t) => t.name).sort();
    expect(implementing).toEqual(['Code', 'Corpus', 'Document', 'Layer', 'Mention', 'Name', 'Patient', 'PredictionEvaluation']);
    // No other object type has an `id` (an id that is not global would collide in client caches).
    const withId = types.filter((t) => isObjectType(t) && 'id' in t.getFields()).map((t) => t.name).sort();
    expect(withId).toEqual(implementing);
  });

  it('uses enums for closed sets and the Date scalar for dates', () => {
    const enumOf = (type: string, field: string) => String((schema.getType(type) as never as { getFields(): Record<string, { type: unknown }> }).getFields()[field]!.type);
    expect(enumOf('CoderInfo', 'kind')).toBe('CoderKind!');
    expect(enumOf('FrequencyBucket', 'name')).toBe('FrequencyBucketName!');
    expect(enumOf('Document', 'date')).toBe('Date');
    expect(isEnumType(schema.getType('StoreKind'))).toBe(true);
  });
});

describe('schema: introspection of the running server', () => {
  let server: TestServer;
  let introspection: IntrospectionQuery;
  beforeAll(async () => {
    server = await startTestServer();
    const { body } = await server.query(getIntrospectionQuery({ inputValueDeprecation: true }));
    expect(body.errors).toBeUndefined();
    introspection = body.data as unknown as IntrospectionQuery;
  });
  afterAll(async () => {
    await server?.close();
  });

  it('finds a description on every type, field, argument, input field and enum value', () => {
    const missing: string[] = [];
    let counted = 0;
    for (const type of introspection.__schema.types) {
      if (type.name.startsWith('__') || ['String', 'Int', 'Float', 'Boolean', 'ID'].includes(type.name)) continue;
      counted++;
      if (!type.description) missing.push(type.name);
      if ('fields' in type && type.fields) {
        for (const f of type.fields) {
          counted++;
          if (!f.description) missing.push(`${type.name}.${f.name}`);
          for (const a of f.args) {
            counted++;
            if (!a.description) missing.push(`${type.name}.${f.name}(${a.name})`);
          }
        }
      }
      if ('inputFields' in type && type.inputFields) {
        for (const f of type.inputFields) {
          counted++;
          if (!f.description) missing.push(`${type.name}.${f.name}`);
        }
      }
      if ('enumValues' in type && type.enumValues) {
        for (const v of type.enumValues) {
          counted++;
          if (!v.description) missing.push(`${type.name}.${v.name}`);
        }
      }
    }
    expect(missing).toEqual([]);
    expect(counted).toBeGreaterThan(400);
  });
});
