import { lintCypherQuery, testData } from '@neo4j-cypher/language-support';
import type { DbSchema } from '@neo4j-cypher/language-support';

/**
 * The graph's schema as the Cypher linter sees it: the labels, relationship types and property
 * keys of DESIGN §2, and Neo4j's built-in functions and procedures (the linter's own registry of a
 * Neo4j 5 database), so that semantic analysis and procedure signatures are checked.
 */
export const LINT_SCHEMA: DbSchema = {
  labels: ['Code', 'Name', 'Corpus', 'Document', 'Mention', 'Meta'],
  relationshipTypes: ['PARENT', 'NAMES', 'IN', 'HAS', 'LINKED_TO', 'ASSIGNED'],
  propertyKeys: [
    'code', 'title', 'kind', 'depth', 'number', 'key', 'text', 'normalized', 'source', 'lang', 'cui', 'sab', 'count', 'ord',
    'name', 'corpus', 'id', 'sortKey', 'split', 'patient', 'date', 'fields', 'documentId', 'layer', 'start', 'end',
    'fragmentStarts', 'fragmentEnds', 'dataVersion', 'sources', 'sample', 'importing', 'importStartedAt', 'importedAt',
  ],
  functions: testData.mockSchema.functions,
  procedures: testData.mockSchema.procedures,
};

/** Lints one statement; every `$param` must be declared, so the statement's parameters are passed. */
export function lint(text: string, parameters: Record<string, unknown> = {}) {
  return lintCypherQuery(text, { ...LINT_SCHEMA, parameters }).map((d) => ({
    severity: d.severity === 1 ? 'error' : d.severity === 2 ? 'warning' : 'info',
    message: d.message,
    at: text.slice(d.offsets.start, d.offsets.end),
  }));
}
