import { normalizeText } from '../../../text/normalizeText.js';
import { BioTagger, B, I, O } from '../lexical/bio/BioTagger.js';
import { trainBioTagger } from '../lexical/bio/trainBioTagger.js';
import { Gazetteer } from '../lexical/Gazetteer.js';
import type { BioTaggerWeights, TaggedSequence } from '../lexical/bio/BioTagger.js';
import { DEFAULT_CODER_OPTIONS, LexicalCoder } from '../lexical/LexicalCoder.js';
import type { LexicalCoderOptions } from '../lexical/LexicalCoder.js';
import { DEFAULT_LINKER_OPTIONS, LexicalLinker } from '../lexical/LexicalLinker.js';
import type { LexicalLinkerJSON, LexicalLinkerOptions, LinkerName } from '../lexical/LexicalLinker.js';
import { Normalizer } from '../lexical/Normalizer.js';
import { taggedSpans, TaggerRecognizer } from '../lexical/TaggerRecognizer.js';
import { BoundaryChooser, boundaryGroups, BOUNDARY_FEATURE_NAMES } from '../boundary/BoundaryChooser.js';
import { BoundaryStats } from '../boundary/BoundaryStats.js';
import type { BoundaryDocument, BoundaryStatsJSON } from '../boundary/BoundaryStats.js';
import type { RankerGroup } from '../rerank/SoftmaxRanker.js';
import { tokenize } from '../lexical/tokenize.js';
import type { Token } from '../lexical/tokenize.js';
import type { CandidateSource } from '../types.js';
import { CandidateFeaturizer, FEATURE_NAMES } from '../rerank/candidateFeatures.js';
import { MeanRanker, Reranker } from '../rerank/Reranker.js';
import { SoftmaxRanker } from '../rerank/SoftmaxRanker.js';
import type { SoftmaxRankerJSON } from '../rerank/SoftmaxRanker.js';
import { GbdtRanker } from '../rerank/GbdtRanker.js';
import type { GbdtRankerJSON } from '../rerank/GbdtRanker.js';
import { outOfFoldGroups } from '../rerank/trainReranker.js';
import { CodeSetDecider, codeSetRows } from '../rerank/CodeSetDecider.js';
import type { CodeSetDeciderJSON } from '../rerank/CodeSetDecider.js';
import { evaluateCoding } from '../../../evaluation/evaluateCoding.js';
import type { OutOfFoldGroups } from '../rerank/trainReranker.js';

/** A training document: its text and gold mentions (offsets into `text`). */
export interface TrainingDocument {
  id: string;
  text: string;
  mentions: readonly { start: number; end: number; text: string; code: string | null; fragments?: readonly { start: number; end: number }[] }[];
}

/** Everything the lexical coder learns from (plain data, whatever loaded it). */
export interface CoderTrainingData {
  /** Code -> ICD title, for every code of the dictionary. */
  titles: ReadonlyMap<string, string>;
  /** Further names of codes (DICTIONARY aliases, ABBREVIATION names, UMLS synonyms). */
  names: readonly { code: string; text: string; source: CandidateSource }[];
  /** Abbreviation (as written) -> expansions, for the normaliser. */
  abbreviations: ReadonlyMap<string, readonly string[]>;
  documents: readonly TrainingDocument[];
  /** Code -> the annotators' concept id, for brat output. */
  conceptIds?: ReadonlyMap<string, string>;
}

