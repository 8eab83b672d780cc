import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { parse as parseCsv } from 'csv-parse/sync';
import { DirectedGraph } from 'graphology';
import { parse as parseGraphml } from 'graphology-graphml';
import { Parser } from 'n3';
import type { Quad } from 'n3';
import YAML from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runExport } from '../../src/export/runExport.js';
import { SSSOM_COLUMNS } from '../../src/export/sssom.js';
import { splitTriples } from '../../src/export/pykeen.js';
import type { Triple } from '../../src/export/pykeen.js';
import { compareLayers } from '../../src/evaluation/layerEvaluation.js';
import { MemoryStore } from '../../src/graph/memory/MemoryStore.js';
import { loadDataDir, SAMPLE_DATA_DIR } from '../../src/ingest/loadDataDir.js';
import { dataStore } from '../fhir/fhirServer.js';

const SKOS = 'http://www.w3.org/2004/02/skos/core#';
let store: MemoryStore;
let dir: string;
let corpus: string;
let codeCount: number;
let chapterCodes: string[];

beforeAll(async () => {
  store = await dataStore();
  dir = mkdtempSync(path.join(tmpdir(), 'icdkg-export-'));
  corpus = (await store.listCorpora())[0]!.name;
  const ids = (await store.listDocumentIds(corpus, null)).slice(0, 3);
  const layer = (name: string, codes: string[][]) => ids.map((documentId, i) => ({ documentId, layer: name, mentions: [], codes: codes[i]! }));
  await store.putLayer(corpus, 'original', layer('original', [['I25.2'], ['I25.2', 'E11.9'], ['I25.2']]));
  await store.putLayer(corpus, 'linked', layer('linked', [['I11.9'], ['I11.9', 'E11.9'], ['I25']]));
  codeCount = (await store.counts()).codes;
  chapterCodes = (await store.chapters()).map((c) => c.code);
});
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Every code of the store with its parent, through the port. */
async function allCodes() {
  const out: { code: string; parent: string | null }[] = [];
  for (const ch of await store.chapters()) for (const c of [ch, ...(await store.getDescendants(ch.code, Infinity))]) out.push({ code: c.code, parent: c.parent });
  return out;
}

describe('export skos', () => {
  it('is Turtle that N3.js parses: one prefLabel per concept, every broader chain reaching a top concept', async () => {
    const file = path.join(dir, 'icd.ttl');
    await runExport(store, { format: 'skos', out: file });
    const quads: Quad[] = new Parser({ format: 'text/turtle' }).parse(readFileSync(file, 'utf8'));
    const objects = (s: string, p: string) => quads.filter((q) => q.subject.value === s && q.predicate.value === SKOS + p).map((q) => q.object);
    const concepts = quads.filter((q) => q.object.value === `${SKOS}Concept`).map((q) => q.subject.value);
    expect(concepts).toHaveLength(codeCount);
    const tops = new Set(quads.filter((q) => q.predicate.value === `${SKOS}hasTopConcept`).map((q) => q.object.value));
    expect(tops.size).toBe(chapterCodes.length);
    const broader = new Map(quads.filter((q) => q.predicate.value === `${SKOS}broader`).map((q) => [q.subject.value, q.object.value]));
    expect(broader.size).toBe(codeCount - chapterCodes.length);
    expect(quads.filter((q) => q.predicate.value === `${SKOS}narrower`)).toHaveLength(broader.size);
    for (const c of concepts) {
      const pref = objects(c, 'prefLabel');
      expect(pref, c).toHaveLength(1);
      expect((pref[0] as { language: string }).language).toBe('ru');
      expect(objects(c, 'notation')).toHaveLength(1);
      let at = c;
      for (let hops = 0; broader.has(at); hops++) {
        expect(hops).toBeLessThan(10);
        at = broader.get(at)!;
      }
      expect(tops.has(at), c).toBe(true);
    }
    // Every name other than the title is an altLabel with its source on a SKOS-XL label.
    const [names] = await store.getNames(['I25.2']);
    const i252 = concepts.find((c) => c.endsWith(':I25.2'))!;
    const [title] = await store.getCodes(['I25.2']);
    const expectedAlt = new Set(names!.filter((n) => !(n.text === title!.title && n.lang === 'ru')).map((n) => n.text));
    expect(new Set(objects(i252, 'altLabel').map((o) => o.value))).toEqual(expectedAlt);
  });

  it('streams to stdout with "-"', async () => {
    const sink = new PassThrough();
    const chunks: Buffer[] = [];
    sink.on('data', (c: Buffer) => chunks.push(c));
    await runExport(store, { format: 'skos', out: '-', stdout: sink });
    expect(Buffer.concat(chunks).toString('utf8')).toBe(readFileSync(path.join(dir, 'icd.ttl'), 'utf8'));
  });
});

