// ICD-KG graph schema for Neo4j 5 (Community Edition or later).
// Applied by `icdkg seed` (and by the Neo4j store before any import); every statement is
// idempotent (IF NOT EXISTS), so it can be re-run at any time, e.g. with
//   cypher-shell -u neo4j -p "$NEO4J_PASSWORD" -f graph/seed/schema.cypher
// Statements are separated by semicolons; comment lines start with //.
//
// Composite identities (a document is unique per corpus, a mention per document, layer and
// annotation id) are stored in one `key` property, because node keys need Enterprise Edition.

// --- identities ---------------------------------------------------------------------------
CREATE CONSTRAINT code_code IF NOT EXISTS FOR (c:Code) REQUIRE c.code IS UNIQUE;
CREATE CONSTRAINT corpus_name IF NOT EXISTS FOR (c:Corpus) REQUIRE c.name IS UNIQUE;
CREATE CONSTRAINT document_key IF NOT EXISTS FOR (d:Document) REQUIRE d.key IS UNIQUE;
CREATE CONSTRAINT mention_key IF NOT EXISTS FOR (m:Mention) REQUIRE m.key IS UNIQUE;
CREATE CONSTRAINT name_key IF NOT EXISTS FOR (n:Name) REQUIRE n.key IS UNIQUE;
CREATE CONSTRAINT meta_key IF NOT EXISTS FOR (m:Meta) REQUIRE m.key IS UNIQUE;

// --- lookups --------------------------------------------------------------------------------
CREATE INDEX code_kind IF NOT EXISTS FOR (c:Code) ON (c.kind);
CREATE INDEX name_source IF NOT EXISTS FOR (n:Name) ON (n.source);
CREATE INDEX document_corpus_sort IF NOT EXISTS FOR (d:Document) ON (d.corpus, d.sortKey);
CREATE INDEX document_corpus IF NOT EXISTS FOR (d:Document) ON (d.corpus);
CREATE INDEX document_patient IF NOT EXISTS FOR (d:Document) ON (d.patient);
CREATE INDEX mention_layer IF NOT EXISTS FOR (m:Mention) ON (m.layer);
CREATE INDEX mention_corpus_layer IF NOT EXISTS FOR (m:Mention) ON (m.corpus, m.layer);
CREATE INDEX assigned_layer IF NOT EXISTS FOR ()-[a:ASSIGNED]-() ON (a.layer);

// --- name search ------------------------------------------------------------------------------
// Lucene index behind `searchNames`: fuzzy and prefix queries over the normalized names. The
// standard analyzer without stop words keeps short Russian words (и, с, на) searchable.
CREATE FULLTEXT INDEX name_fulltext IF NOT EXISTS FOR (n:Name) ON EACH [n.text, n.normalized]
OPTIONS { indexConfig: { `fulltext.analyzer`: 'standard-no-stop-words', `fulltext.eventually_consistent`: false } };
