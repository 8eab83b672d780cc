import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { allStatements } from '../../src/graph/neo4j/allStatements.js';
import { cypher } from '../../src/graph/neo4j/cypher.js';
import { schemaStatements, SCHEMA_FILE } from '../../src/graph/neo4j/schemaStatements.js';
import { lint } from './lintSchema.js';

const statements = allStatements();

describe('cypher: statements are Neo4j-valid', () => {
  it('builds every statement the adapter issues', () => {
    expect(Object.keys(statements).length).toBeGreaterThanOrEqual(40);
  });

  for (const [name, s] of Object.entries(statements)) {
    it(`${name} has no linter diagnostics`, () => {
      expect(lint(s.text, s.parameters)).toEqual([]);
    });
  }

  it('the linter does catch a broken statement (so the checks above can fail)', () => {
    const broken = lint('MATCH (c:Cod {code: $code}) RETURN d', { code: 'I25' });
    expect(broken.map((d) => [d.severity, d.at])).toEqual([
      ['warning', 'Cod'],
      ['error', 'd'],
    ]);
    expect(lint('MATCH (c:Code {code: $code}) RETURN c').map((d) => d.message)).toEqual(['Parameter $code is not defined.']);
  });

  it('schema.cypher: every statement is idempotent and lints clean', () => {
    const schema = schemaStatements();
    expect(schema.length).toBe(15);
    for (const s of schema) {
      expect(s).toMatch(/ IF NOT EXISTS /);
      expect(lint(s), s).toEqual([]);
    }
    expect(schema.filter((s) => s.startsWith('CREATE CONSTRAINT')).map((s) => s.split(' ')[2])).toEqual([
      'code_code', 'corpus_name', 'document_key', 'mention_key', 'name_key', 'meta_key',
    ]);
    expect(schema.at(-1)).toContain('CREATE FULLTEXT INDEX name_fulltext IF NOT EXISTS FOR (n:Name) ON EACH [n.text, n.normalized]');
  });

  it('schemaStatements drops comments and splits at semicolons', () => {
    expect(schemaStatements('// a\nCREATE INDEX a IF NOT EXISTS FOR (c:Code) ON (c.kind);\n\n// b;\nCREATE INDEX b IF NOT EXISTS\nFOR (n:Name) ON (n.lang);\n')).toEqual([
      'CREATE INDEX a IF NOT EXISTS FOR (c:Code) ON (c.kind)',
      'CREATE INDEX b IF NOT EXISTS\nFOR (n:Name) ON (n.lang)',
    ]);
    expect(fs.existsSync(SCHEMA_FILE)).toBe(true);
  });

  it('the three example queries of docs/neo4j.md lint clean', () => {
    const md = fs.readFileSync(new URL('../../docs/neo4j.md', import.meta.url), 'utf8');
    const examples = [...md.matchAll(/```cypher\n([\s\S]*?)```/g)].map((m) => m[1]!.trim());
    expect(examples.length).toBe(3);
    for (const q of examples) {
      const params = Object.fromEntries([...q.matchAll(/\$(\w+)/g)].map((m) => [m[1]!, 'x']));
      expect(lint(q, params), q).toEqual([]);
    }
  });
});

describe('cypher: user input stays in parameters', () => {
  it('puts hostile values in parameters only, never in the text', () => {
    const evil = "x'}) DETACH DELETE n //";
    const built = [
      cypher.getNames([evil], null),
      cypher.getDocuments([evil]),
      cypher.listDocuments(evil, evil, evil, 5),
      cypher.mentionsOfCode(evil, evil, evil, true, 0, 5),
      cypher.codeFrequencies([evil], evil, evil),
      cypher.searchNames(evil, 10, null),
      cypher.deleteLayerMentions(evil, evil),
    ];
    for (const s of built) {
      expect(s.text).not.toContain(evil);
      expect(JSON.stringify(s.parameters)).toContain('DETACH DELETE n');
    }
  });

  it('varies the text only by closed choices', () => {
    expect(cypher.mentionsOfCode('a', 'b', null, true, 0, 1).text).toBe(cypher.mentionsOfCode('zz', 'yy', 'c', true, 9, 9).text);
    expect(cypher.getNames(['a'], null).text).toBe(cypher.getNames(['b'], ['ICD_TITLE']).text);
  });
});

