import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { readTextFile } from '../ingest/readUtf8File.js';
import { join } from 'node:path';
import { IngestError } from '../errors.js';
import type { GraphStore } from '../graph/GraphStore.js';
import type { LayerAnnotations, Mention } from '../graph/model.js';
import { formatAnn, parseAnn } from '../ingest/loadBrat.js';
import { uniqueMentionIds } from '../ingest/uniqueMentionIds.js';
import { compareDocumentIds } from '../util/compareDocumentIds.js';

export { uniqueMentionIds } from '../ingest/uniqueMentionIds.js';

/** A corpus the store does not hold (the CLI prints the message; the API answers NOT_FOUND). */
export class UnknownCorpusError extends Error {
  constructor(corpus: string, known: readonly string[]) {
    super(`no corpus ${JSON.stringify(corpus)} in the store; corpora: ${known.join(', ') || 'none'}`);
    this.name = 'UnknownCorpusError';
  }
}

async function requireCorpus(store: GraphStore, corpus: string): Promise<void> {
  const corpora = await store.listCorpora();
  if (!corpora.some((c) => c.name === corpus)) throw new UnknownCorpusError(corpus, corpora.map((c) => c.name));
}

/** What {@link importLayer} wrote. */
export interface ImportSummary {
  documents: number;
  mentions: number;
  /** Documents of the corpus outside the input whose annotations in the layer were cleared. */
  cleared: number;
}

/** One brat `.ann` text of a document (what an API client sends instead of a folder). */
export interface AnnText {
  documentId: string;
  ann: string;
}

/** Where {@link importLayer} reads the layer from: a folder of `<id>.ann` files, or the texts themselves. */
export type LayerSource = { from: string; encoding?: string } | { files: readonly AnnText[] };

/** The `.ann` texts of a folder, in document-id order. */
function readAnnFolder(from: string, encoding?: string): AnnText[] {
  if (!existsSync(from) || !statSync(from).isDirectory()) throw new Error(`--from ${from}: not a directory`);
  const ids = readdirSync(from)
    .filter((f) => f.endsWith('.ann'))
    .map((f) => f.slice(0, -4))
    .sort(compareDocumentIds);
  if (ids.length === 0) throw new Error(`--from ${from}: no .ann files`);
  return ids.map((documentId) => ({ documentId, ann: readTextFile(join(from, `${documentId}.ann`), encoding) }));
}

/**
 * Writes one layer in one all-or-nothing `putLayer`; without `merge` the layer is replaced:
 * documents of the corpus not in `annotations` lose their annotations in it.
 */
async function writeLayer(store: GraphStore, corpus: string, layer: string, annotations: LayerAnnotations[], merge: boolean | undefined): Promise<ImportSummary> {
  const given = new Set(annotations.map((a) => a.documentId));
  const all = [...annotations];
  let cleared = 0;
  if (!merge) {
    for (const id of await store.listDocumentIds(corpus, null)) {
      if (given.has(id)) continue;
      all.push({ documentId: id, layer, mentions: [], codes: [] });
      cleared++;
    }
  }
  await store.putLayer(corpus, layer, all);
  return { documents: annotations.length, mentions: annotations.reduce((n, a) => n + a.mentions.length, 0), cleared };
}

/** The codes of `codes` the store does not know, in one batched read. */
async function unknownCodes(store: GraphStore, codes: Iterable<string>): Promise<Set<string>> {
  const list = [...new Set(codes)];
  const found = list.length === 0 ? [] : await store.getCodes(list);
  return new Set(list.filter((_, i) => found[i] === null));
}

/**
 * Imports brat `.ann` files (a folder of `<document id>.ann`, or the texts themselves) as layer
 * `layer` of a corpus, in one all-or-nothing `putLayer`. Every file is validated like the corpus
 * loader validates (`parseAnn` against the stored document's text: well-formed lines, offsets
 * inside the document, mention text equal to the text there, codes the store knows) and the first
 * problem is thrown as `<id>.ann:line: what` (an `IngestError`) before anything is written.
 * Without `merge` the layer is replaced: documents of the corpus with no file lose their
 * annotations in that layer.
 *
 * @example await importLayer(store, { corpus: 'ruccod', layer: 'system:x', files: [{ documentId: '12', ann: 'T1\tDisease 0 3\tИБС\n' }] })
 */
