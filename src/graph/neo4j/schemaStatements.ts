import fs from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * `graph/seed/schema.cypher`, found from this module both in `src/graph/neo4j/` (tsx, tests) and
 * in `dist/graph/neo4j/` (the build): three folders up is the package root either way.
 */
export const SCHEMA_FILE = fileURLToPath(new URL('../../../graph/seed/schema.cypher', import.meta.url));

/**
 * The statements of a schema file: `//` comment lines dropped, split at semicolons (the schema
 * holds no string with a semicolon in it), blank pieces skipped.
 *
 * @example schemaStatements(fs.readFileSync(SCHEMA_FILE, 'utf8'))[0]
 * // 'CREATE CONSTRAINT code_code IF NOT EXISTS FOR (c:Code) REQUIRE c.code IS UNIQUE'
 */
export function schemaStatements(text: string = fs.readFileSync(SCHEMA_FILE, 'utf8')): string[] {
  const code = text
    .split(/\r?\n/)
    .filter((line) => !line.trim().startsWith('//'))
    .join('\n');
  return code
    .split(';')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}