describe('export graphml', () => {
  it('is GraphML that graphology reads, with the store node and edge counts', async () => {
    const file = path.join(dir, 'icd.graphml');
    await runExport(store, { format: 'graphml', out: file });
    const graph = parseGraphml(DirectedGraph, readFileSync(file, 'utf8'));
    expect(graph.order).toBe(codeCount);
    expect(graph.size).toBe(codeCount - chapterCodes.length);
    expect(graph.getNodeAttributes('I25.2')).toMatchObject({ type: 'code', kind: 'SUBCATEGORY', depth: 3 });
    expect(graph.outNeighbors('I25.2')).toEqual(['I25']);
  });

  it('adds documents and one edge per mention or assignment of a layer', async () => {
    const file = path.join(dir, 'corpus.graphml');
    await runExport(store, { format: 'graphml', out: file, corpus, layer: 'gold' });
    const graph = parseGraphml(DirectedGraph, readFileSync(file, 'utf8'));
    const ids = await store.listDocumentIds(corpus, null);
    const gold = await store.getLayer(corpus, 'gold', ids);
    const links = gold.reduce((n, d) => n + d.mentions.filter((m) => m.code !== null).length + d.codes.length, 0);
    expect(links).toBeGreaterThan(0);
    expect(graph.order).toBe(codeCount + ids.length);
    expect(graph.size).toBe(codeCount - chapterCodes.length + links);
  });
});

describe('export pykeen', () => {
  const read = (file: string): Triple[] => parseCsv(readFileSync(file, 'utf8'), { delimiter: '\t', relax_quotes: true }) as Triple[];

  it('writes PARENT, CO_OCCURS and REPLACED_BY triples, split with every entity and relation in train', async () => {
    const out = path.join(dir, 'pykeen');
    await runExport(store, { format: 'pykeen', out, corpus, layer: 'linked', fromLayer: 'original' });
    const all = read(path.join(out, 'triples.tsv'));
    const codes = await allCodes();
    expect(all.filter((t) => t[1] === 'PARENT')).toHaveLength(codes.filter((c) => c.parent !== null).length);
    expect(all.filter((t) => t[1] === 'CO_OCCURS')).toEqual([['E11.9', 'CO_OCCURS', 'I11.9']]);
    const { transitions } = await compareLayers(store, { corpus, a: 'original', b: 'linked' });
    expect(all.filter((t) => t[1] === 'REPLACED_BY')).toEqual(transitions.map((t) => [t.from, 'REPLACED_BY', t.to]));
    const [train, valid, test] = ['train', 'valid', 'test'].map((s) => read(path.join(out, `${s}.tsv`)));
    expect(train!.length + valid!.length + test!.length).toBe(all.length);
    expect(valid!.length).toBeGreaterThan(0);
    expect(test!.length).toBeGreaterThan(0);
    const inTrain = new Set(train!.flatMap((t) => [t[0], t[2]]));
    const relations = new Set(train!.map((t) => t[1]));
    for (const t of [...valid!, ...test!]) {
      expect(inTrain.has(t[0]) && inTrain.has(t[2]) && relations.has(t[1])).toBe(true);
    }
    expect(new Set(all.flatMap((t) => [t[0], t[2]]))).toEqual(inTrain);
  });

  it('splits deterministically by seed, never leaving an entity out of train', () => {
    const triples: Triple[] = Array.from({ length: 200 }, (_, i) => [`e${i % 37}`, i % 3 === 0 ? 'r1' : 'r2', `e${(i * 7) % 41}`]);
    const a = splitTriples(triples, [0.8, 0.1, 0.1], 7);
    expect(splitTriples(triples, [0.8, 0.1, 0.1], 7)).toEqual(a);
    expect(splitTriples(triples, [0.8, 0.1, 0.1], 8)).not.toEqual(a);
    const seen = new Set(a.train.flatMap((t) => [t[0], t[2]]));
    for (const t of [...a.valid, ...a.test]) expect(seen.has(t[0]) && seen.has(t[2])).toBe(true);
    expect(a.valid).toHaveLength(20);
    expect(a.test).toHaveLength(20);
  });
});