/** Hyper-parameters of a lexical coder build (recorded in the manifest). */
export interface CoderHyperParameters {
  /** Perceptron passes over the training documents. */
  epochs: number;
  /** Shuffle seed (reproducible builds); bag `i` uses `seed + i`. */
  seed: number;
  /** Taggers trained on different shuffles and averaged (the structured perceptron is noisy: about ±0.3 F1 points between seeds). */
  bags: number;
  /** A mention string joins the recogniser's gazetteer when marked at least this many times... */
  gazetteerMinCount: number;
  /** ...and in at least this share of its occurrences in the training texts. */
  gazetteerMinShare: number;
  /** Evidence weight of a title or dictionary name, relative to one training mention. */
  titleWeight: number;
  /**
   * Folds of the jackknife that gives the tagger its gazetteer features in training (each fold's
   * features come from a gazetteer of the other folds, as unseen text meets the full one); 0: no
   * gazetteer features.
   */
  gazetteerFolds: number;
  /**
   * Folds of the out-of-fold linking that trains the re-ranker (each fold's mentions linked by a
   * linker built from the other folds); 0: no re-ranker (the rule-based granularity choice).
   */
  rerankFolds: number;
  /** The re-ranker's models, probabilities averaged: boosted trees and a linear softmax (default both). */
  rerankModels: ('gbdt' | 'linear')[];
  /** Fewer out-of-fold gold spans than this teach a re-ranker nothing reliable: the coder keeps the rules. */
  rerankMinSpans: number;
  /**
   * Folds of the out-of-fold coding that trains the document-level code decider (each fold coded
   * by a whole coder, re-ranker included, built from the other folds); 0: no decider. Only a
   * coder with a re-ranker gets one.
   */
  decideFolds: number;
  /**
   * Folds of the out-of-fold tagging that trains the learned boundary choice (each fold's spans
   * tagged by a tagger trained on the other folds); 0: the tagger's spans as they are.
   */
  boundaryFolds: number;
  /** The boundary ranker's models, probabilities averaged. */
  boundaryModels: ('gbdt' | 'linear')[];
  /** How many tokens either end of a tagged span may move. */
  boundaryReach: number;
  /** Whether the boundary choice may also drop a span ("no mention" as a candidate). */
  boundaryDrop: boolean;
  linker: LexicalLinkerOptions;
  coder: LexicalCoderOptions;
}

export const DEFAULT_HYPER_PARAMETERS: CoderHyperParameters = {
  // 6 passes: 5-fold CV NER 0.7018 against 0.6977 with 15 (5: 0.7006, 8: 0.7005, 25: 0.6901).
  epochs: 6,
  seed: 1,
  titleWeight: 0.3,
  bags: 3,
  gazetteerMinCount: 2,
  gazetteerMinShare: 0.9,
  gazetteerFolds: 5,
  rerankFolds: 5,
  rerankModels: ['gbdt', 'linear'],
  rerankMinSpans: 500,
  decideFolds: 5,
  boundaryFolds: 5,
  boundaryModels: ['gbdt'],
  boundaryReach: 1,
  boundaryDrop: false,
  linker: DEFAULT_LINKER_OPTIONS,
  coder: DEFAULT_CODER_OPTIONS,
};

/** The serialised lexical coder: everything needed to code, nothing else. */
export interface LexicalCoderModel {
  format: 'icdkg-lexical-coder';
  version: 1;
  tagger: BioTaggerWeights;
  /** Reliably-marked mention strings (token keys joined by a space). */
  gazetteer: string[];
  /** Training mention strings (token stems) with their reliability bucket, the tagger's gazetteer features. */
  featureGazetteer?: [string, number][];
  linker: LexicalLinkerJSON;
  /** Normalised abbreviation -> normalised expansion. */
  abbreviations: [string, string][];
  /** Code -> title, for every code the linker can return. */
  titles: [string, string][];
  conceptIds: [string, string][];
  coder: LexicalCoderOptions;
  /** The learned linker step, probabilities averaged over the models (absent: rule-based granularity). */
  rerankers?: (SoftmaxRankerJSON | GbdtRankerJSON)[];
  /** The document-level code decider (absent: each span's pick only). */
  decider?: CodeSetDeciderJSON;
  /** The learned boundary choice: annotators' statistics and the ranker models (absent: spans as tagged). */
  boundary?: { stats: BoundaryStatsJSON; rankers: (SoftmaxRankerJSON | GbdtRankerJSON)[]; reach: number; drop?: boolean };
}

/** Gold BIO tags of a document's tokens: a token overlapping a mention fragment is inside it. */
export function goldSequence(doc: TrainingDocument): TaggedSequence {
  const tokens = tokenize(doc.text);
  const tags = tokens.map(() => O);
  for (const m of doc.mentions) {
    const fragments = m.fragments && m.fragments.length > 0 ? m.fragments : [m];
    let first = true;
    for (const f of fragments) {
      for (let i = 0; i < tokens.length; i++) {
        const t = tokens[i]!;
        if (t.end > f.start && t.start < f.end) {
          tags[i] = first ? B : I;
          first = false;
        }
      }
    }
  }
  return { tokens, tags };
}

