import { defineConfig } from 'vitest/config';

/**
 * With NEO4J_URI set (`.ci/run`, or by hand after `npm run neo4j:start`), the suites that need a
 * live Neo4j run too. They share its one database and empty it, so they run one file at a time,
 * after the rest of the suite (which is pinned to the memory store: NEO4J_URI emptied for it).
 */
const live = Boolean(process.env.NEO4J_URI);
/** Files that talk to a live Neo4j (each prints a skip line without NEO4J_URI). */
const LIVE = ['test/graph/neo4j.contract.test.ts', 'test/neo4j/**/*.live.test.ts'];

export default defineConfig({
  // Node loads graphql's CommonJS entry (`main`) for every `import 'graphql'`; Vite would pick the
  // ESM one (`module`) for our sources while Apollo, loaded by Node, gets the CommonJS one: two
  // copies of graphql, so `instanceof GraphQLError` fails across them. Resolve as Node does.
  resolve: { alias: [{ find: /^graphql$/, replacement: 'graphql/index.js' }] },
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: ['test/**/*.test.ts'], exclude: live ? LIVE : [], env: { NEO4J_URI: '' } },
      },
      ...(live
        ? [
            { extends: true as const, test: { name: 'neo4j', include: LIVE, fileParallelism: false, sequence: { groupOrder: 1 } } },
            // The API tests again, their default store being a fresh Neo4j over the fixture graph
            // (serve.test and fullData.test start memory stores of their own: not repeated).
            {
              extends: true as const,
              test: { name: 'api-on-neo4j', include: ['test/api/**/*.test.ts'], exclude: ['test/api/serve.test.ts', 'test/api/fullData.test.ts'], env: { ICDKG_TEST_STORE: 'neo4j' }, fileParallelism: false, sequence: { groupOrder: 2 } },
            },
          ]
        : []),
    ],
  },
});
