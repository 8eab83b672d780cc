import { normalizeText } from '../../../text/normalizeText.js';
import type { Normalizer } from './Normalizer.js';
import type { Candidate, CandidateSource, Linker } from '../types.js';

/** A name of a code with how much it counts as evidence. */
export interface LinkerName {
  text: string;
  code: string;
  source: CandidateSource;
  /** Training mentions with this text and code (CORPUS); a fraction for titles and dictionary names. */
  weight: number;
}

/** Hyper-parameters of the lexical linker (each one measured on the dev split). */
export interface LexicalLinkerOptions {
  /** Score factor of a stemmed (not exact) key match: inflection variants are slightly weaker evidence. */
  stemFactor: number;
  /** Score factor of a fuzzy (character n-gram cosine) match. */
  fuzzyFactor: number;
  /** Fuzzy candidates below this cosine are dropped (too far to be the same disease). */
  minCosine: number;
  /** Exponent of the training-frequency prior applied to fuzzy votes (0: no prior). */
  priorPower: number;
  /** Document frequency above which an n-gram is skipped in fuzzy search (it discriminates nothing, costs time). */
  maxNgramDf: number;
}

export const DEFAULT_LINKER_OPTIONS: LexicalLinkerOptions = {
  stemFactor: 0.9,
  fuzzyFactor: 0.8,
  minCosine: 0.35,
  priorPower: 0,
  maxNgramDf: 3000,
};

/** What the names say about one mention text (see {@link LexicalLinker.evidence}). */
export interface MentionEvidence {
  exact: ReadonlyMap<string, number>;
  exactTotal: number;
  stem: ReadonlyMap<string, number>;
  stemTotal: number;
}

/** One key with its codes' evidence, sorted by weight (best first). */
interface KeyEntry {
  codes: string[];
  weights: number[];
  total: number;
  source: CandidateSource;
}

/** The serialised linker: keys -> [code, weight][] plus the options. */
export interface LexicalLinkerJSON {
  exact: Record<string, [string, number, CandidateSource][]>;
  stemmed: Record<string, [string, number, CandidateSource][]>;
  options: LexicalLinkerOptions;
  /** Code -> training mentions linked to it (the annotators' prior). */
  prior?: Record<string, number>;
}

const N = 3;
/** Nearest names that vote in a fuzzy match. */
const FUZZY_K = 10;
/** Power of the cosine in a vote: near names count much more than far ones. */
const SHARP = 4;

/** Word weight relative to one character trigram: whole stems are the stronger evidence. */
const WORD_REPEAT = 2;

/** Fuzzy-match features of a stemmed key: its character trigrams and its word stems. */
function ngrams(key: string): string[] {
  const s = ` ${key} `;
  const out: string[] = [];
  for (let i = 0; i + N <= s.length; i++) out.push(s.slice(i, i + N));
  for (const w of key.split(' ')) for (let r = 0; r < WORD_REPEAT; r++) out.push(`#${w}`);
  return out;
}

/**
 * The lexical entity linker: a mention's normalised text is looked up among all names of all codes
 * (training mentions with their code counts first: annotators' habits are the strongest signal),
 * then its stemmed form (with abbreviations expanded as a second try), then the nearest names by
 * character-trigram TF-IDF cosine over stemmed keys.
 *
 * @example linker.link(['ИБС'], 3)[0][0] // { code: 'I25.9', score: 0.71, source: 'CORPUS', name: 'ибс' }
 */
export class LexicalLinker implements Linker {
  private readonly exact: Map<string, KeyEntry>;
  private readonly stemmed: Map<string, KeyEntry>;
  private readonly options: LexicalLinkerOptions;
  private readonly prior: Map<string, number>;
  private readonly normalizer: Normalizer;
  // Fuzzy index over stemmed keys: n-gram -> postings (key index, tf-idf weight).
  private readonly keyList: string[] = [];
  private readonly postings = new Map<string, { ids: Int32Array; weights: Float32Array }>();
  private readonly cache = new Map<string, Candidate[]>();
  private acc: Float64Array | null = null;
  private touched: Int32Array | null = null;

  private constructor(
    exact: Map<string, KeyEntry>,
    stemmed: Map<string, KeyEntry>,
    options: LexicalLinkerOptions,
    normalizer: Normalizer,
    prior: Map<string, number>,
  ) {
    this.prior = prior;
    this.exact = exact;
    this.stemmed = stemmed;
    this.options = options;
    this.normalizer = normalizer;
    this.buildFuzzyIndex();
  }

