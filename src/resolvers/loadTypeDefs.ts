import { readdirSync, readFileSync } from 'node:fs';
import { buildASTSchema, concatAST, lexicographicSortSchema, parse, printSchema } from 'graphql';
import type { GraphQLSchema } from 'graphql';

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

/**
 * The schema of the SDL files, without resolvers (for printing, lint and compatibility checks).
 *
 * @example printSchema(schemaOfTypeDefs())
 */
export function schemaOfTypeDefs(dir: URL = SCHEMA_DIR): GraphQLSchema {
  return buildASTSchema(concatAST(loadTypeDefs(dir).map((sdl) => parse(sdl))));
}

/**
 * The schema printed in a stable order (types and fields sorted): what `schema/snapshot/schema.graphql`
 * holds and `npm run schema:print` writes.
 *
 * @example writeFileSync('schema/snapshot/schema.graphql', printedSchema())
 */
export function printedSchema(dir: URL = SCHEMA_DIR): string {
  return `${printSchema(lexicographicSortSchema(schemaOfTypeDefs(dir)))}\n`;
}
