import type { GraphStore } from '../graph/GraphStore.js';
import { codeBatches, layerBatches, requireCorpusLayer } from './readGraph.js';

export interface GraphmlOptions {
  /** Add this corpus's documents and the links of `layer` (one edge per mention or assignment). */
  corpus?: string | null;
  layer?: string | null;
}

/**
 * XML-escapes text for an attribute or element. Hand-written: five replacements, and the
 * characters XML 1.0 forbids outright are dropped (a streaming writer library would add a
 * dependency for this alone).
 */
function esc(text: string): string {
  return text.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '').replace(/[&<>"']/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '"' ? '&quot;' : '&apos;'));
}

const KEYS: [id: string, forType: 'node' | 'edge', name: string, type: 'string' | 'int'][] = [
  ['type', 'node', 'type', 'string'],
  ['code', 'node', 'code', 'string'],
  ['title', 'node', 'title', 'string'],
  ['kind', 'node', 'kind', 'string'],
  ['depth', 'node', 'depth', 'int'],
  ['number', 'node', 'number', 'string'],
  ['corpus', 'node', 'corpus', 'string'],
  ['split', 'node', 'split', 'string'],
  ['label', 'edge', 'label', 'string'],
  ['layer', 'edge', 'layer', 'string'],
  ['start', 'edge', 'start', 'int'],
  ['end', 'edge', 'end', 'int'],
];

function data(values: Record<string, string | number | null>): string {
  let out = '';
  for (const [k, v] of Object.entries(values)) if (v !== null) out += `<data key="${k}">${esc(String(v))}</data>`;
  return out;
}

/**
 * The graph as GraphML (NetworkX, Gephi, graphology), streamed: a directed graph whose nodes are
 * the codes (attributes code, title, kind, depth, number) and whose edges are PARENT (child ->
 * parent); with a corpus and layer, also its documents (node id `doc:<id>`, attributes corpus,
 * split; no text) and one edge per mention (`MENTIONS`, with start and end) or code-only
 * assignment (`ASSIGNED`) of that layer, document -> code.
 *
 * @example for await (const chunk of graphml(store, {})) out.write(chunk);
 */
export async function* graphml(store: GraphStore, options: GraphmlOptions = {}): AsyncGenerator<string> {
  if (options.corpus && options.layer) await requireCorpusLayer(store, options.corpus, options.layer);
  let head = '<?xml version="1.0" encoding="UTF-8"?>\n<graphml xmlns="http://graphml.graphdrawing.org/xmlns" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">\n';
  for (const [id, forType, name, type] of KEYS) head += `<key id="${id}" for="${forType}" attr.name="${name}" attr.type="${type}"/>\n`;
  yield `${head}<graph id="icd10" edgedefault="directed">\n`;
  let edge = 0;
  for await (const { codes } of codeBatches(store, false)) {
    let out = '';
    for (const c of codes) {
      out += `<node id="${esc(c.code)}">${data({ type: 'code', code: c.code, title: c.title, kind: c.kind, depth: c.depth, number: c.number })}</node>\n`;
      if (c.parent !== null) out += `<edge id="e${edge++}" source="${esc(c.code)}" target="${esc(c.parent)}">${data({ label: 'PARENT' })}</edge>\n`;
    }
    yield out;
  }
  if (options.corpus && options.layer) {
    const docs = new Map((await store.getDocuments(options.corpus, await store.listDocumentIds(options.corpus, null))).filter((d) => d !== null).map((d) => [d!.id, d!]));
    for await (const batch of layerBatches(store, options.corpus, options.layer)) {
      let out = '';
      for (const a of batch) {
        const id = `doc:${a.documentId}`;
        out += `<node id="${esc(id)}">${data({ type: 'document', corpus: options.corpus, split: docs.get(a.documentId)?.split ?? null })}</node>\n`;
        for (const m of a.mentions) {
          if (m.code === null) continue;
          out += `<edge id="e${edge++}" source="${esc(id)}" target="${esc(m.code)}">${data({ label: 'MENTIONS', layer: options.layer, start: m.start, end: m.end })}</edge>\n`;
        }
        for (const c of a.codes) out += `<edge id="e${edge++}" source="${esc(id)}" target="${esc(c)}">${data({ label: 'ASSIGNED', layer: options.layer })}</edge>\n`;
      }
      yield out;
    }
  }
  yield '</graph>\n</graphml>\n';
}
