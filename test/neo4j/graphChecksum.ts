import { createHash } from 'node:crypto';
import neo4j from 'neo4j-driver';
import type { Config } from '../../src/config.js';

/** Properties that record when an import ran, not what it wrote: left out of the checksum. */
const RUN_STAMPS = new Set(['importedAt']);

function canonical(value: unknown): string {
  if (neo4j.isInt(value)) return `i${value.toString()}`;
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([k]) => !RUN_STAMPS.has(k));
    return `{${entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([k, v]) => `${k}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

export interface GraphSummary {
  /** Nodes per label set and relationships per type. */
  counts: Record<string, number>;
  /** sha256 over every node (labels, properties) and relationship (type, ends' keys, properties), sorted. */
  checksum: string;
}

/**
 * Counts and a checksum of everything in the configured Neo4j database, for "a second import
 * changes nothing" (element ids are left out: they are not part of what an import writes).
 *
 * @example const before = await graphSummary(config); await seed(); expect(await graphSummary(config)).toEqual(before);
 */
export async function graphSummary(config: Config): Promise<GraphSummary> {
  const { uri, username, password, database } = config.neo4j;
  const driver = neo4j.driver(uri!, neo4j.auth.basic(username, password));
  try {
    const lines: string[] = [];
    const counts: Record<string, number> = {};
    const nodes = await driver.executeQuery('MATCH (n) RETURN labels(n) AS labels, properties(n) AS props', {}, { database });
    for (const r of nodes.records) {
      const labels = (r.get('labels') as string[]).slice().sort().join(':');
      counts[labels] = (counts[labels] ?? 0) + 1;
      lines.push(`N ${labels} ${canonical(r.get('props'))}`);
    }
    const rels = await driver.executeQuery(
      'MATCH (a)-[r]->(b) RETURN type(r) AS type, coalesce(a.code, a.key, a.name) AS from, coalesce(b.code, b.key, b.name) AS to, properties(r) AS props',
      {},
      { database },
    );
    for (const r of rels.records) {
      const type = r.get('type') as string;
      counts[`-${type}-`] = (counts[`-${type}-`] ?? 0) + 1;
      lines.push(`R ${type} ${canonical(r.get('from'))} ${canonical(r.get('to'))} ${canonical(r.get('props'))}`);
    }
    lines.sort();
    const hash = createHash('sha256');
    for (const line of lines) hash.update(line).update('\n');
    return { counts, checksum: hash.digest('hex') };
  } finally {
    await driver.close();
  }
}
