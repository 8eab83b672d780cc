import { AveragedPerceptron } from './AveragedPerceptron.js';
import type { Token } from '../tokenize.js';

/** Tag indices: outside, beginning of a mention, inside a mention. */
export const O = 0;
export const B = 1;
export const I = 2;
const TAGS = 3;

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

// Feature templates. A feature is (template, a, b) with a, b < 2^21, packed into one number.
const T_BIAS = 0;
const T_W = 1;
const T_S = 2;
const T_SH = 3;
const T_SUF3 = 4;
const T_PRE3 = 5;
const T_PRE5 = 6;
const T_PW = 7;
const T_NW = 8;
const T_P2W = 9;
const T_N2W = 10;
const T_PSH = 11;
const T_NSH = 12;
const T_NL = 13;
const T_NNL = 14;
const T_SP = 15;
const T_PWN = 16;
const T_WNW = 17;
const T_PN = 18;
const T_SUF2 = 19;
const T_LEN = 20;
const T_CLAUSE = 21;
const T_EXTRA = 22;
const T_EXTRA_W = 23;
// Templates conjoined with the previous tag (transition features).
const T_PT = 40;
const T_PTW = 41;
const T_PTSH = 42;
const T_PTX = 43;

const A = 2 ** 21;
const TA = 2 ** 42;

/** Most static features a token has (the buffers' stride). */
const MAX_STATIC = 26;
/** Transition features per previous tag. */
const DYN = 4;

// Per-token interned ids (indices into an info row).
const I_NORM = 0;
const I_STEM = 1;
const I_SHAPE = 2;
const I_SUF3 = 3;
const I_PRE3 = 4;
const I_PRE5 = 5;
const I_SUF2 = 6;
const INFO = 7;

/** Reserved strings for "before the first token" and "after the last" (no token text contains NUL). */
const BOS = '\u0000^';
const EOS = '\u0000$';

function shape(t: Token): string {
  if (t.kind === 'number') return t.text.length > 2 ? 'D+' : 'D';
  if (t.kind === 'punct') return t.text;
  const first = t.text[0]!;
  const upper = first !== first.toLowerCase();
  if (t.text.length > 1 && t.text === t.text.toUpperCase()) return t.text.length <= 5 ? 'AA' : 'AAA+';
  return upper ? 'Aa' : 'a';
}

const DELIMITERS = ['.', ',', ';', ':', '!', '?', '(', ')'];

/** A clause-start code: the delimiter (or line start, text start, none) and its distance, as one small number. */
function clauseStart(tokens: readonly Token[], i: number): number {
  for (let k = 0; k < 4; k++) {
    const t = tokens[i - k];
    if (t === undefined) return k;
    if (k > 0 && t.kind === 'punct') {
      const d = DELIMITERS.indexOf(t.text);
      if (d >= 0) return (d + 2) * 8 + k;
    }
    if (t.newlineBefore) return 8 + k;
  }
  return 127;
}

/** Distance (capped) to the next clause delimiter or line end, coded like {@link clauseStart}. */
function clauseEnd(tokens: readonly Token[], i: number): number {
  for (let k = 1; k < 5; k++) {
    const t = tokens[i + k];
    if (t === undefined) return k;
    if (t.kind === 'punct') {
      const d = DELIMITERS.indexOf(t.text);
      if (d >= 0) return (d + 2) * 8 + k;
    }
    if (t.newlineBefore) return 8 + k;
  }
  return 127;
}

/** Interned ids of a token's strings; `id` returns -1 for a string it does not know. */
function tokenInfo(t: Token, id: (s: string) => number): Int32Array {
  const info = new Int32Array(INFO);
  const norm = t.norm;
  info[I_NORM] = id(norm);
  info[I_STEM] = id(t.stem);
  info[I_SHAPE] = id(shape(t));
  info[I_SUF3] = id(norm.slice(-3));
  info[I_PRE3] = id(norm.slice(0, 3));
  info[I_PRE5] = id(norm.slice(0, 5));
  info[I_SUF2] = id(norm.slice(-2));
  return info;
}

/**
 * Writes the tag-independent features of token `i` as (template, a, b) triples into `out`
 * (from index 0) and returns how many; features with an unknown string (-1) are left out,
 * since they never had a weight. Token, stem, shape and affixes, the neighbours, the line and
 * clause structure, and the extra (gazetteer) value.
 */
