import type { GraphQLError } from 'graphql';
import { BadUserInputError } from '../errors.js';
import type { CorpusInfo } from '../graph/GraphStore.js';
import type { Code, Document, Name } from '../graph/model.js';
import type { ApiContext } from './ApiContext.js';
import { findCorpus, layerMentions, loadLayer } from './corpus.js';
import { parseGlobalId } from './globalId.js';
import type { NodeType } from './globalId.js';
import { nameKey } from './icd.js';
import { key } from './loaders.js';
import { loadPatient } from './prediction.js';

/** A resolved node with the `__typename` `Node.__resolveType` reads. */
type Tagged = { __typename: NodeType } & object;

const tag = <T extends object>(type: NodeType, value: T | null): (T & { __typename: NodeType }) | null =>
  value === null ? null : Object.assign(value, { __typename: type });

const isNotFound = (err: unknown): boolean => ['NOT_FOUND', 'BAD_USER_INPUT'].includes(String((err as GraphQLError | null)?.extensions?.code));

/** Fetches the object a global id names; null when the id is not ours or the object is gone. */
async function resolveNode(id: string, context: ApiContext): Promise<Tagged | null> {
  const parsed = parseGlobalId(id);
  if (parsed === null) return null;
  const p = parsed.parts;
  switch (parsed.type) {
    case 'Code':
      return tag<Code>('Code', await context.loaders.code.load(p[0]!));
    case 'Name': {
      const names = await context.loaders.names.load(key('*', p[0]!));
      return tag<Name>('Name', names.find((n) => nameKey(n).every((part, i) => part === p[i])) ?? null);
    }
    case 'Corpus':
      return tag<CorpusInfo>('Corpus', await findCorpus(context, p[0]!));
    case 'Document':
      return tag<Document>('Document', await context.loaders.document.load(key(p[0]!, p[1]!)));
    case 'Layer':
    case 'Mention': {
      const [corpus, layer, documentId] = p as [string, string, string];
      if ((await context.loaders.document.load(key(corpus, documentId))) === null) return null;
      const annotations = await loadLayer(context, corpus, documentId, layer);
      if (parsed.type === 'Layer') return tag('Layer', annotations);
      return tag('Mention', layerMentions(annotations).find((m) => m.id === p[3]) ?? null);
    }
    case 'Patient':
      return tag('Patient', await loadPatient(context, p[0]!, p[1]!));
    case 'PredictionEvaluation':
      try {
        const evaluation = await context.services.predictors.cohortEvaluation(p[0]!, p[1]!);
        return evaluation.model === p[1] ? tag('PredictionEvaluation', evaluation) : null;
      } catch (err) {
        if (isNotFound(err)) return null;
        throw err;
      }
  }
}

/** Resolvers of Relay Global Object Identification (schema/node.graphql). */
export const nodeResolvers = {
  Node: {
    __resolveType: (node: Tagged) => node.__typename,
  },
  Query: {
    node: (_: unknown, { id }: { id: string }, context: ApiContext) => resolveNode(id, context),
    nodes: (_: unknown, { ids }: { ids: string[] }, context: ApiContext) => {
      const max = context.services.config.limits.maxFirst;
      if (ids.length > max) throw new BadUserInputError(`ids must hold at most ${max} ids, got ${ids.length}`, { argumentName: 'ids', max });
      return Promise.all(ids.map((id) => resolveNode(id, context)));
    },
  },
};
