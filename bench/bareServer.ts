/**
 * The bare Apollo server of `npm run bench:api`: the API's HTTP wiring and Apollo options
 * (`createHttpServer`, `apolloDefaults`) with a one-field schema, so that the bench's ratio
 * measures what the API's schema, resolvers and store add. Run as a child process; prints
 * `listening <url>` on stdout.
 */
import { ApolloServer } from '@apollo/server';
import { loadConfig } from '../src/config.js';
import { apolloDefaults } from '../src/http/apolloDefaults.js';
import { createHttpServer } from '../src/http/createHttpServer.js';
import { logger } from '../src/logger.js';

const config = { ...loadConfig(), port: 0 };
const apollo = new ApolloServer<{ requestId: string }>({
  typeDefs: 'type Query { hello: String }',
  resolvers: { Query: { hello: () => 'world' } },
  ...apolloDefaults<{ requestId: string }>(config, logger),
});
await apollo.start();
const server = createHttpServer({
  apollo,
  context: (requestId) => ({ requestId }),
  maxBodyBytes: config.limits.maxBodyBytes,
  health: async () => ({ available: true }),
  logger,
});
server.listen(0, '127.0.0.1', () => {
  const address = server.address() as { port: number };
  process.stdout.write(`listening http://127.0.0.1:${address.port}/graphql\n`);
});
process.once('SIGTERM', () => void apollo.stop().then(() => server.close(() => process.exit(0))));