/**
 * The tagger's training sequences (gold BIO tags) with their gazetteer features from a jackknife
 * (each fold's from a gazetteer of the other folds), and the gazetteer of all documents.
 *
 * @example const { sequences } = taggerSequences(data.documents, DEFAULT_HYPER_PARAMETERS)
 */
export function taggerSequences(documents: readonly TrainingDocument[], hyper: CoderHyperParameters): { sequences: TaggedSequence[]; featureGazetteer: Gazetteer } {
  const sequences = documents.map(goldSequence);
  const featureGazetteer = hyper.gazetteerFolds > 0 ? mentionGazetteer(documents, sequences, () => true) : new Gazetteer();
  if (hyper.gazetteerFolds > 0) {
    const folds = hyper.gazetteerFolds;
    for (let f = 0; f < folds; f++) {
      const g = mentionGazetteer(documents, sequences, (d) => d % folds !== f);
      sequences.forEach((seq, d) => {
        if (d % folds === f) seq.extra = g.positions(seq.tokens);
      });
    }
  }
  return { sequences, featureGazetteer };
}

/** Normalised abbreviation map for the normaliser (first expansion of each). */
export function abbreviationMap(abbreviations: ReadonlyMap<string, readonly string[]>): Map<string, string> {
  const out = new Map<string, string>();
  for (const [abbr, expansions] of abbreviations) {
    const key = normalizeText(abbr);
    const exp = expansions[0] === undefined ? '' : normalizeText(expansions[0]);
    if (key !== '' && exp !== '' && !key.includes(' ')) out.set(key, exp);
  }
  return out;
}

/**
 * Trains the default (lexical) coder: the BIO tagger on the documents' gold spans, and the
 * linker's name index from training mentions (weight 1 each, the annotators' habits), ICD titles
 * and other names (weight `titleWeight`). Deterministic for the same data and seed.
 *
 * @example const { coder, model } = trainLexicalCoder(data); coder.code(['ИБС.'])
 */
export function trainLexicalCoder(
  data: CoderTrainingData,
  hyper: CoderHyperParameters = DEFAULT_HYPER_PARAMETERS,
): { coder: LexicalCoder; model: LexicalCoderModel } {
  const { sequences, featureGazetteer } = taggerSequences(data.documents, hyper);
  const tagger = trainBioTagger(sequences, { epochs: hyper.epochs, seed: hyper.seed, bags: hyper.bags });
  let boundaryJson: LexicalCoderModel['boundary'];
  if (hyper.boundaryFolds > 1 && hyper.boundaryModels.length > 0) {
    const groups = boundaryTrainingGroups(data.documents, sequences, hyper);
    const rankers = hyper.boundaryModels.map((kind) => (kind === 'linear' ? SoftmaxRanker.train(groups, BOUNDARY_FEATURE_NAMES) : GbdtRanker.train(groups, BOUNDARY_FEATURE_NAMES)));
    boundaryJson = { stats: BoundaryStats.build(boundaryDocuments(data.documents, sequences)).toJSON(), rankers: rankers.map((r) => r.toJSON()), reach: hyper.boundaryReach, drop: hyper.boundaryDrop };
  }
  const gazetteer = reliableMentions(data.documents, sequences, hyper);
  const abbreviations = abbreviationMap(data.abbreviations);
  const normalizer = new Normalizer(abbreviations);
  const linker = LexicalLinker.build(linkerNames(data, data.documents, hyper), normalizer, hyper.linker);
  let reranker: Reranker | null = null;
  let rankerJson: (SoftmaxRankerJSON | GbdtRankerJSON)[] | undefined;
  if (hyper.rerankFolds > 1 && hyper.rerankModels.length > 0) {
    const groups = rerankerGroups(data, hyper, normalizer).groups;
    if (groups.length >= hyper.rerankMinSpans) {
      const rankers = hyper.rerankModels.map((kind) => (kind === 'linear' ? SoftmaxRanker.train(groups, FEATURE_NAMES) : GbdtRanker.train(groups, FEATURE_NAMES)));
      rankerJson = rankers.map((r) => r.toJSON());
      reranker = new Reranker(new CandidateFeaturizer(linker.codePrior(), data.titles, normalizer), new MeanRanker(rankers), (m) => linker.evidence(m));
    }
  }
  const model: LexicalCoderModel = {
    format: 'icdkg-lexical-coder',
    version: 1,
    tagger: tagger.toJSON(),
    gazetteer: gazetteer.keys(),
    featureGazetteer: featureGazetteer.keys().map((k) => [k, featureGazetteer.get(k)!]),
    linker: linker.toJSON(),
    abbreviations: [...abbreviations],
    titles: [...data.titles],
    conceptIds: [...(data.conceptIds ?? new Map())],
    coder: hyper.coder,
    ...(rankerJson ? { rerankers: rankerJson } : {}),
    ...(boundaryJson ? { boundary: boundaryJson } : {}),
  };
  if (reranker && hyper.decideFolds > 1) model.decider = trainDecider(data, hyper).toJSON();
  // With a re-ranker, the coder is read back from its model, so that the coder a build evaluates
  // is exactly the one a saved model loads (weights are rounded when serialised).
  const coder = reranker || boundaryJson
    ? lexicalCoderFromModel(JSON.parse(JSON.stringify(model)) as LexicalCoderModel)
    : new LexicalCoder(new TaggerRecognizer(tagger, gazetteer, featureGazetteer), linker, data.titles, hyper.coder, linker.codePrior());
  return { coder, model };
}

