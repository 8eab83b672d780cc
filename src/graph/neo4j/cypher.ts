import type { CodeKind, NameSource } from '../model.js';

/**
 * One parameterised Cypher statement. `text` never contains user input: every value arrives
 * through `parameters`; the only things that vary in the text are chosen from closed sets
 * (booleans such as `includeDescendants`), each variant a fixed string.
 */
export interface Statement {
  text: string;
  parameters: Record<string, unknown>;
}

/** The name of the full-text index over `Name.text` and `Name.normalized` (graph/seed/schema.cypher). */
export const NAME_FULLTEXT_INDEX = 'name_fulltext';

/** The identity of the one `Meta` node that records the data version and sources. */
export const META_KEY = 'graph';

/** A code as the port returns it, with its parent's code. */
const CODE_FIELDS = '.code, .title, .kind, .depth, .number, .inactive';

/** Rows of the batched imports and writes (plain data, built by the store from the model). */
export interface CodeRow {
  code: string;
  title: string;
  kind: CodeKind;
  depth: number;
  number: string | null;
  /** True where the МКБ-10 reference withdrew the code; null otherwise (no property stored). */
  inactive: true | null;
}
export interface ParentRow {
  code: string;
  parent: string;
}
export interface NameRow {
  key: string;
  code: string;
  text: string;
  normalized: string;
  source: NameSource;
  lang: string;
  cui: string | null;
  sab: string | null;
  count: number | null;
  /** Position in the imported name list: names of a code come back in this order. */
  ord: number;
}
export interface CorpusRow {
  name: string;
}
export interface DocumentRow {
  key: string;
  corpus: string;
  id: string;
  sortKey: string;
  split: string;
  text: string;
  patient: string | null;
  date: string | null;
  /** `Document.fields` as a JSON string (Neo4j properties cannot hold maps). */
  fields: string | null;
}
export interface MentionRow {
  key: string;
  documentKey: string;
  corpus: string;
  documentId: string;
  layer: string;
  id: string;
  start: number;
  end: number;
  text: string;
  /** Fragments as parallel lists (Neo4j properties cannot hold lists of maps). */
  fragmentStarts: number[];
  fragmentEnds: number[];
  code: string | null;
}
export interface AssignmentRow {
  documentKey: string;
  layer: string;
  code: string;
}

function statement(text: string, parameters: Record<string, unknown> = {}): Statement {
  return { text, parameters };
}

/**
 * The Cypher of the Neo4j adapter: pure functions from typed arguments to statements, so that each
 * can be snapshot-tested with its parameters and linted without a database (see `allStatements`).
 *
 * @example
 * cypher.getNames(['I25'], null);
 * // { text: 'UNWIND $codes AS key\nOPTIONAL MATCH (n:Name)-[:NAMES]->(:Code {code: key}) ...', parameters: { codes: ['I25'], sources: null } }
 */