function staticTriples(
  tokens: readonly Token[],
  info: readonly Int32Array[],
  i: number,
  bos: number,
  eos: number,
  extra: number,
  out: Int32Array,
): number {
  const t = tokens[i]!;
  const x = info[i]!;
  const p = info[i - 1];
  const nx = info[i + 1];
  const p2 = info[i - 2];
  const n2 = info[i + 2];
  const ps = p ? p[I_STEM]! : bos;
  const ns = nx ? nx[I_STEM]! : eos;
  const s = x[I_STEM]!;
  const next = tokens[i + 1];
  // Plain writes, no closure: this runs for every token of every text.
  let n = 0;
  n = put(out, n, T_BIAS, 0, 0);
  n = put(out, n, T_W, x[I_NORM]!, 0);
  n = put(out, n, T_S, s, 0);
  n = put(out, n, T_SH, x[I_SHAPE]!, 0);
  n = put(out, n, T_SUF3, x[I_SUF3]!, 0);
  n = put(out, n, T_PRE3, x[I_PRE3]!, 0);
  n = put(out, n, T_PRE5, x[I_PRE5]!, 0);
  n = put(out, n, T_PW, ps, 0);
  n = put(out, n, T_NW, ns, 0);
  n = put(out, n, T_P2W, p2 ? p2[I_STEM]! : bos, 0);
  n = put(out, n, T_N2W, n2 ? n2[I_STEM]! : eos, 0);
  n = put(out, n, T_PSH, p ? p[I_SHAPE]! : bos, 0);
  n = put(out, n, T_NSH, nx ? nx[I_SHAPE]! : eos, 0);
  n = put(out, n, T_NL, t.newlineBefore ? 1 : 0, 0);
  n = put(out, n, T_NNL, next ? (next.newlineBefore ? 1 : 0) : 2, 0);
  n = put(out, n, T_SP, t.spaceBefore ? 1 : 0, next ? (next.spaceBefore ? 1 : 0) : 2);
  n = put(out, n, T_PWN, ps, s);
  n = put(out, n, T_WNW, s, ns);
  n = put(out, n, T_PN, ps, ns);
  n = put(out, n, T_SUF2, x[I_SUF2]!, 0);
  n = put(out, n, T_LEN, Math.min(t.text.length, 8), 0);
  n = put(out, n, T_CLAUSE, clauseStart(tokens, i), clauseEnd(tokens, i));
  if (extra > 0) {
    n = put(out, n, T_EXTRA, extra, 0);
    n = put(out, n, T_EXTRA_W, extra, s);
  }
  return n;
}

/** Writes triple `n` of `out` unless a value is unknown (-1); returns the new count. */
function put(out: Int32Array, n: number, t: number, a: number, b: number): number {
  if (a < 0 || b < 0) return n;
  out[n * 3] = t;
  out[n * 3 + 1] = a;
  out[n * 3 + 2] = b;
  return n + 1;
}

/** Writes the transition features of token `i` given previous tag `prev` (at most {@link DYN}). */
function dynamicTriples(info: Int32Array, prev: number, extra: number, out: Int32Array): number {
  let n = put(out, 0, T_PT, prev, 0);
  n = put(out, n, T_PTW, prev, info[I_STEM]!);
  n = put(out, n, T_PTSH, prev, info[I_SHAPE]!);
  if (extra > 0) n = put(out, n, T_PTX, prev, extra);
  return n;
}

function keyOf(t: number, a: number, b: number): number {
  return t * TA + a * A + b;
}

/**
 * Best tag path under first-order scores: `emit[i * 3 + c]` for tag c at token i, and
 * `trans[(i * 3 + p) * 3 + c]` for tag c after tag p (the first token follows an `O`).
 */
function viterbi(n: number, emit: Float64Array, trans: Float64Array, out: Uint8Array): void {
  if (n === 0) return;
  const delta = new Float64Array(n * TAGS);
  const back = new Uint8Array(n * TAGS);
  for (let c = 0; c < TAGS; c++) delta[c] = emit[c]! + trans[O * TAGS + c]!;
  for (let i = 1; i < n; i++) {
    for (let c = 0; c < TAGS; c++) {
      let best = -Infinity;
      let arg = 0;
      for (let p = 0; p < TAGS; p++) {
        const v = delta[(i - 1) * TAGS + p]! + trans[(i * TAGS + p) * TAGS + c]!;
        if (v > best) {
          best = v;
          arg = p;
        }
      }
      delta[i * TAGS + c] = best + emit[i * TAGS + c]!;
      back[i * TAGS + c] = arg;
    }
  }
  let c = 0;
  for (let k = 1; k < TAGS; k++) if (delta[(n - 1) * TAGS + k]! > delta[(n - 1) * TAGS + c]!) c = k;
  for (let i = n - 1; i >= 0; i--) {
    out[i] = c;
    c = back[i * TAGS + c]!;
  }
}

