import type { GraphQLError, GraphQLFormattedError } from 'graphql';
import type { ApolloServerPlugin } from '@apollo/server';
import type { Logger } from '../logger.js';

/** The code of errors whose details stay in the log. */
const INTERNAL = 'INTERNAL_SERVER_ERROR';

/** `extensions.code` of an error; duck-typed, so that a second copy of graphql cannot fool it. */
function codeOf(error: unknown): unknown {
  return typeof error === 'object' && error !== null ? (error as { extensions?: { code?: unknown } }).extensions?.code : undefined;
}

/**
 * `formatError` of the API: errors with a code (BAD_USER_INPUT, NOT_FOUND, validation, ...)
 * pass as they are; anything else (a bug, a store failure) becomes a bare INTERNAL_SERVER_ERROR,
 * its message and stack going to the log only (see `errorMaskingPlugin`). A scalar refusing a
 * literal is a validation error to Apollo; it is reported with the scalar's BAD_USER_INPUT so
 * that literals and variables answer alike.
 */
export function formatError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const code = formatted.extensions?.code;
  if (code === 'GRAPHQL_VALIDATION_FAILED' && codeOf((error as { originalError?: unknown } | null)?.originalError) === 'BAD_USER_INPUT') {
    return { ...formatted, extensions: { ...formatted.extensions, code: 'BAD_USER_INPUT' } };
  }
  if (code !== undefined && code !== INTERNAL) return formatted;
  return { message: 'Internal error', locations: formatted.locations, path: formatted.path, extensions: { code: INTERNAL } };
}

/**
 * Logs every masked error with the request id, and puts that id into the masked message
 * (`Internal error (request id X)`) so that a user's report can be matched to the log line.
 * `formatError` cannot do this itself: it does not see the request.
 */
export function errorMaskingPlugin(logger: Logger): ApolloServerPlugin<{ requestId: string }> {
  // One listener object for every request: nothing allocated per request on the happy path.
  const listener = {
    async didEncounterErrors({ errors, contextValue, operationName }: { errors: readonly GraphQLError[]; contextValue: { requestId: string }; operationName?: string | null }) {
      for (const error of errors) {
        const code = codeOf(error);
        if (code !== undefined && code !== INTERNAL) continue;
        const cause = error.originalError ?? error;
        logger.error({ requestId: contextValue.requestId, operationName, path: error.path, err: cause }, 'internal error');
      }
    },
    async willSendResponse({ response, contextValue }: { response: { body: { kind: string; singleResult?: { errors?: readonly GraphQLFormattedError[] } } }; contextValue: { requestId: string } }) {
      const errors = response.body.kind === 'single' ? response.body.singleResult?.errors : undefined;
      if (!errors) return;
      for (const error of errors) {
        if (error.extensions?.code !== INTERNAL) continue;
        // The formatted errors are plain objects Apollo made for this response.
        (error as { message: string }).message = `Internal error (request id ${contextValue.requestId})`;
        (error.extensions as Record<string, unknown>).requestId = contextValue.requestId;
      }
    },
  };
  return { requestDidStart: async () => listener };
}
