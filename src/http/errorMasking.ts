import type { GraphQLError, GraphQLFormattedError } from 'graphql';
import type { ApolloServerPlugin } from '@apollo/server';
import type { Logger } from '../logger.js';
import { currentRequestId } from './requestScope.js';

/** The code of errors whose details stay in the log. */
const INTERNAL = 'INTERNAL_SERVER_ERROR';

/** `extensions.code` of an error; duck-typed, so that a second copy of graphql cannot fool it. */
function codeOf(error: unknown): unknown {
  return typeof error === 'object' && error !== null ? (error as { extensions?: { code?: unknown } }).extensions?.code : undefined;
}

/** A JSON string literal in a message (graphql-js and the resolvers quote values with JSON.stringify). */
const QUOTED = /"((?:[^"\\]|\\.)*)"/g;
/** Quoted text that is part of the document, not a value: `$variable` names, field, type and argument names, paths (`c[1]`, `h.complaints`). */
const IDENTIFIER = /^(?=.{1,64}$)\$?[_A-Za-z][_0-9A-Za-z]*(?:\.[_A-Za-z][_0-9A-Za-z]*|\[\d+\])*$/;
/** graphql-js's wording before a value it quotes (`got invalid value "x"`, `found "x"`, `value: "x"`): always a value. */
const VALUE_PREFIX = /(got invalid value |found |value: )$/;

/**
 * Replaces every value a client sent that a message quotes by its length (`<N characters>`), so
 * that no error echoes client text (a 500 KB text, a patient's words, a name): not-found
 * messages lose every quoted value; other messages keep quoted identifiers (`$variable`, field
 * and type names), which come from the document's grammar, not from its values.
 *
 * @example redactValues('No corpus "nope"', true) // 'No corpus <4 characters>'
 */
export function redactValues(message: string, notFound: boolean): string {
  return message.replace(QUOTED, (literal: string, inner: string, offset: number) => {
    if (!notFound && IDENTIFIER.test(inner) && !VALUE_PREFIX.test(message.slice(Math.max(0, offset - 20), offset))) return literal;
    let length = inner.length;
    try {
      length = (JSON.parse(literal) as string).length;
    } catch {
      // Not JSON-escaped: count the raw characters.
    }
    return `<${length} characters>`;
  });
}

/** A client error as answered: values in its message redacted, no `value` extension. */
function redacted(formatted: GraphQLFormattedError, code: unknown, extra: Record<string, unknown> = {}): GraphQLFormattedError {
  const { value: _value, ...extensions } = formatted.extensions ?? {};
  return { ...formatted, message: redactValues(formatted.message, code === 'NOT_FOUND'), extensions: { ...extensions, ...extra } };
}

/** graphql-js's message when `parse(..., { maxTokens })` stops (graphql 16 writes "more that"). */
const TOKEN_LIMIT = /Document contains more (?:than|that) (\d+) tokens/;

/** The HTTP status an error asked for (Apollo's `extensions.http`), if any. */
function httpStatusOf(error: unknown): number | undefined {
  const status = typeof error === 'object' && error !== null ? (error as { extensions?: { http?: { status?: unknown } } }).extensions?.http?.status : undefined;
  return typeof status === 'number' ? status : undefined;
}

/**
 * Whether an error without a code is still the client's fault: Apollo's own request errors
 * (`provided sha does not match query`, an unsupported persisted query version) carry only an
 * HTTP status 4xx. They are answered as BAD_REQUEST, not masked and logged as internal errors.
 */
function isClientErrorWithoutCode(error: unknown): boolean {
  const status = httpStatusOf(error);
  return codeOf(error) === undefined && status !== undefined && status >= 400 && status < 500;
}

/**
 * `formatError` of the API: errors with a code (BAD_USER_INPUT, NOT_FOUND, validation, ...)
 * pass as they are; anything else (a bug, a store failure) becomes a bare INTERNAL_SERVER_ERROR
 * naming the request id, its message and stack going to the log only (see `errorMaskingPlugin`
 * and `createHttpServer`). A validation rule's typed refusal (a scalar refusing a literal:
 * BAD_USER_INPUT; a query over a limit: QUERY_TOO_COMPLEX) keeps its own code, so that literals
 * and variables answer alike. Client errors of Apollo without a code become BAD_REQUEST. Client
 * errors never echo the values a client sent (`redactValues`).
 *
 * @example new ApolloServer({ typeDefs, formatError })
 */
export function formatError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const code = formatted.extensions?.code;
  if (code === 'GRAPHQL_PARSE_FAILED') {
    // graphql-js's `maxTokens` refusal is a syntax error; it is one of the query limits.
    const tokens = TOKEN_LIMIT.exec(formatted.message);
    if (tokens) return redacted(formatted, code, { code: 'QUERY_TOO_COMPLEX', limitName: 'tokens', limit: Number(tokens[1]) });
  }
  if (code === 'GRAPHQL_VALIDATION_FAILED') {
    const original = codeOf((error as { originalError?: unknown } | null)?.originalError);
    if (typeof original === 'string' && original !== INTERNAL) return redacted(formatted, original, { code: original });
  }
  if (code !== undefined && code !== INTERNAL) return redacted(formatted, code);
  if (isClientErrorWithoutCode(error)) return redacted(formatted, 'BAD_REQUEST', { code: 'BAD_REQUEST' });
  const requestId = currentRequestId();
  if (requestId === undefined) return { message: 'Internal error', locations: formatted.locations, path: formatted.path, extensions: { code: INTERNAL } };
  return { message: `Internal error (request id ${requestId})`, locations: formatted.locations, path: formatted.path, extensions: { code: INTERNAL, requestId } };
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
        if ((code !== undefined && code !== INTERNAL) || isClientErrorWithoutCode(error)) continue;
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
