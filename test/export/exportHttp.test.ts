import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { parse as parseCsv } from 'csv-parse/sync';
import { DirectedGraph } from 'graphology';
import { parse as parseGraphml } from 'graphology-graphml';
import { Parser } from 'n3';
import type { Quad } from 'n3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { runExport } from '../../src/export/runExport.js';
import type { ExportOptions } from '../../src/export/runExport.js';
import { compareLayers } from '../../src/evaluation/layerEvaluation.js';
import type { MemoryStore } from '../../src/graph/memory/MemoryStore.js';
import { startTestServer } from '../api/testServer.js';
import type { TestServer } from '../api/testServer.js';
import { dataStore } from '../fhir/fhirServer.js';
import { unzip } from './unzip.js';

const SKOS = 'http://www.w3.org/2004/02/skos/core#';
let store: MemoryStore;
let server: TestServer;
let base: string;
let dir: string;
let corpus: string;

beforeAll(async () => {
  store = await dataStore();
  dir = mkdtempSync(path.join(tmpdir(), 'icdkg-export-http-'));
  corpus = (await store.listCorpora())[0]!.name;
  const ids = (await store.listDocumentIds(corpus, null)).slice(0, 3);
  const layer = (name: string, codes: string[][]) => ids.map((documentId, i) => ({ documentId, layer: name, mentions: [], codes: codes[i]! }));
  await store.putLayer(corpus, 'original', layer('original', [['I25.2'], ['I25.2', 'E11.9'], ['I25.2']]));
  await store.putLayer(corpus, 'linked', layer('linked', [['I11.9'], ['I11.9', 'E11.9'], ['I25']]));
  server = await startTestServer({ store });
  base = server.url.replace(/\/graphql$/, '/export');
}, 60_000);
afterAll(async () => {
  await server?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** GET /export/<path>: status, content type and body bytes. */
async function get(pathAndQuery: string, at = base) {
  const res = await fetch(`${at}/${pathAndQuery}`);
  return { status: res.status, type: res.headers.get('content-type'), disposition: res.headers.get('content-disposition'), body: Buffer.from(await res.arrayBuffer()) };
}

/** What `icdkg export` writes to stdout for these options. */
async function cliStdout(options: Omit<ExportOptions, 'out' | 'stdout'>): Promise<Buffer> {
  const sink = new PassThrough();
  const chunks: Buffer[] = [];
  sink.on('data', (c: Buffer) => chunks.push(c));
  await runExport(store, { ...options, out: '-', stdout: sink });
  return Buffer.concat(chunks);
}

/** What `icdkg export` writes into a folder for these options: file name -> bytes, in the order written. */
async function cliFolder(options: Omit<ExportOptions, 'out' | 'stdout'>): Promise<Map<string, Buffer>> {
  const out = mkdtempSync(path.join(dir, `${options.format}-`));
  const summary = await runExport(store, { ...options, out });
  expect(readdirSync(out).sort()).toEqual(summary.files.map((f) => path.basename(f.file)).sort());
  return new Map(summary.files.map((f) => [path.basename(f.file), readFileSync(f.file)]));
}

describe('GET /export/<format>', () => {
  it('skos: the CLI bytes as text/turtle, which N3.js parses into one prefLabel per concept', async () => {
    const res = await get('skos');
    expect(res.status).toBe(200);
    expect(res.type).toBe('text/turtle; charset=utf-8');
    expect(res.disposition).toBe('attachment; filename="icd10.ttl"');
    expect(res.body.equals(await cliStdout({ format: 'skos' }))).toBe(true);
    const quads: Quad[] = new Parser({ format: 'text/turtle' }).parse(res.body.toString('utf8'));
    const concepts = quads.filter((q) => q.object.value === `${SKOS}Concept`).map((q) => q.subject.value);
    expect(concepts).toHaveLength((await store.counts()).codes);
    for (const c of concepts) expect(quads.filter((q) => q.subject.value === c && q.predicate.value === `${SKOS}prefLabel`), c).toHaveLength(1);
  });

  it('graphml with a corpus layer: the CLI bytes, read by graphology with the store counts', async () => {
    const res = await get(`graphml?corpus=${encodeURIComponent(corpus)}&layer=gold`);
    expect(res.status).toBe(200);
    expect(res.type).toBe('application/graphml+xml; charset=utf-8');
    expect(res.body.equals(await cliStdout({ format: 'graphml', corpus, layer: 'gold' }))).toBe(true);
    const graph = parseGraphml(DirectedGraph, res.body.toString('utf8'));
    const ids = await store.listDocumentIds(corpus, null);
    expect(graph.order).toBe((await store.counts()).codes + ids.length);
  });

  it('sssom of transitions: the CLI bytes as TSV, one row per transition', async () => {
    const res = await get(`sssom?corpus=${encodeURIComponent(corpus)}&layer=linked&fromLayer=original`);
    expect(res.status).toBe(200);
    expect(res.type).toBe('text/tab-separated-values; charset=utf-8');
    expect(res.body.equals(await cliStdout({ format: 'sssom', corpus, layer: 'linked', fromLayer: 'original' }))).toBe(true);
    const table = res.body.toString('utf8').split('\n').filter((l) => !l.startsWith('#')).join('\n');
    const rows = parseCsv(table, { delimiter: '\t', columns: true, relax_quotes: true }) as Record<string, string>[];
    const { transitions } = await compareLayers(store, { corpus, a: 'original', b: 'linked' });
    expect(rows).toHaveLength(transitions.length);
  });

  it('pykeen: unsplit triples as TSV (the CLI stdout), split as a zip of the CLI folder files', async () => {
    const options = { format: 'pykeen', corpus, layer: 'linked', fromLayer: 'original', seed: 7 } as const;
    const query = `corpus=${encodeURIComponent(corpus)}&layer=linked&fromLayer=original&seed=7`;
    const tsv = await get(`pykeen?${query}&split=false`);
    expect(tsv.status).toBe(200);
    expect(tsv.type).toBe('text/tab-separated-values; charset=utf-8');
    expect(tsv.body.equals(await cliStdout(options))).toBe(true);
    const triples = parseCsv(tsv.body.toString('utf8'), { delimiter: '\t', relax_quotes: true }) as string[][];
    expect(triples.filter((t) => t[1] === 'PARENT')).toHaveLength((await store.counts()).codes - (await store.chapters()).length);

    const zip = await get(`pykeen?${query}`);
    expect(zip.status).toBe(200);
    expect(zip.type).toBe('application/zip');
    const entries = await unzip(zip.body);
    const folder = await cliFolder(options);
    expect([...entries.keys()]).toEqual(['triples.tsv', 'train.tsv', 'valid.tsv', 'test.tsv']);
    expect([...entries.keys()]).toEqual([...folder.keys()]);
    for (const [name, bytes] of entries) expect(bytes.equals(folder.get(name)!), name).toBe(true);
    // Another seed, another split: the parameter reaches the writer.
    const other = await unzip((await get(`pykeen?${query.replace('seed=7', 'seed=8')}`)).body);
    expect(other.get('train.tsv')!.equals(entries.get('train.tsv')!)).toBe(false);
  });

  it('neo4j-csv: a zip of the CLI folder (same names, same bytes), CSVs with the store counts', async () => {
    const res = await get(`neo4j-csv?corpus=${encodeURIComponent(corpus)}&layer=gold`);
    expect(res.status).toBe(200);
    expect(res.type).toBe('application/zip');
    expect(res.disposition).toBe('attachment; filename="icd10-neo4j-csv.zip"');
    const entries = await unzip(res.body);
    const folder = await cliFolder({ format: 'neo4j-csv', corpus, layer: 'gold' });
    expect([...entries.keys()]).toEqual([...folder.keys()]);
    for (const [name, bytes] of entries) {
      expect(name).toMatch(/^[\w.]+$/);
      expect(bytes.equals(folder.get(name)!), name).toBe(true);
    }
    const counts = await store.counts();
    const read = (name: string) => parseCsv(entries.get(name)!.toString('utf8'), { columns: true }) as Record<string, string>[];
    expect(read('codes.csv')).toHaveLength(counts.codes);
    expect(read('names.csv')).toHaveLength(counts.names);
    expect(read('documents.csv')).toHaveLength((await store.listDocumentIds(corpus, null)).length);
    expect(entries.get('IMPORT.txt')!.toString('utf8')).toContain('--nodes=Code=codes.csv');
  });
});

describe('GET /export/<format> refusals', () => {
  /** A JSON error: status, code, argumentName; the value sent never in it. */
  async function expectError(pathAndQuery: string, status: number, code: string, argumentName?: string, at = base) {
    const res = await get(pathAndQuery, at);
    expect(res.status, pathAndQuery).toBe(status);
    expect(res.type).toBe('application/json; charset=utf-8');
    const text = res.body.toString('utf8');
    expect(text).not.toContain('Zx9secret');
    expect(text).not.toContain(process.cwd());
    const [error] = (JSON.parse(text) as { errors: { message: string; extensions: Record<string, unknown> }[] }).errors;
    expect(error!.extensions.code).toBe(code);
    if (argumentName) expect(error!.extensions.argumentName).toBe(argumentName);
    return error!;
  }

  it('answers an unknown format, corpus or layer with 404 naming the argument, never its value', async () => {
    await expectError('Zx9secret', 404, 'NOT_FOUND', 'format');
    await expectError('skos/extra', 404, 'NOT_FOUND', 'format');
    await expectError('graphml?corpus=Zx9secret&layer=gold', 404, 'NOT_FOUND', 'corpus');
    await expectError(`graphml?corpus=${encodeURIComponent(corpus)}&layer=Zx9secret`, 404, 'NOT_FOUND', 'layer');
    await expectError(`pykeen?corpus=${encodeURIComponent(corpus)}&layer=gold&fromLayer=Zx9secret`, 404, 'NOT_FOUND', 'fromLayer');
    // sssom's default source layer is `original`, which gold-only corpora lack.
    await expectError(`sssom?corpus=${encodeURIComponent(corpus)}&layer=gold&fromLayer=Zx9secret`, 404, 'NOT_FOUND', 'fromLayer');
  });

  it('answers bad parameters with 400 and other methods with 405', async () => {
    await expectError('skos?corpus=x', 400, 'BAD_USER_INPUT', 'layer');
    await expectError('skos?Zx9secret=1', 400, 'BAD_USER_INPUT');
    await expectError('skos?seed=1', 400, 'BAD_USER_INPUT', 'seed');
    await expectError('pykeen?seed=-1', 400, 'BAD_USER_INPUT', 'seed');
    await expectError('pykeen?split=Zx9secret', 400, 'BAD_USER_INPUT', 'split');
    await expectError('pykeen?split=true&split=false', 400, 'BAD_USER_INPUT', 'split');
    const res = await fetch(`${base}/skos`, { method: 'POST' });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('GET');
  });

  it('refuses exports over the configured size (413 before any byte) and cuts off an answer passing the byte cap', async () => {
    const limits = loadConfig({}).limits;
    const small = await startTestServer({ store, config: { limits: { ...limits, maxExportItems: (await store.counts()).codes } } });
    const busy = await startTestServer({ store, config: { limits: { ...limits, maxConcurrentExports: 0 } } });
    const capped = await startTestServer({ store, config: { limits: { ...limits, maxExportBytes: 4096 } } });
    try {
      const at = (s: TestServer) => s.url.replace(/\/graphql$/, '/export');
      // The tree alone fits; with the names (skos) it does not.
      expect((await get('graphml', at(small))).status).toBe(200);
      const error = await expectError('skos', 413, 'EXPORT_TOO_LARGE', undefined, at(small));
      expect(error.extensions.estimatedItems).toBe((await store.counts()).codes + (await store.counts()).names);
      const refused = await get('skos', at(busy));
      expect(refused.status).toBe(503);
      expect((await cliStdout({ format: 'skos' })).length).toBeGreaterThan(4096);
      await expect(get('skos', at(capped))).rejects.toThrow();
      // The server is fine afterwards, and the cap does not hit small answers.
      expect((await get('sssom', at(capped))).status).toBe(200);
    } finally {
      await Promise.all([small.close(), busy.close(), capped.close()]);
    }
  });
});
