import { NotFoundError } from '../errors.js';
import type { CorpusInfo } from '../graph/GraphStore.js';
import type { Document, LayerAnnotations, Mention } from '../graph/model.js';
import { compareDocumentIds } from '../util/compareDocumentIds.js';
import type { ApiContext } from './ApiContext.js';
import { keyCursors, offsetCursors, relayWindow, toConnection } from './connection.js';
import type { ConnectionArgs } from './connection.js';
import { globalId } from './globalId.js';
import { key } from './loaders.js';

/** A mention together with where it is: what the `Mention` type resolves from. */
export type MentionParent = Mention & { corpus: string; documentId: string; layer: string };

/** A layer of one document, with its corpus (to resolve mentions' documents). */
export type LayerParent = LayerAnnotations & { corpus: string };

/** Finds a corpus by name through the request's loader; null when unknown. */
export async function findCorpus(context: ApiContext, name: string): Promise<CorpusInfo | null> {
  const corpora = await context.loaders.corpora.load('*');
  return corpora.find((c) => c.name === name) ?? null;
}

/** Documents of a corpus (and split) as a Relay connection with document-id cursors. */
async function listDocuments(context: ApiContext, corpus: string, split: string | null | undefined, args: ConnectionArgs) {
  const { store, config } = context.services;
  const ids = await store.listDocumentIds(corpus, split ?? null);
  const codec = keyCursors('doc', ids, compareDocumentIds);
  const { start, end } = relayWindow(ids.length, args, codec, config);
  const docs = await context.loaders.document.loadMany(ids.slice(start, end).map((id) => key(corpus, id)));
  const items = docs.map((d) => {
    if (d instanceof Error) throw d;
    if (d === null) throw new Error('listDocumentIds named a document getDocuments does not know');
    return d;
  });
  return toConnection(items, start, end, ids.length, codec);
}

/** One document's annotations in a layer, with the corpus. */
export async function loadLayer(context: ApiContext, corpus: string, documentId: string, name: string): Promise<LayerParent> {
  const layer = await context.loaders.layer.load(key(corpus, name, documentId));
  return { ...layer, corpus };
}

/** The mentions of a layer with their place. */
export function layerMentions(layer: LayerParent): MentionParent[] {
  return layer.mentions.map((m) => ({ ...m, corpus: layer.corpus, documentId: layer.documentId, layer: layer.layer }));
}

/** Resolvers of corpora, documents and annotation layers (schema/corpus.graphql). */
export const corpusResolvers = {
  Query: {
    corpora: (_: unknown, __: unknown, context: ApiContext) => context.loaders.corpora.load('*'),
    corpus: (_: unknown, { name }: { name: string }, context: ApiContext) => findCorpus(context, name),
    documents: async (_: unknown, args: ConnectionArgs & { corpus: string; split?: string | null }, context: ApiContext) => {
      if ((await findCorpus(context, args.corpus)) === null) {
        throw new NotFoundError(`No corpus ${JSON.stringify(args.corpus)}`, { argumentName: 'corpus' });
      }
      return listDocuments(context, args.corpus, args.split, args);
    },
    document: (_: unknown, { corpus, documentId }: { corpus: string; documentId: string }, context: ApiContext) =>
      context.loaders.document.load(key(corpus, documentId)),
  },

  Corpus: {
    id: (corpus: CorpusInfo) => globalId('Corpus', corpus.name),
    documents: (corpus: CorpusInfo, args: ConnectionArgs & { split?: string | null }, context: ApiContext) =>
      listDocuments(context, corpus.name, args.split, args),
    document: (corpus: CorpusInfo, { documentId }: { documentId: string }, context: ApiContext) =>
      context.loaders.document.load(key(corpus.name, documentId)),
  },

  Document: {
    id: (doc: Document) => globalId('Document', doc.corpus, doc.id),
    documentId: (doc: Document) => doc.id,
    fields: (doc: Document) =>
      Object.entries(doc.fields ?? {}).map(([name, value]) => ({ name, value: value === null ? null : String(value) })),
    layers: async (doc: Document, { names }: { names?: string[] | null }, context: ApiContext) => {
      const wanted = names ?? (await findCorpus(context, doc.corpus))?.layers ?? [];
      return Promise.all(wanted.map((name) => loadLayer(context, doc.corpus, doc.id, name)));
    },
    layer: (doc: Document, { name }: { name: string }, context: ApiContext) => loadLayer(context, doc.corpus, doc.id, name),
    mentions: async (doc: Document, args: ConnectionArgs & { layer: string }, context: ApiContext) => {
      const mentions = layerMentions(await loadLayer(context, doc.corpus, doc.id, args.layer));
      const codec = offsetCursors('mention');
      const { start, end } = relayWindow(mentions.length, args, codec, context.services.config);
      return toConnection(mentions.slice(start, end), start, end, mentions.length, codec);
    },
  },

  Layer: {
    id: (layer: LayerParent) => globalId('Layer', layer.corpus, layer.layer, layer.documentId),
    name: (layer: LayerParent) => layer.layer,
    mentions: (layer: LayerParent): MentionParent[] => layerMentions(layer),
  },

  Mention: {
    id: (m: MentionParent) => globalId('Mention', m.corpus, m.layer, m.documentId, m.id),
    label: (m: MentionParent) => m.id,
    concept: (mention: MentionParent, _: unknown, context: ApiContext) =>
      mention.code === null ? null : context.loaders.code.load(mention.code),
    document: (mention: MentionParent, _: unknown, context: ApiContext) =>
      context.loaders.document.load(key(mention.corpus, mention.documentId)),
  },
};
