import type { Config } from './config.js';
import type { GraphStore } from './graph/GraphStore.js';

/**
 * Long-lived services built once by the composition root (`server.ts`) and shared by requests.
 * Domains add their service here (the coder, predictors, ...); absent services are null.
 */
export interface Services {
  store: GraphStore;
  config: Config;
}

/** What every resolver receives. Loaders are built per request (DataLoader). */
export interface RequestContext<Loaders = unknown> {
  services: Services;
  loaders: Loaders;
  requestId: string;
}
