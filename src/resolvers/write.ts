import { timingSafeEqual } from 'node:crypto';
import { GraphQLError } from 'graphql';
import { BadUserInputError, IngestError, NotFoundError } from '../errors.js';
import type { Document } from '../graph/model.js';
import { toMentions } from '../pipeline/coding/batch/toMentions.js';
import { importAnnotations, importLayer, UnknownCorpusError } from '../usecases/layers.js';
import type { AnnotationsInput, AnnText, ImportSummary } from '../usecases/layers.js';
import type { ApiContext } from './ApiContext.js';
import { coderOf } from './coding.js';
import { findCorpus } from './corpus.js';

/** Layer names a client may write: letters, digits and `:_.-`, as the CLI's layer names. */
const LAYER_NAME = /^[\w.:-]{1,100}$/;

/** Refuses a write unless the server has a write token and the request carries it. */
function requireWriter(context: ApiContext): void {
  const token = context.services.config.writeToken;
  if (token === null) {
    throw new GraphQLError('This server is read-only: start it with ICDKG_WRITE_TOKEN set to accept mutations', { extensions: { code: 'FORBIDDEN' } });
  }
  const given = /^Bearer\s+(.+)$/i.exec(context.authorization ?? '')?.[1]?.trim() ?? '';
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  // Constant-time comparison: the time taken says nothing about how much of the token matched.
  if (a.length !== b.length || !timingSafeEqual(a, b)) {
    throw new GraphQLError('Writes need the header `Authorization: Bearer <ICDKG_WRITE_TOKEN>`', { extensions: { code: 'UNAUTHENTICATED' } });
  }
}

function checkLayerName(layer: string, argumentName: string): void {
  if (!LAYER_NAME.test(layer)) throw new BadUserInputError(`${argumentName} must be 1-100 letters, digits or ":_.-"`, { argumentName });
}

/** Runs a use case, turning its errors into the API's typed errors (document and line kept). */
async function typed<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (err instanceof IngestError) {
      throw new BadUserInputError(err.message, { argumentName: 'input', file: err.file, line: err.line });
    }
    if (err instanceof UnknownCorpusError) throw new NotFoundError(err.message, { argumentName: 'input.corpus' });
    throw err;
  }
}

async function layerPayload(context: ApiContext, corpus: string, layer: string, summary: ImportSummary) {
  return { corpus: await findCorpus(context, corpus), layer, ...summary };
}

/** After a write the request's cached reads are stale: clear them so the payload reads the new state. */
function clearLoaders(context: ApiContext): void {
  context.loaders.corpora.clearAll();
  context.loaders.document.clearAll();
  context.loaders.layer.clearAll();
  context.loaders.frequency.clearAll();
}

type ImportInput = { corpus: string; layer: string; brat?: AnnText[] | null; annotations?: AnnotationsInput[] | null; merge?: boolean | null };

