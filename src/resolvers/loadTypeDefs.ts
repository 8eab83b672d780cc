import { readdirSync, readFileSync } from 'node:fs';

/** The folder of the SDL files, the same relative to `src/resolvers/` and `dist/resolvers/`. */
const SCHEMA_DIR = new URL('../../schema/', import.meta.url);

/**
 * Reads every `schema/*.graphql`, in name order. `icd.graphql` declares `type Query`; every
 * other domain's file adds to it with `extend type Query`, so a new domain needs no code here.
 *
 * @example new ApolloServer({ typeDefs: loadTypeDefs(), resolvers })
 */
export function loadTypeDefs(dir: URL = SCHEMA_DIR): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.graphql'))
    .sort()
    .map((f) => readFileSync(new URL(f, dir), 'utf8'));
}