export async function importLayer(store: GraphStore, args: { corpus: string; layer: string; merge?: boolean } & LayerSource): Promise<ImportSummary> {
  await requireCorpus(store, args.corpus);
  const fromFolder = 'from' in args;
  const texts = fromFolder ? readAnnFolder(args.from, args.encoding) : [...args.files];
  const fileOf = (id: string) => (fromFolder ? join(args.from, `${id}.ann`) : `${id}.ann`);
  const seen = new Set<string>();
  for (const t of texts) {
    if (seen.has(t.documentId)) throw new IngestError(fileOf(t.documentId), 1, `document ${JSON.stringify(t.documentId)} is given twice`);
    seen.add(t.documentId);
  }
  const docs = texts.length === 0 ? [] : await store.getDocuments(args.corpus, texts.map((t) => t.documentId));
  const parsed = texts.map((t, i) => {
    const doc = docs[i];
    const file = fileOf(t.documentId);
    if (!doc) throw new IngestError(file, 1, `no document ${JSON.stringify(t.documentId)} in corpus ${JSON.stringify(args.corpus)}`);
    return { id: t.documentId, file, ann: t.ann, text: doc.text, mentions: parseAnn(t.ann, doc.text, file) };
  });
  // Codes are checked against the store in one batched read; a file with an unknown code is
  // parsed again with the known set so that the error names its line.
  const unknown = await unknownCodes(store, parsed.flatMap((p) => p.mentions.map((m) => m.code).filter((c): c is string => c !== null)));
  if (unknown.size > 0) {
    const codes = new Set(parsed.flatMap((p) => p.mentions.map((m) => m.code).filter((c): c is string => c !== null && !unknown.has(c))));
    for (const p of parsed) {
      if (p.mentions.some((m) => m.code !== null && unknown.has(m.code))) parseAnn(p.ann, p.text, p.file, codes);
    }
  }
  const annotations: LayerAnnotations[] = parsed.map((p) => ({ documentId: p.id, layer: args.layer, mentions: uniqueMentionIds(p.mentions), codes: [] }));
  return writeLayer(store, args.corpus, args.layer, annotations, args.merge);
}

/** One document's annotations as JSON (what an API client sends instead of brat). */
export interface AnnotationsInput {
  documentId: string;
  mentions: readonly { label?: string | null; fragments: readonly { start: number; end: number }[]; text?: string | null; code?: string | null }[];
  codes?: readonly string[];
}

/**
 * Imports JSON annotations as layer `layer` of a corpus, validated before anything is written:
 * the documents exist, fragments are ordered and inside the text, a given mention text equals the
 * text there (fragments joined by a space, as brat writes it), codes exist; the first problem is
 * thrown as `<id>:mention <n>: what` (an `IngestError` whose line is the mention's 1-based number).
 *
 * @example await importAnnotations(store, { corpus: 'ruccod', layer: 'system:x', annotations: [{ documentId: '12', mentions: [{ fragments: [{ start: 0, end: 3 }], code: 'I25.9' }] }] })
 */
