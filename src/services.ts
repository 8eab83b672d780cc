import type { Config } from './config.js';
import type { GraphStore } from './graph/GraphStore.js';
import type { CoderService } from './pipeline/coding/service/CoderService.js';

/**
 * Long-lived services built once by the composition root (`server.ts`) and shared by requests.
 * Domains add their service here (the coder, predictors, ...); absent services are null.
 */
export interface Services {
  store: GraphStore;
  config: Config;
  /** The ICD coder (lexical or ONNX), loaded once; null where a server runs without one. */
  coder?: CoderService | null;
}

/** What every resolver receives. Loaders are built per request (DataLoader). */
export interface RequestContext<Loaders = unknown> {
  services: Services;
  loaders: Loaders;
  requestId: string;
}
