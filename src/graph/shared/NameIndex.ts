import type { NameHit, SearchOptions } from '../GraphStore.js';
import type { Name, NameSource } from '../model.js';
import { normalizeText } from '../../text/normalizeText.js';
import { editDistanceAtMost } from './editDistanceAtMost.js';
import { lowerBound } from '../../util/lowerBound.js';

/**
 * Tuning of the name search. Every number the ranking uses lives here, with why it has its value.
 */
export const NAME_SEARCH_TUNING = {
  /**
   * Similarity of a query word to a dictionary word that differs only in its ending (Russian
   * inflection): nearly 1, because `ишемической болезни` means `ишемическая болезнь`; just below,
   * so that the same form wins a tie.
   */
  inflectionSim: 0.97,
  /** Longest ending (characters) either word may have beyond their common prefix to count as an inflection. */
  maxEndingLength: 3,
  /** Similarity of a query word that is a prefix of a longer word (typing in progress). */
  prefixSim: 0.7,
  /**
   * Typos: edit distance (with transpositions) allowed by query word length: 1 up to 4 characters,
   * 2 up to 8, else 3. Character trigrams only pick the candidates (the q-gram bound); the distance
   * decides, so that words merely sharing a suffix (`гипертоническая`, `хроническая`) do not match.
   */
  maxTypoShort: 1,
  maxTypoMedium: 2,
  maxTypoLong: 3,
  /** Typo similarity is `typoBase - typoStep * distance` (0.8, 0.7, 0.6). */
  typoBase: 0.9,
  typoStep: 0.1,
  /** At most this many dictionary words stand in for one query word (the most similar ones). */
  maxCandidatesPerWord: 64,
  /** Share of a name's score that rewards names made mostly of the query's words. */
  nameCoverageShare: 0.3,
  /** Score of a name whose normalized form equals the query (before the source weight): above any partial match. */
  exactScore: 2,
  /** Bonus for a name that starts with the whole query. */
  startsWithBonus: 0.05,
  /** Per extra matching name of the same code (up to `maxExtraNames`): a tie-breaker, not a ranking signal. */
  extraNameBonus: 0.001,
  maxExtraNames: 10,
  /** Cached result lists (per normalized query, sources and `first`). */
  cacheSize: 2048,
} as const;

/** How much a name of each source counts; corpus names add a little by how often they were seen. */
const SOURCE_WEIGHT: Record<NameSource, number> = {
  ICD_TITLE: 1,
  ABBREVIATION: 1,
  DICTIONARY: 0.98,
  UMLS: 0.95,
  CORPUS: 0.9,
};
/** Corpus names gain `corpusCountWeight * ln(1 + count)`, capped so that they never outrank a title. */
const CORPUS_COUNT_WEIGHT = 0.015;
const CORPUS_WEIGHT_CAP = 0.97;

function sourceWeight(name: Name): number {
  if (name.source === 'CORPUS') {
    return Math.min(CORPUS_WEIGHT_CAP, SOURCE_WEIGHT.CORPUS + CORPUS_COUNT_WEIGHT * Math.log1p(name.count ?? 1));
  }
  return SOURCE_WEIGHT[name.source] ?? 0.9;
}

function tokens(normalized: string): string[] {
  return normalized === '' ? [] : normalized.split(' ');
}

/** The word boundary in trigrams: `$word$`. */
const BOUNDARY = 36; /* $ */

/**
 * Character trigram -> the ids of the words that have it, in CSR form: the words of trigram `t`
 * are `words[start[t] .. start[t + 1])`, ascending. A trigram is keyed by its three characters'
 * ids in `alphabet` (every character of the vocabulary and the boundary, numbered from 1), packed
 * into one small integer: cheap Map keys, and three flat arrays instead of a list per trigram, so
 * that the index is built at start-up in a few tens of milliseconds.
 */
