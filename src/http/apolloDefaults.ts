import type { ApolloServerOptionsWithTypeDefs, ApolloServerPlugin, BaseContext } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import { depthLimit } from './depthLimit.js';
import { errorMaskingPlugin, formatError } from './errorMasking.js';
import { landingPagePlugin } from './landingPage.js';

type CommonOptions<TContext extends BaseContext> = Omit<ApolloServerOptionsWithTypeDefs<TContext>, 'typeDefs' | 'resolvers'>;

/**
 * The Apollo options every server of the project shares (the API, and the bare server the API
 * bench compares it with): limits, error masking, CSRF prevention, production hardening.
 *
 * - the cache-control plugin is off: the API sets no cache hints, and the plugin otherwise
 *   wraps every field resolver;
 * - CSRF prevention is on (Apollo's default, made explicit): a GET or a "simple" POST must carry
 *   `apollo-require-preflight` (or a JSON content type);
 * - in production (`NODE_ENV=production`) introspection, the landing page and field
 *   suggestions in errors are off.
 *
 * @example new ApolloServer({ typeDefs, resolvers, ...apolloDefaults(config, logger) })
 */
export function apolloDefaults<TContext extends BaseContext & { requestId: string }>(config: Config, logger: Logger): CommonOptions<TContext> {
  const plugins: ApolloServerPlugin<TContext>[] = [
    ApolloServerPluginCacheControlDisabled(),
    errorMaskingPlugin(logger) as ApolloServerPlugin<TContext>,
    config.production ? ApolloServerPluginLandingPageDisabled() : landingPagePlugin(),
  ];
  return {
    plugins,
    formatError,
    validationRules: [depthLimit(config.limits.maxDepth)],
    csrfPrevention: true,
    introspection: !config.production,
    hideSchemaDetailsFromClientErrors: config.production,
    includeStacktraceInErrorResponses: false,
    // Compact JSON: Apollo pretty-prints by default, which costs time and bytes on every response.
    stringifyResult: (result) => JSON.stringify(result),
    // Batched HTTP requests would multiply the body-size and depth limits per request.
    allowBatchedHttpRequests: false,
    // Signals are handled by `icdkg serve`, which also closes the store.
    stopOnTerminationSignals: false,
    logger,
  };
}
