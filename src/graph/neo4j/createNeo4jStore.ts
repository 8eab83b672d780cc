import type { Driver } from 'neo4j-driver';
import type { Config } from '../../config.js';
import type { GraphStore } from '../GraphStore.js';
import { logger } from '../../logger.js';
import { CircuitBreaker, tcpProbe } from './circuitBreaker.js';
import { createDriver, sessionFactory } from './createDriver.js';
import { Neo4jExecutor } from './executor.js';
import { Neo4jStore } from './Neo4jStore.js';
import type { Neo4jStoreOptions } from './Neo4jStore.js';

/** The process's drivers by connection identity, with how many stores use each. */
const drivers = new Map<string, { driver: Driver; users: number }>();

function acquireDriver(config: Config['neo4j']): { driver: Driver; release: () => Promise<void> } {
  const id = JSON.stringify([config.uri, config.username, config.database ?? null]);
  let entry = drivers.get(id);
  if (!entry) {
    entry = { driver: createDriver(config), users: 0 };
    drivers.set(id, entry);
  }
  entry.users += 1;
  const held = entry;
  let released = false;
  return {
    driver: held.driver,
    release: async () => {
      if (released) return;
      released = true;
      held.users -= 1;
      if (held.users === 0) {
        drivers.delete(id);
        await held.driver.close();
      }
    },
  };
}

/**
 * Builds the Neo4j store from `config.neo4j` (chosen by `createStore` when `NEO4J_URI` is set).
 * One driver per process: stores created with the same URI, user and database share it, and the
 * last `close()` closes it. Starting does not need the database: an unreachable database makes
 * `info()` report `available: false` and queries fail with SERVICE_UNAVAILABLE until it is back.
 *
 * Every call is bounded: the driver's connection and acquisition timeouts are
 * `connectionTimeoutMs`, the server's transaction timeout is `transactionTimeoutMs`, and the
 * executor's deadline is their sum. While the database is unreachable a circuit breaker fails
 * calls within about 250 ms, and lets them through again as soon as the address answers.
 *
 * @example const store = await createNeo4jStore(loadConfig()); // NEO4J_URI=bolt://localhost:7687
 */
export async function createNeo4jStore(config: Config, options: Partial<Neo4jStoreOptions> = {}): Promise<GraphStore> {
  const neo = config.neo4j;
  const { driver, release } = acquireDriver(neo);
  const executor = new Neo4jExecutor(sessionFactory(driver, neo.database), {
    transactionTimeoutMs: neo.transactionTimeoutMs,
    deadlineMs: neo.connectionTimeoutMs + neo.transactionTimeoutMs,
    breaker: new CircuitBreaker(tcpProbe(neo.uri!, Math.min(500, neo.connectionTimeoutMs))),
  });
  logger.info({ store: 'neo4j', database: neo.database ?? '(default)', pool: neo.maxConnectionPoolSize }, 'neo4j store configured');
  return new Neo4jStore(executor, { ...options, onClose: release });
}
