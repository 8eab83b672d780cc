import neo4j from 'neo4j-driver';
import type { Driver } from 'neo4j-driver';
import type { Config } from '../../config.js';
import type { SessionFactory, SessionLike, TransactionLike } from './executor.js';
import { toDriverParameters } from './toDriverParameters.js';

/** URI schemes the driver accepts (plain, routing, with TLS variants). */
const SCHEMES = ['bolt', 'bolt+s', 'bolt+ssc', 'neo4j', 'neo4j+s', 'neo4j+ssc'];

/**
 * Creates the process's Neo4j driver from `config.neo4j`, with every limit explicit: pool size,
 * connection and acquisition timeouts (so a dead database fails fast instead of waiting the
 * driver's default minute), and a retry budget no longer than the connection timeout. Creating a
 * driver does not connect; the first query does.
 *
 * @example const driver = createDriver(loadConfig().neo4j);
 */
export function createDriver(config: Config['neo4j']): Driver {
  const uri = config.uri;
  if (!uri) throw new Error('NEO4J_URI is not set');
  const scheme = /^([a-z0-9+.-]+):\/\//i.exec(uri)?.[1]?.toLowerCase();
  if (!scheme || !SCHEMES.includes(scheme)) {
    // Name the scheme only: the rest of the URI may carry a host name or credentials.
    throw new Error(`NEO4J_URI must start with one of ${SCHEMES.map((s) => `${s}://`).join(', ')}; got scheme ${JSON.stringify(scheme ?? '')}`);
  }
  return neo4j.driver(uri, neo4j.auth.basic(config.username, config.password), {
    maxConnectionPoolSize: config.maxConnectionPoolSize,
    connectionTimeout: config.connectionTimeoutMs,
    connectionAcquisitionTimeout: config.connectionTimeoutMs,
    maxTransactionRetryTime: config.connectionTimeoutMs,
    disableLosslessIntegers: true,
    userAgent: 'icd-kg',
  });
}

/**
 * Adapts a driver to the executor's session factory: sessions on the configured database, in the
 * requested access mode, with parameters converted by `toDriverParameters`.
 */
export function sessionFactory(driver: Driver, database: string | undefined): SessionFactory {
  return (mode) => {
    const session = driver.session({
      database,
      defaultAccessMode: mode === 'READ' ? neo4j.session.READ : neo4j.session.WRITE,
    });
    const wrap = (tx: { run: (text: string, params: Record<string, unknown>) => unknown }): TransactionLike => ({
      run: (text, params) => tx.run(text, toDriverParameters(params)) as ReturnType<TransactionLike['run']>,
    });
    const adapted: SessionLike = {
      executeRead: (work, config) => session.executeRead((tx) => work(wrap(tx)), config),
      executeWrite: (work, config) => session.executeWrite((tx) => work(wrap(tx)), config),
      close: () => session.close(),
    };
    return adapted;
  };
}