/**
 * The document-level code decider, trained out of fold: each fold's documents coded by a whole
 * coder built from the other folds (re-ranker included, no decider), every code their spans offer
 * labelled by whether it is among the document's gold codes. Its threshold is half the
 * out-of-fold code-assignment F1 of the spans' own picks (see {@link CodeSetDecider}).
 */
function trainDecider(data: CoderTrainingData, hyper: CoderHyperParameters): CodeSetDecider {
  const folds = hyper.decideFolds;
  const pairs: { features: Float64Array; gold: boolean }[] = [];
  const gold: { documentId: string; mentions: { start: number; end: number; code: string }[] }[] = [];
  const predicted: { documentId: string; mentions: { start: number; end: number; code: string }[] }[] = [];
  for (let f = 0; f < folds; f++) {
    const test = data.documents.filter((_, d) => d % folds === f);
    const { coder } = trainLexicalCoder({ ...data, documents: data.documents.filter((_, d) => d % folds !== f) }, { ...hyper, decideFolds: 0 });
    const explained = coder.explain(test.map((d) => d.text));
    if (explained === null) continue; // too little data for a re-ranker in this fold
    test.forEach((doc, i) => {
      const { result, choices } = explained[i]!;
      const codes = new Set(doc.mentions.flatMap((m) => (m.code === null ? [] : [m.code])));
      for (const row of codeSetRows(choices, new Set(result.codes), hyper.coder.minScore)) pairs.push({ features: row.features, gold: codes.has(row.code) });
      gold.push({ documentId: doc.id, mentions: doc.mentions.flatMap((m) => (m.code === null ? [] : [{ start: m.start, end: m.end, code: m.code }])) });
      predicted.push({ documentId: doc.id, mentions: result.entities.map((e) => ({ start: e.start, end: e.end, code: e.code })) });
    });
  }
  const f1 = evaluateCoding(gold, predicted).codeAssignment.f1;
  return CodeSetDecider.train(pairs, f1 / 2);
}

/** The linker's names: the documents' mentions (weight 1 each), ICD titles and other names (`titleWeight`). */
function linkerNames(data: CoderTrainingData, documents: readonly TrainingDocument[], hyper: CoderHyperParameters): LinkerName[] {
  const names: LinkerName[] = [];
  for (const doc of documents) {
    for (const m of doc.mentions) if (m.code !== null) names.push({ text: m.text, code: m.code, source: 'CORPUS', weight: 1 });
  }
  for (const [code, title] of data.titles) {
    // Ranges (chapters, blocks) are never what an annotator links a mention to.
    if (!code.includes('-')) names.push({ text: title, code, source: 'ICD_TITLE', weight: hyper.titleWeight });
  }
  for (const n of data.names) if (!n.code.includes('-')) names.push({ ...n, weight: hyper.titleWeight });
  return names;
}

/**
 * The re-ranker's out-of-fold training groups over the training documents (`hyper.rerankFolds`
 * folds; each fold linked by a linker built from the others), for training and cross-validation.
 *
 * @example const oof = rerankerGroups(data, DEFAULT_HYPER_PARAMETERS, normalizer)
 */
