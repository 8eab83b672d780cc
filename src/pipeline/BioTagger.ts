import { AveragedPerceptron } from './AveragedPerceptron.js';
import type { Token } from './tokenize.js';

/** Tag indices: outside, beginning of a mention, inside a mention. */
export const O = 0;
export const B = 1;
export const I = 2;
const TAG_NAMES = ['O', 'B', 'I'];

/** Serialised tagger weights: parallel arrays, 3 weights per feature. */
export interface BioTaggerWeights {
  features: string[];
  weights: number[];
}

/** Hyper-parameters of tagger training. */
export interface BioTaggerTrainOptions {
  /** Passes over the training sequences; the perceptron converges in a handful. */
  epochs: number;
  /** Seed of the per-epoch shuffle, so builds are reproducible. */
  seed: number;
}

/** One training sequence: tokens, their gold tags, and per-token extra features (gazetteer). */
export interface TaggedSequence {
  tokens: Token[];
  tags: number[];
  extra?: string[][];
}

function shape(t: Token): string {
  if (t.kind === 'number') return t.text.length > 2 ? 'D+' : 'D';
  if (t.kind === 'punct') return t.text;
  const first = t.text[0]!;
  const upper = first !== first.toLowerCase();
  if (t.text.length > 1 && t.text === t.text.toUpperCase()) return t.text.length <= 5 ? 'AA' : 'AAA+';
  return upper ? 'Aa' : 'a';
}

const DELIMITERS = new Set(['.', ',', ';', ':', '!', '?', '(', ')']);

/** Distance (capped) from the previous clause delimiter or line start, the clause-like unit annotators mark. */
function clauseStart(tokens: readonly Token[], i: number): string {
  for (let k = 0; k < 4; k++) {
    const t = tokens[i - k];
    if (t === undefined) return `^${k}`;
    if (k > 0 && DELIMITERS.has(t.text)) return `${t.text}${k}`;
    if (t.newlineBefore) return `n${k}`;
  }
  return 'far';
}

/** Distance (capped) to the next clause delimiter or line end. */
function clauseEnd(tokens: readonly Token[], i: number): string {
  for (let k = 1; k < 5; k++) {
    const t = tokens[i + k];
    if (t === undefined) return `$${k}`;
    if (DELIMITERS.has(t.text)) return `${t.text}${k}`;
    if (t.newlineBefore) return `n${k}`;
  }
  return 'far';
}

/**
 * The features of token `i` that do not depend on the tags before it: the token, its stem, shape
 * and affixes, its neighbours, the line and clause structure, and any extra (gazetteer) features.
 */
function staticFeatures(tokens: readonly Token[], i: number, extra?: readonly string[]): string[] {
  const t = tokens[i]!;
  const p = tokens[i - 1];
  const n = tokens[i + 1];
  const p2 = tokens[i - 2];
  const n2 = tokens[i + 2];
  const f = [
    'b',
    `w=${t.norm}`,
    `s=${t.stem}`,
    `sh=${shape(t)}`,
    `suf3=${t.norm.slice(-3)}`,
    `pre3=${t.norm.slice(0, 3)}`,
    `pre5=${t.norm.slice(0, 5)}`,
    `pw=${p ? p.stem : '^'}`,
    `nw=${n ? n.stem : '$'}`,
    `p2w=${p2 ? p2.stem : '^'}`,
    `n2w=${n2 ? n2.stem : '$'}`,
    `psh=${p ? shape(p) : '^'}`,
    `nsh=${n ? shape(n) : '$'}`,
    `nl=${t.newlineBefore ? 1 : 0}`,
    `nnl=${n ? (n.newlineBefore ? 1 : 0) : 2}`,
    `sp=${t.spaceBefore ? 1 : 0}|${n ? (n.spaceBefore ? 1 : 0) : 2}`,
    `pwn=${p ? p.stem : '^'}|${t.stem}`,
    `wnw=${t.stem}|${n ? n.stem : '$'}`,
    `pn=${p ? p.stem : '^'}|${n ? n.stem : '$'}`,
    `suf2=${t.norm.slice(-2)}`,
    `len=${Math.min(t.text.length, 8)}`,
    `clause=${clauseStart(tokens, i)}|${clauseEnd(tokens, i)}`,
  ];
  if (extra) f.push(...extra);
  return f;
}

/** The features of token `i` that read the previous two tags. */
function dynamicFeatures(t: Token, prev: number, prev2: number, extra?: readonly string[]): string[] {
  const pt = TAG_NAMES[prev]!;
  const f = [`pt=${pt}`, `pt2=${TAG_NAMES[prev2]}|${pt}`, `ptw=${pt}|${t.stem}`, `ptsh=${pt}|${shape(t)}`];
  if (extra) for (const e of extra) f.push(`${e}|${pt}`);
  return f;
}

