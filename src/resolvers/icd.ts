import { NotFoundError, BadUserInputError } from '../errors.js';
import { hierarchyRelation } from '../graph/hierarchyRelation.js';
import type { HierarchyRelation } from '../graph/hierarchyRelation.js';
import type { MentionHit, NameHit } from '../graph/GraphStore.js';
import type { Code, LiftLevel, Name, NameSource } from '../graph/model.js';
import type { ApiContext } from './ApiContext.js';
import { IcdCodeScalar } from './IcdCodeScalar.js';
import { key } from './loaders.js';
import { pageSize } from './pageSize.js';
import type { MentionParent } from './corpus.js';
import { offsetCursors, relayWindow, toConnection } from './connection.js';
import type { ConnectionArgs } from './connection.js';
import { globalId } from './globalId.js';

/** The key parts of a name's global id: code, source, language, text and UMLS CUI. */
export function nameKey(name: Name): [string, string, string, string, string] {
  return [name.code, name.source, name.lang, name.text, name.cui ?? ''];
}


/** Loads codes that a query requires, answering NOT_FOUND naming the first unknown one. */
async function requireCodes(context: ApiContext, codes: string[], argumentNames: string[]): Promise<Code[]> {
  const found = await context.loaders.code.loadMany(codes);
  return found.map((code, i) => {
    if (code instanceof Error) throw code;
    if (code === null) throw new NotFoundError(`No ICD-10 code ${JSON.stringify(codes[i])} (argument ${argumentNames[i]})`, { argumentName: argumentNames[i], value: codes[i] });
    return code;
  });
}

/** The relation of two required codes, from their ancestor chains. */
async function relate(context: ApiContext, a: string, b: string, names: [string, string]): Promise<HierarchyRelation> {
  const [codes, chains] = await Promise.all([
    requireCodes(context, [a, b], names),
    context.loaders.ancestors.loadMany([a, b]),
  ]);
  const chain = (i: number) => {
    const ancestors = chains[i];
    if (ancestors instanceof Error) throw ancestors;
    return [codes[i]!.code, ...ancestors!.map((c) => c.code)];
  };
  return hierarchyRelation(chain(0), chain(1));
}

function sourcesKey(sources: readonly NameSource[] | null | undefined): string {
  return sources && sources.length > 0 ? [...new Set(sources)].sort().join(',') : '*';
}

