import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { IngestError } from '../errors.js';
import type { GraphStore } from '../graph/GraphStore.js';
import type { LayerAnnotations, Mention } from '../graph/model.js';
import { formatAnn, parseAnn } from '../ingest/loadBrat.js';
import { readUtf8File } from '../ingest/readUtf8File.js';
import { compareDocumentIds } from '../util/compareDocumentIds.js';

/**
 * Makes mention ids unique within a document: `parseAnn` gives one mention per code of a T (same
 * id) and RuCCoD-style files reuse T ids, while the store keys mentions by id. A repeated id gets
 * a suffix (`T5`, `T5#2`, `T5#3`); spans and codes are untouched, so evaluation is unchanged.
 */
export function uniqueMentionIds(mentions: readonly Mention[]): Mention[] {
  const seen = new Map<string, number>();
  return mentions.map((m) => {
    const n = (seen.get(m.id) ?? 0) + 1;
    seen.set(m.id, n);
    return n === 1 ? m : { ...m, id: `${m.id}#${n}` };
  });
}

async function requireCorpus(store: GraphStore, corpus: string): Promise<void> {
  const corpora = await store.listCorpora();
  if (!corpora.some((c) => c.name === corpus)) {
    throw new Error(`no corpus ${JSON.stringify(corpus)} in the store; corpora: ${corpora.map((c) => c.name).join(', ') || 'none'}`);
  }
}

/** What {@link importLayer} wrote. */
export interface ImportSummary {
  documents: number;
  mentions: number;
  /** Documents of the corpus outside the folder whose annotations in the layer were cleared. */
  cleared: number;
}

/**
 * Imports a folder of brat `.ann` files (`<document id>.ann`) as layer `layer` of a corpus, in one
 * all-or-nothing `putLayer`. Every file is validated like the corpus loader validates (`parseAnn`
 * against the stored document's text: well-formed lines, offsets inside the document, mention
 * text equal to the text there, codes the store knows) and the first problem is thrown as
 * `file:line: what` before anything is written. Without `merge` the layer is replaced: documents
 * of the corpus with no file in the folder lose their annotations in that layer.
 */
export async function importLayer(
  store: GraphStore,
  args: { corpus: string; layer: string; from: string; merge?: boolean },
): Promise<ImportSummary> {
  await requireCorpus(store, args.corpus);
  if (!existsSync(args.from) || !statSync(args.from).isDirectory()) throw new Error(`--from ${args.from}: not a directory`);
  const ids = readdirSync(args.from)
    .filter((f) => f.endsWith('.ann'))
    .map((f) => f.slice(0, -4))
    .sort(compareDocumentIds);
  if (ids.length === 0) throw new Error(`--from ${args.from}: no .ann files`);
  const docs = await store.getDocuments(args.corpus, ids);
  const parsed: { id: string; file: string; ann: string; text: string; mentions: Mention[] }[] = [];
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i]!;
    const file = join(args.from, `${id}.ann`);
    const doc = docs[i];
    if (!doc) throw new IngestError(file, 1, `no document ${JSON.stringify(id)} in corpus ${JSON.stringify(args.corpus)}`);
    const ann = readUtf8File(file);
    parsed.push({ id, file, ann, text: doc.text, mentions: parseAnn(ann, doc.text, file) });
  }
  // Codes are checked against the store in one batched read; a file with an unknown code is
  // parsed again with the known set so that the error names its line.
  const codes = [...new Set(parsed.flatMap((p) => p.mentions.map((m) => m.code).filter((c): c is string => c !== null)))];
  const found = codes.length === 0 ? [] : await store.getCodes(codes);
  const known = new Set(codes.filter((_, i) => found[i] !== null));
  if (known.size < codes.length) {
    for (const p of parsed) {
      if (p.mentions.some((m) => m.code !== null && !known.has(m.code))) parseAnn(p.ann, p.text, p.file, known);
    }
  }
  const annotations: LayerAnnotations[] = parsed.map((p) => ({ documentId: p.id, layer: args.layer, mentions: uniqueMentionIds(p.mentions), codes: [] }));
  let cleared = 0;
  if (!args.merge) {
    const inFolder = new Set(ids);
    for (const id of await store.listDocumentIds(args.corpus, null)) {
      if (inFolder.has(id)) continue;
      annotations.push({ documentId: id, layer: args.layer, mentions: [], codes: [] });
      cleared++;
    }
  }
  await store.putLayer(args.corpus, args.layer, annotations);
  return { documents: parsed.length, mentions: parsed.reduce((n, p) => n + p.mentions.length, 0), cleared };
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

