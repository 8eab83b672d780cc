import { describe, expect, it } from 'vitest';
import { NameIndex } from '../../../src/graph/shared/NameIndex.js';
import type { Name, NameSource } from '../../../src/graph/model.js';
import { normalizeText } from '../../../src/text/normalizeText.js';

const n = (code: string, text: string, source: NameSource = 'ICD_TITLE', count?: number): Name => ({
  code,
  text,
  normalized: normalizeText(text),
  source,
  lang: 'ru',
  ...(count === undefined ? {} : { count }),
});

const NAMES = [
  n('I25', 'Хроническая ишемическая болезнь сердца'),
  n('I20-I25', 'Ишемическая болезнь сердца'),
  n('I11', 'Гипертензивная болезнь сердца'),
  n('I10', 'Гипертоническая болезнь', 'CORPUS', 5),
  n('I11.9', 'Гипертоническая болезнь', 'CORPUS', 40),
  n('E66', 'Ожирение'),
  n('K29', 'Гастрит'),
  n('I25', 'ИБС', 'ABBREVIATION'),
  n('I25.9', 'ИБС', 'CORPUS', 9),
];

describe('NameIndex', () => {
  const index = new NameIndex(NAMES);
  const codes = (text: string, first = 10, sources?: NameSource[]) => index.search(text, { first, sources }).map((h) => h.code);

  describe('matchWord()', () => {
    const matched = (word: string) =>
      [...index.matchWord(word)].map(([id, sim]) => [(index as unknown as { words: string[] }).words[id], sim]).sort((a, b) => String(a[0]).localeCompare(String(b[0])));

    it('matches a word exactly with similarity 1', () => {
      expect(matched('гастрит')).toEqual([['гастрит', 1]]);
    });

    it('matches another ending of the same stem as an inflection', () => {
      expect(matched('ишемической')).toEqual([['ишемическая', 0.97]]);
      expect(matched('болезни')).toEqual([['болезнь', 0.97]]);
    });

    it('matches a word being typed as a prefix', () => {
      expect(matched('гипер')).toEqual([['гипертензивная', 0.7], ['гипертоническая', 0.7]]);
    });

    it('matches typos by edit distance, not by a shared suffix', () => {
      expect(matched('ожерение')).toEqual([['ожирение', 0.8]]);
      expect(matched('гострит')).toEqual([['гастрит', 0.8]]);
      // `хроническая` shares eight trigrams with `гипертоническая` but is 5 edits away.
      expect(matched('хроническая').map((m) => m[0])).toEqual(['хроническая']);
    });

    it('matches numbers and one- or two-letter words only exactly', () => {
      expect(matched('2')).toEqual([]);
      expect(matched('иб')).toEqual([]);
    });
  });

  describe('search()', () => {
    it('ranks an exact abbreviation above the same string seen in the corpus', () => {
      expect(codes('ИБС')).toEqual(['I25', 'I25.9']);
    });

    it('ranks corpus names by how often they were seen', () => {
      expect(codes('гипертоническая болезнь', 2)).toEqual(['I11.9', 'I10']);
    });

    it('prefers the name covering the whole query and little else', () => {
      expect(codes('ишемическая болезнь сердца', 2)).toEqual(['I20-I25', 'I25']);
      expect(codes('хронической ишемической болезни', 1)).toEqual(['I25']);
    });

    it('filters by source and caps at first', () => {
      expect(codes('ибс', 5, ['CORPUS'])).toEqual(['I25.9']);
      expect(codes('болезнь', 2)).toHaveLength(2);
    });

    it('answers the same list from its cache, without sharing the array', () => {
      const a = index.search('ожирение', { first: 3 });
      a.pop();
      expect(index.search('Ожирение!', { first: 3 }).map((h) => h.code)).toEqual(['E66']);
    });

    it('has no hits for a query of punctuation', () => {
      expect(codes('—…')).toEqual([]);
    });
  });
});
