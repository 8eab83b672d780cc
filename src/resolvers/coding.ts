import path from 'node:path';
import type { Config } from '../config.js';
import { BadUserInputError, NotFoundError, ServiceUnavailableError } from '../errors.js';
import { liftFromStore } from '../evaluation/liftFromStore.js';
import { linkingAccuracyAtK } from '../evaluation/linkingAccuracyAtK.js';
import type { LinkingItem } from '../evaluation/linkingAccuracyAtK.js';
import type { LiftLevel } from '../graph/model.js';
import type { AsyncCoder, Candidate, CodedEntity, CodingResult } from '../pipeline/coding/types.js';
import type { ApiContext } from './ApiContext.js';

const EMPTY: CodingResult = { entities: [], codes: [] };

// The texts are clinical: errors name the limit and the length received, never the content.
function checkText(text: string, config: Config, argumentName: string): void {
  const max = config.limits.maxTextLength;
  if (text.length > max) throw new BadUserInputError(`${argumentName} must be at most ${max} characters, got ${text.length}`, { argumentName, max });
}

function checkTopK(topK: number, config: Config, argumentName = 'topK'): number {
  const max = config.limits.maxFirst;
  if (!Number.isInteger(topK) || topK < 1 || topK > max) {
    throw new BadUserInputError(`${argumentName} must be between 1 and ${max}, got ${topK}`, { argumentName, max });
  }
  return topK;
}

export async function coderOf(context: ApiContext): Promise<AsyncCoder> {
  const service = context.services.coder;
  if (!service) throw new ServiceUnavailableError('this server runs without a coder');
  try {
    return await service.get();
  } catch {
    // In production the cause (which may name server paths) stays in the log.
    const cause = context.services.config.production ? 'see the server log' : (service.status.error ?? 'unknown error');
    throw new ServiceUnavailableError(`the ${service.status.kind} coder could not be loaded: ${cause}`);
  }
}

/** Codes the non-blank texts in one coder batch; blank texts answer empty without the coder. */
async function codeAll(texts: readonly string[], topK: number, context: ApiContext): Promise<CodingResult[]> {
  const todo = texts.map((t, i) => [t, i] as const).filter(([t]) => t.trim() !== '');
  const out: CodingResult[] = texts.map(() => EMPTY);
  if (todo.length === 0) return out;
  const results = await (await coderOf(context)).code(todo.map(([t]) => t), { topK });
  todo.forEach(([, i], j) => (out[i] = results[j]!));
  return out;
}

/** Resolvers of ICD coding (schema/coding.graphql); the work is in `src/pipeline/`. */
export const codingResolvers = {
  Query: {
    codeText: async (_: unknown, { text, topK }: { text: string; topK: number }, context: ApiContext) => {
      const { config } = context.services;
      checkText(text, config, 'text');
      return (await codeAll([text], checkTopK(topK, config), context))[0]!;
    },

    codeTexts: (_: unknown, { texts, topK }: { texts: string[]; topK: number }, context: ApiContext) => {
      const { config } = context.services;
      const max = config.limits.maxBatchSize;
      if (texts.length > max) throw new BadUserInputError(`texts must hold at most ${max} texts, got ${texts.length}`, { argumentName: 'texts', max });
      texts.forEach((t, i) => checkText(t, config, `texts[${i}]`));
      return codeAll(texts, checkTopK(topK, config), context);
    },

    linkMention: async (_: unknown, { text, topK }: { text: string; topK: number }, context: ApiContext): Promise<Candidate[]> => {
      const { config } = context.services;
      checkText(text, config, 'text');
      checkTopK(topK, config);
      if (text.trim() === '') return [];
      return (await (await coderOf(context)).link([text], topK))[0] ?? [];
    },

    evaluateLinking: async (
      _: unknown,
      args: { corpus: string; split?: string | null; ks: number[]; level?: LiftLevel | null; layer: string },
      context: ApiContext,
    ) => {
      const { store, config } = context.services;
      if (args.ks.length === 0) throw new BadUserInputError('ks must not be empty', { argumentName: 'ks' });
      const ks = args.ks.map((k) => checkTopK(k, config, 'ks'));
      if (!(await store.listCorpora()).some((c) => c.name === args.corpus)) throw new NotFoundError(`no corpus named ${JSON.stringify(args.corpus)}`);
      const ids = await store.listDocumentIds(args.corpus, args.split ?? null);
      const layers = ids.length === 0 ? [] : await store.getLayer(args.corpus, args.layer, ids);
      const gold = layers.flatMap((l) => l.mentions).filter((m): m is typeof m & { code: string } => m.code !== null);
      const coder = gold.length === 0 ? null : await coderOf(context);
      const candidates = coder === null ? [] : await coder.link(gold.map((m) => m.text), Math.max(...ks));
      const items: LinkingItem[] = gold.map((m, i) => ({ gold: m.code, candidates: candidates[i]!.map((c) => c.code) }));
      const lift = args.level ? await liftFromStore(store, items.flatMap((it) => [it.gold, ...it.candidates]), args.level) : undefined;
      return {
        corpus: args.corpus,
        split: args.split ?? null,
        layer: args.layer,
        level: args.level ?? null,
        documents: ids.length,
        mentions: items.length,
        accuracy: ks.map((k) => linkingAccuracyAtK(items, k, lift)),
      };
    },
  },

  CodingResult: {
    concepts: async (r: CodingResult, _: unknown, context: ApiContext) =>
      (await context.loaders.code.loadMany(r.codes)).filter((c) => c !== null && !(c instanceof Error)),
  },

  CodedEntity: {
    concept: (e: CodedEntity, _: unknown, context: ApiContext) => context.loaders.code.load(e.code),
  },

  CoderInfo: {
    kind: (c: { kind: string }) => c.kind.toUpperCase(),
    executionProvider: (c: { executionProvider: string | null }) => c.executionProvider?.toUpperCase() ?? null,
  },

  CodeCandidate: {
    concept: (c: Candidate, _: unknown, context: ApiContext) => context.loaders.code.load(c.code),
  },

  System: {
    coder: (_: unknown, __: unknown, context: ApiContext) => {
      const status = context.services.coder?.status;
      if (!status || !context.services.config.production) return status ?? null;
      // No filesystem paths in production answers: the model folder's name only, no raw error.
      return { ...status, source: status.source === null ? null : path.basename(status.source), error: status.error === null ? null : 'see the server log' };
    },
    executionProvider: (_: unknown, __: unknown, context: ApiContext) => context.services.coder?.status.executionProvider?.toUpperCase() ?? null,
    device: (_: unknown, __: unknown, context: ApiContext) => context.services.config.device.toUpperCase(),
    residentMemoryBytes: () => process.memoryUsage.rss(),
  },
};
