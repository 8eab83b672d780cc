import neo4j from 'neo4j-driver';
import { loadConfig } from '../../src/config.js';
import { createNeo4jStore } from '../../src/graph/neo4j/createNeo4jStore.js';
import type { GraphStore } from '../../src/graph/GraphStore.js';
import type { GraphData } from '../../src/graph/model.js';

/**
 * For the contract suite against a real Neo4j (`NEO4J_URI` set, e.g. the compose file's): empties
 * the configured database (EVERYTHING in it: point it at a throw-away database only), then builds
 * a store and imports `data` through `importGraph`, schema included.
 *
 * @example runStoreContract('neo4j', freshNeo4jStore);
 */
export async function freshNeo4jStore(data: GraphData): Promise<GraphStore> {
  const config = loadConfig();
  const { uri, username, password, database } = config.neo4j;
  if (!uri) throw new Error('freshNeo4jStore needs NEO4J_URI');
  const driver = neo4j.driver(uri, neo4j.auth.basic(username, password));
  try {
    await driver.executeQuery('MATCH (n) DETACH DELETE n', {}, { database });
  } finally {
    await driver.close();
  }
  const store = await createNeo4jStore(config, { importBatchSize: 7 });
  await store.importGraph(data);
  return store;
}