/**
 * An open-addressing table from feature keys to weight rows: look-ups hash three integers and
 * compare one double, with no allocation (the tagger's inner loop).
 */
class FeatureTable {
  private readonly keys: Float64Array;
  private readonly rows: Int32Array;
  private readonly mask: number;
  readonly weights: Float32Array;
  readonly size: number;

  /** @param keys feature keys; @param weights their weights, {@link TAGS} per key in the same order. */
  constructor(keys: ArrayLike<number>, weights: ArrayLike<number>) {
    let cap = 16;
    while (cap < keys.length * 2) cap *= 2;
    this.mask = cap - 1;
    this.keys = new Float64Array(cap).fill(-1);
    this.rows = new Int32Array(cap);
    this.weights = Float32Array.from(weights);
    this.size = keys.length;
    for (let r = 0; r < keys.length; r++) {
      const key = keys[r]!;
      const t = Math.floor(key / TA);
      const rest = key - t * TA;
      const a = Math.floor(rest / A);
      const b = rest - a * A;
      let h = FeatureTable.hash(t, a, b) & this.mask;
      while (this.keys[h] !== -1) h = (h + 1) & this.mask;
      this.keys[h] = key;
      this.rows[h] = r;
    }
  }

  /** A table of the entries of a map. */
  static of(entries: ReadonlyMap<number, Float32Array>): FeatureTable {
    const keys = new Float64Array(entries.size);
    const weights = new Float32Array(entries.size * TAGS);
    let r = 0;
    for (const [key, w] of entries) {
      keys[r] = key;
      weights.set(w, r * TAGS);
      r++;
    }
    return new FeatureTable(keys, weights);
  }

  static hash(t: number, a: number, b: number): number {
    let h = Math.imul(t + 1, 0x9e3779b1) ^ Math.imul(a + 0x7f4a7c15, 0x85ebca77) ^ Math.imul(b + 0x165667b1, 0xc2b2ae3d);
    h ^= h >>> 15;
    h = Math.imul(h, 0x2c1b3c6d);
    return h ^ (h >>> 13);
  }

  /** Row of (t, a, b), or -1. */
  row(t: number, a: number, b: number): number {
    const key = t * TA + a * A + b;
    let h = FeatureTable.hash(t, a, b) & this.mask;
    for (;;) {
      const k = this.keys[h]!;
      if (k === key) return this.rows[h]!;
      if (k === -1) return -1;
      h = (h + 1) & this.mask;
    }
  }

  *entries(): Generator<[number, Float32Array]> {
    for (let h = 0; h <= this.mask; h++) {
      const k = this.keys[h]!;
      if (k !== -1) yield [k, this.weights.subarray(this.rows[h]! * TAGS, this.rows[h]! * TAGS + TAGS)];
    }
  }
}

/** A seeded shuffle (mulberry32), so that two builds give the same model. */
function shuffler(seed: number): (order: number[]) => void {
  let s = seed;
  const rand = (): number => {
    s = (s + 0x6d2b79f5) | 0;
    let r = Math.imul(s ^ (s >>> 15), 1 | s);
    r = (r + Math.imul(r ^ (r >>> 7), 61 | r)) ^ r;
    return ((r ^ (r >>> 14)) >>> 0) / 4294967296;
  };
  return (order) => {
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
  };
}

