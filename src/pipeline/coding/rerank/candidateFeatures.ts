import { normalizeText } from '../../../text/normalizeText.js';
import { categoryOf } from '../categoryOf.js';
import type { MentionEvidence } from '../lexical/LexicalLinker.js';
import type { Normalizer } from '../lexical/Normalizer.js';
import type { Candidate } from '../types.js';

/** Names of the re-ranker's features, in vector order (recorded in the model; a mismatch refuses the model). */
export const FEATURE_NAMES = [
  'score',
  'scoreRatio',
  'linkerTop',
  'logRank',
  'srcCorpus',
  'srcTitle',
  'srcAbbreviation',
  'srcFuzzy',
  'added',
  'logExactWeight',
  'exactShare',
  'logStemWeight',
  'stemShare',
  'logScore',
  'logPrior',
  'logCategoryPrior',
  'shareInCategory',
  'isSub',
  'subShareXsub',
  'catShareXcat',
  'national',
  'docSubVotesXsub',
  'docCatVotesXsub',
  'docSubVotesXcat',
  'docCatVotesXcat',
  'docHasCode',
  'docHasCategory',
  'titleDice',
  'titleWordCover',
  'mentionWordsXsub',
  'isCategoryOfTop',
  'isChildOfTop',
  'sameCategoryAsTop',
  'noPrior',
  'docSubShareXsub',
  'docSubShareXcat',
  'moreSpecificThanCandidate',
  'logExactTotal',
  'logStemTotal',
  'mentionWords',
  'topScore',
  'exactSubShare',
  'docMentions',
] as const;

export const FEATURE_COUNT = FEATURE_NAMES.length;

/** What a mention's document says, from the other mentions' linker picks. */
export interface DocumentContext {
  /** Linker top codes of the document's mentions (one per mention, null when none), in mention order. */
  tops: readonly (Candidate | null)[];
}

/** A candidate with its feature vector (`added`: proposed by the hierarchy, not by the linker). */
export interface FeaturedCandidate {
  candidate: Candidate;
  added: boolean;
  features: Float64Array;
}

/** Linker picks at least this strong (and not fuzzy) vote for the document's granularity. */
const VOTE_SCORE = 0.85;
/** Frequent training subcategories of a candidate's category offered besides the linker's list. */
const ADDED_SUBCODES = 3;
/** Linker candidates whose category is expanded. */
const EXPANDED_TOP = 3;

function trigrams(s: string): Set<string> {
  const p = ` ${s} `;
  const out = new Set<string>();
  for (let i = 0; i + 3 <= p.length; i++) out.add(p.slice(i, i + 3));
  return out;
}

/**
 * Turns a mention's linker candidates into feature vectors for the re-ranker: string similarity
 * to the code's title (character trigrams, word stems), the annotators' priors by mention text
 * (the linker's score and how often the text was seen) and by code and category, the code's
 * granularity (category or subcategory, national extension) against the category's training
 * habit and the document's other picks, and its relation to the linker's top pick. It also
 * offers codes the linker did not list: the category of a top candidate and its subcategories
 * annotators used most, so that granularity is decided by the model, not by rules.
 *
 * @example new CandidateFeaturizer(prior, titles, normalizer).featurize('ИБС', cands, 5, { tops })
 */
export class CandidateFeaturizer {
  private readonly prior: ReadonlyMap<string, number>;
  private readonly titles: ReadonlyMap<string, string>;
  private readonly normalizer: Normalizer;
  private readonly categoryUse = new Map<string, { category: number; subcategory: number; subcodes: string[] }>();
  private readonly titleCache = new Map<string, { grams: Set<string>; stems: Set<string> }>();

  constructor(prior: ReadonlyMap<string, number>, titles: ReadonlyMap<string, string>, normalizer: Normalizer) {
    this.prior = prior;
    this.titles = titles;
    this.normalizer = normalizer;
    const subs = new Map<string, [string, number][]>();
    for (const [code, n] of prior) {
      const cat = categoryOf(code);
      let use = this.categoryUse.get(cat);
      if (!use) this.categoryUse.set(cat, (use = { category: 0, subcategory: 0, subcodes: [] }));
      if (code.includes('.')) {
        use.subcategory += n;
        let l = subs.get(cat);
        if (!l) subs.set(cat, (l = []));
        l.push([code, n]);
      } else use.category += n;
    }
    for (const [cat, l] of subs) {
      l.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
      this.categoryUse.get(cat)!.subcodes = l.slice(0, ADDED_SUBCODES).map((x) => x[0]);
    }
  }

  private title(code: string): { grams: Set<string>; stems: Set<string> } {
    let t = this.titleCache.get(code);
    if (!t) {
      const title = this.titles.get(code) ?? '';
      t = { grams: trigrams(normalizeText(title)), stems: new Set(this.normalizer.key(title, { stem: true }).split(' ').filter((w) => w !== '')) };
      this.titleCache.set(code, t);
    }
    return t;
  }