interface TrigramIndex {
  /** UTF-16 unit -> character id; 0 for a character in no word. */
  alphabet: Uint16Array;
  /** Packing base: one more than the largest character id. */
  base: number;
  ids: Map<number, number>;
  start: Int32Array;
  words: Int32Array;
}

/**
 * Distinct trigram keys of `$word$` in order of first occurrence; a trigram with a character
 * outside `alphabet` is in no dictionary word and gets -1.
 */
function trigramKeys(word: string, alphabet: Uint16Array, base: number): number[] {
  const out: number[] = [];
  const n = word.length;
  if (n === 0) return out;
  const boundary = alphabet[BOUNDARY]!;
  let a = boundary;
  let b = alphabet[word.charCodeAt(0)]!;
  for (let i = 0; i < n; i++) {
    const c = i + 1 < n ? alphabet[word.charCodeAt(i + 1)]! : boundary;
    const key = a === 0 || b === 0 || c === 0 ? -1 : (a * base + b) * base + c;
    if (!out.includes(key)) out.push(key);
    a = b;
    b = c;
  }
  return out;
}

function commonPrefixLength(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i < n && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  return i;
}

/** Builds the {@link TrigramIndex} of a vocabulary (two passes: count, then fill). */
function buildTrigramIndex(words: readonly string[]): TrigramIndex {
  const alphabet = new Uint16Array(0x10000);
  alphabet[BOUNDARY] = 1;
  let size = 1;
  for (const word of words) {
    for (let i = 0; i < word.length; i++) {
      const unit = word.charCodeAt(i);
      if (alphabet[unit] === 0) alphabet[unit] = ++size;
    }
  }
  // Keys stay below 2^30 (small integers) for up to 1,023 distinct characters; past that they are
  // doubles, still exact.
  const base = size + 1;
  const ids = new Map<number, number>();
  let counts: Int32Array = new Int32Array(1024);
  // Each word's trigram ids, flat, so that the fill pass does not recompute them.
  let wordTrigrams: Int32Array = new Int32Array(words.length * 8 + 16);
  const wordEnd = new Int32Array(words.length);
  let used = 0;
  for (let w = 0; w < words.length; w++) {
    for (const key of trigramKeys(words[w]!, alphabet, base)) {
      let tri = ids.get(key);
      if (tri === undefined) {
        tri = ids.size;
        ids.set(key, tri);
        if (tri === counts.length) counts = grow(counts);
      }
      counts[tri] = counts[tri]! + 1;
      if (used === wordTrigrams.length) wordTrigrams = grow(wordTrigrams);
      wordTrigrams[used++] = tri;
    }
    wordEnd[w] = used;
  }
  const start = new Int32Array(ids.size + 1);
  for (let t = 0; t < ids.size; t++) start[t + 1] = start[t]! + counts[t]!;
  const next = start.slice(0, ids.size);
  const list = new Int32Array(used);
  for (let w = 0, k = 0; w < words.length; w++) {
    for (const end = wordEnd[w]!; k < end; k++) {
      const tri = wordTrigrams[k]!;
      list[next[tri]!] = w;
      next[tri] = next[tri]! + 1;
    }
  }
  return { alphabet, base, ids, start, words: list };
}

function grow(array: Int32Array): Int32Array {
  const bigger = new Int32Array(array.length * 2);
  bigger.set(array);
  return bigger;
}

/**
 * Ranked, typo- and inflection-tolerant search over names, built once from all names of a store.
 *
 * Names are split into words; a query word matches dictionary words exactly, by a shared stem with
 * a short differing ending (`ишемической` ~ `ишемическая`), as a prefix, or as a typo (character
 * trigram Dice, or edit distance 1 for short words). A name scores the idf-weighted share of the
 * query it covers (squared, so that covering the whole query dominates), times a factor for how
 * much of the name the query explains, times its source's weight; a name equal to the query scores
 * above every partial match. Each code keeps its best name. Results are cached per query (LRU).
 *
 * Pure: no I/O, no store; the memory adapter owns one.
 *
 * @example
 * const index = new NameIndex(names);
 * index.search('ишемической болезни', { first: 5 }); // [{ code: 'I25', score, name }, ...]
 */