describe('cypher: snapshots', () => {
  it('treeStamp', () => {
    expect(cypher.treeStamp()).toMatchInlineSnapshot(`
      {
        "parameters": {
          "key": "graph",
        },
        "text": "OPTIONAL MATCH (m:Meta {key: $key})
      RETURN m.dataVersion AS dataVersion, toString(m.importedAt) AS importedAt, m.importing AS importing,
        toString(m.importStartedAt) AS importStartedAt, COUNT { MATCH (:Code) } AS codes, COUNT { MATCH ()-[:PARENT]->() } AS parents",
      }
    `);
  });

  it('allCodes', () => {
    expect(cypher.allCodes()).toMatchInlineSnapshot(`
      {
        "parameters": {},
        "text": "MATCH (c:Code)
      OPTIONAL MATCH (c)-[:PARENT]->(p:Code)
      WITH c, min(p.code) AS parent
      RETURN c {.code, .title, .kind, .depth, .number, .inactive, parent: parent} AS code",
      }
    `);
  });

  it('mentionsOfCode with descendants', () => {
    expect(cypher.mentionsOfCode('I20-I25', 'gold', 'ruccod', true, 10, 5)).toMatchInlineSnapshot(`
      {
        "parameters": {
          "code": "I20-I25",
          "corpus": "ruccod",
          "layer": "gold",
          "limit": 5,
          "skip": 10,
        },
        "text": "MATCH (c:Code)-[:PARENT*0..]->(:Code {code: $code})
      MATCH (d:Document)-[:HAS]->(m:Mention {layer: $layer})-[:LINKED_TO]->(c)
      WHERE $corpus IS NULL OR d.corpus = $corpus
      RETURN d.corpus AS corpus, d.id AS documentId, m.layer AS layer,
        m {.id, .start, .end, .text, .fragmentStarts, .fragmentEnds, code: c.code} AS mention
      ORDER BY d.corpus, d.sortKey, m.start, m.end, m.id, m.key
      SKIP $skip
      LIMIT $limit",
      }
    `);
  });

  it('mergeMentions', () => {
    expect(statements.mergeMentions).toMatchInlineSnapshot(`
      {
        "parameters": {
          "rows": [
            {
              "code": "I25.2",
              "corpus": "ruccod",
              "documentId": "1",
              "documentKey": "ruccod1",
              "end": 5,
              "fragmentEnds": [
                5,
              ],
              "fragmentStarts": [
                0,
              ],
              "id": "T1",
              "key": "k",
              "layer": "gold",
              "start": 0,
              "text": "слово",
            },
          ],
        },
        "text": "UNWIND $rows AS row
      MATCH (d:Document {key: row.documentKey})
      MERGE (m:Mention {key: row.key})
      SET m.corpus = row.corpus, m.documentId = row.documentId, m.layer = row.layer, m.id = row.id,
        m.start = row.start, m.end = row.end, m.text = row.text,
        m.fragmentStarts = row.fragmentStarts, m.fragmentEnds = row.fragmentEnds
      MERGE (d)-[:HAS]->(m)
      FOREACH (old IN [(m)-[r:LINKED_TO]->(:Code) | r] | DELETE old)
      WITH m, row
      OPTIONAL MATCH (c:Code {code: row.code})
      FOREACH (_ IN CASE WHEN c IS NULL THEN [] ELSE [1] END | MERGE (m)-[:LINKED_TO]->(c))
      RETURN count(*) AS rows, count(c) AS linked",
      }
    `);
  });

  it('every statement with its parameters', () => {
    expect(statements).toMatchSnapshot();
  });
});
