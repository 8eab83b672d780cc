/**
 * A Russian stemmer after the Snowball algorithm (M. Porter's "russian" stemmer, without its
 * verb step: see below): strips
 * inflectional endings so that `болезни`, `болезнь` and `болезнью` meet. Written here as
 * domain code so that the lexical coder needs no dependency and no model weights.
 *
 * The input must already be lower case with `ё` folded to `е` (what the normaliser produces).
 *
 * @example russianStem('гипертонической') === 'гипертоническ'
 */
export function russianStem(word: string): string {
  const cached = cache.get(word);
  if (cached !== undefined) return cached;
  const stem = stemUncached(word);
  // The vocabulary of diagnosis texts is small; the cap only guards a long-running server.
  if (cache.size < CACHE_LIMIT) cache.set(word, stem);
  return stem;
}

const CACHE_LIMIT = 200_000;
const cache = new Map<string, string>();

const VOWELS = new Set(['а', 'е', 'и', 'о', 'у', 'ы', 'э', 'ю', 'я']);

const PERFECTIVE_GERUND_1 = ['вшись', 'вши', 'в'];
const PERFECTIVE_GERUND_2 = ['ившись', 'ывшись', 'ивши', 'ывши', 'ив', 'ыв'];
const ADJECTIVE = [
  'ими', 'ыми', 'его', 'ого', 'ему', 'ому', 'ее', 'ие', 'ые', 'ое', 'ей', 'ий', 'ый', 'ой', 'ем', 'им', 'ым',
  'ом', 'их', 'ых', 'ую', 'юю', 'ая', 'яя', 'ою', 'ею',
];
const PARTICIPLE_1 = ['ем', 'нн', 'вш', 'ющ', 'щ'];
const PARTICIPLE_2 = ['ивш', 'ывш', 'ующ'];
const REFLEXIVE = ['ся', 'сь'];
const NOUN = [
  'иями', 'ями', 'ами', 'ией', 'иям', 'ием', 'иях', 'ев', 'ов', 'ие', 'ье', 'еи', 'ии', 'ей', 'ой', 'ий', 'ям', 'ем',
  'ам', 'ом', 'ах', 'ях', 'ию', 'ью', 'ия', 'ья', 'а', 'е', 'и', 'й', 'о', 'у', 'ы', 'ь', 'ю', 'я',
];
const DERIVATIONAL = ['ость', 'ост'];

/** Longest suffix of `word` (in the region starting at `from`) from `list`, or null. */
function findSuffix(word: string, from: number, list: readonly string[]): string | null {
  let best: string | null = null;
  for (const s of list) {
    if (word.length - s.length >= from && word.endsWith(s) && (best === null || s.length > best.length)) best = s;
  }
  return best;
}

/** A suffix from a "group 1" list, which must follow `а` or `я` (that letter stays). */
function findPrecededSuffix(word: string, from: number, list: readonly string[]): string | null {
  let best: string | null = null;
  for (const s of list) {
    const at = word.length - s.length;
    if (at - 1 >= from && word.endsWith(s) && (word[at - 1] === 'а' || word[at - 1] === 'я')) {
      if (best === null || s.length > best.length) best = s;
    }
  }
  return best;
}

function longer(a: string | null, b: string | null): string | null {
  if (a === null) return b;
  if (b === null) return a;
  return b.length > a.length ? b : a;
}

function stemUncached(word: string): string {
  // RV: after the first vowel; R1: after the first non-vowel following a vowel; R2: same within R1.
  let rv = word.length;
  for (let i = 0; i < word.length; i++) {
    if (VOWELS.has(word[i]!)) {
      rv = i + 1;
      break;
    }
  }
  if (rv >= word.length) return word;
  const r1 = regionAfter(word, 0);
  const r2 = regionAfter(word, r1);

  let w = word;
  // Step 1
  const gerund = longer(findPrecededSuffix(w, rv, PERFECTIVE_GERUND_1), findSuffix(w, rv, PERFECTIVE_GERUND_2));
  if (gerund !== null) {
    w = w.slice(0, -gerund.length);
  } else {
    const refl = findSuffix(w, rv, REFLEXIVE);
    if (refl !== null) w = w.slice(0, -refl.length);
    const adj = findSuffix(w, rv, ADJECTIVE);
    if (adj !== null) {
      w = w.slice(0, -adj.length);
      const part = longer(findPrecededSuffix(w, rv, PARTICIPLE_1), findSuffix(w, rv, PARTICIPLE_2));
      if (part !== null) w = w.slice(0, -part.length);
    } else {
      // Snowball strips verb endings here; diagnoses hardly contain finite verbs, while the
      // inflammation suffix `-ит` (гастрит, артрит) looks like one: `гастрит` would become
      // `гастр` but `гастрита` `гастрит`. So only noun endings are stripped.
      const noun = findSuffix(w, rv, NOUN);
      if (noun !== null) w = w.slice(0, -noun.length);
    }
  }
  // Step 2
  if (w.length > rv && w.endsWith('и')) w = w.slice(0, -1);
  // Step 3
  const der = findSuffix(w, Math.max(r2, rv), DERIVATIONAL);
  if (der !== null) w = w.slice(0, -der.length);
  // Step 4
  if (w.length - 2 >= rv && w.endsWith('нн')) {
    w = w.slice(0, -1);
  } else {
    const sup = findSuffix(w, rv, ['ейше', 'ейш']);
    if (sup !== null) {
      w = w.slice(0, -sup.length);
      if (w.length - 2 >= rv && w.endsWith('нн')) w = w.slice(0, -1);
    } else if (w.length - 1 >= rv && w.endsWith('ь')) {
      w = w.slice(0, -1);
    }
  }
  return w;
}

function regionAfter(word: string, from: number): number {
  for (let i = from + 1; i < word.length; i++) {
    if (!VOWELS.has(word[i]!) && VOWELS.has(word[i - 1]!)) return i + 1;
  }
  return word.length;
}
