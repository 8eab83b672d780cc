import { describe, expect, it } from 'vitest';
import { normalizeText } from '../../src/text/normalizeText.js';
import { Normalizer } from '../../src/pipeline/coding/lexical/Normalizer.js';
import { russianStem as stem } from '../../src/text/russianStem.js';

const russianStem = (w: string): string => stem(w);

const abbreviations = new Map([
  ['ибс', 'ишемической болезни сердца'],
  ['гб', 'гипертонической болезни'],
]);
const normalizer = new Normalizer(abbreviations);

/** Every character of the normalised text maps back to a range of the original that produced it. */
function originalOf(original: string, n: ReturnType<Normalizer['normalize']>, start: number, end: number): string {
  const r = Normalizer.toOriginal(n, start, end);
  return original.slice(r.start, r.end);
}

describe('Normalizer.normalize(): offsets back to the caller text', () => {
  it('gives exactly normalizeText() without options', () => {
    for (const text of ['Гипертоническая  болезнь (ГБ), ёлка', '  ИБС:стенокардия\n\nнапряжения, ФК-2.  ', 'ЁЖ']) {
      expect(normalizer.normalize(text).text).toBe(normalizeText(text));
    }
  });

  it('maps words back across ё, repeated spaces and punctuation', () => {
    const text = 'Хр.  гастрит;\tжёлчь ,  ЖКБ';
    const n = normalizer.normalize(text);
    expect(n.text).toBe('хр гастрит желчь жкб');
    const at = (word: string): string => {
      const i = n.text.indexOf(word);
      return originalOf(text, n, i, i + word.length);
    };
    expect(at('гастрит')).toBe('гастрит');
    expect(at('желчь')).toBe('жёлчь');
    expect(at('жкб')).toBe('ЖКБ');
    // A range over the folded separator covers the punctuation and spaces between the words.
    expect(originalOf(text, n, 0, 10)).toBe('Хр.  гастрит');
    expect(n.text.length).toBe(n.starts.length);
    expect(n.text.length).toBe(n.ends.length);
  });

  it('expands capitalised abbreviations and maps the expansion to the abbreviation', () => {
    const text = 'ИБС.  ГБ II ст., ибс';
    const n = normalizer.normalize(text, { expandAbbreviations: true });
    // Lower-case "ибс" is a word, not an abbreviation as written: it stays.
    expect(n.text).toBe('ишемической болезни сердца гипертонической болезни ii ст ибс');
    const i = n.text.indexOf('болезни сердца');
    expect(Normalizer.toOriginal(n, i, i + 'болезни сердца'.length)).toEqual({ start: 0, end: 3 });
    const g = n.text.indexOf('гипертонической');
    expect(originalOf(text, n, g, n.text.indexOf(' ii'))).toBe('ГБ');
    expect(originalOf(text, n, g, n.text.length)).toBe('ГБ II ст., ибс');
  });

  it('stems words and still maps each stem to its whole word', () => {
    const text = 'Хронического  холецистита';
    const n = normalizer.normalize(text, { stem: true });
    expect(n.text).toBe('хроническ холецистит');
    // A stem is a prefix of its word: its characters map one to one onto that prefix.
    expect(originalOf(text, n, 0, 9)).toBe('Хроническ');
    expect(originalOf(text, n, 10, 20)).toBe('холецистит');
  });

  it('rejects a range outside the normalised text', () => {
    const n = normalizer.normalize('ИБС');
    expect(() => Normalizer.toOriginal(n, 0, 4)).toThrow(RangeError);
  });
});

describe('russianStem(): Snowball endings', () => {
  it('meets inflected forms of the same word', () => {
    expect(['болезнь', 'болезни', 'болезнью'].map(russianStem)).toEqual(['болезн', 'болезн', 'болезн']);
    expect(['хронический', 'хронического', 'хронической'].map(russianStem)).toEqual(['хроническ', 'хроническ', 'хроническ']);
    expect(russianStem('напряжения')).toBe('напряжен');
    expect(russianStem('сердца')).toBe('сердц');
  });

  it('leaves words without a vowel region alone', () => {
    expect(russianStem('жкб')).toBe('жкб');
  });
});

describe('russianStem(): the inflammation suffix -ит', () => {
  it('keeps -ит so that every case of гастрит meets', () => {
    expect(['гастрит', 'гастрита', 'гастритом', 'артрит'].map(russianStem)).toEqual(['гастрит', 'гастрит', 'гастрит', 'артрит']);
  });
});

describe('Normalizer.key(): the text of normalize() without the offset map', () => {
  it('equals normalize().text with and without stemming and abbreviation expansion', () => {
    const texts = ['ИБС.  Стенокардия напряжения, ФК-2', 'Хр. гастрит; ГБ II ст., ёлка', '', '  ,. ', 'ХОБЛ ибс'];
    for (const text of texts) {
      for (const options of [{}, { stem: true }, { expandAbbreviations: true }, { stem: true, expandAbbreviations: true }]) {
        expect(normalizer.key(text, options)).toBe(normalizer.normalize(text, options).text);
      }
    }
    expect(normalizer.key('ИБС, ибс', { expandAbbreviations: true })).toBe('ишемической болезни сердца ибс');
  });
});