/**
 * A greedy left-to-right BIO tagger over tokens, scored by an averaged perceptron.
 *
 * @example BioTagger.train(sequences, { epochs: 6, seed: 1 }).tag(tokenize(text))
 */
export class BioTagger {
  private readonly weights: Map<string, Float32Array>;

  constructor(weights: Map<string, Float32Array>) {
    this.weights = weights;
  }

  /** Trains a tagger on gold-tagged sequences. */
  static train(sequences: readonly TaggedSequence[], options: BioTaggerTrainOptions): BioTagger {
    const model = new AveragedPerceptron(3);
    const order = sequences.map((_, i) => i);
    // Tag-independent features are built once per token, not once per epoch.
    const staticCache: string[][][] = [];
    let seed = options.seed;
    const rand = (): number => {
      // mulberry32: a tiny seeded PRNG, so that two builds give the same model.
      seed = (seed + 0x6d2b79f5) | 0;
      let r = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      r = (r + Math.imul(r ^ (r >>> 7), 61 | r)) ^ r;
      return ((r ^ (r >>> 14)) >>> 0) / 4294967296;
    };
    for (let epoch = 0; epoch < options.epochs; epoch++) {
      for (let i = order.length - 1; i > 0; i--) {
        const j = Math.floor(rand() * (i + 1));
        [order[i], order[j]] = [order[j]!, order[i]!];
      }
      for (const idx of order) {
        const seq = sequences[idx]!;
        const fixed = (staticCache[idx] ??= seq.tokens.map((_, i) => staticFeatures(seq.tokens, i, seq.extra?.[i])));
        let prev = O;
        let prev2 = O;
        for (let i = 0; i < seq.tokens.length; i++) {
          const f = fixed[i]!.concat(dynamicFeatures(seq.tokens[i]!, prev, prev2, seq.extra?.[i]));
          const guess = model.predict(f);
          model.update(f, seq.tags[i]!, guess);
          // Training on the gold history (teacher forcing) is the classic choice for greedy taggers.
          prev2 = prev;
          prev = seq.tags[i]!;
        }
      }
    }
    return new BioTagger(model.averaged());
  }

  /**
   * The sum of several taggers' weights: taggers trained on different shuffles disagree on
   * boundary tokens, and their sum votes (a bagging of perceptrons).
   */
  static merge(taggers: readonly BioTagger[]): BioTagger {
    const map = new Map<string, Float32Array>();
    for (const t of taggers) {
      for (const [f, w] of t.weights) {
        const acc = map.get(f) ?? new Float32Array(3);
        for (let c = 0; c < 3; c++) acc[c]! += w[c]! / taggers.length;
        map.set(f, acc);
      }
    }
    return new BioTagger(map);
  }

  /** Restores a tagger from its serialised weights. */
  static fromJSON(json: BioTaggerWeights): BioTagger {
    const map = new Map<string, Float32Array>();
    json.features.forEach((f, i) => map.set(f, Float32Array.from(json.weights.slice(i * 3, i * 3 + 3))));
    return new BioTagger(map);
  }

  toJSON(): BioTaggerWeights {
    const features: string[] = [];
    const weights: number[] = [];
    for (const [f, w] of this.weights) {
      features.push(f);
      for (const v of w) weights.push(Math.round(v * 1000) / 1000);
    }
    return { features, weights };
  }

  /** Number of features with a non-zero weight. */
  get size(): number {
    return this.weights.size;
  }

  /** Tags a token sequence (extra features per token optional). */
  tag(tokens: readonly Token[], extra?: readonly (readonly string[])[]): number[] {
    const tags: number[] = [];
    const s = new Float64Array(3);
    let prev = O;
    let prev2 = O;
    for (let i = 0; i < tokens.length; i++) {
      s.fill(0);
      for (const name of staticFeatures(tokens, i, extra?.[i])) {
        const w = this.weights.get(name);
        if (w === undefined) continue;
        s[0]! += w[0]!;
        s[1]! += w[1]!;
        s[2]! += w[2]!;
      }
      for (const name of dynamicFeatures(tokens[i]!, prev, prev2, extra?.[i])) {
        const w = this.weights.get(name);
        if (w === undefined) continue;
        s[0]! += w[0]!;
        s[1]! += w[1]!;
        s[2]! += w[2]!;
      }
      let best = s[1]! > s[0]! ? B : O;
      if (s[2]! > s[best]!) best = I;
      tags.push(best);
      prev2 = prev;
      prev = best;
    }
    return tags;
  }
}