describe('export neo4j-csv', () => {
  it('writes neo4j-admin import files whose node and relationship counts are the store counts', async () => {
    const out = path.join(dir, 'neo4j');
    const summary = await runExport(store, { format: 'neo4j-csv', out, corpus, layer: 'gold' });
    const read = (name: string) => parseCsv(readFileSync(path.join(out, name), 'utf8'), { columns: true }) as Record<string, string>[];
    const counts = await store.counts();
    const codes = read('codes.csv');
    expect(Object.keys(codes[0]!)).toEqual(['code:ID(Code)', 'title', 'kind', 'depth:int', 'number']);
    expect(codes).toHaveLength(counts.codes);
    expect(read('parent.csv')).toHaveLength(counts.codes - chapterCodes.length);
    expect(read('names.csv')).toHaveLength(counts.names);
    expect(read('names_rel.csv')).toHaveLength(counts.names);
    const ids = await store.listDocumentIds(corpus, null);
    expect(read('documents.csv')).toHaveLength(ids.length);
    expect(read('in_rel.csv')).toHaveLength(ids.length);
    const gold = await store.getLayer(corpus, 'gold', ids);
    const mentions = read('mentions.csv');
    expect(mentions).toHaveLength(gold.reduce((n, d) => n + d.mentions.length, 0));
    // Every relationship end is a node id of its group (what neo4j-admin checks).
    const codeIds = new Set(codes.map((c) => c['code:ID(Code)']));
    for (const r of read('linked_to_rel.csv')) expect(codeIds.has(r[':END_ID(Code)'])).toBe(true);
    const mentionIds = new Set(mentions.map((m) => m['key:ID(Mention)']));
    for (const r of read('has_rel.csv')) expect(mentionIds.has(r[':END_ID(Mention)'])).toBe(true);
    expect(readFileSync(path.join(out, 'IMPORT.txt'), 'utf8')).toContain('neo4j-admin database import full --nodes=Code=codes.csv');
    expect(summary.files.map((f) => path.basename(f.file))).toContain('mentions.csv');
  });
});

describe('export sssom', () => {
  /** SSSOM TSV: `#` YAML header, then a TSV table; checks the column rules of the SSSOM spec. */
  function readSssom(text: string) {
    const lines = text.split('\n');
    const header = YAML.parse(lines.filter((l) => l.startsWith('#')).map((l) => l.replace(/^# ?/, '')).join('\n')) as Record<string, unknown>;
    const rows = parseCsv(lines.filter((l) => !l.startsWith('#')).join('\n'), { delimiter: '\t', columns: true, relax_quotes: true }) as Record<string, string>[];
    const prefixes = header.curie_map as Record<string, string>;
    expect(typeof header.mapping_set_id).toBe('string');
    expect(typeof header.license).toBe('string');
    for (const r of rows) {
      for (const col of ['subject_id', 'predicate_id', 'object_id', 'mapping_justification']) {
        expect(r[col], col).toMatch(/^[A-Za-z_][\w.-]*:\S+$/);
        expect(Object.keys(prefixes), col).toContain(r[col]!.split(':')[0]);
      }
      expect(r.mapping_justification).toMatch(/^semapv:/);
      expect(['skos:exactMatch', 'skos:broadMatch', 'skos:narrowMatch', 'skos:relatedMatch', 'skos:closeMatch']).toContain(r.predicate_id);
      if (r.confidence !== '') expect(Number(r.confidence)).toBeGreaterThanOrEqual(0);
    }
    return { header, rows };
  }

  it('maps layer transitions with predicates from the hierarchy, one row per transition', async () => {
    const file = path.join(dir, 'transitions.sssom.tsv');
    await runExport(store, { format: 'sssom', out: file, corpus, layer: 'linked' });
    const { header, rows } = readSssom(readFileSync(file, 'utf8'));
    expect(Object.keys(rows[0]!)).toEqual([...SSSOM_COLUMNS]);
    const { transitions } = await compareLayers(store, { corpus, a: 'original', b: 'linked' });
    expect(rows).toHaveLength(transitions.length);
    expect(rows.map((r) => [r.subject_id, r.predicate_id, r.object_id])).toEqual([
      ['MKB10:I25.2', 'skos:relatedMatch', 'MKB10:I11.9'],
      ['MKB10:I25.2', 'skos:broadMatch', 'MKB10:I25'],
    ]);
    expect(header.mapping_set_version).toBe((await store.info()).dataVersion);
  });

  it('maps codes to UMLS CUIs (one row per code and CUI) when no corpus is given', async () => {
    const file = path.join(dir, 'umls.sssom.tsv');
    await runExport(store, { format: 'sssom', out: file });
    const { rows } = readSssom(readFileSync(file, 'utf8'));
    const pairs = new Set<string>();
    for (const { code } of await allCodes()) for (const n of (await store.getNames([code], ['UMLS']))[0]!) if (n.cui) pairs.add(`MKB10:${code} UMLS:${n.cui}`);
    expect(pairs.size).toBeGreaterThan(0);
    expect(new Set(rows.map((r) => `${r.subject_id} ${r.object_id}`))).toEqual(pairs);
    expect(rows).toHaveLength(pairs.size);
    expect(new Set(rows.map((r) => r.predicate_id))).toEqual(new Set(['skos:exactMatch']));
  });

  it('refuses the UMLS mapping when no UMLS names are loaded, writing nothing', async () => {
    const data = await loadDataDir(SAMPLE_DATA_DIR);
    const noUmls = MemoryStore.open({ ...data, names: data.names.filter((n) => n.source !== 'UMLS') }, { journalDir: null });
    const sink = new PassThrough();
    let written = 0;
    sink.on('data', (c: Buffer) => (written += c.length));
    await expect(runExport(noUmls, { format: 'sssom', out: '-', stdout: sink })).rejects.toThrow('No UMLS names are loaded');
    expect(written).toBe(0);
  });
});