export function rerankerGroups(data: CoderTrainingData, hyper: CoderHyperParameters, normalizer: Normalizer = new Normalizer(abbreviationMap(data.abbreviations))): OutOfFoldGroups {
  return outOfFoldGroups(data.documents, Math.max(2, hyper.rerankFolds), (train) => {
    const linker = LexicalLinker.build(linkerNames(data, train, hyper), normalizer, hyper.linker);
    return {
      link: (m, k) => linker.link(m, k),
      evidence: (m) => linker.evidence(m),
      featurizer: new CandidateFeaturizer(linker.codePrior(), data.titles, normalizer),
    };
  });
}

/** Rebuilds a coder from its serialised model. */
export function lexicalCoderFromModel(model: LexicalCoderModel): LexicalCoder {
  if (model.format !== 'icdkg-lexical-coder' || model.version !== 1) {
    throw new Error(`not a lexical coder model of version 1 (format ${String(model.format)}, version ${String(model.version)})`);
  }
  const normalizer = new Normalizer(new Map(model.abbreviations));
  const linker = LexicalLinker.fromJSON(model.linker, normalizer);
  const titles = new Map(model.titles);
  const reranker =
    model.rerankers && model.rerankers.length > 0
      ? new Reranker(
          new CandidateFeaturizer(linker.codePrior(), titles, normalizer),
          new MeanRanker(model.rerankers.map((r) => ('kind' in r ? GbdtRanker.fromJSON(r, FEATURE_NAMES) : SoftmaxRanker.fromJSON(r, FEATURE_NAMES)))),
          (m) => linker.evidence(m),
        )
      : null;
  const decider = reranker && model.decider ? CodeSetDecider.fromJSON(model.decider) : null;
  const gazetteer = new Gazetteer();
  for (const key of model.gazetteer) gazetteer.add(key.split(' '));
  const featureGazetteer = new Gazetteer();
  for (const [key, value] of model.featureGazetteer ?? []) featureGazetteer.add(key.split(' '), value);
  const boundaries = model.boundary
    ? new BoundaryChooser(
        BoundaryStats.fromJSON(model.boundary.stats),
        new MeanRanker(model.boundary.rankers.map((r) => ('kind' in r ? GbdtRanker.fromJSON(r, BOUNDARY_FEATURE_NAMES) : SoftmaxRanker.fromJSON(r, BOUNDARY_FEATURE_NAMES)))),
        model.boundary.reach,
        model.boundary.drop ?? false,
      )
    : null;
  return new LexicalCoder(new TaggerRecognizer(BioTagger.fromJSON(model.tagger), gazetteer, featureGazetteer, boundaries), linker, titles, {
    ...DEFAULT_CODER_OPTIONS,
    ...model.coder,
  }, linker.codePrior(), reranker, decider);
}

/**
 * How often each mention string (token keys joined by spaces) is marked by annotators, and how
 * often it occurs at all, over the documents `use` accepts.
 */
function markedAndSeen(
  documents: readonly TrainingDocument[],
  sequences: readonly TaggedSequence[],
  keyOf: (t: Token) => string,
  use: (d: number) => boolean,
): { marked: Map<string, number>; seen: Map<string, number> } {
  const marked = new Map<string, number>();
  const all = new Gazetteer();
  documents.forEach((doc, d) => {
    if (!use(d)) return;
    const tokens = sequences[d]!.tokens;
    for (const m of doc.mentions) {
      const keys = tokens.filter((t) => t.end > m.start && t.start < m.end).map(keyOf);
      if (keys.length === 0) continue;
      all.add(keys);
      const key = keys.join(' ');
      marked.set(key, (marked.get(key) ?? 0) + 1);
    }
  });
  const seen = new Map<string, number>();
  sequences.forEach((seq, d) => {
    if (!use(d)) return;
    for (const m of all.match(seq.tokens, keyOf)) seen.set(m.key, (seen.get(m.key) ?? 0) + 1);
  });
  return { marked, seen };
}

/**
 * Mention strings (lower-cased token sequences) that annotators marked at least
 * `gazetteerMinCount` times and in at least `gazetteerMinShare` of their occurrences.
 */
