import { NotFoundError } from '../errors.js';
import type { CorpusInfo, Page } from '../graph/GraphStore.js';
import type { Document, LayerAnnotations, Mention } from '../graph/model.js';
import type { ApiContext } from './ApiContext.js';
import { key } from './loaders.js';
import { pageSize } from './pageSize.js';

/** A mention together with where it is: what the `Mention` type resolves from. */
export type MentionParent = Mention & { corpus: string; documentId: string; layer: string };

/** A layer of one document, with its corpus (to resolve mentions' documents). */
type LayerParent = LayerAnnotations & { corpus: string };

function connection(page: Page<Document>) {
  return { nodes: page.items, pageInfo: { endCursor: page.endCursor, hasNextPage: page.hasNextPage }, totalCount: page.totalCount };
}

async function findCorpus(context: ApiContext, name: string): Promise<CorpusInfo | null> {
  const corpora = await context.loaders.corpora.load('*');
  return corpora.find((c) => c.name === name) ?? null;
}

async function listDocuments(context: ApiContext, corpus: string, split: string | null | undefined, first: number, after: string | null | undefined) {
  const size = pageSize(first, context.services.config);
  const page = await context.services.store.listDocuments(corpus, split ?? null, { first: size, after: after ?? null });
  for (const doc of page.items) context.loaders.document.prime(key(corpus, doc.id), doc);
  return connection(page);
}

async function loadLayer(context: ApiContext, doc: Document, name: string): Promise<LayerParent> {
  const layer = await context.loaders.layer.load(key(doc.corpus, name, doc.id));
  return { ...layer, corpus: doc.corpus };
}

/** Resolvers of corpora, documents and annotation layers (schema/corpus.graphql). */
export const corpusResolvers = {
  Query: {
    corpora: (_: unknown, __: unknown, context: ApiContext) => context.loaders.corpora.load('*'),
    corpus: (_: unknown, { name }: { name: string }, context: ApiContext) => findCorpus(context, name),
    documents: async (
      _: unknown,
      { corpus, split, first, after }: { corpus: string; split?: string | null; first: number; after?: string | null },
      context: ApiContext,
    ) => {
      pageSize(first, context.services.config);
      if ((await findCorpus(context, corpus)) === null) {
        throw new NotFoundError(`No corpus ${JSON.stringify(corpus)}`, { argumentName: 'corpus', value: corpus });
      }
      return listDocuments(context, corpus, split, first, after);
    },
    document: (_: unknown, { corpus, id }: { corpus: string; id: string }, context: ApiContext) =>
      context.loaders.document.load(key(corpus, id)),
  },

  Corpus: {
    documents: (corpus: CorpusInfo, { split, first, after }: { split?: string | null; first: number; after?: string | null }, context: ApiContext) =>
      listDocuments(context, corpus.name, split, first, after),
    document: (corpus: CorpusInfo, { id }: { id: string }, context: ApiContext) => context.loaders.document.load(key(corpus.name, id)),
  },

  Document: {
    fields: (doc: Document) =>
      Object.entries(doc.fields ?? {}).map(([name, value]) => ({ name, value: value === null ? null : String(value) })),
    layers: async (doc: Document, { names }: { names?: string[] | null }, context: ApiContext) => {
      const wanted = names ?? (await findCorpus(context, doc.corpus))?.layers ?? [];
      return Promise.all(wanted.map((name) => loadLayer(context, doc, name)));
    },
    layer: (doc: Document, { name }: { name: string }, context: ApiContext) => loadLayer(context, doc, name),
  },

  Layer: {
    name: (layer: LayerParent) => layer.layer,
    mentions: (layer: LayerParent): MentionParent[] =>
      layer.mentions.map((m) => ({ ...m, corpus: layer.corpus, documentId: layer.documentId, layer: layer.layer })),
  },

  Mention: {
    concept: (mention: MentionParent, _: unknown, context: ApiContext) =>
      mention.code === null ? null : context.loaders.code.load(mention.code),
    document: (mention: MentionParent, _: unknown, context: ApiContext) =>
      context.loaders.document.load(key(mention.corpus, mention.documentId)),
  },
};
