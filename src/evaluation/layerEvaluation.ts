import { BadUserInputError, NotFoundError } from '../errors.js';
import type { CorpusInfo, GraphStore } from '../graph/GraphStore.js';
import type { LayerAnnotations, LiftLevel } from '../graph/model.js';
import { codeRelation } from './codeRelation.js';
import type { CodeRelation, PathNode } from './codeRelation.js';
import { codeTransitions } from './codeTransitions.js';
import type { CodeTransition } from './codeTransitions.js';
import { evaluateCoding } from './evaluateCoding.js';
import type { CodingEvaluation } from './evaluateCoding.js';
import { liftFromStore } from './liftFromStore.js';
import type { LiftFn, Metrics } from './types.js';

/** Which documents of a corpus to compare: one split, listed ids, or (neither) all. */
export interface DocumentSelection {
  corpus: string;
  split?: string | null;
  documentIds?: readonly string[] | null;
}

/** Arguments of {@link evaluateLayers} (the `evaluateCoding` query). */
export interface EvaluateLayersArgs extends DocumentSelection {
  gold: string;
  predicted: string;
  /** Relaxed evaluation level; strict when absent. */
  level?: LiftLevel | null;
}

/** Arguments of {@link compareLayers}. */
export interface CompareLayersArgs extends DocumentSelection {
  a: string;
  b: string;
  level?: LiftLevel | null;
}

/** A layer comparison's result (the `evaluateCoding` query). */
export interface LayerEvaluation extends CodingEvaluation {
  corpus: string;
  gold: string;
  predicted: string;
  level: LiftLevel | null;
}

/** One disagreement with its place in the tree. */
export interface RelatedTransition extends CodeTransition {
  relation: CodeRelation;
}

/** The result of {@link compareLayers}. */
export interface LayerComparison {
  corpus: string;
  a: string;
  b: string;
  level: LiftLevel | null;
  documents: number;
  /** Code-assignment metrics of `b` against `a` (a as reference). */
  agreement: Metrics;
  /** Every transition `a-code -> b-code`, most frequent first. */
  transitions: CodeTransition[];
}

/** Reads the corpus's info, or NOT_FOUND naming it. */
async function requireCorpus(store: GraphStore, corpus: string): Promise<CorpusInfo> {
  const info = (await store.listCorpora()).find((c) => c.name === corpus);
  if (!info) throw new NotFoundError(`No corpus ${JSON.stringify(corpus)}`, { argumentName: 'corpus', value: corpus });
  return info;
}

function requireLayer(info: CorpusInfo, layer: string, argumentName: string): void {
  if (!info.layers.includes(layer)) {
    throw new NotFoundError(`No layer ${JSON.stringify(layer)} in corpus ${JSON.stringify(info.name)} (argument ${argumentName}); its layers: ${info.layers.join(', ') || 'none'}`, {
      argumentName,
      value: layer,
    });
  }
}

/** Resolves a document selection to ids, checking the split and the ids exist. */
async function selectDocuments(store: GraphStore, info: CorpusInfo, sel: DocumentSelection): Promise<string[]> {
  const hasIds = sel.documentIds !== undefined && sel.documentIds !== null;
  if (hasIds && sel.split != null) {
    throw new BadUserInputError('Give either split or documentIds, not both', { argumentName: 'documentIds' });
  }
  if (hasIds) {
    const ids = [...new Set(sel.documentIds)];
    const docs = await store.getDocuments(info.name, ids);
    const unknown = ids.filter((_, i) => docs[i] === null);
    if (unknown.length > 0) {
      throw new NotFoundError(
        `No document ${unknown.slice(0, 5).map((id) => JSON.stringify(id)).join(', ')}${unknown.length > 5 ? ` (and ${unknown.length - 5} more)` : ''} in corpus ${JSON.stringify(info.name)}`,
        { argumentName: 'documentIds', value: unknown.slice(0, 5) },
      );
    }
    return ids;
  }
  if (sel.split != null && !info.splits.some((s) => s.split === sel.split)) {
    throw new NotFoundError(`No split ${JSON.stringify(sel.split)} in corpus ${JSON.stringify(info.name)}; its splits: ${info.splits.map((s) => s.split).join(', ') || 'none'}`, {
      argumentName: 'split',
      value: sel.split,
    });
  }
  return store.listDocumentIds(info.name, sel.split ?? null);
}