export const cypher = {
  // --- the ICD-10 tree ------------------------------------------------------------------
  /**
   * What the in-process code tree was read from (the store reads it again when this changes): the
   * last complete import (data version, time), an import under way, and how many codes and PARENT
   * links there are (count-store lookups, no scan). The tree is written only by imports.
   */
  treeStamp(): Statement {
    return statement(
      `OPTIONAL MATCH (m:Meta {key: $key})
RETURN m.dataVersion AS dataVersion, toString(m.importedAt) AS importedAt, m.importing AS importing,
  toString(m.importStartedAt) AS importStartedAt, COUNT { MATCH (:Code) } AS codes, COUNT { MATCH ()-[:PARENT]->() } AS parents`,
      { key: META_KEY },
    );
  },

  /** Every code with its parent's code (null for a chapter), for the in-process code tree. */
  allCodes(): Statement {
    return statement(
      `MATCH (c:Code)
OPTIONAL MATCH (c)-[:PARENT]->(p:Code)
WITH c, min(p.code) AS parent
RETURN c {${CODE_FIELDS}, parent: parent} AS code`,
    );
  },

  // --- names ------------------------------------------------------------------------------
  getNames(codes: readonly string[], sources: readonly NameSource[] | null): Statement {
    return statement(
      `UNWIND $codes AS key
OPTIONAL MATCH (n:Name)-[:NAMES]->(:Code {code: key})
WHERE $sources IS NULL OR n.source IN $sources
WITH key, n
ORDER BY n.ord
RETURN key, collect(n {.code, .text, .normalized, .source, .lang, .cui, .sab, .count}) AS names`,
      { codes: [...codes], sources: sources ? [...sources] : null },
    );
  },

  /**
   * Candidate names from the full-text index for a Lucene query built by `luceneQuery`; the store
   * re-ranks them with the same scoring as the memory adapter.
   */
  searchNames(query: string, limit: number, sources: readonly NameSource[] | null): Statement {
    return statement(
      `CALL db.index.fulltext.queryNodes($index, $query) YIELD node, score
WHERE $sources IS NULL OR node.source IN $sources
RETURN node {.code, .text, .normalized, .source, .lang, .cui, .sab, .count, .ord} AS name, score
ORDER BY score DESC, name.ord
LIMIT $limit`,
      { index: NAME_FULLTEXT_INDEX, query, limit, sources: sources ? [...sources] : null },
    );
  },

  /**
   * What the in-process name index was built from: the import that wrote the names (its data
   * version and time) and how many there are. Names change only through imports.
   */
  nameIndexStamp(): Statement {
    return statement(
      `OPTIONAL MATCH (m:Meta {key: $key})
RETURN m.dataVersion AS dataVersion, toString(m.importedAt) AS importedAt, COUNT { MATCH (:Name) } AS names`,
      { key: META_KEY },
    );
  },

  /** Every name in import order, for the in-process name index. */
  allNames(): Statement {
    return statement(
      `MATCH (n:Name)
RETURN n {.code, .text, .normalized, .source, .lang, .cui, .sab, .count, .ord} AS name
ORDER BY n.ord`,
    );
  },

  // --- corpora, documents, layers --------------------------------------------------------
  listCorpora(): Statement {
    return statement(
      `MATCH (c:Corpus)
OPTIONAL MATCH (d:Document)-[:IN]->(c)
WITH c, d.split AS split, count(d) AS documentCount
RETURN c.name AS name,
  collect(CASE WHEN split IS NULL THEN null ELSE {split: split, documentCount: documentCount} END) AS splits`,
    );
  },

  /** One page of documents after a sort key (keyset pagination); `limit` is the page size + 1. */
  listDocuments(corpus: string, split: string | null, afterSortKey: string | null, limit: number): Statement {
    return statement(
      `MATCH (d:Document {corpus: $corpus})
WHERE ($split IS NULL OR d.split = $split) AND ($after IS NULL OR d.sortKey > $after)
RETURN d {.corpus, .id, .split, .text, .patient, .date, .fields} AS document
ORDER BY d.sortKey
LIMIT $limit`,
      { corpus, split, after: afterSortKey, limit },
    );
  },

  countDocuments(corpus: string, split: string | null): Statement {
    return statement(
      `MATCH (d:Document {corpus: $corpus})
WHERE $split IS NULL OR d.split = $split
RETURN count(d) AS total`,
      { corpus, split },
    );
  },

  getDocuments(documentKeys: readonly string[]): Statement {
    return statement(
      `UNWIND $keys AS key
OPTIONAL MATCH (d:Document {key: key})
RETURN key, CASE WHEN d IS NULL THEN null ELSE d {.corpus, .id, .split, .text, .patient, .date, .fields} END AS document`,
      { keys: [...documentKeys] },
    );
  },

  listPatientDocuments(corpus: string, patient: string): Statement {
    return statement(
      `MATCH (d:Document {corpus: $corpus, patient: $patient})
RETURN d {.corpus, .id, .split, .text, .patient, .date, .fields} AS document`,
      { corpus, patient },
    );
  },

  listDocumentIds(corpus: string, split: string | null): Statement {
    return statement(
      `MATCH (d:Document {corpus: $corpus})
WHERE $split IS NULL OR d.split = $split
RETURN d.id AS id
ORDER BY d.sortKey`,
      { corpus, split },
    );
  },

  /** Layers with at least one mention or assignment in a corpus (a layer emptied of both is gone). */
  listLayers(corpus: string): Statement {
    return statement(
      `MATCH (m:Mention {corpus: $corpus})
RETURN DISTINCT m.layer AS layer
UNION
MATCH (:Document {corpus: $corpus})-[a:ASSIGNED]->(:Code)
RETURN DISTINCT a.layer AS layer`,
      { corpus },
    );
  },

  /** Every corpus's layers, for `listCorpora`. */
  corpusLayers(): Statement {
    return statement(
      `MATCH (m:Mention)
RETURN DISTINCT m.corpus AS corpus, m.layer AS layer
UNION
MATCH (d:Document)-[a:ASSIGNED]->(:Code)
RETURN DISTINCT d.corpus AS corpus, a.layer AS layer`,
    );
  },

  corpusExists(corpus: string): Statement {
    return statement(
      `OPTIONAL MATCH (c:Corpus {name: $corpus})
RETURN c IS NOT NULL AS exists`,
      { corpus },
    );
  },

  /** Texts of existing documents, to validate offsets and to see which replaced documents changed. */
  documentTexts(documentKeys: readonly string[]): Statement {
    return statement(
      `UNWIND $keys AS key
MATCH (d:Document {key: key})
RETURN key, d.text AS text`,
      { keys: [...documentKeys] },
    );
  },

  /**
   * One layer of the given documents. The subqueries name no labels on purpose: HAS only reaches
   * mentions and LINKED_TO / ASSIGNED only codes, and without a label the planner must expand from
   * the document found by its key instead of sometimes starting from a label index scan (seen on
   * small graphs, where statistics make a scan look cheap).
   */
  getLayer(layer: string, documentKeys: readonly string[]): Statement {
    return statement(
      `UNWIND $keys AS key
OPTIONAL MATCH (d:Document {key: key})
RETURN key,
  COLLECT {
    MATCH (d)-[:HAS]->(m)
    WHERE m.layer = $layer
    OPTIONAL MATCH (m)-[:LINKED_TO]->(c)
    RETURN m {.id, .start, .end, .text, .fragmentStarts, .fragmentEnds, code: c.code} AS mention
    ORDER BY m.start, m.end, m.id, m.key
  } AS mentions,
  COLLECT {
    MATCH (d)-[a:ASSIGNED]->(c)
    WHERE a.layer = $layer
    RETURN DISTINCT c.code AS code
    ORDER BY code
  } AS codes`,
      { keys: [...documentKeys], layer },
    );
  },

  /** One page of mentions of a code (offset pagination over a total order). */
  mentionsOfCode(
    code: string,
    layer: string,
    corpus: string | null,
    includeDescendants: boolean,
    skip: number,
    limit: number,
  ): Statement {
    return statement(
      `${mentionsOfCodeMatch(includeDescendants)}
RETURN d.corpus AS corpus, d.id AS documentId, m.layer AS layer,
  m {.id, .start, .end, .text, .fragmentStarts, .fragmentEnds, code: c.code} AS mention
ORDER BY d.corpus, d.sortKey, m.start, m.end, m.id, m.key
SKIP $skip
LIMIT $limit`,
      { code, layer, corpus, skip, limit },
    );
  },

  countMentionsOfCode(code: string, layer: string, corpus: string | null, includeDescendants: boolean): Statement {
    return statement(
      `${mentionsOfCodeMatch(includeDescendants)}
RETURN count(m) AS total`,
      { code, layer, corpus },
    );
  },

  /** Per code, the distinct documents of a layer that carry it through a mention or an assignment. */
  codeFrequencies(codes: readonly string[], layer: string, corpus: string | null): Statement {
    return statement(
      `UNWIND $codes AS key
OPTIONAL MATCH (c:Code {code: key})
WITH key,
  COLLECT {
    MATCH (d:Document)-[:HAS]->(:Mention {layer: $layer})-[:LINKED_TO]->(c)
    WHERE $corpus IS NULL OR d.corpus = $corpus
    RETURN DISTINCT d.key AS documentKey
  } AS viaMentions,
  COLLECT {
    MATCH (d:Document)-[a:ASSIGNED]->(c)
    WHERE a.layer = $layer AND ($corpus IS NULL OR d.corpus = $corpus)
    RETURN DISTINCT d.key AS documentKey
  } AS viaAssignments
RETURN key, size(viaMentions) + size([k IN viaAssignments WHERE NOT k IN viaMentions]) AS documents`,
      { codes: [...codes], layer, corpus },
    );
  },

  /** Document keys of the given ones that do not exist (writes check before they change anything). */
  missingDocuments(documentKeys: readonly string[]): Statement {
    return statement(
      `UNWIND $keys AS key
OPTIONAL MATCH (d:Document {key: key})
WITH key, d
WHERE d IS NULL
RETURN key`,
      { keys: [...documentKeys] },
    );
  },

  missingCodes(codes: readonly string[]): Statement {
    return statement(
      `UNWIND $codes AS key
OPTIONAL MATCH (c:Code {code: key})
WITH key, c
WHERE c IS NULL
RETURN key`,
      { codes: [...codes] },
    );
  },

  // --- writes -------------------------------------------------------------------------------
  mergeCorpora(rows: readonly CorpusRow[]): Statement {
    return statement(
      `UNWIND $rows AS row
MERGE (c:Corpus {name: row.name})
RETURN count(*) AS rows`,
      { rows: [...rows] },
    );
  },

  mergeDocuments(rows: readonly DocumentRow[]): Statement {
    return statement(
      `UNWIND $rows AS row
MATCH (c:Corpus {name: row.corpus})
MERGE (d:Document {key: row.key})
SET d.corpus = row.corpus, d.id = row.id, d.sortKey = row.sortKey, d.split = row.split, d.text = row.text,
  d.patient = row.patient, d.date = row.date, d.fields = row.fields
MERGE (d)-[:IN]->(c)
RETURN count(*) AS rows`,
      { rows: [...rows] },
    );
  },

  /** Removes one layer's mentions and assignments from the given documents (before `putLayer` writes them anew). */
  clearLayerMentions(layer: string, documentKeys: readonly string[]): Statement {
    return statement(
      `UNWIND $keys AS key
MATCH (:Document {key: key})-[:HAS]->(m:Mention {layer: $layer})
DETACH DELETE m`,
      { keys: [...documentKeys], layer },
    );
  },

  clearLayerAssignments(layer: string, documentKeys: readonly string[]): Statement {
    return statement(
      `UNWIND $keys AS key
MATCH (:Document {key: key})-[a:ASSIGNED]->(:Code)
WHERE a.layer = $layer
DELETE a`,
      { keys: [...documentKeys], layer },
    );
  },

  /**
   * Merges mentions onto their documents and (re)links each to its code. Rows of unknown documents
   * match nothing and are counted out; `linked` counts the rows whose code exists.
   */
  mergeMentions(rows: readonly MentionRow[]): Statement {
    return statement(
      `UNWIND $rows AS row
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
RETURN count(*) AS rows, count(c) AS linked`,
      { rows: [...rows] },
    );
  },

  mergeAssignments(rows: readonly AssignmentRow[]): Statement {
    return statement(
      `UNWIND $rows AS row
MATCH (d:Document {key: row.documentKey})
MATCH (c:Code {code: row.code})
MERGE (d)-[:ASSIGNED {layer: row.layer}]->(c)
RETURN count(*) AS rows`,
      { rows: [...rows] },
    );
  },

  deleteLayerMentions(corpus: string, layer: string): Statement {
    return statement(
      `MATCH (:Document {corpus: $corpus})-[:HAS]->(m:Mention {layer: $layer})
DETACH DELETE m`,
      { corpus, layer },
    );
  },

  deleteLayerAssignments(corpus: string, layer: string): Statement {
    return statement(
      `MATCH (:Document {corpus: $corpus})-[a:ASSIGNED]->(:Code)
WHERE a.layer = $layer
DELETE a`,
      { corpus, layer },
    );
  },

  /** Removes documents (their annotations are cleared first with `clearDocumentAnnotations`). */
  deleteDocuments(documentKeys: readonly string[]): Statement {
    return statement(
      `UNWIND $keys AS key
MATCH (d:Document {key: key})
DETACH DELETE d`,
      { keys: [...documentKeys] },
    );
  },

  /** Removes a corpus, its documents and their mentions (assignments go with the documents). */
  deleteCorpus(corpus: string): Statement {
    return statement(
      `MATCH (c:Corpus {name: $corpus})
OPTIONAL MATCH (d:Document {corpus: $corpus})
OPTIONAL MATCH (d)-[:HAS]->(m:Mention)
DETACH DELETE m, d, c`,
      { corpus },
    );
  },

  /** Drops every annotation of the given documents (their text changed, so their offsets are void). */
  clearDocumentAnnotations(documentKeys: readonly string[]): Statement {
    return statement(
      `UNWIND $keys AS key
MATCH (d:Document {key: key})
OPTIONAL MATCH (d)-[:HAS]->(m:Mention)
DETACH DELETE m
WITH DISTINCT d
OPTIONAL MATCH (d)-[a:ASSIGNED]->(:Code)
DELETE a`,
      { keys: [...documentKeys] },
    );
  },

  // --- import -------------------------------------------------------------------------------
  mergeCodes(rows: readonly CodeRow[]): Statement {
    return statement(
      `UNWIND $rows AS row
MERGE (c:Code {code: row.code})
SET c.title = row.title, c.kind = row.kind, c.depth = row.depth, c.number = row.number, c.inactive = row.inactive
RETURN count(*) AS rows`,
      { rows: [...rows] },
    );
  },

  /** Links each code to its parent and drops any other PARENT edge, so that a re-import keeps one tree. */
  mergeParents(rows: readonly ParentRow[]): Statement {
    return statement(
      `UNWIND $rows AS row
MATCH (c:Code {code: row.code})
MATCH (p:Code {code: row.parent})
MERGE (c)-[:PARENT]->(p)
FOREACH (old IN [(c)-[r:PARENT]->(o:Code) WHERE o <> p | r] | DELETE old)
RETURN count(*) AS rows`,
      { rows: [...rows] },
    );
  },

  mergeNames(rows: readonly NameRow[]): Statement {
    return statement(
      `UNWIND $rows AS row
MATCH (c:Code {code: row.code})
MERGE (n:Name {key: row.key})
SET n.code = row.code, n.text = row.text, n.normalized = row.normalized, n.source = row.source,
  n.lang = row.lang, n.cui = row.cui, n.sab = row.sab, n.count = row.count, n.ord = row.ord
MERGE (n)-[:NAMES]->(c)
RETURN count(*) AS rows`,
      { rows: [...rows] },
    );
  },

  /** Marks an import as started: `dataVersion` keeps the last complete import's until `completeImport`. */
  beginImport(dataVersion: string): Statement {
    return statement(
      `MERGE (m:Meta {key: $key})
SET m.importing = $dataVersion, m.importStartedAt = datetime()
RETURN m.key AS key`,
      { key: META_KEY, dataVersion },
    );
  },

  completeImport(dataVersion: string, sourcesJson: string, sample: boolean): Statement {
    return statement(
      `MERGE (m:Meta {key: $key})
SET m.dataVersion = $dataVersion, m.sources = $sources, m.sample = $sample, m.importedAt = datetime(),
  m.importing = null, m.importStartedAt = null
RETURN m.key AS key`,
      { key: META_KEY, dataVersion, sources: sourcesJson, sample },
    );
  },

  // --- system -------------------------------------------------------------------------------
  meta(): Statement {
    return statement(
      `OPTIONAL MATCH (m:Meta {key: $key})
RETURN m.dataVersion AS dataVersion, m.sources AS sources, m.sample AS sample, m.importing AS importing`,
      { key: META_KEY },
    );
  },

  counts(): Statement {
    return statement(
      `RETURN COUNT { MATCH (:Code) } AS codes, COUNT { MATCH (:Name) } AS names, COUNT { MATCH (:Corpus) } AS corpora,
  COUNT { MATCH (:Document) } AS documents, COUNT { MATCH (:Mention) } AS mentions`,
    );
  },

  /** Waits until the indexes of schema.cypher are online (a full-text index builds asynchronously). */
  awaitIndexes(timeoutSeconds: number): Statement {
    return statement(`CALL db.awaitIndexes($timeoutSeconds)`, { timeoutSeconds });
  },
};

function mentionsOfCodeMatch(includeDescendants: boolean): string {
  // Two fixed variants chosen by a boolean: the only difference is whether the code's subtree counts.
  const target = includeDescendants
    ? 'MATCH (c:Code)-[:PARENT*0..]->(:Code {code: $code})'
    : 'MATCH (c:Code {code: $code})';
  return `${target}
MATCH (d:Document)-[:HAS]->(m:Mention {layer: $layer})-[:LINKED_TO]->(c)
WHERE $corpus IS NULL OR d.corpus = $corpus`;
}