/** Resolvers of the ICD-10 tree (schema/icd.graphql): read args, call loaders, map. */
export const icdResolvers = {
  IcdCode: IcdCodeScalar,

  Query: {
    code: (_: unknown, { code }: { code: string }, context: ApiContext) => context.loaders.code.load(code),

    codes: async (_: unknown, { codes }: { codes: string[] }, context: ApiContext) => {
      pageSize(codes.length, context.services.config, 'codes (number of keys)');
      const found = await context.loaders.code.loadMany(codes);
      return found.map((c) => {
        if (c instanceof Error) throw c;
        return c;
      });
    },

    chapters: async (_: unknown, __: unknown, context: ApiContext) => {
      const chapters = await context.services.store.chapters();
      for (const chapter of chapters) context.loaders.code.prime(chapter.code, chapter);
      return chapters;
    },

    searchCodes: async (
      _: unknown,
      { text, first, sources }: { text: string; first: number; sources?: NameSource[] | null },
      context: ApiContext,
    ): Promise<NameHit[]> => {
      pageSize(first, context.services.config);
      const max = context.services.config.limits.maxTextLength;
      // The text is clinical: report its length, never its content.
      if (text.trim() === '') throw new BadUserInputError('text must not be empty', { argumentName: 'text' });
      if (text.length > max) throw new BadUserInputError(`text must be at most ${max} characters, got ${text.length}`, { argumentName: 'text' });
      return context.services.store.searchNames(text, { first, sources: sources && sources.length > 0 ? sources : undefined });
    },

    subsumes: async (_: unknown, { ancestor, descendant }: { ancestor: string; descendant: string }, context: ApiContext) =>
      (await relate(context, ancestor, descendant, ['ancestor', 'descendant'])).lca === ancestor,

    lowestCommonAncestor: async (_: unknown, { a, b }: { a: string; b: string }, context: ApiContext) => {
      const { lca } = await relate(context, a, b, ['a', 'b']);
      return lca === null ? null : context.loaders.code.load(lca);
    },

    hierarchyDistance: async (_: unknown, { a, b }: { a: string; b: string }, context: ApiContext) =>
      (await relate(context, a, b, ['a', 'b'])).distance,
  },

  Code: {
    id: (code: Code) => globalId('Code', code.code),
    parent: (code: Code, _: unknown, context: ApiContext) => (code.parent === null ? null : context.loaders.code.load(code.parent)),
    ancestors: (code: Code, _: unknown, context: ApiContext) => context.loaders.ancestors.load(code.code),
    children: (code: Code, _: unknown, context: ApiContext) => context.loaders.children.load(code.code),
    descendants: (code: Code, { maxDepth }: { maxDepth: number }, context: ApiContext) => {
      if (!Number.isInteger(maxDepth) || maxDepth < 0) throw new BadUserInputError(`maxDepth must be a non-negative integer, got ${maxDepth}`, { argumentName: 'maxDepth' });
      return context.loaders.descendants.load(key(maxDepth, code.code));
    },
    group: async (code: Code, { level }: { level: LiftLevel }, context: ApiContext) => {
      const target = await context.loaders.lift.load(key(level, code.code));
      return target === null ? null : context.loaders.code.load(target);
    },
    names: (code: Code, { sources }: { sources?: NameSource[] | null }, context: ApiContext) =>
      context.loaders.names.load(key(sourcesKey(sources), code.code)),
    mentions: async (
      code: Code,
      args: ConnectionArgs & { layer: string; corpus?: string | null; includeDescendants?: boolean | null },
      context: ApiContext,
    ) => {
      const { store, config } = context.services;
      const options = { layer: args.layer, corpus: args.corpus ?? null, includeDescendants: args.includeDescendants ?? false, after: null };
      const codec = offsetCursors('mention');
      // The port pages forwards only: a forward page is one read of the list's head (`first` =
      // the window's end); a backward page first reads the total (a page of 0).
      const backwards = args.last != null || args.before != null;
      const known = backwards ? (await store.mentionsOfCode(code.code, { ...options, first: 0 })).totalCount : Number.MAX_SAFE_INTEGER;
      const window = relayWindow(known, args, codec, config);
      const page = await store.mentionsOfCode(code.code, { ...options, first: window.end });
      const end = Math.min(window.end, page.totalCount);
      const start = Math.min(window.start, end);
      const items = page.items.slice(start, end).map((hit: MentionHit): MentionParent => ({ ...hit.mention, corpus: hit.corpus, documentId: hit.documentId, layer: hit.layer }));
      return toConnection(items, start, end, page.totalCount, codec);
    },
    frequency: (code: Code, { layer, corpus }: { layer: string; corpus?: string | null }, context: ApiContext) =>
      context.loaders.frequency.load(key(layer, corpus ?? '', code.code)),
  },

  Name: {
    id: (name: Name) => globalId('Name', ...nameKey(name)),
    concept: async (name: Name, _: unknown, context: ApiContext) => {
      const code = await context.loaders.code.load(name.code);
      if (code === null) throw new Error(`a name of ${name.code}, which getCodes does not know`);
      return code;
    },
  },

  SearchHit: {
    concept: async (hit: NameHit, _: unknown, context: ApiContext) => {
      const code = await context.loaders.code.load(hit.code);
      if (code === null) throw new Error(`searchNames returned ${hit.code}, which getCodes does not know`);
      return code;
    },
  },
};
