/**
 * The Snowball Russian stemmer (M. Porter's "russian" algorithm), written here as domain code so
 * that the coder and the predictor need no dependency. It folds inflected forms (`болезни`,
 * `болезнь`, `болезнью`) onto one stem. Input is one lower-case word with `ё` folded to `е`.
 *
 * `verbs: false` (the default) skips Snowball's verb endings: diagnoses hardly contain finite
 * verbs, while the inflammation suffix `-ит` (гастрит, артрит) looks like one (`гастрит` would
 * become `гастр` but `гастрита` `гастрит`). The diagnosis predictor, which reads complaints
 * written as sentences, keeps the verb step (`verbs: true`).
 */

const VOWELS = new Set('аеиоуыэюя');

const PERFECTIVE_GERUND_1 = ['вшись', 'вши', 'в']; // after а or я
const PERFECTIVE_GERUND_2 = ['ившись', 'ывшись', 'ивши', 'ывши', 'ив', 'ыв'];
const REFLEXIVE = ['ся', 'сь'];
const ADJECTIVE = [
  'ими', 'ыми', 'его', 'ого', 'ему', 'ому', 'ее', 'ие', 'ые', 'ое', 'ей', 'ий', 'ый', 'ой', 'ем', 'им',
  'ым', 'ом', 'их', 'ых', 'ую', 'юю', 'ая', 'яя', 'ою', 'ею',
];
const PARTICIPLE_1 = ['ем', 'нн', 'вш', 'ющ', 'щ']; // after а or я
const PARTICIPLE_2 = ['ивш', 'ывш', 'ующ'];
const VERB_1 = ['ете', 'йте', 'ешь', 'нно', 'ла', 'на', 'ли', 'ем', 'ло', 'но', 'ет', 'ют', 'ны', 'ть', 'й', 'л', 'н']; // after а or я
const VERB_2 = [
  'ейте', 'уйте', 'ила', 'ыла', 'ена', 'ите', 'или', 'ыли', 'ило', 'ыло', 'ено', 'ует', 'уют', 'ены', 'ить',
  'ыть', 'ишь', 'ей', 'уй', 'ил', 'ыл', 'им', 'ым', 'ен', 'ят', 'ит', 'ыт', 'ую', 'ю',
];
const NOUN = [
  'иями', 'ями', 'ами', 'ией', 'иям', 'ием', 'иях', 'ев', 'ов', 'ие', 'ье', 'еи', 'ии', 'ей', 'ой', 'ий',
  'ям', 'ем', 'ам', 'ом', 'ах', 'ях', 'ию', 'ью', 'ия', 'ья', 'а', 'е', 'и', 'й', 'о', 'у', 'ы', 'ь', 'ю', 'я',
];
const SUPERLATIVE = ['ейше', 'ейш'];
const DERIVATIONAL = ['ость', 'ост'];

/** Longest suffix of `list` that `word` ends with inside `[from, end)`, or ''. */
function longest(word: string, from: number, list: readonly string[], afterAYa = false): string {
  let best = '';
  for (const s of list) {
    if (s.length <= best.length || word.length - s.length < from || !word.endsWith(s)) continue;
    if (afterAYa) {
      const before = word[word.length - s.length - 1];
      // The preceding а/я must itself be inside the region.
      if ((before !== 'а' && before !== 'я') || word.length - s.length - 1 < from) continue;
    }
    best = s;
  }
  return best;
}

/** Removes the longest ending of either group (group 1 needs a preceding а/я that stays). */
function strip(word: string, from: number, group1: readonly string[], group2: readonly string[]): string | null {
  const a = longest(word, from, group1, true);
  const b = longest(word, from, group2);
  const s = a.length >= b.length ? a : b;
  return s ? word.slice(0, word.length - s.length) : null;
}

/** Start of the region after the first vowel-then-consonant from `start` (R1 of Snowball). */
function regionAfter(word: string, start: number): number {
  for (let i = start + 1; i < word.length; i++) {
    if (!VOWELS.has(word[i]!) && VOWELS.has(word[i - 1]!)) return i + 1;
  }
  return word.length;
}

export interface StemOptions {
  /** Strip Snowball's verb endings too (default false: see above). */
  verbs?: boolean;
}

// The vocabulary of clinical texts is small; the cap only guards a long-running server.
const CACHE_LIMIT = 200_000;
const caches = { nouns: new Map<string, string>(), verbs: new Map<string, string>() };

/**
 * Stems one Russian word (cached).
 *
 * @example russianStem('гипертонической') === 'гипертоническ'; russianStem('болями', { verbs: true }) === 'бол'
 */
export function russianStem(word: string, options: StemOptions = {}): string {
  const cache = options.verbs ? caches.verbs : caches.nouns;
  const cached = cache.get(word);
  if (cached !== undefined) return cached;
  const stem = stemUncached(word, options.verbs === true);
  if (cache.size < CACHE_LIMIT) cache.set(word, stem);
  return stem;
}

function stemUncached(word: string, verbs: boolean): string {
  let rv = word.length;
  for (let i = 0; i < word.length; i++) {
    if (VOWELS.has(word[i]!)) {
      rv = i + 1;
      break;
    }
  }
  if (rv >= word.length) return word;
  const r2 = regionAfter(word, regionAfter(word, 0) - 1);

  let w = word;
  // Step 1.
  const gerund = strip(w, rv, PERFECTIVE_GERUND_1, PERFECTIVE_GERUND_2);
  if (gerund !== null) {
    w = gerund;
  } else {
    const refl = longest(w, rv, REFLEXIVE);
    if (refl) w = w.slice(0, w.length - refl.length);
    const adj = longest(w, rv, ADJECTIVE);
    if (adj) {
      w = w.slice(0, w.length - adj.length);
      const part = strip(w, rv, PARTICIPLE_1, PARTICIPLE_2);
      if (part !== null) w = part;
    } else {
      const verb = verbs ? strip(w, rv, VERB_1, VERB_2) : null;
      if (verb !== null) {
        w = verb;
      } else {
        const noun = longest(w, rv, NOUN);
        if (noun) w = w.slice(0, w.length - noun.length);
      }
    }
  }
  // Step 2.
  if (w.length > rv && w.endsWith('и')) w = w.slice(0, -1);
  // Step 3.
  const der = longest(w, r2, DERIVATIONAL);
  if (der) w = w.slice(0, w.length - der.length);
  // Step 4.
  if (w.length - 2 >= rv && w.endsWith('нн')) {
    w = w.slice(0, -1);
  } else {
    const sup = longest(w, rv, SUPERLATIVE);
    if (sup) {
      w = w.slice(0, w.length - sup.length);
      if (w.length - 2 >= rv && w.endsWith('нн')) w = w.slice(0, -1);
    } else if (w.length > rv && w.endsWith('ь')) {
      w = w.slice(0, -1);
    }
  }
  return w;
}
