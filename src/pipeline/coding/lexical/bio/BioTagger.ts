import type { Token } from '../tokenize.js';
import { BOS, dynamicTriples, EOS, MAX_STATIC, staticTriples, tokenInfo } from './features.js';
import { FeatureTable } from './FeatureTable.js';
import { TAGS } from './tags.js';
import { maxMarginals, viterbi } from './viterbi.js';

export { B, I, O } from './tags.js';

/** Serialised tagger: the interned strings, then parallel arrays of feature keys and 3 weights per key. */
export interface BioTaggerWeights {
  /** Interned token strings (norms, stems, affixes, shapes); a feature refers to them by index. */
  vocab: string[];
  /** Feature keys: `template * 2^42 + a * 2^21 + b` (exact in a double). */
  keys: number[];
  weights: number[];
}

/** Hyper-parameters of tagger training. */
export interface BioTaggerTrainOptions {
  /** Passes over the training sequences; the perceptron converges in a handful. */
  epochs: number;
  /** Seed of the per-epoch shuffle, so builds are reproducible. */
  seed: number;
  /** Perceptrons trained on different shuffles (seeds `seed`, `seed + 1`, ...) whose weights are averaged. */
  bags?: number;
}

/**
 * One training sequence: tokens, their gold tags, and optionally a per-token extra feature value
 * (a small non-negative integer, e.g. the token's position in a gazetteer match; 0 = none).
 */
export interface TaggedSequence {
  tokens: Token[];
  tags: number[];
  extra?: Uint8Array;
}

/**
 * A BIO tagger over tokens: a first-order structured (averaged) perceptron, trained and decoded
 * with Viterbi over the tag transitions, so that a boundary decision can be revised by the tokens
 * after it. Features are interned to integers once, so tagging builds no strings.
 *
 * @example trainBioTagger(sequences, { epochs: 6, seed: 1 }).tag(tokenize(text))
 */
export class BioTagger {
  private readonly vocab: readonly string[];
  private readonly ids: ReadonlyMap<string, number>;
  private readonly table: FeatureTable;
  private readonly bos: number;
  private readonly eos: number;
  /** Token text -> interned ids (inference only; the vocabulary of diagnosis texts is small). */
  private readonly infoCache = new Map<string, Int32Array>();
  private readonly buf = new Int32Array(MAX_STATIC * 3);

  constructor(vocab: readonly string[], weights: ReadonlyMap<number, Float32Array> | FeatureTable) {
    this.vocab = vocab;
    this.ids = new Map(vocab.map((s, i) => [s, i]));
    this.table = weights instanceof FeatureTable ? weights : FeatureTable.of(weights);
    this.bos = this.ids.get(BOS) ?? -1;
    this.eos = this.ids.get(EOS) ?? -1;
  }

  /** Restores a tagger from its serialised weights. */
  static fromJSON(json: BioTaggerWeights): BioTagger {
    return new BioTagger(json.vocab, new FeatureTable(json.keys, json.weights));
  }

  toJSON(): BioTaggerWeights {
    const keys: number[] = [];
    const weights: number[] = [];
    for (const [k, w] of this.table.entries()) {
      keys.push(k);
      for (const v of w) weights.push(Math.round(v * 1000) / 1000);
    }
    return { vocab: [...this.vocab], keys, weights };
  }

  /** Number of features with a non-zero weight. */
  get size(): number {
    return this.table.size;
  }

  private info(t: Token): Int32Array {
    const key = t.text;
    let info = this.infoCache.get(key);
    if (info === undefined) {
      info = tokenInfo(t, (s) => this.ids.get(s) ?? -1);
      if (this.infoCache.size < 200_000) this.infoCache.set(key, info);
    }
    return info;
  }

  /** Tags a token sequence (optionally with a per-token extra value, as in training). */
  tag(tokens: readonly Token[], extra?: Uint8Array): number[] {
    const { emit, trans } = this.scores(tokens, extra);
    const path = new Uint8Array(tokens.length);
    viterbi(tokens.length, emit, trans, path);
    return Array.from(path);
  }

  /**
   * Tags a token sequence and returns the max-marginals too (`marginals[i * 3 + c]`: the best
   * path score with token i tagged c; see {@link maxMarginals}).
   */
  tagWithMarginals(tokens: readonly Token[], extra?: Uint8Array): { tags: number[]; marginals: Float64Array } {
    const n = tokens.length;
    const { emit, trans } = this.scores(tokens, extra);
    const path = new Uint8Array(n);
    viterbi(n, emit, trans, path);
    const marginals = new Float64Array(n * TAGS);
    maxMarginals(n, emit, trans, marginals);
    return { tags: Array.from(path), marginals };
  }

  private scores(tokens: readonly Token[], extra?: Uint8Array): { emit: Float64Array; trans: Float64Array } {
    const n = tokens.length;
    const info = tokens.map((t) => this.info(t));
    const emit = new Float64Array(n * TAGS);
    const trans = new Float64Array(n * TAGS * TAGS);
    const buf = this.buf;
    const table = this.table;
    const w = table.weights;
    for (let i = 0; i < n; i++) {
      const ex = extra?.[i] ?? 0;
      const m = staticTriples(tokens, info, i, this.bos, this.eos, ex, buf);
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      for (let k = 0; k < m; k++) {
        const r = table.row(buf[k * 3]!, buf[k * 3 + 1]!, buf[k * 3 + 2]!);
        if (r < 0) continue;
        s0 += w[r * TAGS]!;
        s1 += w[r * TAGS + 1]!;
        s2 += w[r * TAGS + 2]!;
      }
      emit[i * TAGS] = s0;
      emit[i * TAGS + 1] = s1;
      emit[i * TAGS + 2] = s2;
      for (let p = 0; p < TAGS; p++) {
        const d = dynamicTriples(info[i]!, p, ex, buf);
        const base = (i * TAGS + p) * TAGS;
        for (let k = 0; k < d; k++) {
          const r = table.row(buf[k * 3]!, buf[k * 3 + 1]!, buf[k * 3 + 2]!);
          if (r < 0) continue;
          trans[base]! += w[r * TAGS]!;
          trans[base + 1]! += w[r * TAGS + 1]!;
          trans[base + 2]! += w[r * TAGS + 2]!;
        }
      }
    }
    return { emit, trans };
  }
}