function reliableMentions(documents: readonly TrainingDocument[], sequences: readonly TaggedSequence[], hyper: CoderHyperParameters): Gazetteer {
  const { marked, seen } = markedAndSeen(documents, sequences, (t) => t.norm, () => true);
  const out = new Gazetteer();
  for (const [key, n] of marked) {
    if (n >= hyper.gazetteerMinCount && n / Math.max(n, seen.get(key) ?? 0) >= hyper.gazetteerMinShare) out.add(key.split(' '));
  }
  return out;
}

/** Reliability bucket of a mention string from how often it is marked where it occurs. */
function bucket(share: number): number {
  return share >= 0.8 ? 3 : share >= 0.4 ? 2 : 1;
}

/**
 * The stems of the mention strings of the documents `use` accepts, valued by how reliably
 * annotators mark them where they occur in those documents ({@link bucket}).
 */
function mentionGazetteer(documents: readonly TrainingDocument[], sequences: readonly TaggedSequence[], use: (d: number) => boolean): Gazetteer {
  const { marked, seen } = markedAndSeen(documents, sequences, (t) => t.stem, use);
  const out = new Gazetteer();
  for (const [key, n] of marked) out.add(key.split(' '), bucket(n / Math.max(n, seen.get(key) ?? 0)));
  return out;
}

/** Documents as token sequences with their coded gold mentions as token spans (those aligned to tokens). */
export function boundaryDocuments(documents: readonly TrainingDocument[], sequences: readonly TaggedSequence[]): BoundaryDocument[] {
  return documents.map((doc, d) => {
    const tokens = sequences[d]!.tokens;
    const gold: [number, number][] = [];
    for (const m of doc.mentions) {
      if (m.code === null || m.start < 0) continue;
      const a = tokens.findIndex((t) => t.start === m.start);
      const b = tokens.findIndex((t) => t.end === m.end);
      if (a >= 0 && b >= a) gold.push([a, b]);
    }
    return { tokens, gold };
  });
}

/**
 * Out-of-fold training groups of the boundary ranker: each fold's documents tagged by a tagger
 * trained on the other folds (with the sequences' jackknifed gazetteer features), each predicted
 * span's candidates featured with statistics of the other folds.
 *
 * @example const groups = boundaryTrainingGroups(data.documents, sequences, DEFAULT_HYPER_PARAMETERS)
 */
export function boundaryTrainingGroups(
  documents: readonly TrainingDocument[],
  sequences: readonly TaggedSequence[],
  hyper: CoderHyperParameters,
  taggings: readonly { tags: number[]; marginals: Float64Array }[] = outOfFoldTaggings(sequences, hyper),
): RankerGroup[] {
  const folds = Math.max(2, hyper.boundaryFolds);
  const bdocs = boundaryDocuments(documents, sequences);
  const groups: RankerGroup[] = [];
  for (let f = 0; f < folds; f++) {
    const stats = BoundaryStats.build(bdocs.filter((_, d) => d % folds !== f));
    sequences.forEach((seq, d) => {
      if (d % folds !== f) return;
      const { tags, marginals } = taggings[d]!;
      const gold = new Set(bdocs[d]!.gold.map(([a, b]) => `${a}|${b}`));
      groups.push(...boundaryGroups(stats, seq.tokens, taggedSpans(seq.tokens, tags), marginals, gold, hyper.boundaryReach, hyper.boundaryDrop));
    });
  }
  return groups;
}

/**
 * Each document's tags and max-marginals from a tagger trained on the other folds
 * (`hyper.boundaryFolds`, documents `d % folds`), with the sequences' gazetteer features.
 *
 * @example const taggings = outOfFoldTaggings(sequences, { ...DEFAULT_HYPER_PARAMETERS, boundaryFolds: 5 })
 */
export function outOfFoldTaggings(sequences: readonly TaggedSequence[], hyper: CoderHyperParameters): { tags: number[]; marginals: Float64Array }[] {
  const folds = Math.max(2, hyper.boundaryFolds);
  const out: { tags: number[]; marginals: Float64Array }[] = new Array(sequences.length);
  for (let f = 0; f < folds; f++) {
    const tagger = trainBioTagger(sequences.filter((_, d) => d % folds !== f), { epochs: hyper.epochs, seed: hyper.seed, bags: hyper.bags });
    sequences.forEach((seq, d) => {
      if (d % folds === f) out[d] = tagger.tagWithMarginals(seq.tokens, seq.extra);
    });
  }
  return out;
}
