import { FhirError } from './FhirError.js';

/** A FHIR `Coding` (the fields the operations read). */
export interface Coding {
  system?: string;
  version?: string;
  code?: string;
  display?: string;
}

/** One input parameter's value, whatever its FHIR type. */
export type ParameterValue = string | number | boolean | Coding;

/**
 * An operation's input parameters, from a GET query string or a POST `Parameters` resource, read
 * the same way by every operation: by name, typed on access (400 naming the parameter when a
 * value has the wrong type).
 */
export class OperationInput {
  private readonly values: Map<string, ParameterValue[]>;

  constructor(values: Map<string, ParameterValue[]>) {
    this.values = values;
  }

  /**
   * From a query string (`?code=I25.2&system=...`); FHIR search-control parameters (`_format`,
   * `_pretty`, ...) are ignored.
   *
   * @example OperationInput.fromQuery('?code=I25.2').string('code') // 'I25.2'
   */
  static fromQuery(search: string): OperationInput {
    const values = new Map<string, ParameterValue[]>();
    for (const [name, value] of new URLSearchParams(search)) {
      if (name.startsWith('_')) continue;
      const list = values.get(name) ?? [];
      list.push(value);
      values.set(name, list);
    }
    return new OperationInput(values);
  }

  /**
   * From a POST body: a `Parameters` resource (422 for anything else, as the specification has
   * servers refuse a resource they cannot process). Each `parameter` contributes its `value[x]`.
   *
   * @example OperationInput.fromParameters({ resourceType: 'Parameters', parameter: [{ name: 'code', valueCode: 'I25.2' }] })
   */
  static fromParameters(body: unknown): OperationInput {
    if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new FhirError(422, 'structure', 'The body must be a FHIR Parameters resource (a JSON object)');
    const resource = body as { resourceType?: unknown; parameter?: unknown };
    if (resource.resourceType !== 'Parameters') {
      throw new FhirError(422, 'structure', `The body must be a Parameters resource, got resourceType ${JSON.stringify(String(resource.resourceType ?? '')).slice(0, 60)}`);
    }
    const values = new Map<string, ParameterValue[]>();
    if (resource.parameter === undefined) return new OperationInput(values);
    if (!Array.isArray(resource.parameter)) throw new FhirError(422, 'structure', 'Parameters.parameter must be an array');
    resource.parameter.forEach((p: unknown, i: number) => {
      if (typeof p !== 'object' || p === null) throw new FhirError(422, 'structure', `Parameters.parameter[${i}] must be an object`);
      const entry = p as Record<string, unknown>;
      if (typeof entry.name !== 'string' || entry.name === '') throw new FhirError(422, 'structure', `Parameters.parameter[${i}].name must be a non-empty string`);
      const valueKeys = Object.keys(entry).filter((k) => k.startsWith('value'));
      if (valueKeys.length !== 1) {
        throw new FhirError(422, 'structure', `Parameters.parameter[${i}] (${entry.name}) must have exactly one value[x]; resources and parts are not taken by these operations`, entry.name);
      }
      const value = entry[valueKeys[0]!];
      if (!(typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' || (typeof value === 'object' && value !== null && !Array.isArray(value)))) {
        throw new FhirError(422, 'structure', `Parameters.parameter[${i}] (${entry.name}): ${valueKeys[0]} has an unsupported type`, entry.name);
      }
      const list = values.get(entry.name) ?? [];
      list.push(value as ParameterValue);
      values.set(entry.name, list);
    });
    return new OperationInput(values);
  }

  /** A copy with `name` set to one value (removed when `value` is undefined). */
  with(name: string, value: ParameterValue | undefined): OperationInput {
    const values = new Map(this.values);
    if (value === undefined) values.delete(name);
    else values.set(name, [value]);
    return new OperationInput(values);
  }

  /** A canonical string of every parameter and value (same input by GET or POST, same key). */
  key(): string {
    return JSON.stringify([...this.values.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).map(([k, v]) => [k, v.map(String)]));
  }

  has(name: string): boolean {
    return this.values.has(name);
  }

  private single(name: string): ParameterValue | undefined {
    const list = this.values.get(name);
    if (!list) return undefined;
    if (list.length > 1) throw new FhirError(400, 'invalid', `Parameter ${name} may be given once, got ${list.length}`, name);
    return list[0];
  }

  /** A string-like parameter (string, code, uri), trimmed; undefined when absent. */
  string(name: string): string | undefined {
    const v = this.single(name);
    if (v === undefined) return undefined;
    if (typeof v !== 'string') throw new FhirError(400, 'invalid', `Parameter ${name} must be a string`, name);
    return v.trim();
  }

  /** A required string parameter (400 naming it when absent or empty). */
  requiredString(name: string, what = ''): string {
    const v = this.string(name);
    if (v === undefined || v === '') throw new FhirError(400, 'required', `Parameter ${name} is required${what}`, name);
    return v;
  }

  /** Every value of a repeatable string parameter. */
  strings(name: string): string[] {
    return (this.values.get(name) ?? []).map((v) => {
      if (typeof v !== 'string') throw new FhirError(400, 'invalid', `Parameter ${name} must be a string`, name);
      return v.trim();
    });
  }

  /** A boolean (`true`/`false` in a query). */
  boolean(name: string): boolean | undefined {
    const v = this.single(name);
    if (v === undefined || typeof v === 'boolean') return v;
    if (v === 'true') return true;
    if (v === 'false') return false;
    throw new FhirError(400, 'invalid', 'Parameter ' + name + ' must be true or false', name);
  }

  /** A non-negative integer, at most `max`. */
  integer(name: string, max: number): number | undefined {
    const v = this.single(name);
    if (v === undefined) return undefined;
    const n = typeof v === 'number' ? v : typeof v === 'string' && /^\d{1,9}$/.test(v) ? Number(v) : NaN;
    if (!Number.isInteger(n) || n < 0) throw new FhirError(400, 'invalid', `Parameter ${name} must be a non-negative integer`, name);
    if (n > max) throw new FhirError(400, 'invalid', `Parameter ${name} must be at most ${max}, got ${n}`, name);
    return n;
  }

  /** A Coding parameter (POST only; a query cannot carry one). */
  coding(name: string): Coding | undefined {
    const v = this.single(name);
    if (v === undefined) return undefined;
    if (typeof v !== 'object') throw new FhirError(400, 'invalid', `Parameter ${name} must be a Coding`, name);
    for (const key of ['system', 'version', 'code', 'display'] as const) {
      if (v[key] !== undefined && typeof v[key] !== 'string') throw new FhirError(400, 'invalid', `Parameter ${name}.${key} must be a string`, name);
    }
    return v;
  }
}
