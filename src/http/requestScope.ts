import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * The request id of the HTTP request being handled, for code that Apollo calls without the
 * request (`formatError`, `stringifyResult`, errors outside the request pipeline), so that every
 * logged 500 and every masked message carries the id. `createHttpServer` opens the scope.
 */
const scope = new AsyncLocalStorage<{ requestId: string }>();

/**
 * Runs `fn` with `requestId` as the current request id.
 *
 * @example await withRequestId('abc', () => apollo.executeHTTPGraphQLRequest(...))
 */
export function withRequestId<T>(requestId: string, fn: () => T): T {
  return scope.run({ requestId }, fn);
}

/**
 * The current request's id, or undefined outside a request.
 *
 * @example logger.error({ requestId: currentRequestId() }, 'failed')
 */
export function currentRequestId(): string | undefined {
  return scope.getStore()?.requestId;
}
