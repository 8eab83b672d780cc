import { describe, expect, it } from 'vitest';
import { russianStem as stem } from '../../src/text/russianStem.js';

const russianStem = (w: string): string => stem(w, { verbs: true });
import { tokenize, wordsOf } from '../../src/pipeline/prediction/linear/termTokens.js';
import { historyTerms } from '../../src/pipeline/prediction/linear/historyTerms.js';
import { TfidfVectorizer } from '../../src/pipeline/prediction/linear/TfidfVectorizer.js';

describe('russianStem()', () => {
  it('folds inflected forms of a noun onto one stem', () => {
    expect(['боль', 'боли', 'болями'].map(russianStem)).toEqual(['бол', 'бол', 'бол']);
  });
  it('removes adjectival, verbal and derivational endings as Snowball does', () => {
    expect(
      ['суставах', 'головной', 'головная', 'давления', 'беспокоят', 'усиливающиеся', 'красивейший', 'слабость'].map(russianStem),
    ).toEqual(['сустав', 'головн', 'головн', 'давлен', 'беспоко', 'усилива', 'красив', 'слабост']);
  });
  it('leaves words without a vowel-led region alone', () => {
    expect(['в', 'гб', 'ад'].map(russianStem)).toEqual(['в', 'гб', 'ад']);
  });
});

describe('tokenize()', () => {
  it('normalises case, ё and punctuation into words', () => {
    expect(wordsOf('Боли в СПИНЕ, ёжится; АД 130/80.')).toEqual(['боли', 'в', 'спине', 'ежится', 'ад', '130', '80']);
    expect(wordsOf(' .,; ')).toEqual([]);
  });
  it('makes stemmed word unigrams and bigrams', () => {
    expect(tokenize('Боли в спине', { wordNgrams: [1, 2], charNgrams: [0, 0], stem: true })).toEqual({
      words: ['бол', 'в', 'спин', 'бол в', 'в спин'],
      chars: [],
    });
  });
  it('makes character n-grams inside space-padded words only', () => {
    expect(tokenize('Боли в спине', { wordNgrams: [1, 1], charNgrams: [3, 4], stem: false }).chars).toEqual([
      ' бо', 'бол', 'оли', 'ли ', ' бол', 'боли', 'оли ',
      ' в ',
      ' сп', 'спи', 'пин', 'ине', 'не ', ' спи', 'спин', 'пине', 'ине ',
    ]);
  });
  it('keeps earlier visits in their own blocks and never reads a current conclusion', () => {
    const doc = historyTerms(
      { complaints: 'Кашель', earlier: [{ date: '2020-01-02', complaints: 'Насморк', conclusion: 'ОРВИ', codes: ['J06.9'] }] },
      { wordNgrams: [1, 1], charNgrams: [3, 3], stem: true },
    );
    expect(doc).toEqual({ word: ['кашел'], char: [' ка', 'каш', 'аше', 'шел', 'ель', 'ль '], history: ['насморк', 'орв'], code: ['J06.9'] });
  });
});

describe('TfidfVectorizer', () => {
  const vec = TfidfVectorizer.fit([{ w: ['a', 'b'] }, { w: ['a'] }, { w: ['c'] }], [{ name: 'w', minDf: 1, weight: 1 }]);

  it('numbers terms in sorted order with smooth idf ln((1+N)/(1+df))+1', () => {
    expect(vec.vocabulary()).toEqual({ blocks: [{ name: 'w', weight: 1, terms: ['a', 'b', 'c'] }] });
    // N = 3: df(a) = 2 -> ln(4/3) + 1; df(b) = df(c) = 1 -> ln(2) + 1.
    expect([...vec.idf].map((v) => Number(v.toFixed(6)))).toEqual([1.287682, 1.693147, 1.693147]);
  });
  it('weights counts sublinearly, L2-normalises and ignores unknown terms', () => {
    const x = vec.transform({ w: ['a', 'a', 'b', 'zzz'] });
    // a: (1 + ln 2) * 1.287682 = 2.180235; b: 1.693147; norm sqrt(4.753425 + 2.866747) = 2.760466.
    expect([...x.indices]).toEqual([0, 1]);
    expect([...x.values].map((v) => Number(v.toFixed(5)))).toEqual([0.78981, 0.61336]);
  });
  it('drops terms below min df and scales each block by its weight', () => {
    const v2 = TfidfVectorizer.fit(
      [{ w: ['a', 'b'], c: ['x'] }, { w: ['a'], c: ['x'] }],
      [{ name: 'w', minDf: 2, weight: 1 }, { name: 'c', minDf: 1, weight: 0.5 }],
    );
    expect(v2.vocabulary().blocks.map((b) => b.terms)).toEqual([['a'], ['x']]);
    const x = v2.transform({ w: ['a', 'b'], c: ['x'] });
    expect([...x.indices]).toEqual([0, 1]);
    expect([...x.values]).toEqual([1, 0.5]);
  });
});