  /**
   * The candidates (the linker's, then the added ones) with their features. `evidence`: what the
   * linker's names say about the mention text; `self`: the mention's index in `doc.tops`.
   */
  featurize(mention: string, candidates: readonly Candidate[], evidence: MentionEvidence, doc: DocumentContext, self: number): FeaturedCandidate[] {
    const all: { candidate: Candidate; added: boolean; rank: number }[] = candidates.map((c, rank) => ({ candidate: c, added: false, rank }));
    const have = new Set(candidates.map((c) => c.code));
    for (let i = 0; i < Math.min(EXPANDED_TOP, candidates.length); i++) {
      const c = candidates[i]!;
      const cat = categoryOf(c.code);
      const offer = (code: string): void => {
        if (have.has(code) || !this.titles.has(code)) return;
        have.add(code);
        all.push({ candidate: { code, score: 0, source: c.source, name: c.name }, added: true, rank: candidates.length });
      };
      offer(cat);
      for (const s of this.categoryUse.get(cat)?.subcodes ?? []) offer(s);
    }
    const top = candidates[0];
    const topScore = top?.score ?? 0;
    const topCat = top ? categoryOf(top.code) : '';
    // The document's other mentions: their picks' codes, categories and granularity votes.
    let subVotes = 0;
    let catVotes = 0;
    let subTops = 0;
    let allTops = 0;
    const docCodes = new Set<string>();
    const docCats = new Set<string>();
    doc.tops.forEach((t, i) => {
      if (i === self || t === null) return;
      docCodes.add(t.code);
      docCats.add(categoryOf(t.code));
      allTops++;
      if (t.code.includes('.')) subTops++;
      if (t.source !== 'FUZZY' && t.score >= VOTE_SCORE) {
        if (t.code.includes('.')) subVotes++;
        else catVotes++;
      }
    });
    const lsub = Math.log1p(subVotes);
    const lcat = Math.log1p(catVotes);
    const norm = normalizeText(mention);
    const grams = trigrams(norm);
    const stems = this.normalizer.key(mention, { stem: true }).split(' ').filter((w) => w !== '');
    const words = Math.log1p(stems.length);
    const docSubShare = (subTops + 0.5) / (allTops + 1) - 0.5;
    const listed = new Set(all.map((a) => a.candidate.code));
    let exactSub = 0;
    for (const [code, w] of evidence.exact) if (code.includes('.')) exactSub += w;
    const exactSubShare = evidence.exactTotal > 0 ? exactSub / evidence.exactTotal : -1;
    return all.map(({ candidate: c, added, rank }) => {
      const f = new Float64Array(FEATURE_COUNT);
      const cat = categoryOf(c.code);
      const isSub = c.code.includes('.') ? 1 : 0;
      const use = this.categoryUse.get(cat);
      const catTotal = use ? use.category + use.subcategory : 0;
      const subShare = (0.5 + (use?.subcategory ?? 0)) / (1 + catTotal);
      const prior = this.prior.get(c.code) ?? 0;
      const t = this.title(c.code);
      let inter = 0;
      for (const g of grams) if (t.grams.has(g)) inter++;
      let cover = 0;
      for (const s of stems) if (t.stems.has(s)) cover++;
      f[0] = c.score;
      f[1] = topScore > 0 ? c.score / topScore : 0;
      f[2] = rank === 0 ? 1 : 0;
      f[3] = Math.log1p(rank);
      f[4] = !added && c.source === 'CORPUS' ? 1 : 0;
      f[5] = !added && (c.source === 'ICD_TITLE' || c.source === 'DICTIONARY' || c.source === 'UMLS') ? 1 : 0;
      f[6] = !added && c.source === 'ABBREVIATION' ? 1 : 0;
      f[7] = !added && c.source === 'FUZZY' ? 1 : 0;
      f[8] = added ? 1 : 0;
      const ew = evidence.exact.get(c.code) ?? 0;
      const sw = evidence.stem.get(c.code) ?? 0;
      f[9] = Math.log1p(ew);
      f[10] = evidence.exactTotal > 0 ? ew / evidence.exactTotal : 0;
      f[11] = Math.log1p(sw);
      f[12] = evidence.stemTotal > 0 ? sw / evidence.stemTotal : 0;
      f[13] = Math.log(c.score + 0.01);
      f[14] = Math.log1p(prior);
      f[15] = Math.log1p(catTotal);
      f[16] = catTotal > 0 ? prior / catTotal : 0;
      f[17] = isSub;
      f[18] = isSub * subShare;
      f[19] = (1 - isSub) * (1 - subShare);
      f[20] = c.code.length > 5 ? 1 : 0;
      f[21] = isSub * lsub;
      f[22] = isSub * lcat;
      f[23] = (1 - isSub) * lsub;
      f[24] = (1 - isSub) * lcat;
      f[25] = docCodes.has(c.code) ? 1 : 0;
      f[26] = docCats.has(cat) ? 1 : 0;
      f[27] = grams.size + t.grams.size > 0 ? (2 * inter) / (grams.size + t.grams.size) : 0;
      f[28] = stems.length > 0 ? cover / stems.length : 0;
      f[29] = isSub * words;
      f[30] = top !== undefined && c.code === topCat && top.code !== topCat ? 1 : 0;
      f[31] = top !== undefined && top.code === topCat && cat === topCat && c.code !== topCat ? 1 : 0;
      f[32] = top !== undefined && cat === topCat ? 1 : 0;
      f[33] = prior === 0 ? 1 : 0;
      f[34] = isSub * docSubShare;
      f[35] = (1 - isSub) * -docSubShare;
      f[36] = isSub && listed.has(cat) ? 1 : 0;
      f[37] = Math.log1p(evidence.exactTotal);
      f[38] = Math.log1p(evidence.stemTotal);
      f[39] = stems.length;
      f[40] = topScore;
      f[41] = exactSubShare;
      f[42] = doc.tops.length;
      return { candidate: c, added, features: f };
    });
  }
}