/** Resolvers of writes (schema/write.graphql); the work is in `src/usecases/`. */
export const writeResolvers = {
  Mutation: {
    importLayer: async (_: unknown, { input }: { input: ImportInput }, context: ApiContext) => {
      requireWriter(context);
      checkLayerName(input.layer, 'input.layer');
      if ((input.brat == null) === (input.annotations == null)) {
        throw new BadUserInputError('give exactly one of input.brat and input.annotations', { argumentName: 'input' });
      }
      const base = { corpus: input.corpus, layer: input.layer, merge: input.merge ?? false };
      const summary = await typed(() =>
        input.brat != null ? importLayer(context.services.store, { ...base, files: input.brat }) : importAnnotations(context.services.store, { ...base, annotations: input.annotations! }),
      );
      clearLoaders(context);
      return layerPayload(context, input.corpus, input.layer, summary);
    },

    codeCorpus: async (_: unknown, { input }: { input: { corpus: string; split?: string | null; system: string } }, context: ApiContext) => {
      requireWriter(context);
      const layer = `system:${input.system}`;
      checkLayerName(layer, 'input.system');
      const { store, config } = context.services;
      if ((await findCorpus(context, input.corpus)) === null) throw new NotFoundError(`No corpus ${JSON.stringify(input.corpus)}`, { argumentName: 'input.corpus' });
      const ids = await store.listDocumentIds(input.corpus, input.split ?? null);
      if (input.split != null && ids.length === 0) throw new NotFoundError(`No split ${JSON.stringify(input.split)} in corpus ${JSON.stringify(input.corpus)}`, { argumentName: 'input.split' });
      const docs = (await store.getDocuments(input.corpus, ids)).filter((d): d is Document => d !== null);
      const coder = await coderOf(context);
      const annotations: AnnotationsInput[] = [];
      for (let i = 0; i < docs.length; i += config.limits.maxBatchSize) {
        const batch = docs.slice(i, i + config.limits.maxBatchSize);
        const results = await coder.code(batch.map((d) => d.text), { topK: 1 });
        batch.forEach((doc, j) => {
          const mentions = toMentions(results[j]!, doc.text).map((m) => ({ label: m.id, fragments: m.fragments, code: m.code }));
          annotations.push({ documentId: doc.id, mentions });
        });
      }
      // One split replaces only that split's documents in the layer; the whole corpus replaces the layer.
      const summary = await typed(() => importAnnotations(store, { corpus: input.corpus, layer, merge: input.split != null, annotations }));
      clearLoaders(context);
      return layerPayload(context, input.corpus, layer, summary);
    },

    deleteLayer: async (_: unknown, { input }: { input: { corpus: string; layer: string } }, context: ApiContext) => {
      requireWriter(context);
      const corpus = await findCorpus(context, input.corpus);
      if (corpus === null) throw new NotFoundError(`No corpus ${JSON.stringify(input.corpus)}`, { argumentName: 'input.corpus' });
      const existed = corpus.layers.includes(input.layer);
      if (existed) await context.services.store.deleteLayer(input.corpus, input.layer);
      clearLoaders(context);
      return { corpus: await findCorpus(context, input.corpus), layer: input.layer, deleted: existed };
    },

    deleteDocuments: async (_: unknown, { input }: { input: { corpus: string; documentIds: string[] } }, context: ApiContext) => {
      requireWriter(context);
      if ((await findCorpus(context, input.corpus)) === null) throw new NotFoundError(`No corpus ${JSON.stringify(input.corpus)}`, { argumentName: 'input.corpus' });
      await context.services.store.deleteDocuments(input.corpus, input.documentIds);
      clearLoaders(context);
      return { corpus: await findCorpus(context, input.corpus), deleted: input.documentIds.length };
    },

    deleteCorpus: async (_: unknown, { input }: { input: { corpus: string } }, context: ApiContext) => {
      requireWriter(context);
      const corpus = await findCorpus(context, input.corpus);
      if (corpus === null) throw new NotFoundError(`No corpus ${JSON.stringify(input.corpus)}`, { argumentName: 'input.corpus' });
      await context.services.store.deleteCorpus(input.corpus);
      clearLoaders(context);
      return { name: corpus.name, documents: corpus.documentCount };
    },

    putDocuments: async (
      _: unknown,
      { input }: { input: { corpus: string; documents: { documentId: string; split: string; text: string; patient?: string | null; date?: string | null }[] } },
      context: ApiContext,
    ) => {
      requireWriter(context);
      checkLayerName(input.corpus, 'input.corpus');
      const { store, config } = context.services;
      const seen = new Set<string>();
      const docs: Document[] = input.documents.map((d, i) => {
        if (seen.has(d.documentId)) throw new BadUserInputError(`input.documents[${i}]: document ${JSON.stringify(d.documentId)} is given twice`, { argumentName: `input.documents[${i}].documentId` });
        seen.add(d.documentId);
        if (d.documentId.trim() === '' || d.documentId.length > 200) throw new BadUserInputError(`input.documents[${i}].documentId must be 1-200 characters`, { argumentName: `input.documents[${i}].documentId` });
        if (d.text.length > config.limits.maxTextLength) {
          throw new BadUserInputError(`input.documents[${i}].text must be at most ${config.limits.maxTextLength} characters, got ${d.text.length}`, { argumentName: `input.documents[${i}].text` });
        }
        return { corpus: input.corpus, id: d.documentId, split: d.split, text: d.text, patient: d.patient ?? null, date: d.date ?? null };
      });
      await typed(() => store.putDocuments(input.corpus, docs));
      clearLoaders(context);
      return { corpus: await findCorpus(context, input.corpus), documents: docs };
    },
  },
};
