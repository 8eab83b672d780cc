import { readFileSync } from 'node:fs';
import type { StoreCounts, StoreInfo } from '../graph/GraphStore.js';
import type { ApiContext } from './ApiContext.js';

/** The package version, read once (the same file in `src/` and in the compiled `dist/`). */
let version: string | undefined;
function packageVersion(): string {
  version ??= (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
  return version;
}

type SystemParent = StoreInfo & { counts: StoreCounts | null };

/** Resolvers of the `system` query (schema/system.graphql). */
export const systemResolvers = {
  Query: {
    system: async (_: unknown, __: unknown, context: ApiContext): Promise<SystemParent> => {
      const { store } = context.services;
      const info = await store.info();
      return { ...info, counts: info.available ? await store.counts() : null };
    },
  },
  System: {
    version: () => packageVersion(),
    store: (system: SystemParent) => system.kind.toUpperCase(),
    writable: (_: unknown, __: unknown, context: ApiContext) => context.services.config.writeToken !== null,
  },
};