export async function importAnnotations(
  store: GraphStore,
  args: { corpus: string; layer: string; merge?: boolean; annotations: readonly AnnotationsInput[] },
): Promise<ImportSummary> {
  await requireCorpus(store, args.corpus);
  const ids = args.annotations.map((a) => a.documentId);
  const docs = ids.length === 0 ? [] : await store.getDocuments(args.corpus, ids);
  const unknown = await unknownCodes(store, args.annotations.flatMap((a) => [...(a.codes ?? []), ...a.mentions.flatMap((m) => (m.code ? [m.code] : []))]));
  const seen = new Set<string>();
  const annotations = args.annotations.map((a, i): LayerAnnotations => {
    const doc = docs[i];
    const where = `document ${a.documentId}`;
    if (seen.has(a.documentId)) throw new IngestError(where, 1, 'the document is given twice');
    seen.add(a.documentId);
    if (!doc) throw new IngestError(where, 1, `no document ${JSON.stringify(a.documentId)} in corpus ${JSON.stringify(args.corpus)}`);
    const mentions = a.mentions.map((m, j): Mention => {
      const fail = (what: string) => new IngestError(`${where} mention`, j + 1, what);
      if (m.fragments.length === 0) throw fail('a mention needs at least one fragment');
      let previous = 0;
      for (const f of m.fragments) {
        if (!Number.isInteger(f.start) || !Number.isInteger(f.end) || f.start < previous || f.end <= f.start || f.end > doc.text.length) {
          throw fail(`fragment ${f.start}-${f.end} is not an ordered, non-empty range inside the text (length ${doc.text.length})`);
        }
        previous = f.end;
      }
      const text = m.fragments.map((f) => doc.text.slice(f.start, f.end)).join(' ');
      if (m.text != null && m.text !== text) throw fail(`the mention's text (length ${m.text.length}) differs from the document's text at its fragments`);
      if (m.code && unknown.has(m.code)) throw fail(`unknown ICD-10 code ${JSON.stringify(m.code)}`);
      const fragments = m.fragments.map((f) => ({ start: f.start, end: f.end }));
      return { id: m.label || `T${j + 1}`, fragments, start: fragments[0]!.start, end: fragments[fragments.length - 1]!.end, text, code: m.code || null };
    });
    const bad = (a.codes ?? []).find((c) => unknown.has(c));
    if (bad !== undefined) throw new IngestError(`${where} codes`, 1, `unknown ICD-10 code ${JSON.stringify(bad)}`);
    return { documentId: a.documentId, layer: args.layer, mentions: uniqueMentionIds(mentions), codes: [...new Set(a.codes ?? [])] };
  });
  return writeLayer(store, args.corpus, args.layer, annotations, args.merge);
}

/**
 * Writes layer `layer` of a corpus as a brat folder: `<id>.txt` (the document text) and `<id>.ann`
 * (`formatAnn`) for every document (of `split`, when given); documents without annotations get an
 * empty `.ann`, so the folder also says which documents were annotated with nothing. Code-only
 * assignments have no brat form and are counted in `skippedCodes`.
 */
export async function exportLayer(
  store: GraphStore,
  args: { corpus: string; layer: string; out: string; split?: string | null },
): Promise<{ documents: number; mentions: number; skippedCodes: number }> {
  await requireCorpus(store, args.corpus);
  const layers = await store.listLayers(args.corpus);
  if (!layers.includes(args.layer)) {
    throw new Error(`no layer ${JSON.stringify(args.layer)} in corpus ${JSON.stringify(args.corpus)}; its layers: ${layers.join(', ') || 'none'}`);
  }
  const ids = await store.listDocumentIds(args.corpus, args.split ?? null);
  const [docs, annotations] = await Promise.all([store.getDocuments(args.corpus, ids), store.getLayer(args.corpus, args.layer, ids)]);
  mkdirSync(args.out, { recursive: true });
  let mentions = 0;
  let skippedCodes = 0;
  ids.forEach((id, i) => {
    const a = annotations[i]!;
    writeFileSync(join(args.out, `${id}.txt`), docs[i]?.text ?? '');
    writeFileSync(join(args.out, `${id}.ann`), formatAnn(a.mentions));
    mentions += a.mentions.length;
    skippedCodes += a.codes.length;
  });
  return { documents: ids.length, mentions, skippedCodes };
}

/** Layers of a corpus with the number of documents and mentions each annotates. */
export async function describeLayers(store: GraphStore, corpus: string): Promise<{ layer: string; documents: number; mentions: number; codes: number }[]> {
  await requireCorpus(store, corpus);
  const ids = await store.listDocumentIds(corpus, null);
  const out = [];
  for (const layer of await store.listLayers(corpus)) {
    const annotations = await store.getLayer(corpus, layer, ids);
    let documents = 0;
    let mentions = 0;
    let codes = 0;
    for (const a of annotations) {
      if (a.mentions.length > 0 || a.codes.length > 0) documents++;
      mentions += a.mentions.length;
      codes += a.codes.length;
    }
    out.push({ layer, documents, mentions, codes });
  }
  return out;
}

