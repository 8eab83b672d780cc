import type { AddressInfo } from 'node:net';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import type { Config } from './config.js';
import { createServices } from './services.js';
import type { Services } from './services.js';
import { createStore } from './createStore.js';
import type { GraphStore } from './graph/GraphStore.js';
import { apolloDefaults } from './http/apolloDefaults.js';
import { createFhirHandler } from './fhir/createFhirHandler.js';
import { createHttpServer } from './http/createHttpServer.js';
import { documentPrecheck } from './http/queryCost.js';
import { createMcpHttpHandler } from './mcp/createMcpHttpHandler.js';
import { logger as defaultLogger } from './logger.js';
import type { CoderService } from './pipeline/coding/service/CoderService.js';
import type { Logger } from './logger.js';
import { createApiContext } from './resolvers/ApiContext.js';
import type { ApiContext } from './resolvers/ApiContext.js';
import { resolvers } from './resolvers/index.js';
import { loadTypeDefs } from './resolvers/loadTypeDefs.js';
import { FALLBACK_TREE_BOUNDS, measureTreeBounds, queryCostEstimator } from './resolvers/queryCost.js';

export interface StartOptions {
  /** A store to serve (tests); by default one is built from the configuration. */
  store?: GraphStore;
  logger?: Logger;
  /** The coder service (tests); by default built from the configuration (`createCoderService`). */
  coder?: CoderService;
}

export interface RunningServer {
  /** `http://host:port/graphql`. */
  url: string;
  port: number;
  services: Services;
  /** Stops accepting requests, drains open ones, and closes the store if this server opened it. */
  close(): Promise<void>;
}

/**
 * The composition root: config -> store -> services -> Apollo -> HTTP server. Listens on
 * `config.port` (0 picks a free port, as the tests do).
 *
 * @example const server = await startServer({ ...loadConfig(), port: 0 }, { store }); await server.close();
 */
export async function startServer(config: Config, options: StartOptions = {}): Promise<RunningServer> {
  const logger = options.logger ?? defaultLogger;
  const ownsStore = options.store === undefined;
  const store = options.store ?? (await openStore(config, logger));
  const services = createServices(config, store, logger, options.coder ? { coder: options.coder } : {});
  const { coder } = services;

  // The query cost's list bounds come from the tree as loaded now (the ICD tree does not change
  // while the server runs); a store that cannot be measured gets full ICD-10's bounds.
  const bounds = await measureTreeBounds(store).catch((err: unknown) => {
    logger.warn({ err }, 'could not measure the ICD tree for query costs; using the bounds of full ICD-10');
    return FALLBACK_TREE_BOUNDS;
  });
  const apollo = new ApolloServer<ApiContext>({
    typeDefs: loadTypeDefs(),
    resolvers,
    ...apolloDefaults<ApiContext>(config, logger, { estimate: queryCostEstimator(bounds, config) }),
  });
  const httpServer = createHttpServer<ApiContext>({
    apollo,
    context: (requestId, headers) => createApiContext(services, requestId, headers.authorization ?? null),
    maxBodyBytes: config.limits.maxBodyBytes,
    corsOrigins: config.corsOrigins,
    precheck: documentPrecheck(config.limits),
    graphiql: !config.production,
    explorer: true,
    health: async () => {
      const info = await store.info();
      return { available: info.available, store: info.kind, sample: info.sample, dataVersion: info.dataVersion };
    },
    logger,
    mounts: [
      { prefix: '/fhir', handle: createFhirHandler({ store, maxBodyBytes: config.limits.maxBodyBytes, logger }) },
      ...(config.mcpHttp ? [{ prefix: '/mcp', handle: createMcpHttpHandler(services, logger, config.limits.maxBodyBytes) }] : []),
    ],
  });
  apollo.addPlugin(ApolloServerPluginDrainHttpServer({ httpServer }));
  try {
    await apollo.start();
    await new Promise<void>((resolve, reject) => {
      httpServer.once('error', reject);
      httpServer.listen(config.port, config.host, () => {
        httpServer.off('error', reject);
        resolve();
      });
    });
  } catch (err) {
    await apollo.stop().catch(() => undefined);
    if (ownsStore) await store.close();
    throw err;
  }

  const { port } = httpServer.address() as AddressInfo;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  const url = `http://${host === '0.0.0.0' || host === '[::]' ? 'localhost' : host}:${port}/graphql`;
  logger.info({ url, store: store.kind, production: config.production }, 'GraphQL server listening');
  // A server over its own store loads the coder in the background now, so the first coding query
  // does not pay for it; one over an injected store (tests) loads it on first use.
  if (ownsStore) {
    void coder.start().then(() => {
      const status = coder.status;
      if (status.state === 'FAILED') logger.error({ coder: status.kind, error: status.error }, 'coder failed to load; coding queries answer SERVICE_UNAVAILABLE');
    });
  }
  return {
    url,
    port,
    services,
    async close() {
      await apollo.stop();
      if (ownsStore) await store.close();
    },
  };
}

/** Opens the configured store, saying once how to load the full data when it holds only the sample. */
async function openStore(config: Config, logger: Logger): Promise<GraphStore> {
  const started = performance.now();
  const store = await createStore(config);
  const info = await store.info();
  logger.info({ store: info.kind, dataVersion: info.dataVersion, sample: info.sample, ms: Math.round(performance.now() - started) }, 'store ready');
  if (info.sample) {
    logger.warn(
      { dataDir: config.dataDir },
      'serving the small sample of graph/seed/ only: to load the full ICD-10 and the RuCCoD corpus, run `icdkg data fetch` (downloads into ICDKG_DATA_DIR) or point ICDKG_DATA_DIR (or --data-dir) at a folder with the data, then restart',
    );
  }
  return store;
}