  /** Builds a linker from names; `normalizer` supplies abbreviation expansion. */
  static build(names: readonly LinkerName[], normalizer: Normalizer, options: LexicalLinkerOptions = DEFAULT_LINKER_OPTIONS): LexicalLinker {
    const exact = new Map<string, Map<string, [number, CandidateSource]>>();
    const stemmed = new Map<string, Map<string, [number, CandidateSource]>>();
    const add = (map: typeof exact, key: string, n: LinkerName): void => {
      if (key === '') return;
      let codes = map.get(key);
      if (!codes) map.set(key, (codes = new Map()));
      const prev = codes.get(n.code);
      // CORPUS evidence wins the label of a key: it is what annotators actually wrote.
      const source = prev && prev[1] === 'CORPUS' ? 'CORPUS' : n.source;
      codes.set(n.code, [(prev?.[0] ?? 0) + n.weight, source]);
    };
    const prior = new Map<string, number>();
    for (const n of names) {
      if (n.source === 'CORPUS') prior.set(n.code, (prior.get(n.code) ?? 0) + n.weight);
      add(exact, normalizeText(n.text), n);
      add(stemmed, normalizer.key(n.text, { stem: true }), n);
    }
    return new LexicalLinker(toEntries(exact), toEntries(stemmed), options, normalizer, prior);
  }

  static fromJSON(json: LexicalLinkerJSON, normalizer: Normalizer): LexicalLinker {
    const read = (o: LexicalLinkerJSON['exact']): Map<string, KeyEntry> =>
      new Map(Object.entries(o).map(([k, list]) => [k, entry(list.map(([c, w, s]) => [c, [w, s]]))]));
    return new LexicalLinker(read(json.exact), read(json.stemmed), { ...DEFAULT_LINKER_OPTIONS, ...json.options }, normalizer, new Map(Object.entries(json.prior ?? {})));
  }

  toJSON(): LexicalLinkerJSON {
    const write = (m: Map<string, KeyEntry>): LexicalLinkerJSON['exact'] => {
      const o: LexicalLinkerJSON['exact'] = {};
      for (const [k, e] of m) o[k] = e.codes.map((c, i) => [c, Math.round(e.weights[i]! * 1000) / 1000, e.source]);
      return o;
    };
    return { exact: write(this.exact), stemmed: write(this.stemmed), options: this.options, prior: Object.fromEntries(this.prior) };
  }

  /** Code -> training mentions annotators linked to it (the annotators' prior). */
  codePrior(): ReadonlyMap<string, number> {
    return this.prior;
  }

  /**
   * The naming evidence behind a mention's text: the weight of each code under its exact key and
   * under its stemmed key (training mentions count 1, titles and dictionary names less), and the
   * keys' totals (0 when unseen).
   */
  evidence(mention: string): MentionEvidence {
    const exact = this.exact.get(normalizeText(mention));
    const stem = this.stemmed.get(this.normalizer.key(mention, { stem: true }));
    return { exact: weightsOf(exact), exactTotal: exact?.total ?? 0, stem: weightsOf(stem), stemTotal: stem?.total ?? 0 };
  }

  link(mentions: readonly string[], k: number): Candidate[][] {
    return mentions.map((m) => this.linkOne(m).slice(0, k));
  }

  private linkOne(mention: string): Candidate[] {
    const key = normalizeText(mention);
    const cached = this.cache.get(key);
    if (cached) return cached;
    const found = new Map<string, Candidate>();
    const offer = (e: KeyEntry, name: string, factor: number, source?: CandidateSource): void => {
      for (let i = 0; i < e.codes.length; i++) {
        const score = factor * (e.weights[i]! / e.total);
        const prev = found.get(e.codes[i]!);
        if (!prev || prev.score < score) found.set(e.codes[i]!, { code: e.codes[i]!, score, source: source ?? e.source, name });
      }
    };
    const exact = this.exact.get(key);
    if (exact) offer(exact, key, 1);
    const stemKey = this.normalizer.key(mention, { stem: true });
    const stem = this.stemmed.get(stemKey);
    if (stem) offer(stem, stemKey, this.options.stemFactor);
    if (!exact && !stem) {
      const expanded = this.normalizer.key(mention, { stem: true, expandAbbreviations: true });
      const viaAbbr = expanded !== stemKey ? this.stemmed.get(expanded) : undefined;
      if (viaAbbr) offer(viaAbbr, expanded, this.options.stemFactor, 'ABBREVIATION');
      else this.vote(this.fuzzy(expanded, FUZZY_K), found);
    }
    // Ties (equal mention counts) go to the more specific code: annotators code a child more often
    // than its parent when both were written for the same text (dev: +0.3 strict F1).
    const list = [...found.values()].sort((a, b) => b.score - a.score || b.code.length - a.code.length || (a.code < b.code ? -1 : 1));
    if (this.cache.size < 100_000) this.cache.set(key, list);
    return list;
  }

  /** The k nearest names vote for codes, each vote weighted by its similarity (sharpened). */
  private vote(hits: [number, number][], found: Map<string, Candidate>): void {
    const votes = new Map<string, [number, string]>();
    let total = 0;
    const power = this.options.priorPower;
    for (const [id, cos] of hits) {
      const name = this.keyList[id]!;
      const e = this.stemmed.get(name)!;
      const w = cos ** SHARP;
      for (let i = 0; i < e.codes.length; i++) {
        const c = e.codes[i]!;
        let v = votes.get(c);
        if (v === undefined) votes.set(c, (v = [0, name]));
        // Codes annotators use often are likelier than codes only a title names.
        const vote = ((w * e.weights[i]!) / e.total) * (power === 0 ? 1 : (1 + Math.log1p(this.prior.get(c) ?? 0)) ** power);
        v[0] += vote;
        total += vote;
      }
    }
    const top = hits[0]?.[1] ?? 0;
    for (const [c, [v, name]] of votes) {
      const score = this.options.fuzzyFactor * top * (v / total);
      const prev = found.get(c);
      if (!prev || prev.score < score) found.set(c, { code: c, score, source: 'FUZZY', name });
    }
  }

