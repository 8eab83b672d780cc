import type { ApolloServerOptionsWithTypeDefs, ApolloServerPlugin, BaseContext } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import { depthLimit } from './depthLimit.js';
import { errorMaskingPlugin, formatError } from './errorMasking.js';
import { landingPagePlugin } from './landingPage.js';
import { aliasAndDirectiveLimit, queryCostPlugin } from './queryCost.js';
import type { FieldCostEstimator } from './queryCost.js';
import { currentRequestId } from './requestScope.js';

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
 *   suggestions in errors are off;
 * - query limits before execution (QUERY_TOO_COMPLEX, HTTP 400): tokens (parsing stops there),
 *   depth, aliases and directives (validation rules, linear in the document; long documents
 *   are checked before Apollo by `documentPrecheck` in the HTTP layer), and, given an
 *   estimator, the estimated cost (`queryCostPlugin`, once the operation is known, with
 *   variable values);
 * - a cap on the response's size: a larger answer is replaced by a RESPONSE_TOO_LARGE error.
 *
 * @example new ApolloServer({ typeDefs, resolvers, ...apolloDefaults(config, logger, { estimate }) })
 */
export function apolloDefaults<TContext extends BaseContext & { requestId: string }>(
  config: Config,
  logger: Logger,
  options: { estimate?: FieldCostEstimator } = {},
): CommonOptions<TContext> {
  const { limits } = config;
  const plugins: ApolloServerPlugin<TContext>[] = [
    ApolloServerPluginCacheControlDisabled(),
    errorMaskingPlugin(logger) as ApolloServerPlugin<TContext>,
    config.production ? ApolloServerPluginLandingPageDisabled() : landingPagePlugin(),
  ];
  if (options.estimate) plugins.push(queryCostPlugin<TContext>({ maxCost: limits.maxCost, estimate: options.estimate }));
  return {
    plugins,
    formatError,
    parseOptions: { maxTokens: limits.maxTokens },
    validationRules: [depthLimit(limits.maxDepth), aliasAndDirectiveLimit(limits)],
    csrfPrevention: true,
    introspection: !config.production,
    hideSchemaDetailsFromClientErrors: config.production,
    includeStacktraceInErrorResponses: false,
    // Compact JSON: Apollo pretty-prints by default, which costs time and bytes on every response.
    stringifyResult: (result) => stringifyCapped(result, limits.maxResponseBytes, logger),
    // Batched HTTP requests would multiply the body-size and depth limits per request.
    allowBatchedHttpRequests: false,
    // Signals are handled by `icdkg serve`, which also closes the store.
    stopOnTerminationSignals: false,
    logger,
  };
}

/**
 * `JSON.stringify` with a cap: an answer over `maxBytes` (or too large for a JavaScript string,
 * which made `JSON.stringify` throw outside every logging hook) is replaced by one
 * RESPONSE_TOO_LARGE error naming the limit, and logged with the request id. The cost limit
 * keeps such answers from being built in the first place; this is the backstop.
 */
function stringifyCapped(result: unknown, maxBytes: number, logger: Logger): string {
  let text: string | undefined;
  try {
    text = JSON.stringify(result);
  } catch (err) {
    if (!(err instanceof RangeError)) throw err;
  }
  // UTF-8 takes 1 to 3 bytes per UTF-16 unit: measure only when the length cannot decide.
  if (text !== undefined && (text.length * 3 <= maxBytes || (text.length <= maxBytes && Buffer.byteLength(text) <= maxBytes))) return text;
  const requestId = currentRequestId();
  logger.warn({ requestId, chars: text?.length ?? null, limit: maxBytes }, 'response over the size limit replaced by an error');
  return JSON.stringify({
    errors: [{ message: `The response exceeds the limit of ${maxBytes} bytes: ask for fewer fields or smaller pages`, extensions: { code: 'RESPONSE_TOO_LARGE', limit: maxBytes, requestId } }],
  });
}