export class NameIndex {
  private readonly names: readonly Name[];
  /** Code of each name, as an index into `codeList`. */
  private readonly nameCode: Int32Array;
  private readonly codeList: string[];
  private readonly nameSourceWeight: Float64Array;
  /** Sum of the idf of a name's distinct words. */
  private readonly nameWeight: Float64Array;
  private readonly nameSource: NameSource[];

  private readonly wordIds = new Map<string, number>();
  private readonly words: string[] = [];
  private readonly wordIdf: Float64Array;
  private readonly wordDf: Int32Array;
  /** Names containing each word (ascending name index, no duplicates). */
  private readonly postings: Int32Array[];
  /** Dictionary words sorted, for stem and prefix ranges. */
  private readonly sortedWords: string[];
  /** Trigram -> word ids, for typo candidates; built with the index so that the first typo query is fast. */
  private readonly trigramIndex: TrigramIndex;
  /** Shared-trigram counts per word, reset after each use. */
  private scratchShared: Int32Array;
  private readonly maxIdf: number;

  private readonly cache = new Map<string, NameHit[]>();
  /** Scratch buffers reused by every search (a search never yields, so one set is enough). */
  private readonly scratchWord: Float64Array;
  private readonly scratchTotal: Float64Array;
  private readonly scratchCode: Float64Array;
  private readonly scratchCodeCount: Int32Array;
  private readonly scratchCodeBest: Int32Array;

  constructor(names: readonly Name[]) {
    this.names = names;
    const n = names.length;
    this.nameCode = new Int32Array(n);
    this.nameSourceWeight = new Float64Array(n);
    this.nameWeight = new Float64Array(n);
    this.nameSource = new Array<NameSource>(n);
    const codeIds = new Map<string, number>();
    this.codeList = [];
    const postingLists: number[][] = [];
    for (let i = 0; i < n; i++) {
      const name = names[i]!;
      let codeId = codeIds.get(name.code);
      if (codeId === undefined) {
        codeId = this.codeList.length;
        codeIds.set(name.code, codeId);
        this.codeList.push(name.code);
      }
      this.nameCode[i] = codeId;
      this.nameSourceWeight[i] = sourceWeight(name);
      this.nameSource[i] = name.source;
      for (const word of tokens(name.normalized)) {
        let id = this.wordIds.get(word);
        if (id === undefined) {
          id = this.words.length;
          this.wordIds.set(word, id);
          this.words.push(word);
          postingLists.push([]);
        }
        const list = postingLists[id]!;
        // Names are visited in order, so a repeated word of this name is the list's last entry.
        if (list[list.length - 1] !== i) list.push(i);
      }
    }
    const w = this.words.length;
    this.postings = new Array<Int32Array>(w);
    this.wordDf = new Int32Array(w);
    this.wordIdf = new Float64Array(w);
    let maxIdf = 0;
    for (let id = 0; id < w; id++) {
      const list = postingLists[id]!;
      this.postings[id] = Int32Array.from(list);
      this.wordDf[id] = list.length;
      // BM25's idf, always positive.
      const idf = Math.log(1 + (n - list.length + 0.5) / (list.length + 0.5));
      this.wordIdf[id] = idf;
      if (idf > maxIdf) maxIdf = idf;
    }
    this.maxIdf = maxIdf || 1;
    for (let id = 0; id < w; id++) {
      const idf = this.wordIdf[id]!;
      for (const name of this.postings[id]!) this.nameWeight[name] = this.nameWeight[name]! + idf;
    }
    this.sortedWords = [...this.words].sort();
    this.scratchShared = new Int32Array(w);
    this.trigramIndex = buildTrigramIndex(this.words);
    this.scratchWord = new Float64Array(n);
    this.scratchTotal = new Float64Array(n);
    this.scratchCode = new Float64Array(this.codeList.length);
    this.scratchCodeCount = new Int32Array(this.codeList.length);
    this.scratchCodeBest = new Int32Array(this.codeList.length);
  }