function allCodes(...layers: readonly LayerAnnotations[][]): string[] {
  const codes = new Set<string>();
  for (const layer of layers) {
    for (const d of layer) {
      for (const m of d.mentions) if (m.code) codes.add(m.code);
      for (const c of d.codes) codes.add(c);
    }
  }
  return [...codes];
}

async function readPair(store: GraphStore, corpus: string, x: string, y: string, ids: string[], level: LiftLevel | null | undefined) {
  const [lx, ly] = await Promise.all([store.getLayer(corpus, x, ids), store.getLayer(corpus, y, ids)]);
  const lift: LiftFn | undefined = level ? await liftFromStore(store, allCodes(lx, ly), level) : undefined;
  return { lx, ly, lift };
}

/**
 * Checks the corpus and both layers (named by their argument names), selects the documents and
 * reads both layers of them, lifted at `level`.
 */
async function readSelectedPair(
  store: GraphStore,
  args: DocumentSelection & { corpus: string; level?: LiftLevel | null },
  [xArg, x]: [string, string],
  [yArg, y]: [string, string],
) {
  const info = await requireCorpus(store, args.corpus);
  requireLayer(info, x, xArg);
  requireLayer(info, y, yArg);
  const ids = await selectDocuments(store, info, args);
  return { info, ...(await readPair(store, info.name, x, y, ids, args.level)) };
}

/**
 * Evaluates one layer of a corpus against another (DESIGN §3) over a split, listed documents or
 * the whole corpus, strictly or relaxed at `level` (codes lifted by the store's PARENT walk).
 * Unknown corpus, layer, split or document ids answer NOT_FOUND naming them.
 *
 * @example await evaluateLayers(store, { corpus: 'ruccod', gold: 'gold', predicted: 'system:bert', split: 'dev' })
 */
export async function evaluateLayers(store: GraphStore, args: EvaluateLayersArgs): Promise<LayerEvaluation> {
  const { info, lx: gold, ly: predicted, lift } = await readSelectedPair(store, args, ['gold', args.gold], ['predicted', args.predicted]);
  const result = evaluateCoding(gold, predicted, { lift });
  return { corpus: info.name, gold: args.gold, predicted: args.predicted, level: args.level ?? null, ...result };
}

/**
 * Compares two layers (DESIGN §2, §4): the code-assignment agreement of `b` against `a` and the
 * transitions `a-code -> b-code` (relate them in the tree with {@link relateTransitions}).
 *
 * @example (await compareLayers(store, { corpus: 'ehr', a: 'original', b: 'linked' })).transitions[0]
 */
export async function compareLayers(store: GraphStore, args: CompareLayersArgs): Promise<LayerComparison> {
  const { info, lx: a, ly: b, lift } = await readSelectedPair(store, args, ['a', args.a], ['b', args.b]);
  const agreement = evaluateCoding(a, b, { lift }).codeAssignment;
  const transitions = codeTransitions(a, b, lift);
  return {
    corpus: info.name,
    a: args.a,
    b: args.b,
    level: args.level ?? null,
    documents: a.length,
    agreement,
    transitions,
  };
}

/**
 * Relates transitions in the tree (LCA, hop distance, same category / block / chapter) with two
 * batched store reads for all their codes.
 *
 * @example await relateTransitions(store, comparison.transitions.slice(0, 10))
 */
export async function relateTransitions(store: GraphStore, transitions: readonly CodeTransition[]): Promise<RelatedTransition[]> {
  const codes = [...new Set(transitions.flatMap((t) => [t.from, t.to]))];
  const paths = await pathsOf(store, codes);
  return transitions.map((t) => ({ ...t, relation: codeRelation(paths.get(t.from) ?? [], paths.get(t.to) ?? []) }));
}

/** Self-first ancestor paths of codes, in two batched store reads; unknown codes get `[]`. */
async function pathsOf(store: GraphStore, codes: string[]): Promise<Map<string, PathNode[]>> {
  if (codes.length === 0) return new Map();
  const [nodes, ancestors] = await Promise.all([store.getCodes(codes), store.getAncestors(codes)]);
  const out = new Map<string, PathNode[]>();
  codes.forEach((c, i) => {
    const self = nodes[i];
    out.set(c, self ? [self, ...(ancestors[i] ?? [])] : []);
  });
  return out;
}
