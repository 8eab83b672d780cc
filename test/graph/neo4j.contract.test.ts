import { describe, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import type { GraphStore } from '../../src/graph/GraphStore.js';
import type { GraphData } from '../../src/graph/model.js';
import { runStoreContract } from './contract.js';

/**
 * The store contract on Neo4j, when NEO4J_URI is set. The database is EMPTIED before every store
 * the suite builds (`MATCH (n) DETACH DELETE n`): point NEO4J_URI at a throw-away database.
 */
const uri = process.env.NEO4J_URI;

if (!uri) {
  console.warn('Neo4j contract suite skipped: NEO4J_URI is not set. To run it: npm run neo4j:start, then NEO4J_URI=bolt://127.0.0.1:7687 NEO4J_PASSWORD=icdkg-dev-password npm test (docs/neo4j.md)');
  describe.skip('GraphStore contract: neo4j', () => {
    it('needs NEO4J_URI', () => undefined);
  });
} else {
  runStoreContract('neo4j', async (data: GraphData): Promise<GraphStore> => {
    const config = loadConfig();
    const neo4j = (await import('neo4j-driver')).default;
    const driver = neo4j.driver(config.neo4j.uri!, neo4j.auth.basic(config.neo4j.username, config.neo4j.password));
    try {
      await driver.executeQuery('MATCH (n) DETACH DELETE n', {}, { database: config.neo4j.database });
    } finally {
      await driver.close();
    }
    const { createNeo4jStore } = await import('../../src/graph/neo4j/createNeo4jStore.js');
    const store = await createNeo4jStore(config);
    await store.importGraph(data);
    return store;
  });
}
