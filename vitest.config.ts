import { defineConfig } from 'vitest/config';

export default defineConfig({
  // Node loads graphql's CommonJS entry (`main`) for every `import 'graphql'`; Vite would pick the
  // ESM one (`module`) for our sources while Apollo, loaded by Node, gets the CommonJS one: two
  // copies of graphql, so `instanceof GraphQLError` fails across them. Resolve as Node does.
  resolve: { alias: [{ find: /^graphql$/, replacement: 'graphql/index.js' }] },
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