  /** Top `n` stemmed keys by trigram TF-IDF cosine, above `minCosine`. */
  private fuzzy(key: string, n: number): [number, number][] {
    if (key === '') return [];
    const grams = ngrams(key);
    const tf = new Map<string, number>();
    for (const g of grams) tf.set(g, (tf.get(g) ?? 0) + 1);
    let qnorm = 0;
    const qw = new Map<string, number>();
    for (const [g, c] of tf) {
      const p = this.postings.get(g);
      if (!p) continue;
      const w = c * Math.log(1 + this.keyList.length / p.ids.length);
      qw.set(g, w);
      qnorm += w * w;
    }
    if (qnorm === 0) return [];
    // Dense accumulator reused across calls: a Map here cost most of the coder's cold time.
    const acc = (this.acc ??= new Float64Array(this.keyList.length));
    const touched = (this.touched ??= new Int32Array(this.keyList.length));
    let count = 0;
    for (const [g, w] of qw) {
      const p = this.postings.get(g)!;
      const ids = p.ids;
      if (ids.length > this.options.maxNgramDf) continue;
      const weights = p.weights;
      for (let i = 0; i < ids.length; i++) {
        const id = ids[i]!;
        if (acc[id] === 0) touched[count++] = id;
        acc[id]! += w * weights[i]!;
      }
    }
    // Cosine >= minCosine  <=>  dot product >= minCosine * |q|: compare without dividing.
    const qn = Math.sqrt(qnorm);
    const floor = this.options.minCosine * qn;
    const top: [number, number][] = [];
    for (let t = 0; t < count; t++) {
      const id = touched[t]!;
      const dot = acc[id]!;
      acc[id] = 0;
      if (dot < floor) continue;
      const cos = dot / qn;
      if (top.length < n) {
        top.push([id, cos]);
        top.sort((a, b) => b[1] - a[1] || a[0] - b[0]);
      } else if (cos > top[n - 1]![1]) {
        top[n - 1] = [id, cos];
        top.sort((a, b) => b[1] - a[1] || a[0] - b[0]);
      }
    }
    return top;
  }

  private buildFuzzyIndex(): void {
    const df = new Map<string, number>();
    const keyGrams: Map<string, number>[] = [];
    for (const key of this.stemmed.keys()) {
      this.keyList.push(key);
      const tf = new Map<string, number>();
      for (const g of ngrams(key)) tf.set(g, (tf.get(g) ?? 0) + 1);
      keyGrams.push(tf);
      for (const g of tf.keys()) df.set(g, (df.get(g) ?? 0) + 1);
    }
    const lists = new Map<string, { ids: number[]; weights: number[] }>();
    keyGrams.forEach((tf, id) => {
      let norm = 0;
      const ws: [string, number][] = [];
      for (const [g, c] of tf) {
        const w = c * Math.log(1 + this.keyList.length / df.get(g)!);
        ws.push([g, w]);
        norm += w * w;
      }
      norm = Math.sqrt(norm);
      for (const [g, w] of ws) {
        let l = lists.get(g);
        if (!l) lists.set(g, (l = { ids: [], weights: [] }));
        l.ids.push(id);
        l.weights.push(w / norm);
      }
    });
    for (const [g, l] of lists) this.postings.set(g, { ids: Int32Array.from(l.ids), weights: Float32Array.from(l.weights) });
  }
}

const NO_WEIGHTS: ReadonlyMap<string, number> = new Map();

function weightsOf(e: KeyEntry | undefined): ReadonlyMap<string, number> {
  if (!e) return NO_WEIGHTS;
  const m = new Map<string, number>();
  for (let i = 0; i < e.codes.length; i++) m.set(e.codes[i]!, e.weights[i]!);
  return m;
}

function entry(codes: [string, [number, CandidateSource]][]): KeyEntry {
  codes.sort((a, b) => b[1][0] - a[1][0] || (a[0] < b[0] ? -1 : 1));
  const best = codes[0]![1][1];
  return {
    codes: codes.map((c) => c[0]),
    weights: codes.map((c) => c[1][0]),
    total: codes.reduce((s, c) => s + c[1][0], 0),
    source: best,
  };
}

function toEntries(m: Map<string, Map<string, [number, CandidateSource]>>): Map<string, KeyEntry> {
  const out = new Map<string, KeyEntry>();
  for (const [k, codes] of m) out.set(k, entry([...codes.entries()]));
  return out;
}
