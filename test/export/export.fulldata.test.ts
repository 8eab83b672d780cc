import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DirectedGraph } from 'graphology';
import { parse as parseGraphml } from 'graphology-graphml';
import { Parser } from 'n3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runExport } from '../../src/export/runExport.js';
import type { MemoryStore } from '../../src/graph/memory/MemoryStore.js';
import { startTestServer } from '../api/testServer.js';
import { dataStore } from '../fhir/fhirServer.js';
import { unzip } from './unzip.js';

const dataDir = process.env.ICDKG_DATA_DIR;
if (!dataDir) console.warn('skipped: ICDKG_DATA_DIR not set (test/export/export.fulldata.test.ts needs the full data)');

describe.skipIf(!dataDir)('exports of the full data', () => {
  const SKOS = 'http://www.w3.org/2004/02/skos/core#';
  let store: MemoryStore;
  let dir: string;
  let codes: number;
  let chapters: number;
  beforeAll(async () => {
    store = await dataStore(dataDir);
    dir = mkdtempSync(path.join(tmpdir(), 'icdkg-export-full-'));
    codes = (await store.counts()).codes;
    chapters = (await store.chapters()).length;
  }, 120_000);
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('skos: every code a concept with one prefLabel, broader edges = PARENT edges', async () => {
    const file = path.join(dir, 'icd.ttl');
    await runExport(store, { format: 'skos', out: file });
    const prefLabels = new Map<string, number>();
    let broader = 0;
    let concepts = 0;
    new Parser({ format: 'text/turtle' }).parse(readFileSync(file, 'utf8')).forEach((q) => {
      if (q.predicate.value === `${SKOS}prefLabel`) prefLabels.set(q.subject.value, (prefLabels.get(q.subject.value) ?? 0) + 1);
      if (q.predicate.value === `${SKOS}broader`) broader++;
      if (q.object.value === `${SKOS}Concept`) concepts++;
    });
    expect(concepts).toBe(codes);
    expect(broader).toBe(codes - chapters);
    // The scheme has a prefLabel too.
    expect(prefLabels.size).toBe(codes + 1);
    expect([...prefLabels.values()].every((n) => n === 1)).toBe(true);
  }, 60_000);

  it('graphml: node and edge counts are the store counts', async () => {
    const file = path.join(dir, 'icd.graphml');
    await runExport(store, { format: 'graphml', out: file });
    const graph = parseGraphml(DirectedGraph, readFileSync(file, 'utf8'));
    expect(graph.order).toBe(codes);
    expect(graph.size).toBe(codes - chapters);
  }, 60_000);

  it('over HTTP: skos and neo4j-csv (RuCCoD gold, a zip) are the CLI bytes, within the default size limit', async () => {
    const server = await startTestServer({ store });
    try {
      const base = server.url.replace(/\/graphql$/, '/export');
      const ttl = await fetch(`${base}/skos`);
      expect(ttl.status).toBe(200);
      const file = path.join(dir, 'http.ttl');
      await runExport(store, { format: 'skos', out: file });
      expect(Buffer.from(await ttl.arrayBuffer()).equals(readFileSync(file))).toBe(true);
      const corpus = (await store.listCorpora())[0]!;
      const zip = await fetch(`${base}/neo4j-csv?corpus=${encodeURIComponent(corpus.name)}&layer=${encodeURIComponent(corpus.layers[0]!)}`);
      expect(zip.status).toBe(200);
      const entries = await unzip(Buffer.from(await zip.arrayBuffer()));
      const out = path.join(dir, 'neo4j-http');
      const summary = await runExport(store, { format: 'neo4j-csv', out, corpus: corpus.name, layer: corpus.layers[0]! });
      expect([...entries.keys()]).toEqual(summary.files.map((f) => path.basename(f.file)));
      for (const f of summary.files) expect(entries.get(path.basename(f.file))!.equals(readFileSync(f.file)), f.file).toBe(true);
    } finally {
      await server.close();
    }
  }, 120_000);
});