  /** Number of distinct words in the index. */
  get vocabularySize(): number {
    return this.words.length;
  }

  /** Best `first` codes for `text`, best first, one hit per code (the code's best name). */
  search(text: string, options: SearchOptions): NameHit[] {
    const query = normalizeText(text);
    const first = Math.max(0, Math.floor(options.first));
    if (query === '' || first === 0) return [];
    const sourcesKey = options.sources ? [...new Set(options.sources)].sort().join(',') : '*';
    const key = `${first}\u0000${sourcesKey}\u0000${query}`;
    const cached = this.cache.get(key);
    if (cached) {
      // Refresh its place in the LRU order.
      this.cache.delete(key);
      this.cache.set(key, cached);
      return cached.slice();
    }
    const allowed = options.sources ? new Set<NameSource>(options.sources) : null;
    const result = this.rank(query, first, allowed);
    this.cache.set(key, result);
    if (this.cache.size > NAME_SEARCH_TUNING.cacheSize) {
      this.cache.delete(this.cache.keys().next().value as string);
    }
    return result.slice();
  }

  /** Dictionary words standing in for one query word, with their similarity (0..1]. */
  matchWord(queryWord: string): Map<number, number> {
    const t = NAME_SEARCH_TUNING;
    const out = new Map<number, number>();
    const put = (id: number, sim: number) => {
      if ((out.get(id) ?? 0) < sim) out.set(id, sim);
    };
    const exact = this.wordIds.get(queryWord);
    if (exact !== undefined) put(exact, 1);
    // Numbers and one- or two-letter words only match exactly: anything looser is noise.
    if (queryWord.length <= 2 || /^\p{N}+$/u.test(queryWord)) return out;

    // Inflection and prefix: words sharing the query's stem.
    const stem = queryWord.slice(0, Math.max(3, queryWord.length - t.maxEndingLength));
    for (let k = lowerBound(this.sortedWords, stem); k < this.sortedWords.length; k++) {
      const word = this.sortedWords[k]!;
      if (!word.startsWith(stem)) break;
      if (word === queryWord) continue;
      const cp = commonPrefixLength(queryWord, word);
      const dq = queryWord.length - cp;
      const dw = word.length - cp;
      const id = this.wordIds.get(word)!;
      if (dq <= t.maxEndingLength && dw <= t.maxEndingLength && cp >= Math.ceil(Math.max(queryWord.length, word.length) / 2)) {
        put(id, t.inflectionSim);
      } else if (dq === 0) {
        put(id, t.prefixSim);
      }
    }

    // Typos: candidates by shared trigrams, decided by edit distance.
    if (queryWord.length >= 4) {
      const maxD = queryWord.length <= 4 ? t.maxTypoShort : queryWord.length <= 8 ? t.maxTypoMedium : t.maxTypoLong;
      const index = this.trigramIndex;
      const qTrigrams = trigramKeys(queryWord, index.alphabet, index.base);
      const shared = this.scratchShared;
      const touched: number[] = [];
      for (const key of qTrigrams) {
        const tri = key < 0 ? undefined : index.ids.get(key);
        if (tri === undefined) continue;
        for (let k = index.start[tri]!, end = index.start[tri + 1]!; k < end; k++) {
          const id = index.words[k]!;
          if (shared[id] === 0) touched.push(id);
          shared[id] = shared[id]! + 1;
        }
      }
      for (const id of touched) {
        const count = shared[id]!;
        shared[id] = 0;
        const word = this.words[id]!;
        if (Math.abs(word.length - queryWord.length) > maxD) continue;
        // q-gram bound: one edit destroys at most 3 trigrams (a rare transposition may need 4).
        if (count < Math.max(queryWord.length, word.length) - 3 * maxD) continue;
        const d = editDistanceAtMost(queryWord, word, maxD);
        if (d <= maxD) put(id, t.typoBase - t.typoStep * d);
      }
    }
    if (out.size <= t.maxCandidatesPerWord) return out;
    const kept = [...out].sort((a, b) => b[1] - a[1] || this.wordDf[b[0]]! - this.wordDf[a[0]]! || a[0] - b[0]);
    return new Map(kept.slice(0, t.maxCandidatesPerWord));
  }

