import neo4j from 'neo4j-driver';
import type { Config } from '../../src/config.js';

/**
 * Deletes every node and relationship of the configured Neo4j database (the local test and bench
 * database: never point it at data you keep). `CALL ... IN TRANSACTIONS` needs an auto-commit
 * transaction, so this runs through `session.run`, not `executeQuery`.
 *
 * @example await emptyDatabase(loadConfig());
 */
export async function emptyDatabase(config: Config): Promise<void> {
  const driver = neo4j.driver(config.neo4j.uri!, neo4j.auth.basic(config.neo4j.username, config.neo4j.password));
  const session = driver.session({ database: config.neo4j.database });
  try {
    await session.run('MATCH (n) CALL { WITH n DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS');
  } finally {
    await session.close();
    await driver.close();
  }
}
