import type { RequestContext, Services } from '../services.js';
import { createLoaders } from './loaders.js';
import type { Loaders } from './loaders.js';

/** What every resolver of the API receives: the request's loaders and its `Authorization` header (for writes). */
export type ApiContext = RequestContext<Loaders> & { authorization: string | null };

/**
 * The context factory: one call per HTTP request, building that request's DataLoaders (lazily,
 * so a `{__typename}` pays nothing for them).
 *
 * @example const context = createApiContext(services, 'req-1'); await context.loaders.code.load('I25.2');
 */
export function createApiContext(services: Services, requestId: string, authorization: string | null = null): ApiContext {
  return { services, requestId, loaders: createLoaders(services.store), authorization };
}