  private rank(query: string, first: number, allowed: Set<NameSource> | null): NameHit[] {
    const t = NAME_SEARCH_TUNING;
    const queryWords = [...new Set(tokens(query))];
    const perWord = this.scratchWord;
    const total = this.scratchTotal;
    const touched: number[] = [];
    let queryWeight = 0;
    for (const qw of queryWords) {
      const candidates = this.matchWord(qw);
      // The query word weighs as much as its own dictionary entry, or its closest stand-in.
      let weight = this.maxIdf;
      let bestSim = -1;
      let bestDf = -1;
      for (const [id, sim] of candidates) {
        const df = this.wordDf[id]!;
        if (sim > bestSim || (sim === bestSim && df > bestDf)) {
          bestSim = sim;
          bestDf = df;
          weight = this.wordIdf[id]!;
        }
      }
      queryWeight += weight;
      const wordTouched: number[] = [];
      for (const [id, sim] of candidates) {
        const list = this.postings[id]!;
        for (let k = 0; k < list.length; k++) {
          const name = list[k]!;
          const prev = perWord[name]!;
          if (prev === 0) wordTouched.push(name);
          if (sim > prev) perWord[name] = sim;
        }
      }
      for (const name of wordTouched) {
        if (total[name] === 0) touched.push(name);
        total[name] = total[name]! + perWord[name]! * weight;
        perWord[name] = 0;
      }
    }

    const codeScore = this.scratchCode;
    const codeCount = this.scratchCodeCount;
    const codeBest = this.scratchCodeBest;
    const touchedCodes: number[] = [];
    for (const name of touched) {
      const matched = total[name]!;
      total[name] = 0;
      if (allowed && !allowed.has(this.nameSource[name]!)) continue;
      const normalized = this.names[name]!.normalized;
      let score: number;
      if (normalized === query) {
        score = t.exactScore;
      } else {
        const coverage = Math.min(1, matched / queryWeight);
        const nameCoverage = Math.min(1, matched / (this.nameWeight[name]! || 1));
        score = coverage * coverage * (1 - t.nameCoverageShare + t.nameCoverageShare * nameCoverage);
        if (normalized.startsWith(query)) score += t.startsWithBonus;
      }
      score *= this.nameSourceWeight[name]!;
      const code = this.nameCode[name]!;
      if (codeCount[code] === 0) {
        touchedCodes.push(code);
        codeScore[code] = score;
        codeBest[code] = name;
      } else if (score > codeScore[code]! || (score === codeScore[code]! && name < codeBest[code]!)) {
        codeScore[code] = score;
        codeBest[code] = name;
      }
      codeCount[code] = codeCount[code]! + 1;
    }

    const hits: { code: number; score: number; name: number }[] = [];
    for (const code of touchedCodes) {
      const extra = Math.min(t.maxExtraNames, codeCount[code]! - 1) * t.extraNameBonus;
      hits.push({ code, score: codeScore[code]! + extra, name: codeBest[code]! });
      codeScore[code] = 0;
      codeCount[code] = 0;
      codeBest[code] = 0;
    }
    hits.sort((a, b) => b.score - a.score || (this.codeList[a.code]! < this.codeList[b.code]! ? -1 : 1));
    return hits.slice(0, first).map((h) => ({
      code: this.codeList[h.code]!,
      score: Math.round(h.score * 1e6) / 1e6,
      name: this.names[h.name]!,
    }));
  }
}