/**
 * A BIO tagger over tokens: a first-order structured (averaged) perceptron, trained and decoded
 * with Viterbi over the tag transitions, so that a boundary decision can be revised by the tokens
 * after it. Features are interned to integers once, so tagging builds no strings.
 *
 * @example BioTagger.train(sequences, { epochs: 6, seed: 1 }).tag(tokenize(text))
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

  /** Trains a tagger on gold-tagged sequences (bagged over `bags` shuffles). */
  static train(sequences: readonly TaggedSequence[], options: BioTaggerTrainOptions): BioTagger {
    // The vocabulary is built once, before any shuffle, so that every bag shares it.
    const vocab: string[] = [BOS, EOS];
    const ids = new Map<string, number>([
      [BOS, 0],
      [EOS, 1],
    ]);
    const intern = (s: string): number => {
      let id = ids.get(s);
      if (id === undefined) {
        id = vocab.length;
        vocab.push(s);
        ids.set(s, id);
      }
      return id;
    };
    // Feature keys of every token, built once: static ones (stride MAX_STATIC, NaN-padded) and
    // transition ones per previous tag (stride TAGS * DYN).
    const buf = new Int32Array(Math.max(MAX_STATIC, TAGS * DYN) * 3);
    const staticKeys: Float64Array[] = [];
    const dynKeys: Float64Array[] = [];
    for (const seq of sequences) {
      const info = seq.tokens.map((t) => tokenInfo(t, intern));
      const n = seq.tokens.length;
      const sk = new Float64Array(n * MAX_STATIC).fill(NaN);
      const dk = new Float64Array(n * TAGS * DYN).fill(NaN);
      for (let i = 0; i < n; i++) {
        const ex = seq.extra?.[i] ?? 0;
        const m = staticTriples(seq.tokens, info, i, 0, 1, ex, buf);
        for (let k = 0; k < m; k++) sk[i * MAX_STATIC + k] = keyOf(buf[k * 3]!, buf[k * 3 + 1]!, buf[k * 3 + 2]!);
        for (let p = 0; p < TAGS; p++) {
          const d = dynamicTriples(info[i]!, p, ex, buf);
          for (let k = 0; k < d; k++) dk[(i * TAGS + p) * DYN + k] = keyOf(buf[k * 3]!, buf[k * 3 + 1]!, buf[k * 3 + 2]!);
        }
      }
      staticKeys.push(sk);
      dynKeys.push(dk);
    }
    const bags = Math.max(1, options.bags ?? 1);
    const sum = new Map<number, Float32Array>();
    for (let bag = 0; bag < bags; bag++) {
      const model = BioTagger.trainOne(sequences, staticKeys, dynKeys, options.epochs, options.seed + bag);
      for (const [key, w] of model.averaged()) {
        const acc = sum.get(key) ?? new Float32Array(TAGS);
        for (let c = 0; c < TAGS; c++) acc[c]! += w[c]! / bags;
        sum.set(key, acc);
      }
    }
    return new BioTagger(vocab, sum);
  }

  private static trainOne(
    sequences: readonly TaggedSequence[],
    staticKeys: readonly Float64Array[],
    dynKeys: readonly Float64Array[],
    epochs: number,
    seed: number,
  ): AveragedPerceptron {
    const model = new AveragedPerceptron(TAGS);
    const order = sequences.map((_, i) => i);
    const shuffle = shuffler(seed);
    const maxLen = sequences.reduce((m, s) => Math.max(m, s.tokens.length), 0);
    const emit = new Float64Array(maxLen * TAGS);
    const trans = new Float64Array(maxLen * TAGS * TAGS);
    const path = new Uint8Array(maxLen);
    for (let epoch = 0; epoch < epochs; epoch++) {
      shuffle(order);
      for (const idx of order) {
        const seq = sequences[idx]!;
        const n = seq.tokens.length;
        const sk = staticKeys[idx]!;
        const dk = dynKeys[idx]!;
        emit.fill(0, 0, n * TAGS);
        trans.fill(0, 0, n * TAGS * TAGS);
        for (let i = 0; i < n; i++) {
          for (let k = 0; k < MAX_STATIC; k++) {
            const key = sk[i * MAX_STATIC + k]!;
            if (Number.isNaN(key)) break;
            const r = model.row(key);
            if (r >= 0) model.addTo(r, emit, i * TAGS);
          }
          for (let p = 0; p < TAGS; p++) {
            for (let k = 0; k < DYN; k++) {
              const key = dk[(i * TAGS + p) * DYN + k]!;
              if (Number.isNaN(key)) break;
              const r = model.row(key);
              if (r >= 0) model.addTo(r, trans, (i * TAGS + p) * TAGS);
            }
          }
        }
        viterbi(n, emit, trans, path);
        model.tick();
        let prevGold = O;
        let prevGuess = O;
        for (let i = 0; i < n; i++) {
          const gold = seq.tags[i]!;
          const guess = path[i]!;
          if (gold !== guess) {
            for (let k = 0; k < MAX_STATIC; k++) {
              const key = sk[i * MAX_STATIC + k]!;
              if (Number.isNaN(key)) break;
              model.bump(key, gold, 1);
              model.bump(key, guess, -1);
            }
          }
          if (gold !== guess || prevGold !== prevGuess) {
            for (let k = 0; k < DYN; k++) {
              const key = dk[(i * TAGS + prevGold) * DYN + k]!;
              if (Number.isNaN(key)) break;
              model.bump(key, gold, 1);
            }
            for (let k = 0; k < DYN; k++) {
              const key = dk[(i * TAGS + prevGuess) * DYN + k]!;
              if (Number.isNaN(key)) break;
              model.bump(key, guess, -1);
            }
          }
          prevGold = gold;
          prevGuess = guess;
        }
      }
    }
    return model;
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
    const path = new Uint8Array(n);
    viterbi(n, emit, trans, path);
    return Array.from(path);
  }
}
