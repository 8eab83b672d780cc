import neo4j from 'neo4j-driver';

/**
 * Converts statement parameters for the driver: JavaScript integers become Neo4j integers, so that
 * `LIMIT $limit`, `SKIP $skip` and stored offsets, depths and counts are INTEGER in the graph and
 * not FLOAT (a plain JS number is sent as a float). Non-integral numbers, strings, booleans and
 * nulls pass unchanged; arrays and plain objects are converted element by element.
 *
 * @example toDriverParameters({ limit: 10, score: 0.5 }) // { limit: Integer(10), score: 0.5 }
 */
export function toDriverParameters(parameters: Record<string, unknown>): Record<string, unknown> {
  return convert(parameters) as Record<string, unknown>;
}

function convert(value: unknown): unknown {
  if (typeof value === 'number') return Number.isSafeInteger(value) ? neo4j.int(value) : value;
  if (Array.isArray(value)) return value.map(convert);
  if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = convert(v);
    return out;
  }
  return value;
}
